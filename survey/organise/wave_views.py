"""Console views of a workshop's waves: their windows, opening or closing one now, and the
version of the instrument each uses."""

from flask import flash, redirect, render_template, request, url_for

from survey.auth.access import workshop_role_required
from survey.extensions import db
from survey.instruments.store import version_for
from survey.models import Role, Workshop
from survey.organise import monitor, opening, time_zones, workshops
from survey.organise.forms import ActionForm, WaveScheduleForm, WaveVersionForm
from survey.organise.routes import bp, found_or_404


@bp.route("/<slug>/waves/<wave>", methods=["GET", "POST"])
@workshop_role_required(Role.ORGANISER)
def wave(workshop: Workshop, wave: str):
    """A wave's window, entered and shown in the workshop's time zone."""
    wave_ = found_or_404(workshop.wave(wave))
    form = WaveScheduleForm(workshop.timezone)
    if request.method == "GET":
        form.opens_at.data = _naive(time_zones.in_zone(wave_.opens_at, workshop.timezone))
        form.closes_at.data = _naive(time_zones.in_zone(wave_.closes_at, workshop.timezone))
    if form.validate_on_submit():
        opens = time_zones.to_utc(form.opens_at.data, workshop.timezone)
        closes = time_zones.to_utc(form.closes_at.data, workshop.timezone)
        try:
            workshops.set_wave_window(wave_, opens, closes)
        except workshops.WorkshopError as error:
            db.session.rollback()
            form.closes_at.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"The {wave_.code} wave's window is saved.")
            return redirect(url_for(".workshop", slug=workshop.slug))
    version_form = WaveVersionForm(workshop.instrument_key, formdata=None)
    version_form.version.data = wave_.instrument_version.label
    return render_template(
        "organise/wave.html",
        workshop=workshop,
        wave=wave_,
        form=form,
        version_form=version_form,
        has_responses=workshops.wave_has_responses(wave_),
        opening_asks_first=opening.opening_asks_first(wave_),
    )


@bp.post("/<slug>/waves/<wave>/version")
@workshop_role_required(Role.ORGANISER)
def wave_version(workshop: Workshop, wave: str):
    """Give the wave another version of its instrument, while it has no response."""
    wave_ = found_or_404(workshop.wave(wave))
    form = WaveVersionForm(workshop.instrument_key)
    if form.validate_on_submit():
        try:
            moved = workshops.change_wave_version(wave_, version_for(form.version.data))
        except workshops.WorkshopError as error:
            db.session.rollback()
            flash(f"The {wave_.code} wave keeps its version: {error}.", "error")
        else:
            db.session.commit()
            label, names = wave_.instrument_version.label, " and ".join(w.code for w in moved)
            plural = "s" if len(moved) > 1 else ""
            flash(f"Questionnaire version {label} for the {names} wave{plural}.")
    return redirect(url_for(".wave", slug=workshop.slug, wave=wave_.code))


@bp.route("/<slug>/waves/<wave>/open", methods=["GET", "POST"])
@workshop_role_required(Role.ORGANISER)
def open_wave(workshop: Workshop, wave: str):
    """Open a wave now: in one click for its first opening while no other wave is open (the
    button then posts `first_opening`); to reopen it, or while another wave is open, once a
    page has said where personal links will lead and what becomes of its window."""
    wave_ = found_or_404(workshop.wave(wave))
    if (refused := wave_.why_not_open()) is not None:
        flash(f"The {wave_.code} wave is {refused}.")
        return redirect(url_for(".workshop", slug=workshop.slug))
    asks_first = opening.opening_asks_first(wave_)
    if request.method == "POST" and not (asks_first and request.form.get("first_opening")):
        again = "open again" if workshops.has_been_open(wave_) else "open"
        return _change_wave(workshop, wave, workshops.open_wave_now, again)
    if request.method == "POST":
        # A one-click button from a page shown before the wave or another one opened.
        return redirect(url_for(".open_wave", slug=workshop.slug, wave=wave_.code))
    return render_template(
        "organise/open_wave.html",
        workshop=workshop,
        wave=wave_,
        opening=opening.wave_opening(wave_),
    )


@bp.route("/<slug>/waves/<wave>/close", methods=["GET", "POST"])
@workshop_role_required(Role.ORGANISER)
def close_wave(workshop: Workshop, wave: str):
    """Close an open wave now, once a page has said who could no longer answer."""
    wave_ = found_or_404(workshop.wave(wave))
    if (refused := wave_.why_not_close()) is not None:
        flash(f"The {wave_.code} wave is {refused}.")
        return redirect(url_for(".workshop", slug=workshop.slug))
    if request.method == "POST":
        return _change_wave(workshop, wave, workshops.close_wave_now, "closed")
    return render_template(
        "organise/close_wave.html",
        workshop=workshop,
        wave=wave_,
        progress=monitor.wave_progress(workshop, wave_.code),
    )


def _change_wave(workshop: Workshop, wave: str, change, state: str):
    wave_ = found_or_404(workshop.wave(wave))
    if ActionForm().validate_on_submit():
        change(wave_)
        db.session.commit()
        flash(f"The {wave_.code} wave is {state}.")
    return redirect(url_for(".workshop", slug=workshop.slug))


def _naive(moment):
    return moment.replace(tzinfo=None) if moment else None
