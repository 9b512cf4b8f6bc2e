"""The library of instruments: the shipped files and the stored versions a staff member may see,
each instrument with its versions as lists show them (every one, or the newest few)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import Select, func, or_, select, tuple_
from sqlalchemy.orm import defer, selectinload, undefer_group

from survey.extensions import db
from survey.instruments.loader import shipped_instrument, shipped_instruments
from survey.instruments.model import Instrument
from survey.models import Grant, InstrumentVersion, Role, StaffUser, Wave, Workshop
from survey.models.instruments import LISTED


def listed_versions() -> Select:
    """Versions as lists show them: with what lists show and without their definitions, which
    a version reads when one is used."""
    return select(InstrumentVersion).options(
        undefer_group(LISTED), defer(InstrumentVersion.definition_json)
    )


@dataclass
class LibraryEntry:
    """An instrument in the library: the shipped file (if any) and its stored versions, every
    one or the newest of them (`stored` counts every one)."""

    key: str
    shipped: Instrument | None = None
    versions: list[InstrumentVersion] = field(default_factory=list)  # oldest first
    stored: int = 0
    shipped_stored: bool = False  # the shipped file is one of the stored versions

    @property
    def title(self) -> str:
        """The newest stored version's title, else the shipped file's."""
        if self.versions:
            return self.versions[-1].title
        return self.shipped.title(self.shipped.default_language)


def visible_keys(user: StaffUser | None) -> set[str] | None:
    """The instruments a staff member may see (None: every one, for admins and the command
    line, user None): the shipped ones, those the workshops they organise use, and those they
    stored themselves."""
    if user is None or user.is_admin:
        return None
    organised = (
        select(InstrumentVersion.key)
        .join(Wave, Wave.instrument_version_id == InstrumentVersion.id)
        .join(Workshop, Workshop.id == Wave.workshop_id)
        .join(Grant, Grant.workshop_id == Workshop.id)
        .where(Grant.user_id == user.id, Grant.role == Role.ORGANISER)
    )
    own = select(InstrumentVersion.key).where(InstrumentVersion.created_by_id == user.id)
    keys = set(db.session.scalars(organised.union(own)))
    return keys | set(shipped_instruments())


def may_see(user: StaffUser | None, key: str) -> bool:
    """Whether a staff member may see (and correct) an instrument."""
    keys = visible_keys(user)
    return keys is None or key in keys


def library(
    user: StaffUser | None,
    key: str | None = None,
    *,
    newest: int | None = None,
    whole: str | None = None,
) -> list[LibraryEntry]:
    """The instruments a staff member (None: the command line) may see, by key, each with its
    stored versions; the instrument `key` alone, if given. With `newest`, only that many of each
    instrument's versions are read, the newest, but every version of the instrument `whole`."""
    keys = visible_keys(user)
    entries: dict[str, LibraryEntry] = {}
    for shipped in sorted(shipped_instruments()):
        if (keys is None or shipped in keys) and key in (None, shipped):
            entries[shipped] = LibraryEntry(shipped, shipped=shipped_instrument(shipped))
    ranked = select(
        InstrumentVersion.id,
        func.row_number()
        .over(partition_by=InstrumentVersion.key, order_by=InstrumentVersion.version.desc())
        .label("rank"),
        func.count().over(partition_by=InstrumentVersion.key).label("stored"),
    )
    if keys is not None:
        ranked = ranked.where(InstrumentVersion.key.in_(keys))
    if key is not None:
        ranked = ranked.where(InstrumentVersion.key == key)
    ranked = ranked.subquery()
    query = (
        listed_versions()
        .add_columns(ranked.c.stored)
        .join(ranked, ranked.c.id == InstrumentVersion.id)
        .order_by(InstrumentVersion.key, InstrumentVersion.version)
        # What the library's page shows of each: its reviews and who stored it, read at once.
        .options(
            selectinload(InstrumentVersion.reviews), selectinload(InstrumentVersion.created_by)
        )
    )
    if newest is not None:
        query = query.where(or_(ranked.c.rank <= newest, InstrumentVersion.key == whole))
    for version, stored in db.session.execute(query):
        entry = entries.setdefault(version.key, LibraryEntry(version.key))
        entry.versions.append(version)
        entry.stored = stored
    _mark_shipped_stored(entries.values())
    return sorted(entries.values(), key=lambda entry: entry.key)


def _mark_shipped_stored(entries: Iterable[LibraryEntry]) -> None:
    """Whether each entry's shipped file is stored, among all its versions (not only those
    read): one statement."""
    shipped = {entry.key: entry for entry in entries if entry.shipped is not None}
    pairs = [(entry.key, entry.shipped.checksum) for entry in shipped.values() if entry.stored]
    if not pairs:
        return
    found = select(InstrumentVersion.key).where(
        tuple_(InstrumentVersion.key, InstrumentVersion.checksum).in_(pairs)
    )
    for stored_key in db.session.scalars(found):
        shipped[stored_key].shipped_stored = True
