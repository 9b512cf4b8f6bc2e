import base64
import hashlib
import re
from dataclasses import fields
from datetime import UTC, datetime
from html import unescape

import pytest

from survey.analysis.results import Matching
from survey.dashboard.filters import Filters
from survey.dashboard.formatting import unbroken
from survey.dashboard.loading import load_dataset
from survey.dashboard.reads.funnel import response_funnel
from survey.dashboard.reads.setting import workshop_setting
from survey.dashboard.results import compute_results
from survey.dashboard.views.perception import perception_view
from survey.dashboard.views.report import inline_asset, report_html, report_view
from survey.dashboard.views.text import free_text
from tests.dashboard_helpers import populate, results_for

WHEN = datetime(2014, 6, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def report_parts(app, make):
    ws = make.workshop(open_waves=("pre", "post"))
    populate(ws, 7, seed=11, text={"hope_text": "<b>Peace</b> & quiet"})
    setting = workshop_setting(ws)
    results = compute_results(setting, load_dataset(setting), Filters(), Matching(matched=5))
    return setting, results, response_funnel(setting)


def inline_scripts(html):
    return re.findall(r"<script>(.*?)</script>", html, flags=re.S)


def test_report_is_self_contained_with_its_own_policy(app, report_parts):
    setting, results, funnel = report_parts
    with app.test_request_context():
        html = report_html(setting, results, funnel, generated_at=WHEN)
    found = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    policy = unescape(found.group(1))
    assert "default-src 'none'" in policy
    scripts = inline_scripts(html)
    assert len(scripts) == 2  # plotly.js and the chart script; the figures are data blocks
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
    assert "plotly.js (basic - minified) v" in scripts[0]
    # Nothing is fetched: no script, style sheet, image or font from anywhere.
    assert not re.search(r"<(script|link|img|iframe)[^>]*\s(src|href)=", html)
    assert "@import" not in html and "url(http" not in html
    assert "Generated 2014-06-02 09:30 UTC" in html


def test_report_holds_every_chart_and_the_findings(app, report_parts):
    setting, results, funnel = report_parts
    with app.test_request_context():
        html = report_html(setting, results, funnel, generated_at=WHEN)
    figures = re.findall(r'data-figure="([^"]+)"', html)
    assert len(figures) == len(set(figures))
    for figure in figures:
        assert f'<script type="application/json" id="{figure}">' in html
    for chart in ("overview-funnel", "trust-cells-trust", "trust-paired-warmth", "item-optimism"):
        assert f'data-figure="{chart}-data"' in html
    assert 'data-figure="perception-gap-data"' in html
    assert 'data-figure="priorities-ranks-data"' in html
    assert 'data-figure="item-eval_overall-data"' in html  # the post-workshop evaluation
    assert 'data-figure="thermometer-warmth-data"' in html
    for sentence in results.stats.findings:
        assert unbroken(sentence).replace("'", "&#39;") in html
    assert "Free text" not in html and "Peace" not in html
    assert "Download the report" not in html  # the page's own form is not part of the file


def test_free_text_only_when_given(app, report_parts):
    setting, results, funnel = report_parts
    texts = free_text(setting, Filters())
    with app.test_request_context():
        html = report_html(setting, results, funnel, generated_at=WHEN, texts=texts)
    assert '<a href="#text">Free text</a>' in html
    assert "&lt;b&gt;Peace&lt;/b&gt; &amp; quiet" in html and "<b>Peace</b>" not in html


def test_inline_assets_refuse_what_would_end_the_element(tmp_path, monkeypatch):
    from survey.dashboard.views import report

    path = tmp_path / "evil.js"
    path.write_text("var a = '</script><script>alert(1)';")
    monkeypatch.setattr(report, "asset_path", lambda name: path)
    with pytest.raises(ValueError):
        inline_asset("js/evil.js")


def test_figures_are_built_once_per_results(make):
    setting, results = results_for(make)
    first = perception_view(setting, results).perception_chart.figure
    assert perception_view(setting, results).perception_chart.figure is first
    report = report_view(setting, results, response_funnel(setting))
    assert {f.name for f in fields(report)} == {"overview", "pages", "themes"}
    assert {f.name for f in fields(report.pages)} == {
        "trust",
        "perception",
        "priorities",
        "obstacles",
    }
    assert report.themes is None  # no codebook named: no theme section
    assert report.pages.perception.perception_chart.figure is first
