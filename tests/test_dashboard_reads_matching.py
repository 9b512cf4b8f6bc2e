"""The match report as the dashboards read it: counts, and links that make two participants one."""

from survey.analysis.results import Matching
from survey.dashboard.loading import load_dataset
from survey.dashboard.reads.matching import matching
from survey.dashboard.reads.setting import workshop_setting
from survey.extensions import db
from survey.linking import linking_hashes
from tests.dashboard_helpers import populate


def test_matching_counts_come_from_the_match_report(make):
    ws = make.workshop(open_waves=("pre", "post"))
    populate(ws, 6, post_share=0.5, seed=3)
    counts = matching(ws)[0]
    assert set(counts.as_dict()) == {"matched", "pre_only", "post_only", "ambiguous"}
    data = load_dataset(workshop_setting(ws))
    post = sum(r.wave == "post" for r in data.respondents)
    assert counts.matched == post
    assert counts.pre_only == 12 - post


def test_the_linking_code_pairs_people_who_lost_their_link(make):
    ws = make.workshop(open_waves=("pre", "post"))
    pre, post = ws.waves
    code = linking_hashes(ws, {"mother": "Amina", "day": "7", "town": "Lahore", "siblings": "2"})
    first = make.participant(ws, "pakistan")
    again = make.participant(ws, "pakistan")  # enrolled anew for the second wave
    stranger = make.participant(ws, "pakistan")
    for participant in (first, again):
        for column, value in code.items():
            setattr(participant, column, value)
    db.session.commit()
    make.response(first, pre, {"warmth": 40})
    make.response(again, post, {"warmth": 60})
    make.response(stranger, post, {"warmth": 90})
    counts, links = matching(ws)
    assert counts == Matching(matched=1, pre_only=0, post_only=1, ambiguous=0)
    assert links == {again.id: first.id}
    data = load_dataset(workshop_setting(ws), links)
    assert sorted((r.participant, r.wave) for r in data.respondents) == sorted(
        [(first.public_id, "pre"), (first.public_id, "post"), (stranger.public_id, "post")]
    )
    # Without the links each response stands alone.
    assert {r.participant for r in load_dataset(workshop_setting(ws)).respondents} == {
        first.public_id,
        again.public_id,
        stranger.public_id,
    }
