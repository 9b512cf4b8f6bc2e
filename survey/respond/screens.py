"""Rendering the participant's pages, shared by the questionnaire and the organisers' preview:
the page's language (and direction), and each step (consent, a question page, review) with
its progress, navigation and resume ticket."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache

from flask import (
    current_app,
    g,
    get_template_attribute,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_date, format_time, get_timezone, refresh
from flask_babel import lazy_gettext as _l

from survey.i18n import SESSION_LANGUAGE, language_name, text_direction
from survey.instruments import Instrument
from survey.memo import Kept
from survey.models import Wave, Workshop
from survey.respond import answers as store
from survey.respond.fields import Row
from survey.respond.flow import CONSENT, REVIEW, Opening, Step, find_step, progress
from survey.respond.forms import AGREE_REQUIRED, ConsentForm
from survey.respond.headings import heading
from survey.respond.pages import page_form, page_handlers, paragraphs, review_sections
from survey.respond.tickets import issue_ticket
from survey.respond.visit_reads import Visit

# --------------------------------------------------------------------------- language


def offered_languages(instrument: Instrument | None) -> list[str]:
    """The instrument's languages that the interface speaks too."""
    configured = current_app.config["LANGUAGES"]
    offered = instrument.languages if instrument else configured
    return [language for language in offered if language in configured]


def use_language(instrument: Instrument | None, *preferred: str | None) -> str:
    """Choose the page's language: the one chosen in this session, else the preferred ones
    (the response's, the roster's), else the browser's; and render everything in it."""
    allowed = offered_languages(instrument)
    candidates = (session.get(SESSION_LANGUAGE), *preferred)
    language = next((c for c in candidates if c in allowed), None)
    return show_in(language or request.accept_languages.best_match(allowed) or allowed[0])


def show_in(language: str) -> str:
    """Render this request in `language`: Flask-Babel's locale and base.html's lang and dir."""
    g.language = g.page_language = language
    refresh()  # Flask-Babel caches the locale per request
    return language


def visit_language(visit: Visit) -> str:
    """Choose and use the language of a visit's pages (see use_language)."""
    response_language = visit.response.language if visit.response else None
    return use_language(visit.instrument, response_language, visit.participant.language)


# --------------------------------------------------------------------------- pages


def render(template: str, status: int = 200, **context):
    """A template of templates/respond/ with the language switch's data."""
    return render_template(f"respond/{template}", **_page_context(context)), status


def _page_context(context: dict) -> dict:
    """The context with the page's language, its direction and the language switch's data."""
    instrument = context.get("instrument")
    context.setdefault("language", g.get("language") or "en")
    context.setdefault(
        "languages",
        [(code, language_name(code, code)) for code in offered_languages(instrument)],
    )
    context.setdefault("direction", text_direction(context["language"]))
    return context


def invalid_link():
    """The page of a link that does not work (404)."""
    # The same page and status for unknown, revoked and withdrawn links: no hint whether a
    # link ever existed (and no path in it that would differ between them).
    use_language(None)
    return render("invalid_link.html", 404, language_next=url_for("respond.start"))


def link_replaced():
    """The page of a session whose link was replaced by a new one, or withdrawn (404): the
    participant knows they had a link, so they are told what to open instead."""
    use_language(None)
    return render("link_replaced.html", 404)


def session_ended():
    """The page asking to open the personal link again (403)."""
    use_language(None)
    return render("session_ended.html", 403)


def when(moment) -> str:
    """A moment in the workshop's time zone (g.timezone), in the page's language, zone named."""
    return f"{format_date(moment, 'full')}, {format_time(moment, 'short')} ({get_timezone()})"


def window(
    opening: Opening,
    wave: Wave | None,
    instrument: Instrument | None,
    workshop: Workshop,
    closed: Wave | None = None,
    findings: str | None = None,
):
    """The page of a wave that accepts no answers now: when it opens, or that it has closed
    (and, before one that opens later, that the `closed` one before it has); with the address
    of the findings shared with the participant, when there are any."""
    g.timezone = workshop.timezone
    language = g.language
    return render(
        "window.html",
        opening=opening.value,
        wave_title=instrument.wave_title(wave.code, language) if instrument and wave else "",
        closed_title=instrument.wave_title(closed.code, language) if instrument and closed else "",
        opens=when(wave.opens_at) if wave and wave.opens_at else None,
        heading=heading(workshop, instrument, language),
        instrument=instrument,
        workshop=workshop,
        findings=findings,
    )


