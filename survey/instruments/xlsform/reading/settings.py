"""The settings sheet (its one row: the key, version, title, default language and
non-response code) and the languages of the document (docs/instrument-format.md, "XLSForm")."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from survey.instruments.kinds.values import DocPath
from survey.instruments.xlsform.languages import default_language_code
from survey.instruments.xlsform.reading.choices import non_response_choice_labels
from survey.instruments.xlsform.sheets import SETTINGS, SURVEY, TEXTS
from survey.instruments.xlsform.workbook import Place, Row

if TYPE_CHECKING:
    from survey.instruments.xlsform.reading.document import WorkbookReading


def settings_row(reading: WorkbookReading) -> Row | None:
    """The settings sheet's row of values; None when there is none (reported)."""
    sheet = reading.sheets.get(SETTINGS)
    if sheet is None:
        return None
    if not sheet.rows:
        reading.report(sheet.place(), "the settings sheet needs a row of values under its headers")
        return None
    for extra in sheet.rows[1:]:
        reading.report(extra.place(), "the settings sheet has one row of values")
    return sheet.rows[0]


def setting(
    reading: WorkbookReading, settings: Row | None, column: str, path: DocPath
) -> str | None:
    """A setting the document needs, remembered at `path`; a missing one is reported."""
    if settings is None:
        return None
    value = settings.text(column)
    if value is None:
        reading.report(
            settings.place(column) if settings.sheet.has(column) else settings.place(),
            f"missing {column}",
        )
    else:
        reading.places[path] = settings.place(column)
    return value


def read_languages(reading: WorkbookReading, settings: Row | None) -> None:
    """The document's languages: those of the survey's labels, the default first."""
    if settings is not None and (written := settings.text("default_language")):
        reading.default_language = default_language_code(written)
        if reading.default_language is None:
            reading.report(
                settings.place("default_language"),
                f"{written!r} names no language: write it as Name (code), e.g. English (en)",
            )
    survey = reading.sheets.get(SURVEY)
    if survey is None:
        return
    languages = [language for language, _ in reading.columns(survey, "label")]
    if not languages:
        reading.report(survey.place(), "no label column: add label::English (en) and the like")
    default = reading.default_language
    if default is not None and default in languages:
        languages.remove(default)
        languages.insert(0, default)
    elif default is not None and languages:
        reading.report(
            settings.place("default_language"),
            f"the default language {default!r} has no label column in the survey sheet",
        )
    reading.languages = languages
    for language, header in reading.columns(survey, "label"):
        reading.places[("languages", languages.index(language))] = survey.place(header)


def settings_titles(reading: WorkbookReading, settings: Row | None) -> dict[str, str] | None:
    """The title from settings: form_title (the default language) and form_title::…."""
    if settings is None:
        return None
    return reading.translated(settings, "form_title", ("titles",))


def read_non_response(reading: WorkbookReading, settings: Row | None, labels: dict) -> dict:
    """The document's `non_response`: the code from settings, the labels from the texts
    sheet's row (given as `labels`), else from the non-response choice of a scale's list."""
    if settings is not None:
        reading.non_response_code = reading.integer(settings, "non_response_code")
    non_response: dict[str, Any] = {}
    if reading.non_response_code is not None:
        non_response["code"] = reading.non_response_code
        reading.places[("non_response", "code")] = settings.place("non_response_code")
    elif settings is not None:
        reading.report(
            settings.place("non_response_code")
            if settings.sheet.has("non_response_code")
            else settings.place(),
            "missing non_response_code (the code stored for “Prefer not to answer”, -9)",
        )
    labels = labels.get("labels") or non_response_choice_labels(reading)
    if labels:
        non_response["labels"] = labels
        reading.non_response_labels = labels
    elif reading.choices_readable:
        place = Place(TEXTS)
        reading.places[("non_response",)] = place
        reading.report(
            place,
            "no label for “Prefer not to answer”: add a row non_response.labels, or a "
            "choice named after the non_response_code to a scale's list",
        )
    return non_response
