"""Participants and responses per group × wave, in one statement, for the monitor and the
dashboards."""

from survey.extensions import db
from survey.models import Participant, Response, ResponseStatus
from survey.models._types import utcnow
from survey.response_counts import WaveCount, response_counts


def test_counts_by_group_and_wave_with_withdrawn_apart(make):
    ws = make.workshop(open_waves=("pre", "post"))
    pre, post = ws.waves
    a, b, gone = (make.participant(ws, "nato", sector="media") for _ in range(3))
    c = make.participant(ws, "pakistan", sector="academia")
    make.response(a, pre, {}, language="ur")
    make.response(a, post, {}, status=ResponseStatus.IN_PROGRESS)
    make.response(b, pre, {})
    make.response(c, pre, {}, language="ur")
    make.response(gone, pre, {})
    gone.withdrawn_at = utcnow()
    db.session.commit()

    counts = response_counts(ws.id)
    assert counts.groups == ("nato", "pakistan") and counts.waves == ("pre", "post")
    assert counts.participants == {"nato": 2, "pakistan": 1}
    assert counts.withdrawn == {"nato": 1, "pakistan": 0}
    assert counts.cell("nato", "pre") == WaveCount(started=2, submitted=2)
    assert counts.cell("nato", "post") == WaveCount(started=1, submitted=0)
    assert counts.cell("pakistan", "post") == WaveCount()  # no response at all
    # Without a condition every submitted response is selected.
    assert counts.selected == {("nato", "pre"): 2, ("nato", "post"): 0, ("pakistan", "pre"): 1}

    urdu = response_counts(ws.id, Response.language == "ur")
    assert urdu.selected[("nato", "pre")] == 1 and urdu.selected[("pakistan", "pre")] == 1
    assert urdu.selected[("nato", "post")] == 0  # in progress: never selected
    media = response_counts(ws.id, Participant.sector == "media")
    assert media.selected[("pakistan", "pre")] == 0
    assert media.cell("pakistan", "pre").submitted == 1


def test_another_workshop_never_leaks_in(make):
    ws, other = make.workshop(), make.workshop()
    make.response(make.participant(other, "nato"), other.waves[0], {})
    counts = response_counts(ws.id)
    assert counts.participants == {"nato": 0, "pakistan": 0}
    assert counts.cells == {} and counts.selected == {}
