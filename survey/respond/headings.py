"""What heads a participant's pages, cards and privacy notice: the workshop they take part in
(its title, place and dates), then the questionnaire's title, which is secondary."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from babel.dates import format_date, format_interval
from flask_babel import get_locale

from survey.i18n import text_direction
from survey.instruments import Instrument
from survey.models import Workshop
from survey.text import in_arabic_script


@dataclass(frozen=True)
class Details:
    """A workshop's place, typed by the organisers in any script, and its dates in a language;
    "" where unknown. Apart, so that a page or card can isolate the place's direction
    (templates/_macros.html, place_and_dates): "Islamabad" before an Urdu date would otherwise
    take the day's digits into its left-to-right run ("2026 دسمبر Islamabad · 2–3")."""

    place: str = ""
    dates: str = ""

    def __bool__(self) -> bool:
        return bool(self.place or self.dates)


@dataclass(frozen=True)
class Heading:
    title: str  # the workshop's title (the questionnaire's, where there is no workshop)
    details: Details  # its place and dates, in the page's language
    questionnaire: str  # the questionnaire's title, where it differs from `title`
    # The title's language where it is not the page's: "" (unknown) for a title in Latin letters
    # on an Urdu page, so that it is not set in Nastaliq with Nastaliq's tall lines; else None.
    title_lang: str | None = None


def heading(workshop: Workshop | None, instrument: Instrument | None, language: str) -> Heading:
    """The heading of a participant page in `language` (a preview of a questionnaire that no
    workshop uses yet has only the questionnaire's title)."""
    questionnaire = instrument.title(language) if instrument else ""
    if workshop is None:
        return Heading(questionnaire, Details(), "")
    latin_on_urdu = text_direction(language) == "rtl" and not in_arabic_script(workshop.title)
    return Heading(
        workshop.title,
        workshop_details(workshop, language),
        questionnaire if questionnaire != workshop.title else "",
        "" if latin_on_urdu else None,
    )


def workshop_details(workshop: Workshop, language: str | None = None) -> Details:
    """The workshop's place and dates ("Lahore", "3–4 Mar 2027") in a language (by default the
    page's), as far as they are known."""
    locale = language or str(get_locale() or "en")
    return Details(workshop.place or "", _dates(workshop.starts_on, workshop.ends_on, locale))


def _dates(starts: date | None, ends: date | None, locale: str) -> str:
    if starts and ends and ends != starts:
        return format_interval(starts, ends, "yMMMd", locale=locale)
    day = starts or ends
    return format_date(day, "medium", locale=locale) if day else ""
