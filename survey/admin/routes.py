"""Administration pages: staff accounts and their roles, and the audit log (admins only)."""

import secrets

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from sqlalchemy import select

from survey.admin.audit_log import (
    AUDIT_COLUMNS,
    AuditPage,
    audit_actions,
    audit_events,
    audit_rows,
    readable_detail,
)
from survey.admin.forms import (
    AuditFilterForm,
    ButtonForm,
    FlagForm,
    GrantForm,
    PasswordForm,
    UserCreateForm,
)
from survey.audit import record
from survey.auth import reset, two_step
from survey.auth import users as accounts
from survey.auth.access import admin_required
from survey.auth.users import UserError
from survey.database import begin_writing
from survey.exports.csvfile import csv_lines
from survey.extensions import db
from survey.mail.errors import MailError
from survey.models import Grant, Role, StaffUser, Workshop
from survey.organise.workshops import workshop_by_slug

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _workshops() -> list[Workshop]:
    return list(db.session.scalars(select(Workshop).order_by(Workshop.slug)))


def _user(user_id: int) -> StaffUser:
    user = db.session.get(StaffUser, user_id)
    if user is None:
        abort(404)
    return user


def _users_page(create: UserCreateForm, status: int = 200):
    workshops = _workshops()
    users = accounts.staff_users()
    return render_template(
        "admin/users.html",
        users=users,
        create=create,
        grant_forms={u.id: GrantForm(workshops, formdata=None, prefix=f"u{u.id}") for u in users},
        has_workshops=bool(workshops),
        password_links=reset.unavailable() is None,
    ), status


@bp.route("/users", methods=["GET", "POST"])
@admin_required
def users():
    """Staff accounts: the list, and a new account."""
    form = UserCreateForm()
    if form.validate_on_submit():
        if not form.password.data and reset.unavailable():
            form.password.errors.append("Give one: this server sends no e-mail to choose one.")
            return _users_page(form, 422)
        # Without a password, one nobody knows, until the link replaces it.
        password = form.password.data or secrets.token_urlsafe(32)
        try:
            user = accounts.register_user(form.email.data, password, admin=form.admin.data)
        except UserError as error:
            db.session.rollback()
            form.email.errors.append(str(error).capitalize() + ".")
        else:
            db.session.commit()
            flash(f"The account {user.email} is created.")
            if not form.password.data:
                _email_password_link(user, welcome=True)
            return redirect(url_for(".users"))
    return _users_page(form, 422 if request.method == "POST" else 200)


@bp.post("/users/<int:user_id>/grants")
@admin_required
def add_grant(user_id: int):
    """Give a user a role in a workshop."""
    user = _user(user_id)
    form = GrantForm(_workshops(), prefix=f"u{user.id}")
    if form.validate_on_submit():
        workshop = db.session.get(Workshop, form.workshop.data)
        role = Role(form.role.data)
        added = accounts.add_grant(user, workshop, role)
        db.session.commit()
        flash(f"{user.email} is {'now' if added else 'already'} {role.value} of {workshop.slug}.")
    else:
        flash("Choose a workshop and a role.", "error")
    return redirect(url_for(".users"))


@bp.post("/users/<int:user_id>/grants/<int:grant_id>/revoke")
@admin_required
def revoke_grant(user_id: int, grant_id: int):
    """Take a role away from a user."""
    user = _user(user_id)
    grant = db.session.get(Grant, grant_id)
    if grant is None or grant.user_id != user.id:
        abort(404)
    if ButtonForm().validate_on_submit():
        workshop, role = grant.workshop, grant.role
        accounts.remove_grant(user, workshop, role)
        db.session.commit()
        flash(f"{user.email} is no longer {role.value} of {workshop.slug}.")
    return redirect(url_for(".users"))


@bp.post("/users/<int:user_id>/admin")
@admin_required
def admin_flag(user_id: int):
    """Give or take the admin role."""
    user = _user(user_id)
    form = FlagForm()
    if form.validate_on_submit():
        try:
            changed = accounts.set_admin(user, form.value.data == "on", by=current_user)
        except UserError as error:
            flash(str(error).capitalize() + ".", "error")
        else:
            db.session.commit()
            now = ("now" if changed else "already") if user.is_admin else "no longer"
            flash(f"{user.email} is {now} an administrator.")
    return redirect(url_for(".users"))


