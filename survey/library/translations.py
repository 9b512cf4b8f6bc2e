"""Where each language of a questionnaire version stands: the source text, reviewed here (who
marked it, and when), or what the file itself records (`metadata.translations`,
docs/instrument-format.md). One answer for the library's list, a version's page and its review."""

from __future__ import annotations

from dataclasses import dataclass

from survey.instruments.store import Found
from survey.models import TranslationReview

#: The statuses the shipped instruments record, in words; another reads as written, its dashes
#: as spaces.
FILE_STATUS_WORDS = {
    "needs-native-review": "Needs a native speaker's review",
    "reviewed": "Reviewed, says the file",
}


@dataclass(frozen=True)
class TranslationState:
    language: str
    source: bool
    review: TranslationReview | None  # marked reviewed in the library
    file_status: str | None

    @property
    def known(self) -> bool:
        return self.source or self.review is not None or self.file_status is not None

    @property
    def words(self) -> str:
        if self.source:
            return "Source text"
        if self.review is not None:
            return "Reviewed"
        if self.file_status:
            fallback = self.file_status.replace("-", " ").capitalize()
            return FILE_STATUS_WORDS.get(self.file_status, fallback)
        return "Not recorded"


def translation_states(found: Found) -> list[TranslationState]:
    """Each language of the version, the source language first."""
    instrument = found.instrument
    source = instrument.metadata.get("source_language", instrument.default_language)
    reviews = {review.language: review for review in found.version.reviews} if found.version else {}
    return [
        TranslationState(
            language,
            source=language == source,
            review=reviews.get(language),
            file_status=_file_status(instrument.metadata, language),
        )
        for language in sorted(instrument.languages, key=lambda language: language != source)
    ]


def _file_status(metadata: dict, language: str) -> str | None:
    """`translations.<language>.status` of the metadata, or a status written directly as
    `translations.<language>`; metadata is free-form, so any other shape records nothing."""
    recorded = metadata.get("translations")
    entry = recorded.get(language) if isinstance(recorded, dict) else None
    status = entry.get("status") if isinstance(entry, dict) else entry
    if not isinstance(status, str):
        return None
    return status.strip() or None
