"""Reminder rounds: the schedule's words, which round is due, and the manual round of a day."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from survey.extensions import db
from survey.mail.errors import MailError
from survey.mail.schedule import (
    add_reminder,
    describe,
    due_reminder,
    due_reminders,
    manual_round,
    next_due,
    remove_reminder,
    round_label,
    wave_schedule,
)
from survey.models import AuditEvent, ReminderAnchor


@pytest.fixture
def wave(app, make):
    ws = make.workshop(timezone="Asia/Karachi")
    wave = ws.wave("pre")
    wave.opens_at = datetime(2014, 5, 1, 4, 0, tzinfo=UTC)  # 09:00 in Karachi
    wave.closes_at = datetime(2014, 5, 8, 4, 0, tzinfo=UTC)
    db.session.commit()
    return wave


def test_rounds_in_words(app, wave):
    after = add_reminder(wave, ReminderAnchor.AFTER_OPENING, 48, now=wave.opens_at)
    before = add_reminder(wave, ReminderAnchor.BEFORE_CLOSING, 30, now=wave.opens_at)
    now = add_reminder(wave, ReminderAnchor.AFTER_OPENING, 0, now=wave.opens_at)
    db.session.commit()
    assert [describe(e) for e in wave_schedule(wave)] == [
        "0 hours after opening",
        "2 days after opening",
        "1 day 6 hours before closing",
    ]
    assert round_label(after.round) == "reminder 2 days after opening"
    assert round_label("") == "invitation"
    assert round_label("manual-2014-05-02") == "reminder sent by hand on 2014-05-02"
    remove_reminder(before)
    db.session.commit()
    assert round_label(f"schedule-{before.id}") == "scheduled reminder (since removed)"
    assert now.due_at() == wave.opens_at
    actions = db.session.scalars(
        select(AuditEvent.detail).where(AuditEvent.action == "mail.schedule")
    )
    assert list(actions)[-1] == {"wave": "pre", "removed": "1 day 6 hours before closing"}


def test_a_round_twice_or_at_closing_time_is_refused(app, wave):
    add_reminder(wave, ReminderAnchor.AFTER_OPENING, 24, now=wave.opens_at)
    with pytest.raises(MailError, match="already has a reminder 1 day after opening"):
        add_reminder(wave, ReminderAnchor.AFTER_OPENING, 24, now=wave.opens_at)
    with pytest.raises(MailError, match="too late"):
        add_reminder(wave, ReminderAnchor.BEFORE_CLOSING, 0, now=wave.opens_at)
    with pytest.raises(MailError, match="between"):
        add_reminder(wave, ReminderAnchor.AFTER_OPENING, -1, now=wave.opens_at)


def test_a_round_after_the_wave_closes_is_refused(app, wave):
    # The wave is open for 7 days: a round 7 days after opening would never be sent.
    with pytest.raises(MailError, match="closes before then: a reminder 7 days after opening"):
        add_reminder(wave, ReminderAnchor.AFTER_OPENING, 7 * 24, now=wave.opens_at)
    assert add_reminder(wave, ReminderAnchor.AFTER_OPENING, 7 * 24 - 1, now=wave.opens_at)
    assert wave_schedule(wave)[0].due_at() < wave.closes_at


def test_a_round_before_the_wave_opens_is_refused(app, wave):
    # Due before the opening, it would go out at once with the invitation.
    with pytest.raises(MailError, match="opens after then: a reminder 7 days before closing"):
        add_reminder(wave, ReminderAnchor.BEFORE_CLOSING, 7 * 24, now=wave.opens_at)
    assert add_reminder(wave, ReminderAnchor.BEFORE_CLOSING, 7 * 24 - 1, now=wave.opens_at)


def test_the_latest_due_round_while_the_wave_is_open(app, wave):
    first = add_reminder(wave, ReminderAnchor.AFTER_OPENING, 24, now=wave.opens_at)
    last = add_reminder(wave, ReminderAnchor.BEFORE_CLOSING, 24, now=wave.opens_at)
    db.session.commit()
    opens = wave.opens_at
    assert due_reminder(wave, opens + timedelta(hours=1)) is None
    assert next_due(wave, opens + timedelta(hours=1)) == opens + timedelta(days=1)
    assert due_reminder(wave, opens + timedelta(days=2)) == first
    assert due_reminder(wave, wave.closes_at - timedelta(hours=1)) == last
    assert next_due(wave, wave.closes_at - timedelta(hours=1)) is None
    assert due_reminder(wave, wave.closes_at) is None  # closed
    assert due_reminders(opens + timedelta(days=2)) == [first]
    assert due_reminders(wave.closes_at + timedelta(days=1)) == []


def test_a_manual_round_is_the_day_in_the_workshops_zone(app, wave):
    late_evening_utc = datetime(2014, 5, 1, 20, 0, tzinfo=UTC)  # 01:00 the next day in Karachi
    assert manual_round(wave, late_evening_utc) == "manual-2014-05-02"


def test_a_round_keeps_the_workshops_time_of_day_across_summer_time(app, make):
    """Paris moves its clocks on 29 March 2026 at 02:00: a wave closing at 18:00 that day has
    its round "1 day before closing" at 18:00 on the 28th (23 hours before, not 24: 17:00),
    and one opening at 09:00 on the 20th its round "9 days after opening" at 09:00 on the
    29th (not 10:00)."""
    wave = make.workshop(timezone="Europe/Paris", open_waves=()).wave("pre")
    wave.opens_at = datetime(2026, 3, 20, 8, 0, tzinfo=UTC)  # 09:00 in Paris (winter time)
    wave.closes_at = datetime(2026, 3, 29, 16, 0, tzinfo=UTC)  # 18:00 in Paris (summer time)
    db.session.commit()
    before = add_reminder(wave, ReminderAnchor.BEFORE_CLOSING, 24, now=wave.opens_at)
    after = add_reminder(wave, ReminderAnchor.AFTER_OPENING, 24 * 9, now=wave.opens_at)
    assert before.due_at() == datetime(2026, 3, 28, 17, 0, tzinfo=UTC)  # 18:00, winter time
    assert after.due_at() == datetime(2026, 3, 29, 7, 0, tzinfo=UTC)  # 09:00, summer time
