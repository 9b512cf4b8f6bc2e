"""Who may see what: staff sign-in state and per-workshop roles, checked on every staff route."""

from collections.abc import Callable
from functools import wraps

from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_login import current_user
from sqlalchemy import select

from survey.extensions import db
from survey.models import Role, Workshop


def _deny():
    if not current_user.is_authenticated:
        if request.path.startswith("/api/"):
            abort(401)
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    abort(403)


def _two_step_missing():
    """Where this server asks every staff member for two-step sign-in (STAFF_TWO_STEP_REQUIRED)
    and the signed-in one has not set it up: the way to its set-up (403 from the API)."""
    if not current_app.config["STAFF_TWO_STEP_REQUIRED"] or current_user.two_step:
        return None
    if request.path.startswith("/api/"):
        abort(403)
    flash("This server asks every staff member for two-step sign-in: set it up to go on.")
    return redirect(url_for("auth.two_step_page"))


def signed_in_required(view: Callable) -> Callable:
    """Any signed-in staff member, two-step sign-in set up or not (the pages that set it up)."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return _deny()
        return view(*args, **kwargs)

    return wrapped


def staff_required(view: Callable) -> Callable:
    """Any signed-in staff member."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return _deny()
        return _two_step_missing() or view(*args, **kwargs)

    return wrapped


def organises_any_workshop() -> bool:
    """Whether the signed-in user is an admin or organises a workshop: who may bring and
    correct questionnaires (the instrument library)."""
    if not current_user.is_authenticated:
        return False
    return current_user.is_admin or any(g.role is Role.ORGANISER for g in current_user.grants)


def organiser_required(view: Callable) -> Callable:
    """Admins, and organisers of any workshop."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not organises_any_workshop():
            return _deny()
        return _two_step_missing() or view(*args, **kwargs)

    return wrapped


def admin_required(view: Callable) -> Callable:
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not (current_user.is_authenticated and current_user.is_admin):
            return _deny()
        return _two_step_missing() or view(*args, **kwargs)

    return wrapped


def can_access(workshop: Workshop, *roles: Role) -> bool:
    """Admins may do everything; others need one of the roles on this workshop."""
    if not current_user.is_authenticated:
        return False
    return current_user.is_admin or bool(current_user.roles_in(workshop) & set(roles))


def workshop_role_required(*roles: Role) -> Callable:
    """Replace the view's `slug` argument by the Workshop, if the user holds one of the roles."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, slug: str, **kwargs):
            if not current_user.is_authenticated:
                return _deny()
            if (missing := _two_step_missing()) is not None:
                return missing
            workshop = db.session.scalar(select(Workshop).where(Workshop.slug == slug))
            if workshop is None:
                abort(404)
            if not can_access(workshop, *roles):
                return _deny()
            g.workshop = workshop
            g.timezone = workshop.timezone
            return view(*args, workshop=workshop, **kwargs)

        return wrapped

    return decorator
