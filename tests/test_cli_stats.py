import json

import pytest

from tests.conftest import sign_in
from tests.dashboard_helpers import populate


@pytest.fixture
def workshop(make):
    ws = make.workshop(open_waves=("pre", "post"))
    populate(ws, {"nato": 9, "pakistan": 8}, seed=7, post_share=0.9)
    return ws


def test_json_is_exactly_the_apis(runner, client, make, workshop):
    sign_in(client, make.user(grants={workshop: "researcher"}))
    for args, query in (([], ""), (["--language", "ur"], "?language=ur")):
        result = runner.invoke(args=["stats", workshop.slug, "--json", *args])
        assert result.exit_code == 0, result.output
        api = client.get(f"/api/v1/workshops/{workshop.slug}/stats{query}")
        assert result.output == api.get_data(as_text=True) + "\n"
    assert json.loads(result.output)["filters"] == {"language": "ur"}


def test_summary_is_readable_and_suppressed(runner, make):
    ws = make.workshop(open_waves=("pre", "post"))
    populate(ws, {"nato": 9, "pakistan": 3}, seed=7, post_share=1.0)
    result = runner.invoke(args=["stats", ws.slug])
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith(f"{ws.slug}: {ws.title}\nMinimum cell size 5; filters: none\n")
    assert "Trust (7 statements) (trust): mean [95 % CI] (n)" in out
    assert "NATO · Before the workshop: " in out and "(n = 9)" in out
    assert "Pakistan · Before the workshop: suppressed (n < 5) (n = 3)" in out
    assert "change, NATO: " in out and "Cronbach's alpha" in out
    assert "Priorities: top three by mean rank" in out and "Findings" in out
    filtered = runner.invoke(args=["stats", ws.slug, "--sector", "media"]).output
    assert "filters: sector = media" in filtered


def test_bad_input_is_a_clear_error(runner, workshop):
    missing = runner.invoke(args=["stats", "no-such-workshop"])
    assert missing.exit_code != 0 and "no workshop 'no-such-workshop'" in missing.output
    bad = runner.invoke(args=["stats", workshop.slug, "--sector", "spies"])
    assert bad.exit_code == 2 and "unknown sector 'spies'" in bad.output
