"""Workshops, their groups and waves: creation from an instrument, the workshop's details,
wave windows (what opening one now would change is survey.organise.opening).

The changes organisers make (in the console or with the `survey` command) are the functions
that record themselves in the audit log: create_workshop_for, set_wave_window, open_wave_now,
close_wave_now, change_wave_version, set_group_labels, replace_join_code, set_contact and
set_details.
create_workshop, schedule_wave, open_wave and close_wave only change the rows, for callers that
set up data (the demo, tests).
"""

import re
import secrets
from dataclasses import asdict, dataclass, replace
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from survey.audit import record
from survey.extensions import db
from survey.instruments import check_shared_items
from survey.instruments.store import VersionNotFound, version_for
from survey.models import (
    Grant,
    Group,
    InstrumentVersion,
    Participant,
    ParticipantSource,
    Response,
    Role,
    StaffUser,
    Wave,
    WaveState,
    Workshop,
)
from survey.models._types import utcnow
from survey.organise.time_zones import place_zones
from survey.text import one_line
from survey.tokens import refresh_join_code

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")
TITLE_MAX = 200  # characters of a workshop's title, and of its place


class WorkshopError(ValueError):
    """A workshop operation that cannot be done, with a message for the organiser."""


def workshop_by_slug(slug: str) -> Workshop | None:
    """The workshop of this slug, if any."""
    return db.session.scalar(select(Workshop).where(Workshop.slug == slug))


def validate_timezone(name: str) -> str:
    """The name, when it is an IANA time zone of a place; else WorkshopError."""
    if name not in place_zones():
        raise WorkshopError(f"unknown time zone {name!r} (use an IANA name such as Asia/Karachi)")
    return name


@dataclass(frozen=True)
class Details:
    """What describes a workshop and may change once it exists (its slug, in every address and
    command, does not; its groups and waves come from its questionnaire)."""

    title: str
    place: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    timezone: str = "UTC"
    min_cell: int = 5


def checked_details(details: Details) -> Details:
    """The details as stored (title and place on one line), else WorkshopError saying why."""
    title, place = one_line(details.title), one_line(details.place or "") or None  # as the form
    if not title or max(len(title), len(place or "")) > TITLE_MAX:
        raise WorkshopError(f"the title (required) and place have at most {TITLE_MAX} characters")
    if details.starts_on and details.ends_on and details.ends_on < details.starts_on:
        raise WorkshopError("the last day cannot be before the first")
    if details.min_cell < 2:
        raise WorkshopError("the minimum cell size must be at least 2")
    validate_timezone(details.timezone)
    return replace(details, title=title, place=place)


def create_workshop(
    slug: str,
    title: str,
    *,
    instrument_key: str,
    timezone: str = "UTC",
    place: str | None = None,
    min_cell: int = 5,
) -> Workshop:
    """Create a workshop with the instrument's groups and waves (waves not yet open);
    `instrument_key` is a reference, KEY or KEY@N (survey.instruments.store.find)."""
    if not SLUG.match(slug):
        raise WorkshopError("the slug must be 2–63 lower-case letters, digits or hyphens")
    if workshop_by_slug(slug) is not None:
        raise WorkshopError(f"a workshop {slug!r} exists already")
    details = checked_details(Details(title, place, timezone=timezone, min_cell=min_cell))
    try:
        version = version_for(instrument_key)
    except VersionNotFound as error:
        raise WorkshopError(str(error)) from None
    instrument = version.instrument
    workshop = Workshop(
        slug=slug,
        **asdict(details),
        instrument_key=instrument.key,
        linking_key=secrets.token_hex(32),
    )
    db.session.add(workshop)
    for position, group in enumerate(instrument.groups):
        label = group.forms.get("en", {}).get("name", group.code)
        workshop.groups.append(Group(code=group.code, position=position, label=label))
    for position, code in enumerate(instrument.waves):
        workshop.waves.append(Wave(code=code, position=position, instrument_version=version))
    db.session.flush()
    for group in workshop.groups:
        refresh_join_code(group)
    return workshop


def wave_has_responses(wave: Wave) -> bool:
    """Whether anyone has started the wave (its instrument version is then frozen)."""
    return bool(db.session.scalar(select(func.count()).where(Response.wave_id == wave.id)))


def schedule_wave(wave: Wave, opens_at: datetime | None, closes_at: datetime | None) -> None:
    """Set a wave's window (aware datetimes, stored in UTC)."""
    if opens_at and closes_at and closes_at <= opens_at:
        raise WorkshopError("a wave must close after it opens")
    wave.opens_at, wave.closes_at = opens_at, closes_at


