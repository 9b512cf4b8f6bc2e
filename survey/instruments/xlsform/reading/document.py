"""One workbook being read: its problems, its cells read as yes/no, whole numbers and
translated texts (each remembered at its place), and the document that the parts of the
workbook give together (docs/instrument-format.md, "XLSForm")."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from survey.instruments.kinds.values import DocPath
from survey.instruments.problems import listing
from survey.instruments.xlsform.languages import LanguageColumnError, language_of
from survey.instruments.xlsform.reading.cells import whole_number, yes_or_no
from survey.instruments.xlsform.reading.choices import (
    list_codes,
    question_options,
    read_choices,
    read_yes_no,
)
from survey.instruments.xlsform.reading.extra_sheets import (
    read_groups,
    read_scores,
    read_texts,
    read_waves,
)
from survey.instruments.xlsform.reading.path_sheets import read_analysis, read_metadata
from survey.instruments.xlsform.reading.scales import likert_scale, read_scales_sheet
from survey.instruments.xlsform.reading.settings import (
    read_languages,
    read_non_response,
    setting,
    settings_row,
    settings_titles,
)
from survey.instruments.xlsform.reading.survey import SurveyRow, read_pages
from survey.instruments.xlsform.sheets import (
    ANALYSIS,
    COLUMNS,
    IGNORED_BASES,
    IGNORED_SETTINGS,
    LANGUAGE_BASES,
    METADATA,
    REQUIRED_SHEETS,
    SCORES,
    SETTINGS,
)
from survey.instruments.xlsform.workbook import Place, Row, Sheet


class WorkbookReading:
    """One workbook being read: the document it gives, the place of each of its parts, and
    the problems of the workbook itself."""

    def __init__(self, sheets: Mapping[str, Sheet]) -> None:
        self.sheets = sheets
        self.problems: list[tuple[Place, str]] = []
        self.places: dict[DocPath, Place] = {}
        # For a translated text: the column of each language, to name the one that is missing.
        self.language_places: dict[DocPath, dict[str, Place]] = {}
        self.languages: list[str] = []
        self.default_language: str | None = None
        self.non_response_code: int | None = None
        self.non_response_labels: dict[str, str] | None = None
        self.lists: dict[str, list[Row]] = {}
        self.list_places: dict[str, Place] = {}
        self.scales: dict[str, dict] = {}
        # The question whose row the kinds are reading: where its options are remembered.
        self.question_path: DocPath = ()
        # False when the choices sheet lacks a column: its lists are reported missing no more.
        self.choices_readable = True
        # A sheet or column missing: the document cannot be read well enough to be checked.
        self.unreadable = False
        self._language_columns: dict[str, dict[str, list[tuple[str, str]]]] = {}

    # ------------------------------------------------------------------ reporting

    def report(self, place: Place, message: str) -> None:
        """Note a problem of the workbook at its place."""
        self.problems.append((place, message))

    def flag(self, row: Row, column: str) -> bool | None:
        """A yes/no cell (yes, no, true, false, TRUE, FALSE); None when empty or unreadable."""
        value = row.value(column)
        if value is None or isinstance(value, bool):
            return value
        flag = yes_or_no(str(value))
        if flag is None:
            self.report(row.place(column), f"{row.text(column)!r} is not yes or no")
        return flag

    def integer(self, row: Row, column: str) -> int | None:
        """A whole-number cell; None when empty or unreadable."""
        value = row.value(column)
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        number = whole_number(str(value).strip())
        if number is None:
            self.report(row.place(column), f"{row.text(column)!r} is not a whole number")
        return number

    # ------------------------------------------------------------------ what the kinds use

    def list_codes(self, name: str | None) -> list[str] | None:
        """The names of a choice list, None when there is no such list."""
        return list_codes(self, name)

    def options(self, row: SurveyRow, key: str) -> list[dict]:
        """The row's list as the question's options (or items, as `key` says), with text
        codes, each remembered at its choices row."""
        return question_options(self, row, key)

    def labelled_scale(self, row: SurveyRow) -> str | None:
        """The labelled scale a likert row's list defines (added on first use)."""
        return likert_scale(self, row)

    def scale(self, name: str | None) -> Mapping[str, Any]:
        """A scale read so far, by name; empty for none."""
        return self.scales.get(name or "", {})

    # ------------------------------------------------------------------ the document

    def document(self) -> dict:
        """The instrument document of the workbook (problems of the workbook are collected)."""
        for name, holds in REQUIRED_SHEETS.items():
            if name not in self.sheets:
                self.report(Place(name), f"missing sheet {name!r} ({holds})")
                self.unreadable = True
        for sheet in self.sheets.values():
            for header, place in sheet.duplicates:
                self.report(place, f"the column {header!r} appears twice")
            for cells in sheet.merged if sheet.name.lower() in COLUMNS else ():
                self.report(
                    Place(sheet.name),
                    f"cells {cells} are merged: unmerge them and fill each cell (a reader finds"
                    " the text in the first cell only)",
                )
            self._check_columns(sheet)
        settings = settings_row(self)
        read_languages(self, settings)
        read_choices(self)
        document: dict[str, Any] = {
            "key": setting(self, settings, "form_id", ("key",)),
            "version": setting(self, settings, "version", ("version",)),
        }
        texts = read_texts(self)
        titles = texts.pop("titles", None) or settings_titles(self, settings)
        if titles is not None:
            document["titles"] = titles
        document["languages"] = list(self.languages)
        rtl = settings.text("rtl_languages") if settings else None
        if rtl is not None:
            document["rtl_languages"] = rtl.split()
            self.places[("rtl_languages",)] = settings.place("rtl_languages")
        if METADATA in self.sheets:
            document["metadata"] = read_metadata(self)
        document["groups"] = read_groups(self)
        if "neutral_forms" in texts:
            document["neutral_forms"] = texts.pop("neutral_forms")
        document["waves"] = read_waves(self)
        non_response = read_non_response(self, settings, texts.pop("non_response", {}))
        if non_response:
            document["non_response"] = non_response
        yes_no = read_yes_no(self)
        if yes_no is not None:
            document["yes_no"] = yes_no
        read_scales_sheet(self)
        pages = read_pages(self)  # adds the scales its likert questions use
        document["scales"] = self.scales
        consent_version = settings.text("consent_version") if settings else None
        consent = texts.pop("consent", {})
        if consent_version is not None:
            consent = {"version": consent_version, **consent}
            self.places[("consent", "version")] = settings.place("consent_version")
        if consent:
            document["consent"] = consent
        if "review" in texts:
            document["review"] = texts.pop("review")
        document["pages"] = pages
        if SCORES in self.sheets:
            document["scores"] = read_scores(self)
        if ANALYSIS in self.sheets:
            document["analysis"] = read_analysis(self)
        return document

    # ------------------------------------------------------------------ columns

    def _check_columns(self, sheet: Sheet) -> None:
        """Report a filled column that the sheet does not have (its content would be lost)."""
        key = sheet.name.lower()
        if key not in COLUMNS:
            return  # a sheet of its own (notes, instructions): not read
        bases = LANGUAGE_BASES.get(key, ())
        for header in sheet.headers:
            base = header.partition("::")[0]
            if header in COLUMNS[key] or base in bases:
                continue
            if base in IGNORED_BASES or (key == SETTINGS and header in IGNORED_SETTINGS):
                continue
            filled = next((row for row in sheet.rows if row.value(header) is not None), None)
            if filled is not None:
                self.report(
                    filled.place(header),
                    f"the column {header!r} is not read here (columns of {sheet.name}: "
                    f"{listing(COLUMNS[key] + tuple(f'{b}::…' for b in bases))})",
                )

    def columns(self, sheet: Sheet, base: str) -> list[tuple[str, str]]:
        """The (language, header) of each `base::Language (code)` column of a sheet; a plain
        `base` column is in the default language."""
        per_sheet = self._language_columns.setdefault(sheet.name, {})
        if base in per_sheet:
            return per_sheet[base]
        found = []
        for header in sheet.headers:
            if header == base:
                if self.default_language is None:
                    self.report(
                        sheet.place(header),
                        f"the column {base!r} has no language: name it {base}::English (en), "
                        "or give default_language in settings",
                    )
                else:
                    found.append((self.default_language, header))
                continue
            try:
                language = language_of(header, base)
            except LanguageColumnError as error:
                self.report(sheet.place(header), str(error))
                continue
            if language is not None:
                if any(language == seen for seen, _ in found):
                    self.report(sheet.place(header), f"a second column for language {language!r}")
                    continue
                found.append((language, header))
        per_sheet[base] = found
        return found

    def translated(self, row: Row, base: str, path: DocPath) -> dict[str, str] | None:
        """The row's texts of `base` by language (None when it has none), remembering where
        each one is."""
        columns = self.columns(row.sheet, base)
        texts = {}
        for language, header in self.ordered(columns):
            text = row.translation(header)
            if text is not None:
                texts[language] = text
                self.places[(*path, language)] = row.place(header)
        if not texts:
            return None
        self.places[path] = row.place(columns[0][1] if len(columns) == 1 else None)
        self.language_places[path] = {language: row.place(h) for language, h in columns}
        return texts

    def ordered(self, columns: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """Columns in the document's language order (others after, as written)."""
        rank = {language: index for index, language in enumerate(self.languages)}
        return sorted(columns, key=lambda column: rank.get(column[0], len(rank)))
