"""Rendering the participant's pages, shared by the questionnaire and the organisers' preview:
the page's language (and direction), and each step (consent, a question page, review) with
its progress, navigation and resume ticket."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from flask import current_app, g, render_template, request, session, url_for
from flask_babel import format_date, format_time, get_timezone, refresh

from survey.i18n import SESSION_LANGUAGE, text_direction
from survey.instruments import Instrument
from survey.models import Wave, Workshop
from survey.respond import answers as store
from survey.respond.answers import Visit
from survey.respond.fields import Row
from survey.respond.flow import CONSENT, REVIEW, Opening, Step, find_step, progress
from survey.respond.forms import ConsentForm
from survey.respond.headings import heading
from survey.respond.pages import page_form, page_handlers, paragraphs, review_sections
from survey.respond.tickets import issue_ticket

#: Native names of the interface languages, shown in the language switch.
LANGUAGE_NAMES = {"en": "English", "ur": "اردو", "fr": "Français"}


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
    instrument = context.get("instrument")
    context.setdefault("language", g.get("language") or "en")
    context.setdefault(
        "languages",
        [(code, LANGUAGE_NAMES.get(code, code)) for code in offered_languages(instrument)],
    )
    context.setdefault("direction", text_direction(context["language"]))
    return render_template(f"respond/{template}", **context), status


def invalid_link():
    """The page of a link that does not work (404)."""
    # The same page and status for unknown, revoked and withdrawn links: no hint whether a
    # link ever existed (and no path in it that would differ between them).
    use_language(None)
    return render("invalid_link.html", 404, language_next=url_for("respond.start"))


def session_ended():
    """The page asking to open the personal link again (403)."""
    use_language(None)
    return render("session_ended.html", 403)


def when(moment) -> str:
    """A moment in the workshop's time zone (g.timezone), in the page's language, zone named."""
    return f"{format_date(moment, 'full')}, {format_time(moment, 'short')} ({get_timezone()})"


def window(opening: Opening, wave: Wave | None, instrument: Instrument | None, workshop: Workshop):
    """The page of a wave that accepts no answers now: when it opens, or that it has closed."""
    g.timezone = workshop.timezone
    language = g.language
    return render(
        "window.html",
        opening=opening.value,
        wave_title=instrument.wave_title(wave.code, language) if instrument and wave else "",
        opens=when(wave.opens_at) if wave and wave.opens_at else None,
        heading=heading(workshop, instrument, language),
        instrument=instrument,
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
    ticket: str  # the resume ticket ("" in the preview)
    preview: Preview | None = None
    stored: Mapping[str, Mapping[str, Row]] = field(default_factory=dict)
    consented: bool = False
    workshop: Workshop | None = None  # what heads the pages (none: a library preview)

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
        )


def show_step(
    screen: Screen, steps, step: Step, *, form=None, notice: str | None = None, status: int = 200
):
    """Render a step: the consent page, a question page or the review page."""
    instrument, language = screen.instrument, screen.language
    forms = instrument.forms(language, screen.group)
    index = find_step(steps, step.code)
    context = {
        "instrument": instrument,
        "heading": heading(screen.workshop, instrument, language),
        "wave_title": instrument.wave_title(screen.wave, language),
        "progress": progress(steps, step.code),
        "ticket": screen.ticket,
        "action": screen.url(step.code),
        "back_url": screen.url(steps[index - 1].code) if index else None,
        "preview": screen.preview,
        "notice": notice,
        "step_code": step.code,
    }
    if step.code == CONSENT:
        consent = instrument.consent
        return render(
            "consent.html",
            status,
            form=form or ConsentForm(formdata=None, data={"agree": screen.consented}),
            page_title=consent.title(language),
            consent_text=paragraphs(consent.text(language)),
            agree_label=consent.agree(language),
            privacy_url=screen.preview.privacy_url
            if screen.preview
            else url_for("respond.privacy"),
            **context,
        )
    if step.code == REVIEW:
        review = instrument.review
        sections = review_sections(
            steps, instrument, language, screen.group, screen.stored, screen.url
        )
        return render(
            "review.html",
            status,
            page_title=review.title(language, forms),
            intro=review.intro(language, forms),
            sections=sections,
            **context,
        )
    handlers = page_handlers(step.page, instrument, language, screen.group)
    return render(
        "page.html",
        status,
        form=form or page_form(handlers, stored=screen.stored),
        page_title=step.page.title(language, forms),
        intro=step.page.intro(language, forms),
        carry_form="answers",  # the language switch saves the page's answers (_language.html)
        **context,
    )
