"""The organiser console: its blueprint, the helpers its templates share, and the workshop
views (the list, a new workshop, a workshop's page and its details, and at its end removing
the personal data or deleting it). The views of each other concept live in a module of their
own and register on `bp` when this module imports them (at its end): waves, groups and join
links, roster import, participants, invitations and cards, live monitor, the contact for
participants.
Views translate HTTP to the domain modules of this package and back."""

from typing import TypeVar

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from werkzeug.routing import BuildError

from survey.auth.access import can_access, staff_required, workshop_role_required
from survey.extensions import db
from survey.links import PublicAddressError, base_url
from survey.models import Role, Workshop
from survey.organise import copying, deletion, opening, time_zones, workshops
from survey.organise.forms import WorkshopConfirmForm, WorkshopDetailsForm, WorkshopForm
from survey.text import quantity

bp = Blueprint("organise", __name__, url_prefix="/workshops")

_T = TypeVar("_T")

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
    """The URL of the GET view at a fixed path another area provides (the docs name the paths,
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
    local = time_zones.in_zone(moment, timezone)
    return local.strftime(pattern) if local else "—"


@bp.get("")
@staff_required
def home():
    """The workshops the signed-in user may see."""
    return render_template(
        "organise/home.html", workshops=workshops.workshops_visible_to(current_user)
    )


@bp.route("/new", methods=["GET", "POST"])
@staff_required
def new_workshop():
    """Create a workshop from an instrument; its creator becomes its organiser."""
    form = WorkshopForm(user=current_user)
    if request.method == "GET":  # the library links here with its version chosen
        form.choose_instrument(
            request.args.get("instrument") or current_app.config["DEFAULT_INSTRUMENT"]
        )
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
            source = form.copy_from.data and workshops.workshop_by_slug(form.copy_from.data)
            if source:
                copying.copy_setup(source, workshop, actor=current_user)
            db.session.commit()
            set_up = f" It is set up as {source.title}." if source else ""
            flash(f"The workshop {workshop.title} is ready.{set_up} Next: import the roster.")
            return redirect(url_for(".workshop", slug=workshop.slug))
    return render_template("organise/new.html", form=form)


@bp.get("/<slug>")
@workshop_role_required(*STAFF)
def workshop(workshop: Workshop):
    """A workshop's page: its waves, groups, previews and the ways to its other pages."""
    instrument = workshop.instrument if workshop.waves else None
    return render_template(
        "organise/workshop.html",
        workshop=workshop,
        instrument=instrument,
        now_states={w.code: w.state() for w in workshop.waves},
        asks_first={w.code: opening.opening_asks_first(w) for w in workshop.waves},
    )


@bp.route("/<slug>/details", methods=["GET", "POST"])
@workshop_role_required(ORGANISER)
def details(workshop: Workshop):
    """Change the workshop's title, place, dates, time zone and smallest group shown."""
    form = WorkshopDetailsForm(obj=workshop)
    if form.validate_on_submit():
        changed = workshops.set_details(
            workshop,
            workshops.Details(
                form.title.data,
                form.place.data or None,
                form.starts_on.data,
                form.ends_on.data,
                form.timezone.data,
                form.min_cell.data,
            ),
        )
        db.session.commit()
        if not changed:
            flash("Nothing changed.")
        elif "timezone" in changed and any(w.opens_at or w.closes_at for w in workshop.waves):
            flash(
                f"The details are saved. The waves' windows are the same moments, shown in "
                f"{workshop.timezone} now: check their times below."
            )
        else:
            flash("The details are saved.")
        return redirect(url_for(".workshop", slug=workshop.slug))
    status = 422 if form.errors else 200
    return render_template("organise/details.html", workshop=workshop, form=form), status


@bp.route("/<slug>/delete", methods=["GET", "POST"])
@workshop_role_required()  # admins only
def delete(workshop: Workshop):
    """Delete the workshop and everything it holds, once its short name is typed to confirm."""
    form = WorkshopConfirmForm(workshop.slug)
    if form.validate_on_submit():
        title = workshop.title
        held = deletion.delete_workshop(workshop)
        db.session.commit()
        participants = quantity(held.participants, "participant")
        responses = quantity(held.submitted + held.in_progress, "response")
        flash(f"The workshop {title} is deleted, with its {participants} and {responses}.")
        return redirect(url_for(".home"))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "organise/delete.html",
        workshop=workshop,
        held=deletion.holdings(workshop),
        form=form,
    ), status


@bp.route("/<slug>/personal-data", methods=["GET", "POST"])
@workshop_role_required(ORGANISER)
def personal_data(workshop: Workshop):
    """Remove the participants' personal data and keep their answers, once the workshop's
    short name is typed to confirm (not while a wave is open or due to open)."""
    form = WorkshopConfirmForm(workshop.slug)
    why = deletion.why_personal_data_stays(workshop)
    if why is None and form.validate_on_submit():
        held = deletion.remove_personal_data(workshop)
        db.session.commit()
        flash(f"The participants' personal data is removed: {held.described}. Their answers stay.")
        return redirect(url_for(".workshop", slug=workshop.slug))
    status = (409 if why else 422) if request.method == "POST" else 200
    return render_template(
        "organise/personal_data.html",
        workshop=workshop,
        held=deletion.personal_data(workshop),
        why=why,
        form=form,
    ), status


def links_base() -> str:
    """Where the links on cards, posters and files point (503 while PUBLIC_URL is unusable)."""
    try:
        return base_url()
    except PublicAddressError as error:
        # PUBLIC_URL is set but is not an address: the operator must fix the configuration.
        current_app.logger.error("cannot make links: %s", error)
        abort(503)


def found_or_404(value: _T | None) -> _T:
    """The value a view looked up by its URL (a wave, a group, a participant), else 404."""
    if value is None:
        abort(404)
    return value


# The views of the console's other concepts register on `bp` when imported.
from survey.organise import (  # noqa: E402, F401
    contact_views,
    group_views,
    invitation_views,
    monitor_views,
    participant_views,
    roster_views,
    wave_views,
)
