"""The obstacles page's view: scale items by instrument page, the evaluation apart."""

from survey.dashboard.views.obstacles import obstacles_view
from tests.dashboard_helpers import results_for


def test_obstacles_page_sets_the_evaluation_apart(make):
    setting, results = results_for(make)
    view = obstacles_view(setting, results)
    sections = {s.title: [c.id.removeprefix("item-") for c in s.charts] for s in view.sections}
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
    evaluation = [c.id.removeprefix("item-") for c in view.evaluation.charts]
    assert evaluation == ["eval_interests", "eval_differences", "eval_followup", "eval_overall"]
