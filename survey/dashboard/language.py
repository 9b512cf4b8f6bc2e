"""The dashboard's language: the one its findings and headline are written in."""

from __future__ import annotations

from survey.i18n import language_name
from survey.instruments import Instrument

# The query argument that asks for a language (?lang=fr); kept in the tabs' addresses.
LANGUAGE_ARG = "lang"


def dashboard_language(instrument: Instrument, asked: str | None, preferred: str | None) -> str:
    """The language asked for in the address, else the staff member's browser's, when the
    instrument has it; else the instrument's default language. (The console around the
    findings is in English whatever the browser asks for: survey.i18n.select_locale.)"""
    for language in (asked, preferred):
        if language in instrument.languages:
            return language
    return instrument.default_language


def language_choices(instrument: Instrument) -> list[tuple[str, str]]:
    """The instrument's languages with their own names, the default first."""
    return [(code, language_name(code, code)) for code in instrument.languages]
