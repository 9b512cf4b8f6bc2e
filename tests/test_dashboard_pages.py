from survey.analysis.results import Matching
from survey.dashboard import pages
from survey.dashboard.data import Filters, load_dataset, response_funnel, workshop_setting
from survey.dashboard.results import compute_results
from tests.dashboard_helpers import populate


def results_for(make):
    ws = make.workshop(open_waves=("pre", "post"))
    populate(ws, 6, seed=3)
    setting = workshop_setting(ws)
    return setting, compute_results(setting, load_dataset(setting), Filters(), Matching())


def test_trust_page_has_three_charts_per_score_and_the_score_items(make):
    setting, results = results_for(make)
    view = pages.trust(setting, results)
    assert [s.name for s in view["scores"]] == ["trust", "trust_direct", "warmth", "meta_trust"]
    assert view["scores"][0].cells.id == "trust-cells-trust"
    assert view["scores"][0].stats is results.stats.scores["trust"]
    items = [c.id for c in view["item_charts"].charts]
    assert items[:7] == [f"item-{code}" for code in setting.spec.scores["trust"].items]
    assert items[7:] == ["item-trust_direct", "item-meta_trust"]  # warmth has its own chart
    assert [c.id for c in view["thermometers"]] == ["thermometer-warmth"]
    assert view["item_charts"].charts[0].distribution is results.distributions["trust_commitments"]


def test_obstacles_page_sets_the_evaluation_apart(make):
    setting, results = results_for(make)
    view = pages.obstacles(setting, results)
    sections = {s.title: [c.id.removeprefix("item-") for c in s.charts] for s in view["sections"]}
    assert sections == {
        "Obstacles": [
            "obstacle_legacy",
            "obstacle_threats",
            "obstacle_public_opinion",
            "obstacle_channels",
            "obstacle_regional",
        ],
        "Outlook": ["optimism", "network_effect", "expect_understanding"],
    }
    evaluation = [c.id.removeprefix("item-") for c in view["evaluation"].charts]
    assert evaluation == ["eval_interests", "eval_differences", "eval_followup", "eval_overall"]


def test_figures_are_built_once_per_results(make):
    setting, results = results_for(make)
    first = pages.perception(setting, results)["perception_chart"].figure
    assert pages.perception(setting, results)["perception_chart"].figure is first
    report = pages.report(setting, results, response_funnel(setting))
    assert set(report) == {"overview", "trust", "perception", "priorities", "obstacles"}
    assert report["perception"]["perception_chart"].figure is first
