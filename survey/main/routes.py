"""The public front page and the health check."""

from flask import Blueprint
from sqlalchemy import text

from survey.counters import storage_state
from survey.extensions import db, limiter
from survey.respond.screens import render, use_language

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    """How to take part, in the visitor's language (where the error pages lead), and the
    staff's way in."""
    use_language(None)
    return render("front.html", language_next="/")


@bp.get("/healthz")
@limiter.exempt
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # any database failure means "not healthy", never a 500 page
        db.session.rollback()
        return {"status": "error", "database": "unavailable"}, 503
    # Without the counters' storage the app still serves (survey.counters): not a reason to
    # take this host out of service, only to say so.
    return {"status": "ok", "database": "ok", "counters": storage_state()}
