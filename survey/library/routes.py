"""Views of the instrument library: the list, the upload with its check page, a version's
page, its preview, its download, its translation review and the diff of two versions.

Admins see every instrument; other staff the shipped ones, those the workshops they organise
use and those they stored (survey.instruments.library.visible_keys). A version is named in
URLs by its number, or `shipped` for the file shipped with the application.
"""

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

from survey.auth.access import organiser_required, organises_any_workshop
from survey.extensions import db
from survey.instruments.diff import classified_changes, only_wording
from survey.instruments.exporting import FORMATS, definition_file
from survey.instruments.library import library, may_see
from survey.instruments.store import (
    Found,
    VersionNotFound,
    check_import,
    find,
    mark_reviewed,
    save_corrections,
    store,
    store_import,
    versions_of,
)
from survey.instruments.texts import translated_texts
from survey.instruments.xlsform import XlsFormLoss
from survey.instruments.xlsform.languages import language_label
from survey.library.forms import DiffForm, InstrumentUploadForm, corrections, field_name
from survey.library.translations import translation_states
from survey.organise.forms import ActionForm
from survey.respond.preview_routes import previewed
from survey.respond.screens import Preview, offered_languages
from survey.uploads import (
    CheckedUpload,
    ConfirmationInvalid,
    ConfirmUploadForm,
    UploadTooLarge,
    confirmation_form,
    confirmed_upload,
)

bp = Blueprint("library", __name__, url_prefix="/instruments")

#: What the checked file is for (survey.uploads keeps confirmations of different uses apart).
PURPOSE = "instrument"
SHIPPED = "shipped"


def _found(key: str, version: str) -> Found:
    """The version a URL names, if the signed-in staff member may see it; else 404."""
    if not may_see(current_user, key):
        abort(404)  # as for a key that does not exist: no hint that it does
    reference = key if version == SHIPPED else f"{key}@{version}"
    try:
        found = find(reference)
    except VersionNotFound:
        abort(404)
    if version == SHIPPED and found.instrument.key != key:
        abort(404)
    if version != SHIPPED and found.version is None:
        abort(404)
    return found


bp.add_app_template_global(organises_any_workshop)


@bp.app_template_global()
def library_url(endpoint: str, found: Found, **values) -> str:
    """The URL of a library view of a version."""
    if found.version is not None:
        return url_for(
            f"library.{endpoint}", key=found.version.key, version=found.version.version, **values
        )
    return url_for(f"library.{endpoint}", key=found.instrument.key, version=SHIPPED, **values)


#: Versions of an instrument the library lists at first, the newest (every correction saved
#: from the review is one); `?all=KEY` lists every version of KEY.
LISTED_VERSIONS = 10


@bp.get("")
@organiser_required
def index():
    """The instruments the signed-in staff member may see, and the upload of a new one."""
    return _index_page(InstrumentUploadForm())


def _index_page(form: InstrumentUploadForm, status: int = 200):
    entries = library(current_user, newest=LISTED_VERSIONS, whole=request.args.get("all"))
    return render_template("library/index.html", entries=entries, form=form), status


@bp.post("/upload")
@organiser_required
def upload():
    """Check an uploaded file and show what importing it would store (nothing is stored)."""
    form = InstrumentUploadForm()
    if not form.validate_on_submit():
        return _index_page(form, 422)
    upload_ = CheckedUpload(form.file.data.read(), form.file.data.filename or "upload")
    return _check_page(upload_)


def _check_page(upload_: CheckedUpload):
    check = check_import(upload_.data, upload_.filename, current_user)
    confirm = None
    if check.valid:
        try:
            confirm = confirmation_form(PURPOSE, current_user, upload_)
        except UploadTooLarge:
            check.problems.append(
                f"{upload_.filename}: too large to import from this page: use "
                "`survey instruments import`"
            )
    return render_template(
        "library/check.html", check=check, confirm=confirm, form=InstrumentUploadForm(formdata=None)
    ), (200 if check.valid else 422)


@bp.post("/upload/confirm")
@organiser_required
def confirm_upload():
    """Store the checked file as a new version, if it is still valid."""
    form = ConfirmUploadForm()
    if not form.validate_on_submit():
        flash("The confirmation had expired; upload the file again.", "error")
        return redirect(url_for(".index"))
    try:
        upload_ = confirmed_upload(PURPOSE, current_user, form.payload.data)
    except ConfirmationInvalid:
        abort(400)
    check = check_import(upload_.data, upload_.filename, current_user)
    if not check.valid:
        return _check_page(upload_)
    version, new = store_import(check, user=current_user)
    db.session.commit()
    if new:
        flash(f"Stored as {version.label}.")
    else:
        flash(f"This questionnaire is stored already, as {version.label}: nothing changed.")
    return redirect(url_for(".version", key=version.key, version=version.version))


