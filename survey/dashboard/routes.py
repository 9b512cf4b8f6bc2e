"""Dashboard pages and the report download, for the workshop's organisers and researchers."""

from __future__ import annotations

from dataclasses import replace

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user

from survey.analysis.records import FILTER_KEYS
from survey.audit import record
from survey.auth.access import can_access, workshop_role_required
from survey.dashboard.cache import (
    current_results,
    dashboard_results,
    with_theme_shares,
    workshop_funnel,
)
from survey.dashboard.filters import filter_choices
from survey.dashboard.formatting import number, p_value, suppressed_note, unbroken
from survey.dashboard.forms import FilterForm, SharingForm, TextFilterForm
from survey.dashboard.language import LANGUAGE_ARG, dashboard_language, language_choices
from survey.dashboard.reads.setting import workshop_setting
from survey.dashboard.reads.signature import data_signature
from survey.dashboard.reads.text import TEXT_PAGE
from survey.dashboard.reads.themes import theme_labels
from survey.dashboard.reads.transaction import start_reading
from survey.dashboard.sharing import set_sharing
from survey.dashboard.views.obstacles import obstacles_view
from survey.dashboard.views.overview import overview_view
from survey.dashboard.views.parts import pages_of
from survey.dashboard.views.perception import perception_view
from survey.dashboard.views.priorities import priorities_view
from survey.dashboard.views.report import PLOTLY, report_html
from survey.dashboard.views.text import (
    free_text,
    page_count,
    text_choices,
    text_pager,
    workshop_free_text,
)
from survey.dashboard.views.themes import themes_view
from survey.dashboard.views.trust import trust_view
from survey.database import begin_writing
from survey.extensions import db
from survey.i18n import browser_language
from survey.models import Role, Workshop
from survey.models._types import utcnow
from survey.security import relax_style_src

bp = Blueprint("dashboard", __name__, url_prefix="/workshops/<slug>/dashboard")
bp.add_app_template_filter(unbroken)

VIEWERS = (Role.ORGANISER, Role.RESEARCHER)
REPORT_ACTION = "report.download"
MAX_TEXT_PAGE = 100_000  # keeps the page's offset a small number whatever the address says


def _render(
    workshop: Workshop, page: str, view, setting, form, filters, shown=None, template=None, **extra
):
    # plotly.js adds a <style> element and sets style attributes while it draws; style-src
    # 'self' would block them (console errors, unstyled hover labels and mode bar). Scripts
    # stay 'self' only.
    relax_style_src("'self' 'unsafe-inline'")
    results = shown.results if shown else None
    asked = _asked_language(setting)
    return render_template(
        f"dashboard/{template or page}.html",
        workshop=workshop,
        page=page,
        pages=pages_of(setting),
        view=view,
        setting=setting,
        labels=setting.labels,
        form=form,
        filters=filters,
        results=results,
        shown=shown,
        stats=results.stats if results else None,
        num=number,
        pvalue=p_value,
        suppressed_note=suppressed_note,
        may_include_text=can_access(workshop, Role.ORGANISER),
        plotly_asset=PLOTLY,
        language_arg=LANGUAGE_ARG,
        asked_language={LANGUAGE_ARG: asked} if asked else {},
        # The tabs keep the filters and the language asked for.
        link_args={**filters.applied(), **({LANGUAGE_ARG: asked} if asked else {})},
        languages=[
            (
                code,
                name,
                url_for(
                    request.endpoint, slug=setting.slug, **filters.applied(), **{LANGUAGE_ARG: code}
                ),
            )
            for code, name in language_choices(setting.instrument)
        ],
        **extra,
    )


def _asked_language(setting) -> str | None:
    """The language the address asks for, when the instrument has it (kept in the tabs)."""
    asked = request.args.get(LANGUAGE_ARG)
    return asked if asked in setting.instrument.languages else None


def _language(setting) -> str:
    """The dashboard's language: the one asked for, else the staff member's, else the
    instrument's default (survey.dashboard.language)."""
    instrument = setting.instrument
    return dashboard_language(
        instrument, _asked_language(setting), browser_language(instrument.languages)
    )


