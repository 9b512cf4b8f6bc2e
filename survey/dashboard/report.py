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
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from pathlib import Path

from flask import render_template
from markupsafe import Markup

from survey.assets.routes import asset_path
from survey.dashboard import pages
from survey.dashboard.charts import number, p_value
from survey.dashboard.data import FunnelRow, Setting
from survey.dashboard.freetext import TextBlock
from survey.dashboard.results import Results

STYLES = ("css/app.css", "css/dashboard.css")


@cache
def _inline(path: Path, mtime: float) -> tuple[str, str]:
    """A file's text and the CSP hash of it as the content of an inline element."""
    text = path.read_text(encoding="utf-8")
    if "</script" in text.lower():  # would end the inline element early
        raise ValueError(f"{path} cannot be inlined")
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return text, f"'sha256-{digest}'"


def inline_asset(name: str) -> tuple[Markup, str]:
    """An asset's content, safe to put between <script> or <style> tags, and its CSP hash."""
    path = asset_path(name)
    text, digest = _inline(path, path.stat().st_mtime)
    return Markup(text), digest  # noqa: S704 (our own asset files, checked above)


def report_html(
    setting: Setting,
    results: Results,
    funnel: Sequence[FunnelRow],
    *,
    generated_at: datetime,
    texts: list[TextBlock] | None = None,
) -> str:
    """The report as one HTML document; free text only when `texts` is given."""
    plotly_js, plotly_hash = inline_asset("js/plotly.min.js")
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
        filters=results.filters,
        stats=results.stats,
        views=pages.report(setting, results, funnel),
        texts=texts,
        generated_at=generated_at,
        policy=policy,
        plotly_js=plotly_js,
        chart_js=chart_js,
        styles=styles,
        num=number,
        pvalue=p_value,
    )