class Preview:
    """The organisers' preview: its banner and its links (which carry group and language).
    `endpoint` and `values` name the view the links lead to (a workshop's preview, or the
    instrument library's)."""

    def __init__(
        self,
        workshop: Workshop | None,
        wave: str,
        group: str,
        language: str,
        instrument,
        *,
        endpoint: str = "respond.preview",
        **values,
    ):
        self.workshop = workshop
        self.wave = wave
        self.group = group
        self.language = language
        self.group_name = instrument.group(group).name(language)
        self.wave_title = instrument.wave_title(wave, language)
        self.groups = [(g.code, instrument.group(g.code).name(language)) for g in instrument.groups]
        self.privacy_url = url_for("respond.privacy")
        self.endpoint = endpoint
        self.values = values if workshop is None else {"slug": workshop.slug, **values}

    def url(
        self, page: str | None = None, *, group: str | None = None, language: str | None = None
    ) -> str:
        return url_for(
            self.endpoint,
            **self.values,
            wave=self.wave,
            group=group or self.group,
            language=language or self.language,
            page=page,
        )


@dataclass
class Screen:
    """Everything a participant page (or its preview) needs besides the step itself."""

    instrument: Instrument
    wave: str
    group: str
    language: str
    url: Callable[[str], str]  # page code -> URL
    ticket: str  # the resume ticket ("" in the preview and in the wave's steps)
    preview: Preview | None = None
    stored: Mapping[str, Mapping[str, Row]] = field(default_factory=dict)
    consented: bool = False
    workshop: Workshop | None = None  # what heads the pages (none: a library preview)
    display_seed: int | None = None  # the orders drawn for the response (None: instrument's)
    returning: bool = False  # opened with "Change" on the review page: go back there next
    # The wave's steps for the script (steps_document): blank forms, no token of any kind, so
    # that one rendering serves everyone who sees the same steps.
    blank: bool = False

    @classmethod
    def of(cls, visit: Visit, language: str, ticket: str | None = None) -> Screen:
        """The screen of a participant's visit, with a fresh ticket unless one is given."""
        response = visit.response
        wave = visit.wave.code
        return cls(
            instrument=visit.instrument,
            wave=wave,
            group=visit.group,
            language=language,
            url=lambda code: url_for("respond.page", wave=wave, page=code),
            ticket=ticket or issue_ticket(response.id, wave, visit.invitation_id),
            stored=store.stored_rows(response.id),
            consented=response.consent_at is not None,
            workshop=visit.workshop,
            display_seed=response.display_seed,
            returning=request.args.get("return") == REVIEW,
        )


def show_step(
    screen: Screen, steps, step: Step, *, form=None, notice: str | None = None, status: int = 200
):
    """Render a step: the consent page, a question page or the review page."""
    template, context = _step(screen, steps, step, form=form, notice=notice)
    return render(template, status, **context)


def page_content(template: str, **context) -> str:
    """A page of templates/respond/ without its layout (its `content` block), for the script
    to show in place of the one it is on."""
    return _render_block(template, "content", context).strip()


def page_title_text(title: str, heading) -> str:
    """A page's <title> as its layout writes it (the macro of respond/_title.html), in plain
    text: the script sets the document's title to it when it shows the page in place."""
    title_text = get_template_attribute("respond/_title.html", "page_title_text")
    return title_text(title, heading, False).unescape()  # the macro's Markup, unescaped


def step_section(screen: Screen, steps, step: Step, *, form=None) -> str:
    """A step as the section the questionnaire's script shows in place of a page: the page's
    content without its layout (a page saved in the background, shown again with its errors)."""
    template, context = _step(screen, steps, step, form=form)
    return page_content(template, **context)


def steps_document(screen: Screen, steps) -> str:
    """Every step of the wave as blank sections, for the script to show the next page at once
    and to keep the participant answering offline; `screen` must be blank (Screen.blank)."""
    assert screen.blank and not screen.ticket and not screen.stored, "tokens or answers"
    return "".join(step_section(screen, steps, step) for step in steps)


#: Blank steps rendered in this process, by what they show (see steps_document); bounded.
_BLANK_STEPS: Kept[tuple, str] = Kept(256)


def _blank_steps(visit: Visit, language: str, steps) -> str:
    """The wave's steps as anyone who sees them in this language would get them, blank (the
    workshop's title in their titles: the key of _BLANK_STEPS holds it)."""
    blank = Screen(
        instrument=visit.instrument,
        wave=visit.wave.code,
        group=visit.group,
        language=language,
        url=lambda code: url_for("respond.page", wave=visit.wave.code, page=code),
        ticket="",
        # Each step's title names the workshop, as on the page the participant arrived on: a
        # page shown by the script would otherwise be titled with the questionnaire's title.
        workshop=visit.workshop,
        blank=True,
    )
    return steps_document(blank, steps)


