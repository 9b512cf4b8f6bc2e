"""The JSON API: a workshop's statistics (docs/stats-json.md) for its organisers and
researchers."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, request

from survey.auth.access import workshop_role_required
from survey.dashboard.cache import current_results, with_theme_shares
from survey.dashboard.filters import FilterError, parse_filters
from survey.dashboard.reads.setting import workshop_setting
from survey.dashboard.reads.transaction import start_reading
from survey.models import Role, Workshop

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/workshops/<slug>/stats")
@workshop_role_required(Role.ORGANISER, Role.RESEARCHER)
def workshop_stats(workshop: Workshop):
    """The statistics, filtered by ?sector=&experience=&language=; anonymous: 401 JSON."""
    start_reading()
    setting = workshop_setting(workshop)
    try:
        filters = parse_filters(request.args, setting.instrument)
    except FilterError as error:
        abort(400, str(error))
    results, signature = current_results(setting, workshop, filters)
    results = with_theme_shares(setting, workshop, results, signature)
    response = current_app.response_class(results.stats.to_json(), mimetype="application/json")
    response.headers["Cache-Control"] = "private, no-store"
    return response
