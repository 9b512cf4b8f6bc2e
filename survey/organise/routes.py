"""The organiser console: workshops, waves, groups, roster, invitations, cards, monitor and
participants. Views translate HTTP to the domain modules of this package and back."""

import base64
import binascii

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.routing import BuildError

from survey.audit import record
from survey.auth.access import can_access, staff_required, workshop_role_required
from survey.extensions import db
from survey.links import PublicAddressError, base_url
from survey.models import Role, Wave, Workshop
from survey.models._types import utcnow
from survey.organise import invitations, monitor, participants, roster, workshops
from survey.organise.forms import (
    ActionForm,
    RosterConfirmForm,
    RosterUploadForm,
    WaveScheduleForm,
    WithdrawForm,
    WorkshopForm,
    group_labels_form,
)
from survey.tokens import refresh_join_code

bp = Blueprint("organise", __name__, url_prefix="/workshops")

ORGANISER = Role.ORGANISER
STAFF = (Role.ORGANISER, Role.RESEARCHER)


@bp.app_template_global()
def optional_url(endpoint: str, **values) -> str | None:
    """The URL of a view another area provides, or None while it does not exist."""
    if endpoint not in current_app.view_functions:
        return None
    try:
        return url_for(endpoint, **values)
    except BuildError:
        return None


@bp.app_template_global()
def url_for_rule(rule: str, **values) -> str | None:
    """The URL of the GET view at a fixed path another area provides (DESIGN names the paths,
    not the endpoints), or None while it does not exist."""
    for candidate in current_app.url_map.iter_rules():
        if candidate.rule == rule and "GET" in (candidate.methods or ()):
            return optional_url(candidate.endpoint, **values)
    return None


@bp.app_template_global()
def may_organise(workshop: Workshop) -> bool:
    """Whether the signed-in user may run this workshop (not only read its results)."""
    return can_access(workshop, ORGANISER)


@bp.app_template_global()
def may_research(workshop: Workshop) -> bool:
    """Whether the signed-in user may download the raw data of this workshop."""
    return can_access(workshop, Role.RESEARCHER)


@bp.app_template_filter("in_zone")
def in_zone_filter(moment, timezone: str, pattern: str = "%Y-%m-%d %H:%M %Z") -> str:
    """An aware UTC datetime as wall-clock time in the workshop's zone."""
    local = workshops.in_zone(moment, timezone)
    return local.strftime(pattern) if local else "—"


@bp.get("")
@staff_required
def home():
    return render_template(
        "organise/home.html", workshops=workshops.workshops_visible_to(current_user)
    )


@bp.route("/new", methods=["GET", "POST"])
@staff_required
def new_workshop():
    form = WorkshopForm()
    if form.validate_on_submit():
        try:
            workshop = workshops.create_workshop_for(
                current_user,
                form.slug.data,
                form.title.data,
                instrument_key=form.instrument.data,
                timezone=form.timezone.data,
                place=form.place.data or None,
                starts_on=form.starts_on.data,
                ends_on=form.ends_on.data,
                min_cell=form.min_cell.data,
            )
        except workshops.WorkshopError as error:
            db.session.rollback()
            form.slug.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"The workshop {workshop.title} is ready. Next: import the roster.")
            return redirect(url_for(".workshop", slug=workshop.slug))
    return render_template("organise/new.html", form=form)


@bp.get("/<slug>")
@workshop_role_required(*STAFF)
def workshop(workshop: Workshop):
    instrument = workshop.waves[0].instrument_version.instrument if workshop.waves else None
    return render_template(
        "organise/workshop.html",
        workshop=workshop,
        instrument=instrument,
        now_states={w.code: w.state() for w in workshop.waves},
    )


def _wave(workshop: Workshop, code: str) -> Wave:
    wave = workshop.wave(code)
    if wave is None:
        abort(404)
    return wave


@bp.route("/<slug>/waves/<wave>", methods=["GET", "POST"])
@workshop_role_required(ORGANISER)
def wave(workshop: Workshop, wave: str):
    wave_ = _wave(workshop, wave)
    form = WaveScheduleForm()
    if request.method == "GET":
        form.opens_at.data = _naive(workshops.in_zone(wave_.opens_at, workshop.timezone))
        form.closes_at.data = _naive(workshops.in_zone(wave_.closes_at, workshop.timezone))
    if form.validate_on_submit():
        opens = workshops.to_utc(form.opens_at.data, workshop.timezone)
        closes = workshops.to_utc(form.closes_at.data, workshop.timezone)
        try:
            workshops.schedule_wave(wave_, opens, closes)
        except workshops.WorkshopError as error:
            db.session.rollback()
            form.closes_at.errors.append(str(error))
        else:
            detail = {"wave": wave_.code, "opens_at": _iso(opens), "closes_at": _iso(closes)}
            record("wave.schedule", workshop=workshop, detail=detail)
            db.session.commit()
            flash(f"The {wave_.code} wave's window is saved.")
            return redirect(url_for(".workshop", slug=workshop.slug))
    return render_template(
        "organise/wave.html",
        workshop=workshop,
        wave=wave_,
        form=form,
        has_responses=workshops.wave_has_responses(wave_),
    )


