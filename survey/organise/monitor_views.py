"""Console views of the live monitor: the page, and the counts it polls."""

from flask import jsonify, render_template, request

from survey.auth.access import workshop_role_required
from survey.models import Role, Workshop
from survey.models._types import utcnow
from survey.organise import monitor
from survey.organise.routes import bp, in_zone_filter


@bp.get("/<slug>/monitor")
@workshop_role_required(Role.ORGANISER)
def monitor_page(workshop: Workshop):
    """Responses by group and wave as they arrive, how long answering takes, and the pre/post
    match report."""
    return render_template(
        "organise/monitor.html",
        workshop=workshop,
        counts=monitor.monitor_counts(workshop),
        matching=monitor.match_report(workshop),
        times=monitor.answering_times(workshop),
        now_text=_now_text(workshop),
    )


@bp.get("/<slug>/monitor.json")
@workshop_role_required(Role.ORGANISER)
def monitor_json(workshop: Workshop):
    """The monitor's counts (and, on request, the match report) for the page's poll."""
    # Codes only, no labels: the page already shows them, and the poll stays one statement.
    counts = monitor.monitor_counts(workshop).as_json()
    payload = {"workshop": workshop.slug, "as_of": _now_text(workshop), **counts}
    if request.args.get("matching") == "1":
        payload["matching"] = monitor.match_report(workshop)
    response = jsonify(payload)
    response.headers["Cache-Control"] = "no-store"
    return response


def _now_text(workshop: Workshop) -> str:
    """The time the counts were read, in the workshop's zone as the console shows times."""
    return in_zone_filter(utcnow(), workshop.timezone, "%H:%M:%S %Z")
