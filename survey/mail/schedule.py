"""Reminder rounds: a wave's schedule ("2 days after opening", "1 day before closing"), which
round is due now, and the rounds an organiser starts by hand.

A round is what "at most once" counts: each participant gets at most one reminder per round
(the send log's unique key includes it). A scheduled round is due from its time until the wave
closes, so a participant who becomes a non-respondent later (added to the roster, say) still
gets it; only the latest due round of a wave is sent, so a command that has not run for a while
sends one reminder, not a burst. A round started by hand is the organiser's round of the day
(in the workshop's time zone): pressing the button twice sends nothing more.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select

from survey.audit import record
from survey.extensions import db
from survey.mail.errors import MailError
from survey.models import Invitation, ReminderAnchor, ScheduledReminder, Wave, WaveState
from survey.models._types import utcnow

MANUAL = "manual-"
SCHEDULED = "schedule-"
NEW_LINK = "link-"  # an invitation sent alone with a participant's new link (one per link)
MAX_HOURS = 24 * 365


def manual_round(wave: Wave, now: datetime | None = None) -> str:
    """The round of a reminder started by hand now: one per day in the workshop's zone."""
    local = (now or utcnow()).astimezone(ZoneInfo(wave.workshop.timezone))
    return f"{MANUAL}{local.date().isoformat()}"


def wave_schedule(wave: Wave) -> list[ScheduledReminder]:
    """A wave's scheduled reminders, in the order they fall due."""
    entries = db.session.scalars(
        select(ScheduledReminder).where(ScheduledReminder.wave_id == wave.id)
    ).all()
    after = sorted(
        (e for e in entries if e.anchor is ReminderAnchor.AFTER_OPENING), key=lambda e: e.hours
    )
    before = sorted(
        (e for e in entries if e.anchor is ReminderAnchor.BEFORE_CLOSING), key=lambda e: -e.hours
    )
    return after + before


def describe(entry: ScheduledReminder) -> str:
    """ "2 days after opening", "1 day 6 hours before closing"."""
    days, hours = divmod(entry.hours, 24)
    parts = []
    if days:
        parts.append(f"{days} day{'s' if days != 1 else ''}")
    if hours or not days:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    when = "after opening" if entry.anchor is ReminderAnchor.AFTER_OPENING else "before closing"
    return f"{' '.join(parts)} {when}"


def new_link_round(invitation: Invitation) -> str:
    """The round of the invitation that carries a participant's new link, by the link's issue."""
    return f"{NEW_LINK}{invitation.issue}"


def round_label(round_: str) -> str:
    """What the console calls a round of the send log."""
    if not round_:
        return "invitation"
    if round_.startswith(NEW_LINK):
        return "invitation with a new link"
    if round_.startswith(MANUAL):
        return f"reminder sent by hand on {round_.removeprefix(MANUAL)}"
    entry = _entry(round_)
    return f"reminder {describe(entry)}" if entry else "scheduled reminder (since removed)"


def _entry(round_: str) -> ScheduledReminder | None:
    ident = round_.removeprefix(SCHEDULED)
    return db.session.get(ScheduledReminder, int(ident)) if ident.isdigit() else None


def add_reminder(
    wave: Wave, anchor: ReminderAnchor, hours: int, now: datetime | None = None
) -> ScheduledReminder:
    """Add a round to a wave's schedule, recorded in the audit log (not to a wave closed by
    `now`: no round of it would ever be sent)."""
    if wave.state(now) is WaveState.CLOSED:
        raise MailError(f"the {wave.code} wave has closed: a reminder would never be sent")
    if not 0 <= hours <= MAX_HOURS:
        raise MailError("a reminder's time must be between 0 hours and a year")
    if anchor is ReminderAnchor.BEFORE_CLOSING and hours == 0:
        raise MailError("a reminder at the moment the wave closes would come too late")
    if (outside := _outside_window(wave, anchor, hours)) is not None:
        raise MailError(outside)
    exists = db.session.scalar(
        select(ScheduledReminder).where(
            ScheduledReminder.wave_id == wave.id,
            ScheduledReminder.anchor == anchor,
            ScheduledReminder.hours == hours,
        )
    )
    if exists is not None:
        raise MailError(f"the {wave.code} wave already has a reminder {describe(exists)}")
    entry = ScheduledReminder(wave=wave, anchor=anchor, hours=hours)
    db.session.add(entry)
    detail = {"wave": wave.code, "added": describe(entry)}
    record("mail.schedule", workshop=wave.workshop, detail=detail)
    return entry


def _outside_window(wave: Wave, anchor: ReminderAnchor, hours: int) -> str | None:
    """Why a round at this time would fall outside the wave's window as scheduled, if it would:
    never sent after the closing, or due with the invitation before the opening."""
    opens, closes = wave.opens_at, wave.closes_at
    if opens is None or closes is None:
        return None
    entry = ScheduledReminder(anchor=anchor, hours=hours, wave=wave)  # asked, never added
    wanted, due = describe(entry), entry.due_at()
    if anchor is ReminderAnchor.AFTER_OPENING and due >= closes:
        return (
            f"the {wave.code} wave closes before then: a reminder {wanted} would never be "
            "sent; choose a shorter time or a later closing time"
        )
    if anchor is ReminderAnchor.BEFORE_CLOSING and due <= opens:
        return (
            f"the {wave.code} wave opens after then: a reminder {wanted} would come with the "
            "invitation; choose a shorter time or an earlier opening time"
        )
    return None


def remove_reminder(entry: ScheduledReminder) -> None:
    """Take a round off its wave's schedule, recorded in the audit log."""
    wave = entry.wave
    detail = {"wave": wave.code, "removed": describe(entry)}
    record("mail.schedule", workshop=wave.workshop, detail=detail)
    db.session.delete(entry)


def due_reminder(wave: Wave, now: datetime | None = None) -> ScheduledReminder | None:
    """The wave's latest round that is due now (None while the wave is not open)."""
    now = now or utcnow()
    if not wave.is_open(now):
        return None
    due = [e for e in wave_schedule(wave) if (at := e.due_at()) is not None and at <= now]
    return max(due, key=lambda e: e.due_at(), default=None)


def next_due(wave: Wave, now: datetime | None = None) -> datetime | None:
    """When the wave's next round falls due, if one still will while it is open."""
    now = now or utcnow()
    times = [at for e in wave_schedule(wave) if (at := e.due_at()) is not None and at > now]
    if wave.closes_at is not None:
        times = [at for at in times if at < wave.closes_at]
    return min(times, default=None)


def due_reminders(now: datetime | None = None) -> list[ScheduledReminder]:
    """Each open wave's latest due round, over every workshop."""
    now = now or utcnow()
    waves = db.session.scalars(
        select(Wave)
        .where(
            Wave.id.in_(select(ScheduledReminder.wave_id)),
            Wave.opens_at <= now,
            or_(Wave.closes_at.is_(None), Wave.closes_at > now),
        )
        .order_by(Wave.workshop_id, Wave.position)
    ).all()
    return [entry for wave in waves if (entry := due_reminder(wave, now)) is not None]
