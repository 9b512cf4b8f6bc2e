"""Language and time zone selection for Flask-Babel."""

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
