"""Console views of the roster import: upload and check a file, then confirm the import that
the check showed (survey.uploads carries the checked file back)."""

from dataclasses import replace

from flask import abort, flash, redirect, render_template, request, url_for

from survey.auth.access import workshop_role_required
from survey.extensions import db
from survey.models import Role, Workshop
from survey.organise.forms import RosterUploadForm
from survey.organise.roster import parse_roster
from survey.organise.roster_import import apply_roster
from survey.organise.roster_plan import RosterPlan, RosterProblem
from survey.organise.routes import bp
from survey.uploads import (
    CheckedUpload,
    ConfirmationInvalid,
    ConfirmUploadForm,
    UploadTooLarge,
    confirmation_form,
    confirmed_upload,
)

#: What the checked file is for (survey.uploads keeps confirmations of different uses apart).
PURPOSE = "roster"
TOO_LARGE = "the file is too large to import from this page: use `survey roster import`"


@bp.route("/<slug>/roster", methods=["GET", "POST"])
@workshop_role_required(Role.ORGANISER)
def roster_upload(workshop: Workshop):
    """Upload a roster file and see what importing it would change (nothing is written)."""
    form = RosterUploadForm()
    if not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render_template("organise/roster.html", workshop=workshop, form=form), status
    upload = CheckedUpload(form.file.data.read(), form.file.data.filename or None)
    return _plan_page(workshop, parse_roster(workshop, upload.data), upload)


def _plan_page(workshop: Workshop, plan: RosterPlan, upload: CheckedUpload):
    """The check's result, and the confirmation of the import when the file is valid."""
    confirm = None
    if plan.valid:
        try:
            confirm = confirmation_form(
                PURPOSE, workshop, replace(upload, fingerprint=plan.fingerprint)
            )
        except UploadTooLarge:
            plan.problems.append(RosterProblem(1, TOO_LARGE))
    return render_template(
        "organise/roster_plan.html",
        workshop=workshop,
        plan=plan,
        confirm=confirm,
        upload=RosterUploadForm(formdata=None),
        filename=upload.filename,
    ), (200 if plan.valid else 422)


@bp.post("/<slug>/roster/confirm")
@workshop_role_required(Role.ORGANISER)
def roster_confirm(workshop: Workshop):
    """Import the checked file, if it still plans the import that the organiser saw."""
    form = ConfirmUploadForm()
    if not form.validate_on_submit():
        flash("The confirmation had expired; upload the file again.", "error")
        return redirect(url_for(".roster_upload", slug=workshop.slug))
    try:
        upload = confirmed_upload(PURPOSE, workshop, form.payload.data)
    except ConfirmationInvalid:
        abort(400)
    plan = parse_roster(workshop, upload.data)
    if not plan.valid or plan.fingerprint != upload.fingerprint:
        flash("The participants changed since the check: here is what the import would do now.")
        return _plan_page(workshop, plan, upload)
    apply_roster(workshop, plan, filename=upload.filename)
    db.session.commit()
    counts = plan.counts()
    flash(
        f"Roster imported: {counts['added']} added, {counts['updated']} updated, "
        f"{counts['unchanged']} unchanged, {counts['skipped']} skipped."
    )
    return redirect(url_for(".participants_list", slug=workshop.slug))
