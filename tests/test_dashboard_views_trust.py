"""The trust page's view: three charts per score, the score items' answers, the thermometer."""

from survey.dashboard.views.trust import trust_view
from tests.dashboard_helpers import results_for


def test_trust_page_has_three_charts_per_score_and_the_score_items(make):
    setting, results = results_for(make)
    view = trust_view(setting, results)
    assert [s.name for s in view.scores] == ["trust", "trust_direct", "warmth", "meta_trust"]
    assert view.scores[0].cells.id == "trust-cells-trust"
    assert view.scores[0].stats is results.stats.scores["trust"]
    items = [c.id for c in view.item_charts.charts]
    assert items[:7] == [f"item-{code}" for code in setting.spec.scores["trust"].items]
    assert items[7:] == ["item-trust_direct", "item-meta_trust"]  # warmth has its own chart
    assert [c.id for c in view.thermometers] == ["thermometer-warmth"]
    assert view.item_charts.charts[0].distribution is results.distributions["trust_commitments"]