@bp.get("/<key>/<version>")
@organiser_required
def version(key: str, version: str):
    """A version: what it holds, its preview links, downloads, review and diffs."""
    found = _found(key, version)
    return render_template(
        "library/version.html",
        found=found,
        instrument=found.instrument,
        translations=translation_states(found),
        versions=versions_of(key),
        preview_languages=offered_languages(found.instrument),
        formats=FORMATS,
    )


@bp.get("/<key>/<version>/download/<fmt>")
@organiser_required
def download(key: str, version: str, fmt: str):
    """The version as a file: YAML or XLSForm."""
    found = _found(key, version)
    if fmt not in FORMATS:
        abort(404)
    extension, media_type = FORMATS[fmt]
    name = found.label.replace("@", "-").replace(" (shipped)", "")
    heading = f"{found.label}: exported by Dialogue Survey (docs/instrument-format.md)"
    try:
        data = definition_file(found.instrument.definition, fmt, heading=heading)
    except XlsFormLoss as error:
        flash(f"{found.label} cannot be downloaded as XLSForm: {error}.", "error")
        return redirect(library_url("version", found))
    return Response(
        data,
        mimetype=media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{name}.{extension}"',
            "Cache-Control": "no-store",
        },
    )


@bp.route("/<key>/<version>/preview/<wave>/<group>/<language>", methods=["GET", "POST"])
@bp.route("/<key>/<version>/preview/<wave>/<group>/<language>/<page>", methods=["GET", "POST"])
@organiser_required
def preview(key: str, version: str, wave: str, group: str, language: str, page: str | None = None):
    """The version as a participant of a group would see it, in any language; nothing is
    stored."""
    found = _found(key, version)
    instrument = found.instrument
    if (
        wave not in instrument.waves
        or group not in {g.code for g in instrument.groups}
        or language not in offered_languages(instrument)
    ):
        abort(404)
    info = Preview(
        None,
        wave,
        group,
        language,
        instrument,
        endpoint="library.preview",
        key=key,
        version=version,
    )
    return previewed(instrument, info, page)


@bp.route("/<key>/<version>/review", methods=["GET", "POST"])
@organiser_required
def review(key: str, version: str):
    """Every text of the version side by side in its languages, to correct: saving stores a
    new version (this one never changes)."""
    found = _found(key, version)
    form = ActionForm()
    problems: list[str] = []
    posted: dict = {}
    if form.validate_on_submit():
        posted = corrections(found, request.form)
        saved, problems = save_corrections(found, posted, user=current_user)
        if saved is not None:
            db.session.commit()
            flash(f"The corrections are stored as {saved.label}; {found.label} is unchanged.")
            return redirect(url_for(".review", key=key, version=saved.version))
        db.session.rollback()
        if not problems:
            flash("Nothing was changed.")
            return redirect(url_for(".review", key=key, version=version))
    translations = translation_states(found)
    return render_template(
        "library/review.html",
        found=found,
        instrument=found.instrument,
        texts=translated_texts(found.instrument.definition),
        translations=translations,
        languages=[state.language for state in translations],
        posted=posted,
        problems=problems,
        field_name=field_name,
        language_label=language_label,
        form=form,
        action=ActionForm(formdata=None),
    ), (422 if problems else 200)


@bp.post("/<key>/<version>/review/<language>")
@organiser_required
def mark_language_reviewed(key: str, version: str, language: str):
    """Record that the signed-in staff member has reviewed a language of a stored version."""
    found = _found(key, version)
    if language not in found.instrument.languages:
        abort(404)
    if ActionForm().validate_on_submit():
        # The shipped file is stored first: a review belongs to a version.
        stored = found.version or store(found.instrument)[0]
        mark_reviewed(stored, language, current_user)
        db.session.commit()
        flash(f"{language} of {stored.label} is marked as reviewed by you.")
        return redirect(url_for(".review", key=key, version=stored.version))
    return redirect(url_for(".review", key=key, version=version))


@bp.get("/<key>/diff")
@organiser_required
def diff(key: str):
    """The changes between two versions of an instrument, each wording or structural."""
    if not may_see(current_user, key):
        abort(404)
    versions = versions_of(key)
    if not versions:
        abort(404)
    form = DiffForm(request.args)
    choices = [(str(v.version), v.label) for v in versions]
    form.before.choices = form.after.choices = choices
    before = request.args.get("before", choices[max(len(choices) - 2, 0)][0])
    after = request.args.get("after", choices[-1][0])
    form.before.data, form.after.data = before, after
    if not form.validate():
        abort(404)
    old, new = _found(key, before), _found(key, after)
    changes = classified_changes(old.instrument.definition, new.instrument.definition)
    return render_template(
        "library/diff.html",
        key=key,
        form=form,
        old=old,
        new=new,
        changes=changes,
        wording_only=only_wording(changes),
    )
