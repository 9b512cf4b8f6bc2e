"""The match report: submitted responses of the first two waves paired by participant and by
linking code, withdrawn participants left out."""

import itertools

from survey.analysis.results import Matching
from survey.extensions import db
from survey.linking.codes import linking_hashes
from survey.linking.report import match_report
from survey.models import ResponseStatus
from survey.models._types import utcnow
from tests.conftest import sign_in

_ids = itertools.count(1)


def _joined(make, ws, group, parts, waves, status=ResponseStatus.SUBMITTED):
    answers = dict(zip(("mother", "day", "town", "siblings"), parts, strict=True))
    p = make.participant(
        ws, group, public_id=f"J{next(_ids):04d}", linking=linking_hashes(ws, answers)
    )
    for code_ in waves:
        make.response(p, code_, status=status)
    return p


def test_match_report_counts_and_pairs(make):
    ws = make.workshop(open_waves=("pre", "post"))
    invited = make.participant(ws)  # answers both waves with their own link
    for code_ in ("pre", "post"):
        make.response(invited, code_)
    exact_pre = _joined(make, ws, "nato", ("ma", "7", "la", "2"), ["pre"])
    exact_post = _joined(make, ws, "nato", ("MA", "07", "La", "2"), ["post"])
    near_pre = _joined(make, ws, "pakistan", ("sa", "12", "ka", "0"), ["pre"])
    near_post = _joined(make, ws, "pakistan", ("sa", "12", "ka", "1"), ["post"])  # siblings differ
    _joined(make, ws, "nato", ("zz", "1", "qq", "3"), ["pre"])  # pre only
    _joined(make, ws, "nato", ("yy", "2", "pp", "4"), ["post"])  # post only
    _joined(make, ws, "pakistan", ("aa", "3", "bb", "5"), ["pre"])  # a tie: two posts match it
    _joined(make, ws, "pakistan", ("aa", "3", "bb", "5"), ["post"])
    _joined(make, ws, "pakistan", ("aa", "3", "bb", "5"), ["post"])
    unfinished = ResponseStatus.IN_PROGRESS  # not counted
    _joined(make, ws, "nato", ("ma", "7", "la", "2"), ["post"], unfinished)
    wrong_group = _joined(make, ws, "pakistan", ("zz", "1", "qq", "3"), ["post"])
    db.session.commit()

    report = match_report(ws)

    assert set(report.pairs) == {
        (invited.id, invited.id),
        (exact_pre.id, exact_post.id),
        (near_pre.id, near_post.id),
    }
    assert report.counts() == Matching(matched=3, pre_only=1, post_only=2, ambiguous=3)
    assert all(wrong_group.id not in pair for pair in report.pairs)


def test_withdrawn_participants_are_left_out(make):
    ws = make.workshop(open_waves=("pre", "post"))
    pre = _joined(make, ws, "nato", ("ma", "7", "la", "2"), ["pre"])
    _joined(make, ws, "nato", ("ma", "7", "la", "2"), ["post"])
    pre.withdrawn_at = utcnow()
    db.session.commit()
    report = match_report(ws)
    assert report.counts() == Matching(matched=0, pre_only=0, post_only=1, ambiguous=0)


def test_a_workshop_of_one_wave_pairs_nobody(make, client):
    """Each respondent of the only wave counts once, as answering it only; the monitor does
    not offer to match the wave with itself."""
    ws = make.workshop(open_waves=("pre",))
    db.session.delete(ws.wave("post"))
    db.session.commit()
    db.session.refresh(ws)
    make.response(make.participant(ws, "nato"), "pre")
    _joined(make, ws, "nato", ("ma", "7", "la", "2"), ["pre"])
    _joined(make, ws, "nato", ("ma", "7", "la", "2"), ["pre"])
    db.session.commit()
    report = match_report(ws)
    assert report.pairs == ()
    assert report.counts() == Matching(matched=0, pre_only=3, post_only=0, ambiguous=0)
    sign_in(client, make.user(grants={ws: "organiser"}))
    page = client.get(f"/workshops/{ws.slug}/monitor").get_data(as_text=True)
    assert "Matching" not in page
