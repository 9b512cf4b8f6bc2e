"""Language and time zone selection for Flask-Babel, and languages' names."""

from functools import cache

from babel import Locale, UnknownLocaleError
from flask import current_app, g, request, session

RTL_LANGUAGES = frozenset({"ur"})
SESSION_LANGUAGE = "language"
#: The staff console is written in English; participants' pages, their opt-out page and the
#: error pages of addresses that belong to no page are translated.
CONSOLE_LANGUAGE = "en"
PARTICIPANT_BLUEPRINTS = frozenset({"respond"})
PARTICIPANT_ENDPOINTS = frozenset({"mail.opt_out"})


def select_locale() -> str:
    """The language a view chose (a participant's page, a paper questionnaire), else English
    in the staff console, else the participant's chosen language, else the browser's best
    match."""
    languages = current_app.config["LANGUAGES"]
    if g.get("language") in languages:
        return g.language
    if in_console():
        return CONSOLE_LANGUAGE
    chosen = session.get(SESSION_LANGUAGE)
    if chosen in languages:
        return chosen
    return browser_language(languages) or languages[0]


def in_console() -> bool:
    """Whether the request is for a page of the staff console."""
    blueprint = request.blueprint
    return (
        blueprint is not None
        and blueprint not in PARTICIPANT_BLUEPRINTS
        and request.endpoint not in PARTICIPANT_ENDPOINTS
    )


def browser_language(offered) -> str | None:
    """The browser's preferred language among `offered`, if any."""
    return request.accept_languages.best_match(offered)


def select_timezone() -> str | None:
    """The time zone of the workshop being shown (set by its views), else UTC."""
    return g.get("timezone")


def text_direction(language: str) -> str:
    return "rtl" if language in RTL_LANGUAGES else "ltr"


@cache  # on every participant page (its language switch): Babel's lookup costs ~8 µs a name
def language_name(code: str, in_language: str = "en") -> str:
    """A language's name in another language ("ur" in English: "Urdu"; in French: "Ourdou"),
    or in itself with `in_language=code` ("اردو", "Français"), as a switch between languages
    shows it; the code itself where Babel does not know it."""
    try:
        name = Locale.parse(code.replace("-", "_")).get_display_name(in_language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return code
    return name[:1].upper() + name[1:] if name else code
