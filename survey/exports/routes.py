"""Research downloads, the long-format import and the printable paper questionnaire."""

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    stream_with_context,
    url_for,
)
from flask_babel import refresh

from survey.auth.access import workshop_role_required
from survey.exports.downloads import ExportError, ExportFormat, ExportOptions, start_export
from survey.exports.forms import DownloadForm, ImportUploadForm
from survey.exports.importer import import_long
from survey.exports.paper import paper_questionnaire
from survey.extensions import db
from survey.models import Role, Workshop
from survey.uploads import (
    CheckedUpload,
    ConfirmationInvalid,
    ConfirmUploadForm,
    UploadTooLarge,
    confirmation_form,
    confirmed_upload,
)

bp = Blueprint("exports", __name__, url_prefix="/workshops")

RESEARCH = (Role.RESEARCHER,)  # admins pass every role check
ORGANISER = (Role.ORGANISER,)
#: What a checked file is for (survey.uploads keeps confirmations of different uses apart).
IMPORT_PURPOSE = "responses"
#: Larger files go through `survey responses import`; the confirmation carries the file back.
IMPORT_MAX_BYTES = 4 * 1024 * 1024
TOO_LARGE = "The file is too large for the web page: use `survey responses import` on the server."


@bp.get("/<slug>/exports")
@workshop_role_required(*RESEARCH)
def index(workshop: Workshop):
    """The downloads page: every format, with its options."""
    form = DownloadForm(workshop.instrument.languages, formdata=None)
    return render_template(
        "exports/index.html", workshop=workshop, form=form, formats=list(ExportFormat)
    )


@bp.get("/<slug>/exports/<fmt>")
@workshop_role_required(*RESEARCH)
def download(workshop: Workshop, fmt: str):
    """One export, streamed (recorded in the audit log)."""
    try:
        export_format = ExportFormat(fmt)
    except ValueError:
        abort(404)
    form = DownloadForm(workshop.instrument.languages, formdata=request.args)
    if not form.validate():
        abort(400, "Unknown download options: " + "; ".join(_errors(form)))
    options = ExportOptions(
        export_format,
        labels=bool(form.labels.data),
        language=form.language.data or None,
        spreadsheet=form.spreadsheet.data,
    )
    try:
        export = start_export(workshop, options)
    except ExportError as error:
        abort(400, str(error))
    return Response(
        stream_with_context(export.chunks),
        content_type=export.content_type,
        headers={
            "Content-Disposition": f'attachment; filename="{export.filename}"',
            "Cache-Control": "no-store",
            "X-Row-Count": str(export.row_count),
        },
    )


def _errors(form) -> list[str]:
    return [f"{name}: {', '.join(errors)}" for name, errors in form.errors.items()]


@bp.route("/<slug>/responses/import", methods=["GET", "POST"])
@workshop_role_required(*ORGANISER)
def import_responses(workshop: Workshop):
    """Upload a long file typed in from paper and see what importing it would add."""
    form = ImportUploadForm()
    result = confirm = None
    if form.validate_on_submit():
        data = form.file.data.read(IMPORT_MAX_BYTES + 1)
        if len(data) > IMPORT_MAX_BYTES:
            form.file.errors.append(TOO_LARGE)
        else:
            result = import_long(workshop, data, dry_run=True)
            if result.ok:
                try:
                    confirm = confirmation_form(IMPORT_PURPOSE, workshop, CheckedUpload(data))
                except UploadTooLarge:
                    result = None
                    form.file.errors.append(TOO_LARGE)
    return render_template(
        "exports/import.html", workshop=workshop, form=form, result=result, confirm=confirm
    )


@bp.post("/<slug>/responses/import/confirm")
@workshop_role_required(*ORGANISER)
def confirm_import(workshop: Workshop):
    """Import the checked file, checked again (recorded in the audit log)."""
    form = ConfirmUploadForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        upload = confirmed_upload(IMPORT_PURPOSE, workshop, form.payload.data)
    except ConfirmationInvalid:
        abort(400)
    result = import_long(workshop, upload.data)
    if not result.ok:
        db.session.rollback()
        return render_template(
            "exports/import.html",
            workshop=workshop,
            form=ImportUploadForm(formdata=None),
            result=result,
            confirm=None,
        ), 409
    db.session.commit()
    flash(f"Imported {result.described}.")
    return redirect(url_for(".import_responses", slug=workshop.slug))


@bp.get("/<slug>/paper/<wave>")
@workshop_role_required(Role.ORGANISER, Role.RESEARCHER)
def paper(workshop: Workshop, wave: str):
    """The printable paper questionnaire of a wave, with the variable codes."""
    found = workshop.wave(wave)
    if found is None:
        abort(404)
    instrument = found.instrument_version.instrument
    group = request.args.get("group") or workshop.groups[0].code
    language = request.args.get("language") or instrument.default_language
    if language not in instrument.languages:
        abort(404)
    # The questionnaire's own words (the hints too) in its language, not the staff member's.
    g.page_language = g.language = language
    refresh()
    try:
        questionnaire = paper_questionnaire(found, group, language)
    except KeyError:
        abort(404)
    return render_template(
        "exports/paper.html",
        workshop=workshop,
        paper=questionnaire,
        groups=workshop.groups,
        languages=instrument.languages,
    )