@bp.post("/users/<int:user_id>/active")
@admin_required
def active_flag(user_id: int):
    """Suspend or restore an account."""
    user = _user(user_id)
    form = FlagForm()
    if form.validate_on_submit():
        try:
            changed = accounts.set_active(user, form.value.data == "on", by=current_user)
        except UserError as error:
            flash(str(error).capitalize() + ".", "error")
        else:
            db.session.commit()
            state = "active" if user.active else "suspended"
            flash(f"The account {user.email} is {'' if changed else 'already '}{state}.")
    return redirect(url_for(".users"))


@bp.post("/users/<int:user_id>/two-step-off")
@admin_required
def two_step_off(user_id: int):
    """Turn off the two-step sign-in of someone who lost their phone and their recovery codes
    (after making sure it is them who asks): their password alone signs them in again."""
    user = _user(user_id)
    if ButtonForm().validate_on_submit():
        try:
            two_step.turn_off(user)
        except two_step.TwoStepError as error:
            flash(f"{user.email}: {error}", "error")
        else:
            db.session.commit()
            flash(f"Two-step sign-in is off for {user.email}: their password alone signs in.")
    return redirect(url_for(".users"))


@bp.post("/users/<int:user_id>/password-link")
@admin_required
def password_link(user_id: int):
    """E-mail someone a link to choose their password (a new colleague, or one who has
    forgotten theirs): the admin never knows it."""
    user = _user(user_id)
    if ButtonForm().validate_on_submit():
        _email_password_link(user, welcome=user.last_login_at is None)
    return redirect(url_for(".users"))


def _email_password_link(user: StaffUser, *, welcome: bool) -> None:
    """Send the link now and say how it went (survey.auth.reset)."""
    if (problem := reset.unavailable()) is not None:
        flash(f"No link was sent to {user.email}: {problem}.", "error")
        return
    try:
        unsent = reset.send_reset_link(user, welcome=welcome)
    except MailError as error:
        unsent = str(error)
    if unsent:
        db.session.rollback()
        flash(f"No link was sent to {user.email}: {unsent}.", "error")
        return
    db.session.commit()
    flash(f"A link to choose a password is on its way to {user.email}; it works for an hour.")


@bp.post("/users/<int:user_id>/password")
@admin_required
def password(user_id: int):
    """Set a new password for an account; its sessions end."""
    user = _user(user_id)
    form = PasswordForm()
    if form.validate_on_submit():
        accounts.set_password(user, form.password.data)
        db.session.commit()
        flash(f"The password of {user.email} is changed; its sessions have ended.")
    else:
        flash("The new password must have at least 10 characters.", "error")
    return redirect(url_for(".users"))


@bp.get("/audit")
@admin_required
def audit():
    """The audit log, filtered and in pages."""
    form = _audit_filter()
    page = request.args.get("page", 1, type=int) or 1
    if form.validate():
        result = audit_events(page=page, **_filters(form))
    else:
        # A filter that cannot be read selects nothing: every event beside its error would
        # read as the events it asked for.
        result = AuditPage([], 1, has_more=False)
    return render_template(
        "admin/audit.html",
        form=form,
        result=result,
        query=_query(form),
        readable=readable_detail,
    )


@bp.get("/audit.csv")
@admin_required
def audit_csv():
    """Every event the filters select, all pages, as a spreadsheet-safe CSV file; the
    download is itself recorded. A filter that cannot be read leads back to the page, which
    says why."""
    form = _audit_filter()
    if not form.validate():
        return redirect(url_for(".audit", **_query(form)))
    filters = _filters(form)
    begin_writing()
    record("audit.download", detail=_query(form))
    db.session.commit()
    # Written whole before it is sent (a trail is small beside the exports): a failure is an
    # error page, never a file cut short that reads as complete.
    rows = list(audit_rows(**filters))
    return Response(
        "".join(csv_lines(AUDIT_COLUMNS, rows, spreadsheet=True)).encode("utf-8"),
        mimetype="text/csv",
        headers={
            "Content-Disposition": 'attachment; filename="audit-log.csv"',
            "Cache-Control": "no-store",
            "X-Row-Count": str(len(rows)),
        },
    )


def _audit_filter() -> AuditFilterForm:
    return AuditFilterForm(_workshops(), audit_actions(), formdata=request.args)


def _filters(form: AuditFilterForm) -> dict:
    """The audit log's filters as the form read them."""
    return {
        "workshop": workshop_by_slug(form.workshop.data) if form.workshop.data else None,
        "action": form.action.data or None,
        "actor": form.actor.data or None,
        "since": form.since.data,
        "until": form.until.data,
    }


def _query(form: AuditFilterForm) -> dict[str, str]:
    """The filters given in the address, and nothing else (not the page)."""
    return {k: v for k, v in request.args.items() if k in form and v}