def open_wave(wave: Wave) -> None:
    """Open the wave now (see opened_window)."""
    wave.opens_at, wave.closes_at = opened_window(wave, utcnow())


def opened_window(wave: Wave, now: datetime) -> tuple[datetime, datetime | None]:
    """The window a wave has once opened at `now`: it opens now and keeps a closing time that is
    still ahead; a closing time already past is cleared, so the wave stays open until closed
    by hand or given a new closing time.

    Reopening a closed wave therefore clears its closing time rather than keeping it: that time
    is the moment it closed (by its schedule or by Close now), so keeping it would close the
    wave again at once, and no later time was ever chosen for it. Inventing one could close
    the wave on people halfway through; an open wave with no closing time only lasts until an
    organiser closes it (docs/domain.md, "Wave").
    """
    closes = wave.closes_at if wave.closes_at is not None and wave.closes_at > now else None
    return now, closes


def has_been_open(wave: Wave, now: datetime | None = None) -> bool:
    """Whether the wave has been open before: it has closed, or it has responses (it may have
    been rescheduled to open later since)."""
    return wave.state(now) is WaveState.CLOSED or wave_has_responses(wave)


def close_wave(wave: Wave) -> None:
    """Close the wave now (opening it now too if it had not opened yet)."""
    now = utcnow()
    wave.closes_at = now
    if wave.opens_at is None or wave.opens_at > now:
        wave.opens_at = now


def workshops_visible_to(user: StaffUser, role: Role | None = None) -> list[Workshop]:
    """Every workshop for an admin, for others those they hold a role in (this one, if given);
    with their waves."""
    query = select(Workshop).options(selectinload(Workshop.waves))  # the list shows their states
    if not user.is_admin:
        mine = select(Grant.workshop_id).where(Grant.user_id == user.id)
        if role is not None:
            mine = mine.where(Grant.role == role)
        query = query.where(Workshop.id.in_(mine))
    return list(db.session.scalars(query.order_by(Workshop.created_at.desc(), Workshop.slug)))


def create_workshop_for(
    user: StaffUser | None,
    slug: str,
    title: str,
    *,
    starts_on: date | None = None,
    ends_on: date | None = None,
    **options,
) -> Workshop:
    """Create a workshop for a staff member, who (unless admin) becomes its organiser, or from
    the command line (user None); recorded in the audit log."""
    workshop = create_workshop(slug, title, **options)
    workshop.starts_on, workshop.ends_on = starts_on, ends_on
    if user is not None and not user.is_admin:
        db.session.add(Grant(user=user, workshop=workshop, role=Role.ORGANISER))
    record("workshop.create", workshop=workshop, actor=user, detail={"slug": slug})
    return workshop


def set_details(workshop: Workshop, details: Details) -> list[str]:
    """Change the workshop's details, recorded in the audit log with each change (from, to);
    return the names of those that changed. Wave windows keep their moments under a new
    time zone (they are stored in UTC) and are shown in it; the dashboards withhold results by
    the new minimum cell size from their next page on (it is part of their results' key)."""
    wanted = asdict(checked_details(details))
    changed = {
        name: {"from": _plain(getattr(workshop, name)), "to": _plain(value)}
        for name, value in wanted.items()
        if getattr(workshop, name) != value
    }
    for name in changed:
        setattr(workshop, name, wanted[name])
    if changed:
        record("workshop.details", workshop=workshop, detail={"changed": changed})
    return list(changed)


def _plain(value):
    """A detail's value as the audit log's JSON keeps it."""
    return value.isoformat() if isinstance(value, date) else value


def set_wave_window(wave: Wave, opens_at: datetime | None, closes_at: datetime | None) -> None:
    """Set a wave's window (aware datetimes), recorded in the audit log."""
    schedule_wave(wave, opens_at, closes_at)
    detail = {"wave": wave.code, "opens_at": _iso(opens_at), "closes_at": _iso(closes_at)}
    record("wave.schedule", workshop=wave.workshop, detail=detail)


def open_wave_now(wave: Wave) -> None:
    """Open a wave now, recorded in the audit log; a reopening also records the window it
    replaces, which the wave's row no longer keeps."""
    detail = {"wave": wave.code}
    if has_been_open(wave):
        detail |= {"reopened": True, "was": [_iso(wave.opens_at), _iso(wave.closes_at)]}
    open_wave(wave)
    record("wave.open", workshop=wave.workshop, detail=detail)


