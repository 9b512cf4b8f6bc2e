"""Building the frozen `Instrument` of a validated document."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from survey.instruments.kinds import kind_named
from survey.instruments.model import (
    Consent,
    FrozenDict,
    GroupDef,
    Instrument,
    Option,
    Page,
    Question,
    ScoreDef,
    frozen,
)


class Building:
    """One document being built: what the kinds need of it (kinds.collaborators.Building)."""

    def __init__(self, doc: dict) -> None:
        self.doc = doc
        self.languages = tuple(doc["languages"])
        self.waves = tuple(wave["code"] for wave in doc["waves"])
        self.non_response_code: int = doc["non_response"]["code"]
        self.yes_no = doc.get("yes_no")

    def texts(self, mapping: Mapping[str, str] | None) -> FrozenDict:
        """A translated text, ordered as the instrument's languages (the default first)."""
        if not mapping:
            return frozen()
        return frozen((language, mapping[language]) for language in self.languages)

    def partial_texts(self, mapping: Mapping[str, str] | None) -> FrozenDict:
        """A text given in some of the languages, in the instrument's language order."""
        mapping = mapping or {}
        return frozen((lang, mapping[lang]) for lang in self.languages if lang in mapping)

    def options(self, entries: Iterable[dict]) -> tuple[Option, ...]:
        """Options (or ranking items) with their translated labels."""
        return tuple(Option(entry["code"], self.texts(entry["labels"])) for entry in entries)

    def scale(self, name: str | None) -> Mapping[str, Any]:
        """A scale of the document by name; empty for none."""
        return self.doc["scales"].get(name, {})

    def question(self, entry: dict, page: str) -> Question:
        """A question: the keys every question has, then what its kind builds."""
        kind = kind_named(entry["kind"])
        asked = entry.get("waves", self.waves)
        return Question(
            code=entry["code"],
            kind=kind,
            page=page,
            texts=self.texts(entry["texts"]),
            hints=self.texts(entry.get("hints")),
            scale=entry.get("scale"),
            required=entry.get("required", False),
            construct=entry.get("construct"),
            reversed=entry.get("reversed", False),
            waves=tuple(wave for wave in self.waves if wave in asked),
            profile=entry.get("profile", False),
            **kind.build(entry, self),
        )

    def page(self, page: dict) -> Page:
        """A question page with its questions."""
        return Page(
            code=page["code"],
            titles=self.texts(page["titles"]),
            intros=self.texts(page.get("intros")),
            questions=tuple(self.question(entry, page["code"]) for entry in page["questions"]),
        )

    def scores(self, by_code: Mapping[str, Question]) -> dict[str, ScoreDef]:
        """The scores, their items given or those of their construct, in document order."""
        scores = {}
        for name, score in self.doc.get("scores", {}).items():
            items = score.get("items") or [
                q.code for q in by_code.values() if q.construct == score["construct"]
            ]
            first = by_code[items[0]]
            scores[name] = ScoreDef(
                name=name,
                items=tuple(items),
                reversed=frozenset(item for item in items if by_code[item].reversed),
                min_answered=score.get("min_answered", len(items)),
                scale_min=first.minimum,
                scale_max=first.maximum,
                titles=self.texts(score.get("titles")),
                phrases=self.partial_texts(score.get("phrases")),
            )
        return scores


def build_instrument(doc: dict, checksum: str) -> Instrument:
    """The Instrument of a validated document."""
    building = Building(doc)
    texts = building.texts
    pages = tuple(building.page(page) for page in doc["pages"])
    by_code = {q.code: q for page in pages for q in page.questions}
    consent = doc["consent"]
    analysis = doc.get("analysis", {})
    perception = analysis.get("perception")
    return Instrument(
        key=doc["key"],
        version_label=doc["version"],
        titles=texts(doc["titles"]),
        languages=building.languages,
        rtl_languages=frozenset(doc.get("rtl_languages", ())),
        groups=_groups(doc["groups"], building.languages),
        waves=building.waves,
        pages=pages,
        consent=Consent(
            version=consent["version"],
            texts=texts(consent["texts"]),
            agree_labels=texts(consent["agree"]),
            privacy_texts=texts(consent["privacy"]),
            titles=texts(consent["titles"]),
            privacy_titles=texts(consent["privacy_titles"]),
        ),
        non_response_code=building.non_response_code,
        scores=frozen(building.scores(by_code)),
        perception=(perception["meta"], perception["direct"]) if perception else None,
        ranking_question=analysis.get("ranking"),
        alpha_score=analysis.get("alpha"),
        metadata=_deep_frozen(doc.get("metadata", {})),
        definition=doc,
        checksum=checksum,
        wave_titles=frozen((wave["code"], texts(wave["titles"])) for wave in doc["waves"]),
        non_response_labels=texts(doc["non_response"]["labels"]),
        review=Page(
            code="review",
            titles=texts(doc["review"]["titles"]),
            intros=texts(doc["review"].get("intros")),
            questions=(),
        ),
        neutral_forms=_forms(doc.get("neutral_forms", {}), building.languages),
    )


def _groups(groups: Sequence[dict], languages: tuple[str, ...]) -> tuple[GroupDef, ...]:
    return tuple(
        GroupDef(
            code=group["code"],
            forms=frozen((language, frozen(group["forms"][language])) for language in languages),
            sentence_forms=_forms(group.get("sentence_forms", {}), languages),
        )
        for group in groups
    )


def _forms(by_language: Mapping[str, dict], languages: tuple[str, ...]) -> FrozenDict:
    """Forms given for some languages, in the instrument's language order."""
    return frozen(
        (language, frozen(by_language[language]))
        for language in languages
        if language in by_language
    )


def _deep_frozen(value: Any) -> Any:
    if isinstance(value, dict):
        return frozen((key, _deep_frozen(item)) for key, item in value.items())
    if isinstance(value, list):
        return tuple(_deep_frozen(item) for item in value)
    return value
