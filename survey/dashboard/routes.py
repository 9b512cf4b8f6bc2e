"""Dashboard pages and the report download, for the workshop's organisers and researchers."""

from __future__ import annotations

from flask import Blueprint, abort, make_response, render_template, request, url_for

from survey.analysis.records import FILTER_KEYS
from survey.audit import record
from survey.auth.access import can_access, workshop_role_required
from survey.dashboard.cache import workshop_funnel, workshop_results
from survey.dashboard.filters import filter_choices
from survey.dashboard.formatting import number, p_value
from survey.dashboard.forms import FilterForm, TextFilterForm
from survey.dashboard.reads.setting import workshop_setting
from survey.dashboard.reads.signature import data_signature
from survey.dashboard.reads.text import TEXT_PAGE
from survey.dashboard.reads.themes import theme_labels
from survey.dashboard.reads.transaction import start_reading
from survey.dashboard.views.obstacles import obstacles_view
from survey.dashboard.views.overview import overview_view
from survey.dashboard.views.parts import PAGES
from survey.dashboard.views.perception import perception_view
from survey.dashboard.views.priorities import priorities_view
from survey.dashboard.views.report import report_html
from survey.dashboard.views.text import (
    free_text,
    page_count,
    text_choices,
    text_pager,
    workshop_free_text,
)
from survey.dashboard.views.themes import themes_view
from survey.dashboard.views.trust import trust_view
from survey.models import Role, Workshop
from survey.models._types import utcnow
from survey.security import relax_style_src

bp = Blueprint("dashboard", __name__, url_prefix="/workshops/<slug>/dashboard")

VIEWERS = (Role.ORGANISER, Role.RESEARCHER)
REPORT_ACTION = "report.download"
MAX_TEXT_PAGE = 100_000  # keeps the page's offset a small number whatever the address says


def _render(workshop: Workshop, page: str, view, setting, form, filters, results=None, **extra):
    # plotly.js adds a <style> element and sets style attributes while it draws; style-src
    # 'self' would block them (console errors, unstyled hover labels and mode bar). Scripts
    # stay 'self' only.
    relax_style_src("'self' 'unsafe-inline'")
    return render_template(
        f"dashboard/{page}.html",
        workshop=workshop,
        page=page,
        pages=PAGES,
        view=view,
        setting=setting,
        labels=setting.labels,
        form=form,
        filters=filters,
        results=results,
        stats=results.stats if results else None,
        num=number,
        pvalue=p_value,
        may_include_text=can_access(workshop, Role.ORGANISER),
        **extra,
    )


def _load(workshop: Workshop, *, themes: bool = False):
    """Start reading, then the setting, the filter form, the (cached) results (with the theme
    shares when asked) and the data's signature."""
    start_reading()
    setting = workshop_setting(workshop)
    form = FilterForm(request.args, filter_choices(setting.instrument))
    signature = data_signature(setting)
    results = workshop_results(setting, workshop, form.filters(), signature, themes=themes)
    return setting, form, results, signature


def _page(workshop: Workshop, name: str, build):
    setting, form, results, _signature = _load(workshop)
    view = build(setting, results)
    return _render(workshop, name, view, setting, form, results.filters, results)


@bp.get("")
@workshop_role_required(*VIEWERS)
def overview(workshop: Workshop):
    """Findings, the response funnel, the linking report and the report download."""
    setting, form, results, signature = _load(workshop)
    view = overview_view(setting, results, workshop_funnel(setting, signature))
    return _render(workshop, "overview", view, setting, form, results.filters, results)


@bp.get("/trust")
@workshop_role_required(*VIEWERS)
def trust(workshop: Workshop):
    """Scores by group and wave, their paired change, group x time, items, thermometer."""
    return _page(workshop, "trust", trust_view)


@bp.get("/perception")
@workshop_role_required(*VIEWERS)
def perception(workshop: Workshop):
    """Meta-trust beside the trust actually given, and the asymmetry."""
    return _page(workshop, "perception", perception_view)


@bp.get("/priorities")
@workshop_role_required(*VIEWERS)
def priorities(workshop: Workshop):
    """Mean ranks, agreement and convergence, shared interests and differences."""
    return _page(workshop, "priorities", priorities_view)


@bp.get("/obstacles")
@workshop_role_required(*VIEWERS)
def obstacles(workshop: Workshop):
    """Obstacles and outlook by group and wave, and the evaluation of the workshop."""
    return _page(workshop, "obstacles", obstacles_view)


@bp.get("/text")
@workshop_role_required(*VIEWERS)
def text(workshop: Workshop):
    """Free text: reads only cell sizes and texts (cached while the data's signature holds),
    never the (possibly slow) statistics."""
    start_reading()
    setting = workshop_setting(workshop)
    form = TextFilterForm(request.args, filter_choices(setting.instrument), **text_choices(setting))
    filters = form.filters()
    number = min(max(request.args.get("page", 1, type=int), 1), MAX_TEXT_PAGE)
    blocks = workshop_free_text(
        setting,
        filters,
        data_signature(setting),
        question=form.chosen("question"),
        group=form.chosen("group"),
        wave=form.chosen("wave"),
        page=number,
        per_page=TEXT_PAGE,
    )
    args = {key: value for key, value in request.args.items() if key != "page"}
    pager = text_pager(
        number,
        page_count(blocks, TEXT_PAGE),
        TEXT_PAGE,
        lambda n: url_for("dashboard.text", slug=workshop.slug, **args, page=n),
    )
    return _render(workshop, "text", blocks, setting, form, filters, pager=pager)


@bp.get("/themes")
@workshop_role_required(*VIEWERS)
def themes(workshop: Workshop):
    """The shares of the free text's themes by group and wave (docs/coding.md)."""
    setting, form, results, _signature = _load(workshop, themes=True)
    view = themes_view(setting, results, theme_labels(setting))
    return _render(workshop, "themes", view, setting, form, results.filters, results)


@bp.get("/report.html")
@workshop_role_required(*VIEWERS)
def report(workshop: Workshop):
    """One self-contained HTML file with every chart, table and finding (an audit event)."""
    include_text = request.args.get("include_text") == "1"
    if include_text and not can_access(workshop, Role.ORGANISER):
        abort(403)  # free text goes into a report only when an organiser includes it
    asked = {key: request.args[key][:100] for key in FILTER_KEYS if request.args.get(key)}
    detail = {"filters": asked, "include_text": include_text}
    record(REPORT_ACTION, workshop=workshop, detail=detail)
    setting, _form, results, signature = _load(workshop, themes=True)  # commits the event
    html = report_html(
        setting,
        results,
        workshop_funnel(setting, signature),
        generated_at=utcnow(),
        texts=free_text(setting, results.filters) if include_text else None,
        themes=theme_labels(setting),
    )
    response = make_response(html)
    response.mimetype = "text/html"
    response.headers["Content-Disposition"] = f'attachment; filename="{setting.slug}-report.html"'
    return response