def close_wave_now(wave: Wave) -> None:
    """Close a wave now, recorded in the audit log."""
    close_wave(wave)
    record("wave.close", workshop=wave.workshop, detail={"wave": wave.code})


def change_wave_version(wave: Wave, version: InstrumentVersion) -> list[Wave]:
    """Give a wave another version of the workshop's instrument, and with it every other wave
    that has no response and uses the same version (a translation corrected before fieldwork
    reaches every wave that asks the text); recorded in the audit log. Returns the waves moved.

    Refused, with the reason, once the wave has a response (its version is then frozen), for
    another instrument, a version without the wave or with other groups, and when an item a
    wave moved shares with a wave that stays would no longer be identical (check_shared_items).
    """
    workshop, current = wave.workshop, wave.instrument_version
    if version.id == current.id:
        raise WorkshopError(f"the {wave.code} wave uses {version.label} already")
    if wave_has_responses(wave):
        raise WorkshopError(
            f"the {wave.code} wave has responses: its version {current.label} is frozen, so that "
            "every answer keeps the question it answered"
        )
    if version.key != workshop.instrument_key:
        raise WorkshopError(f"{version.label} is not a version of {workshop.instrument_key}")
    instrument = version.instrument
    if wave.code not in instrument.waves:
        raise WorkshopError(f"{version.label} has no wave {wave.code}")
    if [g.code for g in instrument.groups] != [g.code for g in workshop.groups]:
        raise WorkshopError(f"{version.label} has other groups than the workshop")
    moving = [wave] + [
        other
        for other in workshop.waves
        if other.id != wave.id
        and other.instrument_version_id == current.id
        and other.code in instrument.waves
        and not wave_has_responses(other)
    ]
    problems = [
        problem
        for moved in moving
        for other in workshop.waves
        if other not in moving
        for problem in check_shared_items(
            other.instrument_version.instrument,
            other.code,
            instrument,
            moved.code,
            labels=(other.instrument_version.label, version.label),
        )
    ]
    if problems:
        raise WorkshopError(
            "the items this wave shares with the other waves must stay identical: "
            + "; ".join(problems)
        )
    for moved in moving:
        moved.instrument_version = version
        record(
            "wave.version",
            workshop=workshop,
            detail={"wave": moved.code, "from": current.label, "to": version.label},
        )
    return moving


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def set_group_labels(workshop: Workshop, labels: dict[str, str]) -> list[str]:
    """Rename groups (by code), recorded in the audit log; return the codes whose label
    changed."""
    changed = []
    for group in workshop.groups:
        label = (labels.get(group.code) or "").strip()
        if not label:
            raise WorkshopError(f"the group {group.code} needs a label")
        if label != group.label:
            group.label = label
            changed.append(group.code)
    if len({g.label.casefold() for g in workshop.groups}) < len(workshop.groups):
        # Roster files may name the group by its label, so two equal labels would be ambiguous.
        raise WorkshopError("two groups cannot have the same label")
    if changed:
        record("groups.labels", workshop=workshop, detail={"groups": changed})
    return changed


def joined_through(group: Group) -> int:
    """How many participants (not withdrawn) joined through the group's join links."""
    return db.session.scalar(
        select(func.count(Participant.id)).where(
            Participant.group_id == group.id,
            Participant.source == ParticipantSource.JOIN,
            Participant.withdrawn_at.is_(None),
        )
    )


def replace_join_code(group: Group) -> str:
    """Give the group a new join code, so that the old join link and posters stop working;
    recorded in the audit log. Returns the new code."""
    code = refresh_join_code(group, replace=True)
    record("groups.join_code", workshop=group.workshop, detail={"group": group.code})
    return code


def set_contact(
    workshop: Workshop, name: str | None, email: str | None, phone: str | None
) -> list[str]:
    """Set the organisers' contact for participants (empty values clear it), recorded in the
    audit log; return the fields that changed."""
    values = {
        "contact_name": (name or "").strip() or None,
        "contact_email": (email or "").strip() or None,
        "contact_phone": (phone or "").strip() or None,
    }
    changed = [key for key, value in values.items() if getattr(workshop, key) != value]
    for key in changed:
        setattr(workshop, key, values[key])
    if changed:
        # The fields, not their values: the audit log keeps no personal data of its own.
        record("workshop.contact", workshop=workshop, detail={"changed": changed})
    return changed
