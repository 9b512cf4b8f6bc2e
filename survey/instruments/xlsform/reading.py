"""Reading an XLSForm workbook into an instrument document (docs/instrument-format.md,
"XLSForm").

The reading builds the same document a YAML file gives, and remembers the cell each part of
it came from. What the workbook itself gets wrong (a missing sheet or column, an unknown type,
a choice list that does not exist) is reported here; the document is then validated like any
other, and each of its problems is reported at the sheet, row and column it came from.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

from survey.instruments.kinds import QuestionKind, kind_named, question_kinds
from survey.instruments.kinds.base import DocPath
from survey.instruments.kinds.choices import YES_NO_LIST
from survey.instruments.problems import listing
from survey.instruments.xlsform.languages import (
    LanguageColumnError,
    default_language_code,
    language_of,
)
from survey.instruments.xlsform.sheets import (
    ANALYSIS,
    BEGIN_GROUP,
    CHOICES,
    COLUMNS,
    END_GROUP,
    GROUPS,
    IGNORED_BASES,
    IGNORED_SETTINGS,
    LANGUAGE_BASES,
    METADATA,
    QUESTION_COLUMNS,
    QUESTION_FLAGS,
    REQUIRED_SHEETS,
    SCALES,
    SCORES,
    SETTINGS,
    SURVEY,
    TEXT_PATHS,
    TEXTS,
    WAVES,
)
from survey.instruments.xlsform.workbook import Place, Row, Sheet

_WHOLE = re.compile(r"[+-]?[0-9]{1,9}")
_YES = {"yes", "true", "true()", "1"}
_NO = {"no", "false", "false()", "0"}
_PATH_PART = re.compile(r"([^.\[\]]+)|\[([0-9]+)\]")


class SurveyRow:
    """A survey row as the kinds read it (kinds.base.SurveyRow): its type split in two, and
    cells read as text, yes/no or whole numbers, reporting a cell that is neither."""

    def __init__(self, row: Row, reading: WorkbookReading) -> None:
        self.row = row
        self.reading = reading
        words = (row.text("type") or "").split()
        self.type = " ".join(words[:2]).lower() if _is_group(words) else (words or [""])[0]
        self.list_name = words[1] if len(words) > 1 and not _is_group(words) else None
        self.extra_words = words[2:] if not _is_group(words) else []
        self.appearance = frozenset((row.text("appearance") or "").lower().split())

    def text(self, column: str) -> str | None:
        return self.row.text(column)

    def flag(self, column: str) -> bool | None:
        return self.reading.flag(self.row, column)

    def integer(self, column: str) -> int | None:
        return self.reading.integer(self.row, column)

    def place(self, column: str | None = None) -> Place:
        return self.row.place(column)


def _is_group(words: list[str]) -> bool:
    joined = " ".join(words[:2]).lower().replace("_", " ")
    return joined in (BEGIN_GROUP, END_GROUP)


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
        self._question_path: DocPath = ()
        self._choices_readable = True
        # A sheet or column missing: the document cannot be read well enough to be checked.
        self.unreadable = False
        self._language_columns: dict[str, dict[str, list[tuple[str, str]]]] = {}

    # ------------------------------------------------------------------ reporting

    def report(self, place: Place, message: str) -> None:
        self.problems.append((place, message))

    def flag(self, row: Row, column: str) -> bool | None:
        """A yes/no cell (yes, no, true, false, TRUE, FALSE); None when empty or unreadable."""
        value = row.value(column)
        if value is None or isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _YES:
            return True
        if text in _NO:
            return False
        self.report(row.place(column), f"{row.text(column)!r} is not yes or no")
        return None

    def integer(self, row: Row, column: str) -> int | None:
        """A whole-number cell; None when empty or unreadable."""
        value = row.value(column)
        if value is None:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = str(value).strip()
        if _WHOLE.fullmatch(text):
            return int(text)
        self.report(row.place(column), f"{row.text(column)!r} is not a whole number")
        return None

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
            self._check_columns(sheet)
        settings = self._settings()
        self._languages(settings)
        self._choices()
        document: dict[str, Any] = {
            "key": self._setting(settings, "form_id", ("key",)),
            "version": self._setting(settings, "version", ("version",)),
        }
        texts = self._texts()
        titles = texts.pop("titles", None) or self._settings_titles(settings)
        if titles is not None:
            document["titles"] = titles
        document["languages"] = list(self.languages)
        rtl = settings.text("rtl_languages") if settings else None
        if rtl is not None:
            document["rtl_languages"] = rtl.split()
            self.places[("rtl_languages",)] = settings.place("rtl_languages")
        if METADATA in self.sheets:
            document["metadata"] = self._metadata()
        document["groups"] = self._groups()
        document["waves"] = self._waves()
        non_response = self._non_response(settings, texts.pop("non_response", {}))
        if non_response:
            document["non_response"] = non_response
        yes_no = self._yes_no()
        if yes_no is not None:
            document["yes_no"] = yes_no
        self._scales_sheet()
        pages = self._pages()  # adds the scales its likert questions use
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
        document["scores"] = self._scores()
        document["analysis"] = self._analysis()
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

    def _columns(self, sheet: Sheet, base: str) -> list[tuple[str, str]]:
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
        columns = self._columns(row.sheet, base)
        texts = {}
        for language, header in self._ordered(columns):
            text = row.translation(header)
            if text is not None:
                texts[language] = text
                self.places[(*path, language)] = row.place(header)
        if not texts:
            return None
        self.places[path] = row.place(columns[0][1] if len(columns) == 1 else None)
        self.language_places[path] = {language: row.place(h) for language, h in columns}
        return texts

    def _ordered(self, columns: list[tuple[str, str]]) -> list[tuple[str, str]]:
        """Columns in the document's language order (others after, as written)."""
        rank = {language: index for index, language in enumerate(self.languages)}
        return sorted(columns, key=lambda column: rank.get(column[0], len(rank)))

    # ------------------------------------------------------------------ settings, languages

    def _settings(self) -> Row | None:
        sheet = self.sheets.get(SETTINGS)
        if sheet is None:
            return None
        if not sheet.rows:
            self.report(sheet.place(), "the settings sheet needs a row of values under its headers")
            return None
        for extra in sheet.rows[1:]:
            self.report(extra.place(), "the settings sheet has one row of values")
        return sheet.rows[0]

    def _setting(self, settings: Row | None, column: str, path: DocPath) -> str | None:
        if settings is None:
            return None
        value = settings.text(column)
        if value is None:
            self.report(
                settings.place(column) if settings.sheet.has(column) else settings.place(),
                f"missing {column}",
            )
        else:
            self.places[path] = settings.place(column)
        return value

    def _languages(self, settings: Row | None) -> None:
        """The document's languages: those of the survey's labels, the default first."""
        if settings is not None and (setting := settings.text("default_language")):
            self.default_language = default_language_code(setting)
            if self.default_language is None:
                self.report(
                    settings.place("default_language"),
                    f"{setting!r} names no language: write it as Name (code), e.g. English (en)",
                )
        survey = self.sheets.get(SURVEY)
        if survey is None:
            return
        languages = [language for language, _ in self._columns(survey, "label")]
        if not languages:
            self.report(survey.place(), "no label column: add label::English (en) and the like")
        default = self.default_language
        if default is not None and default in languages:
            languages.remove(default)
            languages.insert(0, default)
        elif default is not None and languages:
            self.report(
                settings.place("default_language"),
                f"the default language {default!r} has no label column in the survey sheet",
            )
        self.languages = languages
        for language, header in self._columns(survey, "label"):
            self.places[("languages", languages.index(language))] = survey.place(header)

    def _settings_titles(self, settings: Row | None) -> dict[str, str] | None:
        """The title from settings: form_title (the default language) and form_title::…."""
        if settings is None:
            return None
        titles = self.translated(settings, "form_title", ("titles",))
        return titles

    def _non_response(self, settings: Row | None, labels: dict) -> dict:
        if settings is not None:
            self.non_response_code = self.integer(settings, "non_response_code")
        non_response: dict[str, Any] = {}
        if self.non_response_code is not None:
            non_response["code"] = self.non_response_code
            self.places[("non_response", "code")] = settings.place("non_response_code")
        elif settings is not None:
            self.report(
                settings.place("non_response_code")
                if settings.sheet.has("non_response_code")
                else settings.place(),
                "missing non_response_code (the code stored for “Prefer not to answer”, -9)",
            )
        labels = labels.get("labels") or self._non_response_choice_labels()
        if labels:
            non_response["labels"] = labels
            self.non_response_labels = labels
        elif self._choices_readable:
            place = Place(TEXTS)
            self.places[("non_response",)] = place
            self.report(
                place,
                "no label for “Prefer not to answer”: add a row non_response.labels, or a "
                "choice named after the non_response_code to a scale's list",
            )
        return non_response

    def _non_response_choice_labels(self) -> dict[str, str] | None:
        for rows in self.lists.values():
            for row in rows:
                if self._is_non_response(row):
                    return self.translated(row, "label", ("non_response", "labels"))
        return None

    def _is_non_response(self, row: Row) -> bool:
        code = self.non_response_code
        return code is not None and row.text("name") == str(code)

    # ------------------------------------------------------------------ choices

    def _choices(self) -> None:
        sheet = self.sheets.get(CHOICES)
        if sheet is None:
            return
        for column in ("list_name", "name"):
            if not sheet.has(column):
                self.report(sheet.place(), f"missing column {column!r}")
                self._choices_readable = False  # its lists are then reported missing no more
                self.unreadable = True
                return
        names: dict[tuple[str, str], int] = {}
        for row in sheet.rows:
            list_name, name = row.text("list_name"), row.text("name")
            if list_name is None or name is None:
                self.report(row.place("name" if list_name else "list_name"), "empty cell")
                continue
            if (list_name, name) in names:
                self.report(
                    row.place("name"),
                    f"duplicate name {name!r} in the list {list_name!r} "
                    f"(also on row {names[list_name, name]})",
                )
                continue
            names[list_name, name] = row.number
            self.lists.setdefault(list_name, []).append(row)
            self.list_places.setdefault(list_name, row.place("list_name"))

    def list_codes(self, name: str | None) -> list[str] | None:
        rows = self.lists.get(name or "")
        return None if rows is None else [row.text("name") or "" for row in rows]

    def _list_rows(self, row: SurveyRow) -> list[Row] | None:
        if row.list_name is None:
            self.report(row.place("type"), f"{row.type} needs the name of a choice list")
            return None
        rows = self.lists.get(row.list_name)
        if rows is None and self._choices_readable:
            self.report(
                row.place("type"),
                f"the choice list {row.list_name!r} does not exist in the choices sheet",
            )
        return rows

    def options(self, row: SurveyRow, key: str) -> list[dict]:
        """The row's list as the question's options (or items, as `key` says), with text
        codes, each remembered at its choices row."""
        rows = self._list_rows(row) or []
        path = (*self._question_path, key)
        self.places[path] = row.place("type")
        return [self._option(choice, (*path, index)) for index, choice in enumerate(rows)]

    def _option(self, choice: Row, path: DocPath, *, integer: bool = False) -> dict:
        name = choice.text("name") or ""
        code: Any = name
        if integer:
            code = int(name) if _WHOLE.fullmatch(name) else name
            if not isinstance(code, int):
                self.report(
                    choice.place("name"),
                    f"{name!r} is not a whole number: the names of a scale's list are its codes",
                )
        self.places[path] = choice.place()
        self.places[(*path, "code")] = choice.place("name")
        labels = self.translated(choice, "label", (*path, "labels"))
        return {"code": code, "labels": labels or {}}

    def _yes_no(self) -> dict | None:
        rows = self.lists.get(YES_NO_LIST)
        if rows is None:
            return None
        yes_no = {}
        for choice in rows:
            code = choice.text("name")
            if code not in ("yes", "no"):
                self.report(
                    choice.place("name"), f"the list {YES_NO_LIST} has the names yes and no"
                )
                continue
            yes_no[code] = self.translated(choice, "label", ("yes_no", code)) or {}
        return yes_no

    # ------------------------------------------------------------------ scales

    def _scales_sheet(self) -> None:
        sheet = self.sheets.get(SCALES)
        if sheet is None:
            return
        for row in sheet.rows:
            name = row.text("name")
            if name is None:
                self.report(row.place("name"), "empty cell")
                continue
            if name in self.scales:
                self.report(row.place("name"), f"the scale {name!r} is listed twice")
                continue
            path: DocPath = ("scales", name)
            self.places[path] = row.place("name")
            scale: dict[str, Any] = {}
            for column in ("minimum", "maximum"):
                if (number := self.integer(row, column)) is not None:
                    scale[column] = number
                    self.places[(*path, column)] = row.place(column)
            if (widget := row.text("widget")) is not None:
                scale["widget"] = widget
                self.places[(*path, "widget")] = row.place("widget")
            offered = self.flag(row, "non_response")
            if scale and name in self.lists:
                self.report(
                    row.place("name"),
                    f"the scale {name!r} has both a choice list and minimum/maximum",
                )
            elif name in self.lists:
                scale = self._labelled_scale(name, path)
            elif not scale:
                self.report(
                    row.place("name"),
                    f"the scale {name!r} needs a choice list of that name, or minimum and maximum",
                )
            if offered is not None:
                scale["non_response"] = offered
                self.places[(*path, "non_response")] = row.place("non_response")
            self.scales[name] = scale

    def _labelled_scale(self, name: str, path: DocPath) -> dict:
        """A labelled scale from its choice list: integer codes; the non-response choice, where
        the list has it, is not an option (and a list without it offers none)."""
        options, offered = [], False
        for choice in self.lists[name]:
            if self._is_non_response(choice):
                offered = True
                self._check_non_response_choice(choice)
                continue
            options.append(self._option(choice, (*path, "options", len(options)), integer=True))
        self.places[(*path, "options")] = self.list_places[name]
        scale: dict[str, Any] = {"options": options}
        if not offered:
            scale["non_response"] = False
        return scale

    def _check_non_response_choice(self, choice: Row) -> None:
        labels = {
            language: text
            for language, header in self._columns(choice.sheet, "label")
            if (text := choice.translation(header)) is not None
        }
        if self.non_response_labels is not None and labels != self.non_response_labels:
            self.report(
                choice.place("name"),
                "the labels of the non-response choice differ from those of "
                "non_response.labels in the texts sheet",
            )

    def labelled_scale(self, row: SurveyRow) -> str | None:
        """The labelled scale a likert row's list defines (added on first use)."""
        if self._list_rows(row) is None:
            return row.list_name
        name = row.list_name
        if name not in self.scales:
            self.scales[name] = self._labelled_scale(name, ("scales", name))
            self.places[("scales", name)] = self.list_places[name]
        return name

    def scale(self, name: str | None) -> Mapping[str, Any]:
        return self.scales.get(name or "", {})

    # ------------------------------------------------------------------ texts, groups, waves

    def _texts(self) -> dict:
        """The texts sheet as nested keys: {"consent": {"titles": {...}}, ...}."""
        sheet = self.sheets.get(TEXTS)
        texts: dict[str, Any] = {}
        if sheet is None:
            return texts
        seen: dict[str, int] = {}
        for row in sheet.rows:
            name = row.text("name")
            if name not in TEXT_PATHS:
                self.report(
                    row.place("name"), f"unknown text {name!r} (expected: {listing(TEXT_PATHS)})"
                )
                continue
            if name in seen:
                self.report(
                    row.place("name"), f"{name!r} is given twice (also on row {seen[name]})"
                )
                continue
            seen[name] = row.number
            path = tuple(name.split("."))
            value = self.translated(row, "label", path) or {}
            target = texts
            for depth in range(1, len(path) + 1):
                self.places.setdefault(path[:depth], row.place("name"))
            for part in path[:-1]:
                target = target.setdefault(part, {})
            target[path[-1]] = value
        return texts

    def _groups(self) -> list[dict]:
        sheet = self.sheets.get(GROUPS)
        groups: dict[str, dict] = {}
        if sheet is None:
            return []
        columns = self._columns(sheet, "label")
        for row in sheet.rows:
            code, form = row.text("group"), row.text("form")
            if code is None or form is None:
                self.report(row.place("form" if code else "group"), "empty cell")
                continue
            if code not in groups:
                index = len(groups)
                groups[code] = {"code": code, "forms": {}}
                self.places[("groups", index)] = row.place("group")
                self.places[("groups", index, "code")] = row.place("group")
                self.places[("groups", index, "forms")] = row.place("form")
            index = list(groups).index(code)
            forms = groups[code]["forms"]
            for language, header in self._ordered(columns):
                text = row.translation(header)
                if text is None:
                    continue
                named = forms.setdefault(language, {})
                if form in named:
                    self.report(row.place("form"), f"the form {form!r} of {code!r} is given twice")
                    continue
                named[form] = text
                self.places[("groups", index, "forms", language, form)] = row.place(header)
                self.places.setdefault(("groups", index, "forms", language), row.place(header))
        return list(groups.values())

    def _waves(self) -> list[dict]:
        sheet = self.sheets.get(WAVES)
        waves = []
        for row in sheet.rows if sheet else ():
            path: DocPath = ("waves", len(waves))
            wave: dict[str, Any] = {"code": row.text("name")}
            self.places[path] = self.places[(*path, "code")] = row.place("name")
            wave["titles"] = self.translated(row, "label", (*path, "titles")) or {}
            waves.append(wave)
        return waves

    # ------------------------------------------------------------------ the survey

    def _pages(self) -> list[dict]:
        sheet = self.sheets.get(SURVEY)
        if sheet is None:
            return []
        if not sheet.has("type") or not sheet.has("name"):
            self.report(sheet.place(), "the survey sheet needs the columns type and name")
            self.unreadable = True
            return []
        pages: list[dict] = []
        page: dict | None = None
        opened: Row | None = None
        for row in sheet.rows:
            survey_row = SurveyRow(row, self)
            if row.text("type") is None:
                self.report(row.place("type"), "missing type")
                continue
            if survey_row.type == BEGIN_GROUP:
                if page is not None:
                    self.report(
                        row.place("type"),
                        f"groups cannot be nested: each page is one group (the group on row "
                        f"{opened.number} is not ended)",
                    )
                    continue
                page, opened = self._page(row, len(pages)), row
                pages.append(page)
            elif survey_row.type == END_GROUP:
                if page is None:
                    self.report(row.place("type"), "end group without a begin group")
                page = None
            elif page is None:
                self.report(
                    row.place("type"),
                    "a question stands on a page: put it between begin group and end group",
                )
            else:
                path = ("pages", len(pages) - 1, "questions", len(page["questions"]))
                page["questions"].append(self._question(survey_row, path))
        if page is not None:
            self.report(opened.place("type"), "begin group without an end group")
        return pages

    def _page(self, row: Row, index: int) -> dict:
        path: DocPath = ("pages", index)
        self.places[path] = row.place()
        self.places[(*path, "code")] = row.place("name")
        self.places[(*path, "questions")] = row.place("type")
        page: dict[str, Any] = {"code": row.text("name")}
        titles = self.translated(row, "label", (*path, "titles"))
        page["titles"] = titles or {}
        if titles is None:
            self.places[(*path, "titles")] = row.place()
        intros = self.translated(row, "hint", (*path, "intros"))
        if intros is not None:
            page["intros"] = intros
        for column in set(row.cells) - {"type", "name", "appearance"}:
            if column.partition("::")[0] not in ("label", "hint"):
                self.report(row.place(column), f"the column {column!r} does not apply to a group")
        page["questions"] = []
        return page

    def _question(self, row: SurveyRow, path: DocPath) -> dict:
        self.places[path] = row.place()
        self.places[(*path, "code")] = row.place("name")
        self.places[(*path, "kind")] = row.place("type")
        kind = self._kind(row)
        question: dict[str, Any] = {"code": row.text("name")}
        question["kind"] = kind.code if kind else row.type
        question["texts"] = self.translated(row.row, "label", (*path, "texts")) or {}
        if "texts" not in question or not question["texts"]:
            self.places[(*path, "texts")] = row.place()
        hints = self.translated(row.row, "hint", (*path, "hints"))
        if hints is not None:
            question["hints"] = hints
        for column in QUESTION_FLAGS:
            if (flag := row.flag(column)) is not None:
                question[column] = flag
                self.places[(*path, column)] = row.place(column)
        if (waves := row.text("waves")) is not None:
            question["waves"] = waves.split()
            for index in range(len(question["waves"])):
                self.places[(*path, "waves", index)] = row.place("waves")
            self.places[(*path, "waves")] = row.place("waves")
        if kind is None:
            return question
        self._question_path = path
        keys = kind.from_xlsform_row(row, self)
        for key in keys:
            self.places.setdefault(
                (*path, key), row.place(key if row.row.sheet.has(key) else "type")
            )
        question |= keys
        for column in sorted(set(row.row.cells) & set(COLUMNS[SURVEY])):
            if column in (*QUESTION_COLUMNS, *QUESTION_FLAGS, "parameters") or column in kind.keys:
                continue
            self.report(
                row.place(column), f"the column {column!r} does not apply to a {kind} question"
            )
        self._check_constraint(row, kind, question)
        return question

    def _kind(self, row: SurveyRow) -> QuestionKind | None:
        """The kind of a question row: named in its `kind` column, else the most specific kind
        of its type."""
        named = row.text("kind")
        if named is not None:
            try:
                kind = kind_named(named)
            except KeyError:
                self.report(
                    row.place("kind"),
                    f"unknown question kind {named!r} "
                    f"(expected: {listing(k.code for k in question_kinds())})",
                )
                return None
            if row.type not in kind.xlsform_types:
                self.report(
                    row.place("kind"),
                    f"a {kind} question is written with type {listing(kind.xlsform_types)}",
                )
                return None
            return kind
        kind = infer_kind(row, self)
        if kind is None:
            self.report(
                row.place("type"),
                f"unknown type {row.row.text('type')!r} (supported: begin group, end group, "
                f"{listing(supported_types())})",
            )
        elif row.extra_words:
            self.report(row.place("type"), f"{' '.join(row.extra_words)!r} is not supported")
        return kind

    def _check_constraint(self, row: SurveyRow, kind: QuestionKind, question: dict) -> None:
        """A constraint is written for ODK from the question's own keys; any other would be
        lost, so it is refused."""
        written = row.text("constraint")
        if written is None:
            return
        try:
            expected = kind.to_xlsform_row(question, _ConstraintWriting(self)).get("constraint")
        except (KeyError, TypeError, ValueError):
            return  # the question itself is broken: that is reported
        if expected is None or " ".join(written.split()) != " ".join(expected.split()):
            self.report(
                row.place("constraint"),
                f"the constraint {written!r} is not supported"
                + (f" (this question's is {expected!r})" if expected else "")
                + ": give minimum and maximum, or max_length",
            )

    # ------------------------------------------------------------------ scores, analysis

    def _scores(self) -> dict:
        sheet = self.sheets.get(SCORES)
        scores: dict[str, dict] = {}
        for row in sheet.rows if sheet else ():
            name = row.text("name")
            if name is None:
                self.report(row.place("name"), "empty cell")
                continue
            if name in scores:
                self.report(row.place("name"), f"the score {name!r} is listed twice")
                continue
            path: DocPath = ("scores", name)
            self.places[path] = row.place("name")
            score: dict[str, Any] = {}
            if (construct := row.text("construct")) is not None:
                score["construct"] = construct
                self.places[(*path, "construct")] = row.place("construct")
            if (items := row.text("items")) is not None:
                score["items"] = items.split()
                self.places[(*path, "items")] = row.place("items")
                for index in range(len(score["items"])):
                    self.places[(*path, "items", index)] = row.place("items")
            if (answered := self.integer(row, "min_answered")) is not None:
                score["min_answered"] = answered
                self.places[(*path, "min_answered")] = row.place("min_answered")
            titles = self.translated(row, "label", (*path, "titles"))
            if titles is not None:
                score["titles"] = titles
            scores[name] = score
        return scores

    def _analysis(self) -> dict:
        return self._nested(ANALYSIS, "key", "analysis")

    def _metadata(self) -> dict:
        return self._nested(METADATA, "path", "metadata")

    def _nested(self, sheet_name: str, column: str, key: str) -> dict:
        """A sheet of paths (`a.b[0].c`) and values as nested mappings and lists: a text, a
        number or yes/no in `value`, or any JSON in `json`."""
        nested: dict = {}
        sheet = self.sheets.get(sheet_name)
        for row in sheet.rows if sheet else ():
            raw = row.text(column) or ""
            parts: list[str | int] = []
            for name, index in _PATH_PART.findall(raw):
                parts.append(name if name else int(index))
            value = row.value("value")
            if (written := row.text("json")) is not None:
                try:
                    value = json.loads(written)
                except ValueError as error:
                    self.report(row.place("json"), f"not JSON: {error}")
                    continue
            if "".join(str(part) for part in parts) != raw.replace(".", "").replace(
                "[", ""
            ).replace("]", ""):
                self.report(row.place(column), f"{raw!r} is not a path such as a.b or a.b[0]")
                continue
            self._put(nested, tuple(parts), value, row, (key, *parts), column)
        return nested

    def _put(
        self, target: Any, parts: tuple, value: Any, row: Row, path: DocPath, column: str
    ) -> None:
        """Set a value at a dotted path (`a.b[0].c`) of nested mappings and lists."""
        if not parts or any(part == "" for part in parts):
            self.report(row.place(column), f"{row.text(column)!r} is not a path such as a.b")
            return
        for depth, part in enumerate(parts):
            last = depth == len(parts) - 1
            following = None if last else ([] if isinstance(parts[depth + 1], int) else {})
            if isinstance(part, int):
                if not isinstance(target, list) or part > len(target):
                    self.report(row.place(column), "list positions count from [0], in order")
                    return
                if part == len(target):
                    target.append(value if last else following)
                elif last:
                    self.report(row.place(column), "given twice")
                    return
                target = target[part]
            else:
                if not isinstance(target, dict) or (last and part in target):
                    self.report(row.place(column), f"{row.text(column)!r} is given twice")
                    return
                if last:
                    target[part] = value
                else:
                    target = target.setdefault(part, following)
        self.places[path] = row.place(column)


class _ConstraintWriting:
    """What `to_xlsform_row` needs to tell the constraint it writes for a question read."""

    def __init__(self, reading: WorkbookReading) -> None:
        self.reading = reading
        self.non_response_code = reading.non_response_code

    def choice_list(self, code: str, options: Iterable[dict]) -> str:
        return code

    def scale(self, name: str | None) -> Mapping[str, Any]:
        return self.reading.scale(name)


def infer_kind(row: Any, reading: Any) -> QuestionKind | None:
    """The most specific kind whose type the row has (None: none has)."""
    ranked = [
        (kind.xlsform_match(row, reading), index, kind)
        for index, kind in enumerate(question_kinds())
    ]
    score, _, kind = max(ranked, key=lambda entry: (entry[0], -entry[1]))
    return kind if score > 0 else None


def supported_types() -> list[str]:
    """The question types of the registered kinds, selects with their LIST."""
    types = dict.fromkeys(
        f"{t} LIST" if t.startswith(("select", "rank")) else t
        for kind in question_kinds()
        for t in kind.xlsform_types
    )
    return list(types)