def wave_steps_for(visit: Visit, language: str) -> dict:
    """What the page's script needs to show every step of the visit's wave at once: the
    blank sections (`html`, one rendering per process for everyone who sees the same steps in
    the same language) and what fills them for this participant: the stored answers as the
    forms post them (`values`: step -> [name, value] pairs), the pages' revisions (`revisions`)
    and the orders drawn for them (`orders`: question -> items, where they differ from the
    blank's). `response` names the response (it is no secret), to keep unsent saves apart."""
    response = visit.response
    steps = visit.steps()
    key = (
        response.instrument_version_id,
        visit.wave.code,
        visit.group,
        language,
        tuple((s.code, tuple(q.code for q in s.page.questions) if s.page else ()) for s in steps),
        visit.workshop.title,
    )
    html = _BLANK_STEPS.get(key, lambda: _blank_steps(visit, language, steps))
    stored = store.stored_rows(response.id)
    values: dict[str, list[tuple[str, str]]] = {}
    orders: dict[str, list[str]] = {}
    for step in steps:
        if step.code == CONSENT:
            values[CONSENT] = [("agree", "y")] if response.consent_at is not None else []
        # A page holds nothing to fill unless something is stored, or a ranking is there to
        # list its items in the order drawn for this response.
        questions = step.page.questions if step.page else ()
        if not any(q.code in stored or q.kind.ranking for q in questions):
            continue
        handlers = page_handlers(
            step.page, visit.instrument, language, visit.group, response.display_seed
        )
        form = page_form(handlers, stored=stored)
        values[step.code] = form.values()
        for answer in form:
            order = [choice.value for choice in answer.ordered_items()]
            if order != [choice.value for choice in answer.choices]:
                orders[answer.question.code] = order
    return {
        "html": html,
        "values": values,
        "revisions": response.page_revisions or {},
        "orders": orders,
        "response": response.id,
        "words": _save_words(language),
    }


@cache
def _save_words(language: str) -> dict[str, str]:
    """SAVE_WORDS in a language (the request's locale is that language)."""
    return {key: str(text) for key, text in SAVE_WORDS.items()}


#: What the script says about the saves, in the page's language (survey.respond.replies).
SAVE_WORDS = {
    "saving": _l("Saving…"),
    "saved": _l("Saved"),
    "retry": _l("Not saved yet, will retry"),
    "offline": _l(
        "Offline: your answers are kept on this device and saved when the connection is back."
    ),
    "waiting": _l("Your answers will be submitted as soon as every page is saved."),
    "problem": _l("Please check your answers on:"),
    "stale": _l("Newer answers to this page were saved from another device: they are shown now."),
}


def _render_block(template: str, block: str, context: dict) -> str:
    """One block of a template of templates/respond/, rendered with render()'s context."""
    app = current_app._get_current_object()
    context = _page_context(context)
    app.update_template_context(context)
    compiled = app.jinja_env.get_template(f"respond/{template}")
    return "".join(compiled.blocks[block](compiled.new_context(context)))


def _step(screen: Screen, steps, step: Step, *, form=None, notice: str | None = None):
    """The template of a step and its context."""
    instrument, language = screen.instrument, screen.language
    forms = instrument.forms(language, screen.group)
    index = find_step(steps, step.code)
    returning = screen.returning and step.code != REVIEW
    context = {
        "instrument": instrument,
        "heading": heading(screen.workshop, instrument, language),
        "wave_title": instrument.wave_title(screen.wave, language),
        "progress": progress(steps, step.code),
        "ticket": screen.ticket,
        "blank": screen.blank,
        # After "Change", the page stays on its way back to the review: when it is shown again
        # with its errors, or in another language.
        "action": screen.url(step.code) + (f"?return={REVIEW}" if returning else ""),
        "back_url": screen.url(steps[index - 1].code) if index else None,
        "preview": screen.preview,
        "notice": notice,
        "step_code": step.code,
        "returning": returning,
        # The script's way to the wave's other steps: a participant's page only.
        "steps_url": url_for("respond.steps", wave=screen.wave) if screen.ticket else None,
    }
    if step.code == CONSENT:
        consent = instrument.consent
        return "consent.html", {
            "form": form or ConsentForm(formdata=None, data={"agree": screen.consented}),
            "page_title": consent.title(language),
            "consent_text": paragraphs(consent.text(language)),
            "agree_label": consent.agree(language),
            "agree_required": AGREE_REQUIRED,
            "carry_form": "consent-form",  # the switch posts with the step's ticket (_language)
            "privacy_url": screen.preview.privacy_url
            if screen.preview
            else url_for("respond.privacy"),
            **context,
        }
    if step.code == REVIEW:
        review = instrument.review
        sections = review_sections(
            steps, instrument, language, screen.group, screen.stored, screen.url
        )
        return "review.html", {
            "page_title": review.title(language, forms),
            "intro": review.intro(language, forms),
            "sections": sections,
            "carry_form": "review-form",  # as consent's
            **context,
        }
    handlers = page_handlers(step.page, instrument, language, screen.group, screen.display_seed)
    return "page.html", {
        "form": form or page_form(handlers, stored=screen.stored),
        "page_title": step.page.title(language, forms),
        "intro": step.page.intro(language, forms),
        "carry_form": "answers",  # the language switch saves the page's answers (_language.html)
        **context,
    }