@bp.post("/<slug>/waves/<wave>/open")
@workshop_role_required(ORGANISER)
def open_wave(workshop: Workshop, wave: str):
    return _change_wave(workshop, wave, workshops.open_wave, "open")


@bp.post("/<slug>/waves/<wave>/close")
@workshop_role_required(ORGANISER)
def close_wave(workshop: Workshop, wave: str):
    return _change_wave(workshop, wave, workshops.close_wave, "close")


def _change_wave(workshop: Workshop, wave: str, change, verb: str):
    """Open or close a wave now (verb "open" or "close"), audited, then back to the workshop."""
    wave_ = _wave(workshop, wave)
    if ActionForm().validate_on_submit():
        change(wave_)
        record(f"wave.{verb}", workshop=workshop, detail={"wave": wave_.code})
        db.session.commit()
        flash(f"The {wave_.code} wave is {'open' if verb == 'open' else 'closed'}.")
    return redirect(url_for(".workshop", slug=workshop.slug))


@bp.route("/<slug>/groups", methods=["GET", "POST"])
@workshop_role_required(ORGANISER)
def groups(workshop: Workshop):
    form = group_labels_form(workshop.groups, request.form if request.method == "POST" else None)
    if form.validate_on_submit():
        labels = {g.code: form[f"label_{g.code}"].data for g in workshop.groups}
        try:
            changed = workshops.set_group_labels(workshop, labels)
        except workshops.WorkshopError as error:
            db.session.rollback()
            flash(str(error).capitalize() + ".", "error")
        else:
            if changed:
                record("groups.labels", workshop=workshop, detail={"groups": changed})
            db.session.commit()
            flash("The group labels are saved.")
            return redirect(url_for(".groups", slug=workshop.slug))
    links = invitations.join_links(workshop, _links_base())
    db.session.commit()  # a group without a join code has just been given one
    return render_template("organise/groups.html", workshop=workshop, form=form, links=links)


@bp.post("/<slug>/groups/<group>/new-code")
@workshop_role_required(ORGANISER)
def new_join_code(workshop: Workshop, group: str):
    group_ = workshop.group(group)
    if group_ is None:
        abort(404)
    if ActionForm().validate_on_submit():
        refresh_join_code(group_, replace=True)
        record("groups.join_code", workshop=workshop, detail={"group": group_.code})
        db.session.commit()
        flash(f"{group_.label} has a new join link; the old link and posters no longer work.")
    return redirect(url_for(".groups", slug=workshop.slug))


@bp.route("/<slug>/roster", methods=["GET", "POST"])
@workshop_role_required(ORGANISER)
def roster_upload(workshop: Workshop):
    form = RosterUploadForm()
    if not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render_template("organise/roster.html", workshop=workshop, form=form), status
    data = form.file.data.read()
    plan = roster.parse_roster(workshop, data)
    return _roster_plan_page(workshop, plan, data, form.file.data.filename)


def _roster_plan_page(workshop: Workshop, plan: roster.RosterPlan, data: bytes, filename):
    confirm = None
    if plan.valid:
        confirm = RosterConfirmForm(formdata=None)
        # Base64: the file comes back byte for byte (browsers rewrite line ends in fields).
        confirm.content.data = base64.b64encode(data).decode()
        confirm.fingerprint.data = plan.fingerprint
        confirm.filename.data = filename or ""
    return render_template(
        "organise/roster_plan.html",
        workshop=workshop,
        plan=plan,
        confirm=confirm,
        upload=RosterUploadForm(formdata=None),
        filename=filename,
    ), (200 if plan.valid else 422)


@bp.post("/<slug>/roster/confirm")
@workshop_role_required(ORGANISER)
def roster_confirm(workshop: Workshop):
    form = RosterConfirmForm()
    if not form.validate_on_submit():
        flash("The confirmation had expired; upload the file again.", "error")
        return redirect(url_for(".roster_upload", slug=workshop.slug))
    try:
        data = base64.b64decode(form.content.data, validate=True)
    except binascii.Error:
        abort(400)
    plan = roster.parse_roster(workshop, data)
    if not plan.valid or plan.fingerprint != form.fingerprint.data:
        flash("The participants changed since the check: here is what the import would do now.")
        return _roster_plan_page(workshop, plan, data, form.filename.data)
    roster.apply_roster(workshop, plan, filename=form.filename.data or None)
    db.session.commit()
    counts = plan.counts()
    flash(
        f"Roster imported: {counts['added']} added, {counts['updated']} updated, "
        f"{counts['unchanged']} unchanged, {counts['skipped']} skipped."
    )
    return redirect(url_for(".participants_list", slug=workshop.slug))


