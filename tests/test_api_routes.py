import json

import pytest

from tests.conftest import sign_in
from tests.dashboard_helpers import populate

STAT_KEYS = {"n", "suppressed", "reason"}


def reject_constant(name):
    raise AssertionError(f"{name} in JSON")


def stats_url(ws, query=""):
    return f"/api/v1/workshops/{ws.slug}/stats{query}"


@pytest.fixture
def workshop(make):
    ws = make.workshop(open_waves=("pre", "post"))
    populate(ws, {"nato": 12, "pakistan": 10}, seed=6, post_share=0.9)
    return ws


def test_anonymous_gets_401_json(client, workshop):
    response = client.get(stats_url(workshop))
    assert response.status_code == 401
    assert response.is_json and response.json["status"] == 401


def test_staff_without_a_grant_gets_403_json(client, make, workshop):
    sign_in(client, make.user(grants={make.workshop(): "organiser"}))
    response = client.get(stats_url(workshop))
    assert response.status_code == 403 and response.is_json
    assert client.get("/api/v1/workshops/none/stats").status_code == 404


@pytest.mark.parametrize("role", ["organiser", "researcher", "admin"])
def test_the_json_has_the_shape_of_design_section_8(client, make, workshop, role):
    sign_in(
        client, make.user(admin=True) if role == "admin" else make.user(grants={workshop: role})
    )
    response = client.get(stats_url(workshop))
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "no-store" in response.headers["Cache-Control"]
    body = json.loads(response.get_data(as_text=True), parse_constant=reject_constant)
    assert list(body) == [
        "workshop",
        "min_cell",
        "filters",
        "scores",
        "alpha",
        "priorities",
        "perception",
        "asymmetry",
        "matching",
        "findings",
        "themes",
    ]
    assert body["themes"]["themes"] == []  # no codebook yet
    assert [q["question"] for q in body["themes"]["questions"]] == [
        "hope_text",
        "takeaway_text",
        "view_change_text",
    ]
    assert (body["workshop"], body["min_cell"], body["filters"]) == (workshop.slug, 5, {})
    assert list(body["scores"]) == ["trust", "trust_direct", "warmth", "meta_trust"]
    for score in body["scores"].values():
        assert set(score) == {"cells", "paired", "group_by_time"}
        for cell in score["cells"]:
            assert {"group", "wave", "mean", "sd", "median", "ci_low", "ci_high"} | STAT_KEYS <= (
                set(cell)
            )
        for pair in score["paired"]:
            assert {
                "group",
                "mean_change",
                "ci_low",
                "ci_high",
                "sd_change",
                "dz",
                "t",
                "t_p",
                "n_zero",
                "wilcoxon_w",
                "wilcoxon_p",
                "w_plus",
                "rank_biserial",
            } | STAT_KEYS <= set(pair)
        assert {
            "did",
            "did_ci_low",
            "did_ci_high",
            "welch_t",
            "welch_p",
            "mannwhitney_u",
            "mannwhitney_p",
        } | STAT_KEYS <= set(score["group_by_time"])
    assert all({"group", "wave", "alpha"} | STAT_KEYS <= set(a) for a in body["alpha"])
    priorities = body["priorities"]
    assert set(priorities) >= {
        "items",
        "cells",
        "agreement",
        "convergence",
        "shared_top3",
        "largest_differences",
    }
    assert priorities["items"][0] == "counter_terrorism"
    assert set(priorities["cells"][0]["mean_rank"]) == set(priorities["items"])
    assert all(
        {"group", "wave", "meta_trust_mean", "other_trust_mean", "gap"} | STAT_KEYS <= set(o)
        for o in body["perception"]
    )
    assert all({"wave", "value"} | STAT_KEYS <= set(o) for o in body["asymmetry"])
    assert set(body["matching"]) == {"matched", "pre_only", "post_only", "ambiguous"}
    assert body["findings"] and all(isinstance(s, str) for s in body["findings"])


def test_filters_come_as_query_parameters(client, make, workshop):
    sign_in(client, make.user(grants={workshop: "researcher"}))
    body = client.get(stats_url(workshop, "?sector=media&experience=")).json
    assert body["filters"] == {"sector": "media"}
    # 12 NATO participants cycle three sectors: 4 in media, under min_cell.
    nato_pre = body["scores"]["trust"]["cells"][0]
    assert nato_pre["suppressed"] and nato_pre["mean"] is None and nato_pre["n"] == 4
    assert nato_pre["reason"] == "suppressed"
    for query in (
        "?sector=spies",
        "?language=xx",
        "?experience=%3Cscript%3E",
        "?sectr=media",  # a misspelt filter: never the unfiltered numbers
        "?Sector=media",
        "?sector=media&page=2",
    ):
        response = client.get(stats_url(workshop, query))
        assert response.status_code == 400 and response.is_json
        assert "unknown" in response.json["detail"]


def test_an_empty_workshop_is_all_nulls_never_nan(client, make):
    ws = make.workshop(open_waves=("pre", "post"))
    sign_in(client, make.user(grants={ws: "organiser"}))
    body = json.loads(
        client.get(stats_url(ws)).get_data(as_text=True), parse_constant=reject_constant
    )
    cell = body["scores"]["trust"]["cells"][0]
    assert (cell["n"], cell["mean"], cell["reason"]) == (0, None, "undefined")
    assert body["matching"] == {"matched": 0, "pre_only": 0, "post_only": 0, "ambiguous": 0}
    assert body["findings"] == []
