"""Instrument versions in the database: storing a definition as a new immutable version, finding
a version by its reference (`KEY` or `KEY@N`), importing a file, corrections saved from the
translation review, and marking a language reviewed (what a staff member may see of them:
survey.instruments.library).

A stored version never changes: a correction, like an import, stores a new version, and
storing a definition that is already stored finds that version instead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from survey.audit import record
from survey.extensions import db
from survey.instruments.building import build_instrument
from survey.instruments.diff import Change, classified_changes
from survey.instruments.library import listed_versions, may_see
from survey.instruments.loader import (
    checksum,
    definition_from_file,
    shipped_instrument,
    shipped_instruments,
)
from survey.instruments.model import Instrument
from survey.instruments.problems import InstrumentError
from survey.instruments.texts import named_by_text, translated_texts, with_corrections
from survey.instruments.validation import validation_findings
from survey.models import InstrumentVersion, StaffUser, TranslationReview, VersionOrigin
from survey.models._types import utcnow

#: `KEY` or `KEY@N`: an instrument's key, and the number of a stored version.
REFERENCE = re.compile(r"^(?P<key>[a-z0-9][a-z0-9-]{0,99})(?:@(?P<version>[0-9]{1,9}))?$")


class VersionNotFound(LookupError):
    """No instrument answers to a reference; the message says so for people."""


@dataclass(frozen=True)
class Found:
    """An instrument found by reference: its definition, and its stored version (None: the
    shipped file, not stored yet)."""

    instrument: Instrument
    version: InstrumentVersion | None

    @property
    def label(self) -> str:
        """KEY@N for a stored version, KEY (shipped) for the file."""
        if self.version is not None:
            return self.version.label
        return f"{self.instrument.key} (shipped)"


def parse_reference(reference: str) -> tuple[str, int | None]:
    """(key, version number or None) of `KEY[@N]`; VersionNotFound for anything else."""
    match = REFERENCE.match(reference.strip())
    if match is None:
        raise VersionNotFound(f"{reference!r} is not an instrument reference such as KEY or KEY@2")
    number = match["version"]
    return match["key"], int(number) if number else None


def stored_version(key: str, number: int) -> InstrumentVersion | None:
    """The stored version `key@number`, if any."""
    return db.session.scalar(
        select(InstrumentVersion).where(
            InstrumentVersion.key == key, InstrumentVersion.version == number
        )
    )


def versions_of(key: str) -> list[InstrumentVersion]:
    """The stored versions of an instrument, oldest first (a definition is read when used)."""
    return list(
        db.session.scalars(
            listed_versions()
            .where(InstrumentVersion.key == key)
            .order_by(InstrumentVersion.version)
        )
    )


def find(reference: str) -> Found:
    """The instrument a reference names: `KEY@N` the stored version N; `KEY` the shipped file
    of that key when there is one, else its newest stored version. VersionNotFound if none."""
    key, number = parse_reference(reference)
    if number is not None:
        version = stored_version(key, number)
        if version is None:
            raise VersionNotFound(f"no stored version {key}@{number}")
        return Found(version.instrument, version)
    if key in shipped_instruments():
        instrument = shipped_instrument(key)
        return Found(instrument, _stored_as(instrument))
    versions = versions_of(key)
    if not versions:
        raise VersionNotFound(f"no instrument {key!r}")
    return Found(versions[-1].instrument, versions[-1])


def _stored_as(instrument: Instrument) -> InstrumentVersion | None:
    return db.session.scalar(
        select(InstrumentVersion).where(
            InstrumentVersion.key == instrument.key,
            InstrumentVersion.checksum == instrument.checksum,
        )
    )


def store(
    instrument: Instrument,
    *,
    origin: VersionOrigin = VersionOrigin.SHIPPED,
    user: StaffUser | None = None,
    based_on: InstrumentVersion | None = None,
    filename: str | None = None,
) -> tuple[InstrumentVersion, bool]:
    """The stored version with this exact definition, or a new one numbered after the newest
    of its key; and whether it is new."""
    existing = _stored_as(instrument)
    if existing is not None:
        return existing, False
    for _attempt in range(3):
        latest = db.session.scalar(
            select(func.max(InstrumentVersion.version)).where(
                InstrumentVersion.key == instrument.key
            )
        )
        version = InstrumentVersion(
            key=instrument.key,
            version=(latest or 0) + 1,
            checksum=instrument.checksum,
            # Key order is meaning (pages, scores): keep the file's order, not a sorted one.
            definition_json=json.dumps(instrument.definition, ensure_ascii=False),
            title=instrument.title(instrument.default_language),
            version_label=instrument.version_label,
            languages=" ".join(instrument.languages),
            origin=origin,
            created_by=user,
            based_on=based_on,
            filename=filename,
        )
        try:
            with db.session.begin_nested():  # another import may take the number first
                db.session.add(version)
        except IntegrityError:
            existing = _stored_as(instrument)
            if existing is not None:
                return existing, False
            continue
        return version, True
    raise InstrumentError([f"{instrument.key}: could not store a new version; try again"])


def version_for(reference: str) -> InstrumentVersion:
    """The stored version a reference names, storing the shipped file first if need be (a
    workshop's waves point at stored versions)."""
    found = find(reference)
    if found.version is not None:
        return found.version
    return store(found.instrument)[0]


@dataclass
class ImportCheck:
    """What importing a file would do, as the check page shows it before anything is stored."""

    filename: str
    problems: list[str] = field(default_factory=list)
    instrument: Instrument | None = None
    existing: InstrumentVersion | None = None  # the same definition, stored already
    previous: InstrumentVersion | None = None  # the newest stored version of its key
    changes: list[Change] = field(default_factory=list)  # from `previous`

    @property
    def valid(self) -> bool:
        return not self.problems

    @property
    def next_label(self) -> str:
        """KEY@N the import would store."""
        number = self.previous.version + 1 if self.previous else 1
        return f"{self.instrument.key}@{number}"


def check_import(
    data: bytes, filename: str, user: StaffUser | None, *, source: str | None = None
) -> ImportCheck:
    """Check a file to import (nothing is stored): its problems (prefixed with `source`, by
    default the file name), else what storing it would do and how it differs from the newest
    stored version of its key."""
    check = ImportCheck(filename)
    try:
        definition = definition_from_file(data, source or filename)
    except InstrumentError as error:
        check.problems = error.problems
        return check
    instrument = build_instrument(definition, checksum(definition))
    versions = versions_of(instrument.key)
    if versions and not may_see(user, instrument.key):
        check.problems = [
            f"{filename}: the key {instrument.key!r} belongs to an instrument of other "
            "workshops: give the form another form_id (key)"
        ]
        return check
    check.instrument = instrument
    check.existing = _stored_as(instrument)
    check.previous = versions[-1] if versions else None
    if check.previous is not None:
        check.changes = classified_changes(check.previous.instrument.definition, definition)
    return check


def store_import(check: ImportCheck, *, user: StaffUser | None) -> tuple[InstrumentVersion, bool]:
    """Store the instrument of a valid check as a new version (or find it stored already),
    recorded in the audit log; returns the version and whether it is new."""
    version, new = store(
        check.instrument, origin=VersionOrigin.IMPORTED, user=user, filename=check.filename
    )
    if new:
        db.session.flush()
        record(
            "instrument.import",
            actor=user,
            detail={"version": version.label, "file": check.filename},
        )
    return version, new


def import_file(
    data: bytes, filename: str, *, source: str | None = None, user: StaffUser | None = None
) -> tuple[InstrumentVersion, bool]:
    """Check a file (YAML, JSON or XLSForm) and store its instrument as a new version;
    InstrumentError listing every problem, and nothing stored, if it is not valid."""
    check = check_import(data, filename, user, source=source)
    if not check.valid:
        raise InstrumentError(check.problems)
    return store_import(check, user=user)


def save_corrections(
    found: Found, corrections: Mapping[tuple[str, str], str], *, user: StaffUser | None
) -> tuple[InstrumentVersion | None, list[str]]:
    """Store the texts corrected in the review as a new version based on `found` (which never
    changes): (the new version, []), or (None, problems) when the corrected document is not
    valid, or (None, []) when nothing changed. Reviews of languages whose texts did not
    change carry over."""
    base = found.instrument
    definition = with_corrections(base.definition, corrections)
    if definition == base.definition:
        return None, []
    findings = validation_findings(definition)
    if findings:
        return None, named_by_text(definition, findings)
    based_on = found.version or store(base)[0]
    instrument = build_instrument(definition, checksum(definition))
    version, _new = store(instrument, origin=VersionOrigin.CORRECTED, user=user, based_on=based_on)
    db.session.flush()
    changed = {language for (_text, language), new in corrections.items()}
    for review in based_on.reviews:
        unchanged = review.language not in changed or _same_language(
            base.definition, definition, review.language
        )
        if unchanged and not any(r.language == review.language for r in version.reviews):
            version.reviews.append(
                TranslationReview(
                    language=review.language,
                    reviewer_id=review.reviewer_id,
                    reviewer_email=review.reviewer_email,
                    reviewed_at=review.reviewed_at,
                )
            )
    record(
        "instrument.correct",
        actor=user,
        detail={"version": version.label, "based_on": based_on.label},
    )
    return version, []


def _same_language(before: Mapping, after: Mapping, language: str) -> bool:
    def texts(document: Mapping) -> list:
        return [text.texts.get(language) for text in translated_texts(document)]

    return texts(before) == texts(after)


def mark_reviewed(version: InstrumentVersion, language: str, user: StaffUser) -> TranslationReview:
    """Record that `user` has reviewed a language of a version (again, if they had already),
    in the audit log too."""
    review = next((r for r in version.reviews if r.language == language), None)
    if review is None:
        review = TranslationReview(language=language, reviewer_email=user.email)
        version.reviews.append(review)
    review.reviewer_id, review.reviewer_email, review.reviewed_at = user.id, user.email, utcnow()
    record(
        "instrument.review",
        actor=user,
        detail={"version": version.label, "language": language},
    )
    return review
