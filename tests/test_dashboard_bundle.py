"""The light chart bundle: plotly.js with only the trace types the charts draw, vendored with its
version and licence, at most 1.5 MB for a dashboard page's scripts and 2 MB for the demo's
report."""

import json
import re
from pathlib import Path

import plotly.offline

from survey.assets.routes import STATIC
from survey.dashboard.views.report import PLOTLY
from survey.demo.workshop import seed_demo
from survey.organise.workshops import workshop_by_slug
from tests.conftest import sign_in
from tests.dashboard_helpers import populate

SCRIPT_BUDGET = 1_500_000
REPORT_BUDGET = 2_000_000
# The trace types of the partial bundle (survey/static/vendor/plotly/README.md).
BUNDLED_TRACES = {"scatter", "bar", "pie"}
PAGES = ("", "/trust", "/perception", "/priorities", "/obstacles", "/text")


def test_the_vendored_bundle_is_the_plotly_js_the_figures_are_built_for():
    bundle = STATIC / PLOTLY
    head = bundle.read_text(encoding="utf-8")[:200]
    version = plotly.offline.get_plotlyjs_version()
    assert f"plotly.js (basic - minified) v{version}\n" in head
    folder = Path(bundle).parent
    assert "MIT License" in (folder / "LICENSE").read_text(encoding="utf-8")
    note = (folder / "README.md").read_text(encoding="utf-8")
    assert f"**{version}**" in note and "plotly.js-basic-dist-min" in note


def test_every_page_loads_at_most_15_mb_of_script_and_draws_only_bundled_traces(client, make):
    ws = make.workshop(open_waves=("pre", "post"))
    populate(ws, 8, seed=2, text={"hope_text": "ok"})
    sign_in(client, make.user(grants={ws: "organiser"}))
    for page in PAGES:
        html = client.get(f"/workshops/{ws.slug}/dashboard{page}").get_data(as_text=True)
        scripts = re.findall(r'<script src="([^"]+)"', html)
        assert any("plotly-basic.min." in src for src in scripts), page
        total = 0
        for src in scripts:
            with client.get(src) as response:
                assert response.status_code == 200
                total += len(response.data)
        assert total <= SCRIPT_BUDGET, (page, total)
        assert trace_types(html) <= BUNDLED_TRACES, page


def trace_types(html: str) -> set[str]:
    """The trace types of every figure embedded in a page."""
    blocks = re.findall(
        r'<script type="application/json" id="[^"]+-data">(.*?)</script>', html, re.S
    )
    return {trace.get("type", "scatter") for b in blocks for trace in json.loads(b)["data"]}


def test_the_demo_report_carries_the_same_bundle_in_at_most_2_mb(app, client, make):
    assert seed_demo() is True
    demo = workshop_by_slug("demo")
    sign_in(client, make.user(grants={demo: "organiser"}))
    response = client.get("/workshops/demo/dashboard/report.html?include_text=1")
    assert response.status_code == 200
    assert len(response.data) <= REPORT_BUDGET, len(response.data)
    html = response.get_data(as_text=True)
    bundle = (STATIC / PLOTLY).read_text(encoding="utf-8")
    assert bundle in html
    assert trace_types(html) <= BUNDLED_TRACES
