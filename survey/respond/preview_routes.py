"""The organisers' preview of the participant pages (views of the respond blueprint): any wave,
group and language, as a participant would see it; posting a page checks it and moves on, but
nothing is ever stored. `previewed` serves any instrument this way (the instrument library
previews versions that no workshop uses yet)."""

from flask import abort, redirect, request

from survey.auth.access import workshop_role_required
from survey.instruments import Instrument
from survey.models import Role, Workshop
from survey.models.responses import new_display_seed
from survey.respond.flow import CONSENT, DIRECTIONS, REVIEW, find_step, target_step, wave_steps
from survey.respond.forms import ConsentForm
from survey.respond.headings import heading
from survey.respond.pages import page_form, page_handlers
from survey.respond.routes import bp
from survey.respond.screens import Preview, Screen, offered_languages, render, show_in, show_step


@bp.route("/workshops/<slug>/preview/<wave>/<group>/<language>", methods=["GET", "POST"])
@bp.route("/workshops/<slug>/preview/<wave>/<group>/<language>/<page>", methods=["GET", "POST"])
@workshop_role_required(Role.ORGANISER)
def preview(workshop: Workshop, wave: str, group: str, language: str, page: str | None = None):
    """The questionnaire as a participant of a group would see it, in any language; posting a
    page checks it and moves on, but nothing is ever stored."""
    wave_row = workshop.wave(wave)
    if wave_row is None or workshop.group(group) is None:
        abort(404)
    instrument = wave_row.instrument_version.instrument
    if language not in offered_languages(instrument):
        abort(404)
    return previewed(instrument, Preview(workshop, wave, group, language, instrument), page)


def previewed(instrument: Instrument, info: Preview, page: str | None):
    """A page of the preview that `info` describes (its wave, group and language, which the
    caller has checked, and its links): shown, or checked when posted; 404 for a page that
    the wave does not have."""
    wave, group, language = info.wave, info.group, info.language
    show_in(language)  # the preview's own, whatever the staff member's session says
    steps = wave_steps(instrument, wave, ask_consent=True)
    index = 0 if page is None else find_step(steps, page)
    if index is None:
        abort(404)
    step = steps[index]
    screen = Screen(
        instrument=instrument,
        wave=wave,
        group=group,
        language=language,
        url=info.url,
        ticket="",
        preview=info,
        workshop=info.workshop,
        display_seed=new_display_seed(),  # an order drawn as for a participant, anew each time
        returning=request.args.get("return") == REVIEW,
    )
    if request.method == "GET":
        return show_step(screen, steps, step)
    if step.code == REVIEW:
        return render(
            "thanks.html",
            instrument=instrument,
            heading=heading(info.workshop, instrument, language),
            preview=info,
            to_come_title=None,
            workshop=info.workshop,
        )
    direction = request.form.get("nav", "next")
    if direction not in DIRECTIONS:
        abort(400)
    if step.code == CONSENT:
        form = ConsentForm(formdata=request.form)
    else:
        handlers = page_handlers(step.page, instrument, language, group)
        required = direction in ("next", REVIEW)
        form = page_form(handlers, formdata=request.form, enforce_required=required)
    if not form.validate():
        return show_step(screen, steps, step, form=form, status=422)
    return redirect(info.url(target_step(steps, step, direction).code))
