"""The dashboards' view of a workshop: its analysis spec and labels, from its instrument."""

from survey.dashboard.reads.setting import workshop_setting
from survey.extensions import db
from tests.dashboard_helpers import TRUST_ITEMS


def test_setting_follows_the_instrument_and_the_workshop(make):
    ws = make.workshop(open_waves=("pre", "post"))
    ws.group("nato").label = "North Atlantic"
    db.session.commit()
    setting = workshop_setting(ws)
    spec = setting.spec
    assert spec.groups == ("nato", "pakistan")
    assert spec.waves == ("pre", "post")
    # Questionnaire order, whatever order the stored definition's keys come back in.
    assert list(spec.scores) == ["trust", "trust_direct", "warmth", "meta_trust"]
    assert spec.scores["trust"].items == TRUST_ITEMS
    assert spec.scores["trust"].reversed == {"trust_agenda", "trust_exploit"}
    assert spec.scores["trust"].min_answered == 5
    assert spec.scores["warmth"].scale_max == 100
    assert spec.alpha_score == "trust"
    assert spec.perception == ("meta_trust", "trust_direct")
    assert spec.ranking_items[0] == "counter_terrorism" and len(spec.ranking_items) == 8
    assert spec.min_cell == ws.min_cell and spec.non_response == -9
    assert spec.group_labels["nato"] == "North Atlantic"
    assert setting.labels.questions["trust_commitments"] == (
        "The other side keeps the commitments it makes to their side."
    )
    assert "sector" not in setting.numeric and "warmth" in setting.numeric