def _load(workshop: Workshop):
    """Start reading, then the setting, the filter form, the results to show (see
    survey.dashboard.cache.dashboard_results) and the data's signature."""
    start_reading()
    setting = workshop_setting(workshop)
    form = FilterForm(request.args, filter_choices(setting.instrument))
    shown, signature = dashboard_results(setting, workshop, form.filters())
    return setting, form, shown, signature


def _page(workshop: Workshop, name: str, build):
    setting, form, shown, _signature = _load(workshop)
    if not setting.declares(name):
        # A tab the instrument does not declare (an old bookmark): say so, never fail.
        filters = shown.results.filters
        return _render(workshop, name, None, setting, form, filters, shown, "undeclared")
    view = build(setting, shown.results)
    return _render(workshop, name, view, setting, form, shown.results.filters, shown)


@bp.get("")
@workshop_role_required(*VIEWERS)
def overview(workshop: Workshop):
    """The headline, findings, the response funnel, the linking report and the report
    download."""
    setting, form, shown, signature = _load(workshop)
    funnel = workshop_funnel(setting, signature)
    view = overview_view(setting, shown.results, funnel, _language(setting))
    sharing = SharingForm() if can_access(workshop, Role.ORGANISER) else None
    return _render(
        workshop, "overview", view, setting, form, shown.results.filters, shown, sharing=sharing
    )


@bp.post("/sharing")
@workshop_role_required(Role.ORGANISER)
def sharing(workshop: Workshop):
    """Share the findings with the participants, or stop (docs/domain.md)."""
    form = SharingForm()
    if not form.validate_on_submit():
        abort(400)
    shared = form.share.data == "on"
    if set_sharing(workshop, shared, current_user):
        db.session.commit()
    flash(
        "Participants who have nothing left to answer now read the headline and the findings, "
        "in their language, after their thank-you page."
        if shared
        else "The findings are no longer shown to participants."
    )
    return redirect(url_for(".overview", slug=workshop.slug))


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
        workshop,
        filters,
        data_signature(setting),
        question=form.chosen("question"),
        group=form.chosen("group"),
        wave=form.chosen("wave"),
        page=number,
        per_page=TEXT_PAGE,
    )
    # Only the form's own filters go on to the pager's addresses (a stray `slug=` or `endpoint=`
    # in the query string would clash with url_for's own arguments).
    args = {key: value for key, value in request.args.items() if key in form and value}
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
    setting, form, shown, signature = _load(workshop)
    results = with_theme_shares(setting, workshop, shown.results, signature)
    shown = replace(shown, results=results)
    view = themes_view(setting, results, theme_labels(setting))
    return _render(workshop, "themes", view, setting, form, results.filters, shown)


@bp.get("/report.html")
@workshop_role_required(*VIEWERS)
def report(workshop: Workshop):
    """One self-contained HTML file with every chart, table and finding (an audit event)."""
    include_text = request.args.get("include_text") == "1"
    if include_text and not can_access(workshop, Role.ORGANISER):
        abort(403)  # free text goes into a report only when an organiser includes it
    asked = {key: request.args[key][:100] for key in FILTER_KEYS if request.args.get(key)}
    detail = {"filters": asked, "include_text": include_text}
    begin_writing()
    record(REPORT_ACTION, workshop=workshop, detail=detail)
    start_reading()  # commits the event
    setting = workshop_setting(workshop)
    filters = FilterForm(request.args, filter_choices(setting.instrument)).filters()
    # A file that leaves the app carries the current numbers, never kept ones being updated.
    results, signature = current_results(setting, workshop, filters)
    results = with_theme_shares(setting, workshop, results, signature)
    html = report_html(
        setting,
        results,
        workshop_funnel(setting, signature),
        generated_at=utcnow(),
        texts=free_text(setting, results.filters) if include_text else None,
        language=_language(setting),
        themes=theme_labels(setting),
    )
    response = make_response(html)
    response.mimetype = "text/html"
    response.headers["Content-Disposition"] = f'attachment; filename="{setting.slug}-report.html"'
    return response
