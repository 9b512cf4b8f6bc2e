"""The self-contained report: one HTML file with every chart, table and finding, plotly.js and
the chart script inlined, that opens offline (the venue's network may be closed) and can be
attached to the workshop report.

The file carries its own Content-Security-Policy: scripts only by the hashes of the two inline
scripts, nothing fetched from anywhere. The figure data sits in <script type="application/json">
blocks, which are never executed; so even a label that escaped escaping could not run.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import render_template
from markupsafe import Markup

from survey.assets.routes import asset_path
from survey.dashboard.cache import kept
from survey.dashboard.filters import described_filters
from survey.dashboard.formatting import number, p_value, suppressed_note
from survey.dashboard.reads.funnel import FunnelRow
from survey.dashboard.results import Results
from survey.dashboard.setting import Setting
from survey.dashboard.views.obstacles import ObstaclesView, obstacles_view
from survey.dashboard.views.overview import OverviewView, overview_view
from survey.dashboard.views.parts import pages_of
from survey.dashboard.views.perception import PerceptionView, perception_view
from survey.dashboard.views.priorities import PrioritiesView, priorities_view
from survey.dashboard.views.text import TextBlock
from survey.dashboard.views.themes import ThemesView, themes_view
from survey.dashboard.views.trust import TrustView, trust_view

STYLES = ("css/app.css", "css/staff.css", "css/dashboard.css")
# plotly.js with only the trace types the charts use (survey/static/vendor/plotly/README.md):
# pages load it, the report carries it.
PLOTLY = "vendor/plotly/plotly-basic.min.js"


@dataclass(frozen=True)
class PageViews:
    """The pages drawn from the results (all but the overview and the free text); a page the
    instrument does not declare is None."""

    trust: TrustView
    perception: PerceptionView | None
    priorities: PrioritiesView | None
    obstacles: ObstaclesView


@dataclass(frozen=True)
class ReportView:
    """Every page but the free text, for the self-contained report."""

    overview: OverviewView
    pages: PageViews
    themes: ThemesView | None = None  # the theme shares, when the results carry them


def every_page_view(setting: Setting, results: Results) -> PageViews:
    """The view of every page the instrument declares (drawing every figure of the results)."""
    return PageViews(
        trust=trust_view(setting, results),
        perception=perception_view(setting, results) if setting.declares("perception") else None,
        priorities=priorities_view(setting, results) if setting.declares("priorities") else None,
        obstacles=obstacles_view(setting, results),
    )


def report_view(
    setting: Setting,
    results: Results,
    funnel: Sequence[FunnelRow],
    language: str | None = None,
    themes: Mapping[str, str] | None = None,
) -> ReportView:
    """Everything the pages show, for the self-contained report; the theme shares when
    `themes` names the codebook's themes."""
    return ReportView(
        overview=overview_view(setting, results, funnel, language),
        pages=every_page_view(setting, results),
        themes=themes_view(setting, results, themes) if themes else None,
    )


def _inline(path: Path) -> tuple[str, str]:
    """A file's text and the CSP hash of it as the content of an inline element."""
    text = path.read_text(encoding="utf-8")
    if "</script" in text.lower():  # would end the inline element early
        raise ValueError(f"{path} cannot be inlined")
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return text, f"'sha256-{digest}'"


def inline_asset(name: str) -> tuple[Markup, str]:
    """An asset's content, safe to put between <script> or <style> tags, and its CSP hash."""
    path = asset_path(name)
    key = (path, path.stat().st_mtime)  # a file changed on disk is read again
    text, digest = kept(lambda cache: cache.assets, key, lambda: _inline(path))
    return Markup(text), digest  # noqa: S704 (our own asset files, checked above)


def report_html(
    setting: Setting,
    results: Results,
    funnel: Sequence[FunnelRow],
    *,
    generated_at: datetime,
    texts: list[TextBlock] | None = None,
    language: str | None = None,
    themes: Mapping[str, str] | None = None,
) -> str:
    """The report as one HTML document, its headline and findings in `language`; free text
    only when `texts` is given, the theme shares when `themes` names the codebook's themes."""
    plotly_js, plotly_hash = inline_asset(PLOTLY)
    chart_js, chart_hash = inline_asset("js/dashboard.js")
    styles = Markup("\n").join(inline_asset(name)[0] for name in STYLES)
    policy = "; ".join(
        (
            "default-src 'none'",
            f"script-src {plotly_hash} {chart_hash}",
            # plotly.js sets styles at run time; <style> holds the report's own CSS.
            "style-src 'unsafe-inline'",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        )
    )
    return render_template(
        "dashboard/report.html",
        setting=setting,
        labels=setting.labels,
        results=results,
        filtered_by=described_filters(results.filters, setting.instrument),
        stats=results.stats,
        views=report_view(setting, results, funnel, language, themes),
        pages=pages_of(setting),
        texts=texts,
        generated_at=generated_at,
        policy=policy,
        plotly_js=plotly_js,
        chart_js=chart_js,
        styles=styles,
        num=number,
        pvalue=p_value,
        suppressed_note=suppressed_note,
    )
