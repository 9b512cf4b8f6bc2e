"""The response funnel: participants, started and submitted responses per group and wave."""

from datetime import timedelta

from survey.dashboard.reads.funnel import response_funnel
from survey.dashboard.reads.setting import workshop_setting
from survey.extensions import db
from survey.models import ResponseStatus
from survey.models._types import utcnow


def test_funnel_counts_participants_and_responses_per_wave(make):
    ws = make.workshop(open_waves=("pre", "post"))
    pre, post = ws.waves
    a, b, c = (make.participant(ws, "nato") for _ in range(3))
    make.participant(ws, "pakistan")
    make.response(a, pre, {})
    make.response(b, pre, {}, status=ResponseStatus.IN_PROGRESS)
    make.response(a, post, {}, status=ResponseStatus.IN_PROGRESS)
    make.response(c, pre, {})
    c.withdrawn_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    nato, pakistan = response_funnel(workshop_setting(ws))
    assert (nato.group, nato.participants, nato.withdrawn) == ("nato", 2, 1)
    assert nato.started == {"pre": 2, "post": 1}
    assert nato.submitted == {"pre": 1, "post": 0}
    assert (pakistan.participants, pakistan.started, pakistan.submitted) == (
        1,
        {"pre": 0, "post": 0},
        {"pre": 0, "post": 0},
    )
