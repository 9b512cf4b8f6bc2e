"""Language and time zone selection for Flask-Babel, and languages' names."""

from functools import cache

from babel import Locale, UnknownLocaleError
from flask import current_app, g, request, session

RTL_LANGUAGES = frozenset({"ur"})
SESSION_LANGUAGE = "language"


def select_locale() -> str:
    """The participant's or staff member's chosen language, else the browser's best match."""
    languages = current_app.config["LANGUAGES"]
    chosen = g.get("language") or session.get(SESSION_LANGUAGE)
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or languages[0]


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