@bp.get("/<slug>/participants")
@workshop_role_required(ORGANISER)
def participants_list(workshop: Workshop):
    search = request.args.get("q", "")[:200]
    rows = participants.participant_rows(workshop, search)
    return render_template(
        "organise/participants.html",
        workshop=workshop,
        rows=rows,
        search=search,
    )


def _participant(workshop: Workshop, public_id: str):
    participant = participants.participant_by_public_id(workshop, public_id)
    if participant is None:
        abort(404)
    return participant


@bp.route("/<slug>/participants/<public_id>/withdraw", methods=["GET", "POST"])
@workshop_role_required(ORGANISER)
def withdraw(workshop: Workshop, public_id: str):
    participant = _participant(workshop, public_id)
    if participant.withdrawn:
        flash(f"{participant.public_id} has already withdrawn.")
        return redirect(url_for(".participants_list", slug=workshop.slug))
    form = WithdrawForm(participant.public_id)
    if form.validate_on_submit():
        deleted = participants.withdraw_participant(participant)
        db.session.commit()
        flash(
            f"{participant.public_id} is withdrawn: {deleted} response(s) and the personal "
            "data are deleted, and the link no longer works."
        )
        return redirect(url_for(".participants_list", slug=workshop.slug))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "organise/withdraw.html", workshop=workshop, participant=participant, form=form
    ), status


@bp.post("/<slug>/participants/<public_id>/reissue")
@workshop_role_required(ORGANISER)
def reissue(workshop: Workshop, public_id: str):
    participant = _participant(workshop, public_id)
    if ActionForm().validate_on_submit():
        try:
            participants.reissue_link(participant)
        except participants.ParticipantError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(
                f"{participant.public_id} has a new link; the old one no longer works. "
                "Print the new card or download the invitations again."
            )
            return redirect(url_for(".cards", slug=workshop.slug, participant=public_id))
    return redirect(url_for(".participants_list", slug=workshop.slug))


def _links_base() -> str:
    try:
        return base_url()
    except PublicAddressError as error:
        # PUBLIC_URL is set but is not an address: the operator must fix the configuration.
        current_app.logger.error("cannot make links: %s", error)
        abort(503)


@bp.get("/<slug>/invitations.csv")
@workshop_role_required(ORGANISER)
def invitations_csv(workshop: Workshop):
    body, _ = invitations.export_invitations(workshop, _links_base())
    db.session.commit()
    return Response(
        body.encode("utf-8"),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{workshop.slug}-invitations.csv"',
            "Cache-Control": "no-store",
        },
    )


@bp.get("/<slug>/cards")
@workshop_role_required(ORGANISER)
def cards(workshop: Workshop):
    group = request.args.get("group") or None
    public_id = request.args.get("participant") or None
    if group is not None and workshop.group(group) is None:
        abort(404)
    items = invitations.cards(workshop, _links_base(), group=group, public_id=public_id)
    db.session.commit()
    return render_template(
        "organise/cards.html", workshop=workshop, cards=items, group=group, public_id=public_id
    )


@bp.get("/<slug>/posters")
@workshop_role_required(ORGANISER)
def posters(workshop: Workshop):
    languages = workshop.waves[0].instrument_version.instrument.languages
    items = invitations.posters(workshop, _links_base(), languages)
    db.session.commit()
    return render_template("organise/posters.html", workshop=workshop, posters=items)


@bp.get("/<slug>/monitor")
@workshop_role_required(ORGANISER)
def monitor_page(workshop: Workshop):
    return render_template(
        "organise/monitor.html",
        workshop=workshop,
        counts=monitor.monitor_counts(workshop),
        matching=monitor.match_report(workshop),
        now_text=in_zone_filter(utcnow(), workshop.timezone, "%H:%M:%S %Z"),
    )


@bp.get("/<slug>/monitor.json")
@workshop_role_required(ORGANISER)
def monitor_json(workshop: Workshop):
    # Codes only, no labels: the page already shows them, and the poll stays one statement.
    payload = {"workshop": workshop.slug, **monitor.monitor_counts(workshop).as_json()}
    if request.args.get("matching") == "1":
        payload["matching"] = monitor.match_report(workshop)
    response = jsonify(payload)
    response.headers["Cache-Control"] = "no-store"
    return response


def _naive(moment):
    return moment.replace(tzinfo=None) if moment else None


def _iso(moment) -> str | None:
    return moment.isoformat() if moment else None
