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


def _required(allowed: Callable[[], bool], *, before_two_step: bool = False) -> Callable:
    """A view for signed-in staff members for whom `allowed()` holds, who have set up two-step
    sign-in where this server asks for it (unless the view comes `before_two_step`: its
    set-up); anyone else is sent to sign in, refused, or led to the set-up."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not (current_user.is_authenticated and allowed()):
                return _deny()
            if not before_two_step and (missing := _two_step_missing()) is not None:
                return missing
            return view(*args, **kwargs)

        return wrapped

    return decorator


def organises_any_workshop() -> bool:
    """Whether the signed-in user is an admin or organises a workshop: who may bring and
    correct questionnaires (the instrument library)."""
    if not current_user.is_authenticated:
        return False
    return current_user.is_admin or any(g.role is Role.ORGANISER for g in current_user.grants)


#: Any signed-in staff member, two-step sign-in set up or not (the pages that set it up).
signed_in_required = _required(lambda: True, before_two_step=True)
#: Any signed-in staff member.
staff_required = _required(lambda: True)
#: Admins, and organisers of any workshop.
organiser_required = _required(organises_any_workshop)
#: Admins.
admin_required = _required(lambda: current_user.is_admin)


def can_access(workshop: Workshop, *roles: Role) -> bool:
    """Admins may do everything; others need one of the roles on this workshop."""
    if not current_user.is_authenticated:
        return False
    return current_user.is_admin or bool(current_user.roles_in(workshop) & set(roles))


def workshop_role_required(*roles: Role) -> Callable:
    """Replace the view's `slug` argument by the Workshop, if the user holds one of the roles."""

    def decorator(view: Callable) -> Callable:
        @staff_required
        @wraps(view)
        def wrapped(*args, slug: str, **kwargs):
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
