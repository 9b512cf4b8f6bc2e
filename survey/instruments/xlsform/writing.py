"""Writing an instrument document as an XLSForm workbook that ODK's converter (pyxform) takes
and that reads back into the same document (docs/instrument-format.md, "XLSForm")."""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from survey.instruments.kinds import kind_named
from survey.instruments.kinds.choices import YES_NO_LIST
from survey.instruments.xlsform.languages import language_column, language_label
from survey.instruments.xlsform.reading.survey import SurveyRow, infer_kind
from survey.instruments.xlsform.sheets import (
    ANALYSIS,
    BEGIN_GROUP,
    CHOICES,
    COLUMNS,
    END_GROUP,
    GROUPS,
    LANGUAGE_BASES,
    METADATA,
    NEUTRAL_FORM_PREFIX,
    SCALES,
    SCORES,
    SENTENCE_FORM_PREFIX,
    SETTINGS,
    SURVEY,
    TEXT_PATHS,
    TEXTS,
    WAVES,
)
from survey.instruments.xlsform.workbook import Row, Sheet

_WIDE = 48  # characters: the width of a column of texts


def workbook_of(definition: Mapping[str, Any]) -> bytes:
    """The .xlsx workbook of a valid instrument document (unchecked: see
    survey.instruments.xlsform.xlsform_bytes)."""
    return WorkbookWriting(definition).workbook()


class WorkbookWriting:
    """One document being written: its sheets as rows of cells by header."""

    def __init__(self, definition: Mapping[str, Any]) -> None:
        self.doc = definition
        self.languages: list[str] = list(definition["languages"])
        self.rtl = set(definition.get("rtl_languages", ()))
        self.non_response_code: int = definition["non_response"]["code"]
        self.lists: dict[str, list[dict]] = {}  # list name -> choices rows

    # ------------------------------------------------------------------ what the kinds use

    def choice_list(self, code: str, options: Sequence[dict]) -> str:
        """Add a question's own list, named after it (made unique); its name."""
        name, number = code, 1
        while name in self.lists or name in self.doc["scales"] or name == YES_NO_LIST:
            number += 1
            name = f"{code}_{number}"
        self.lists[name] = [self._choice(name, option) for option in options]
        return name

    def scale(self, name: str | None) -> Mapping[str, Any]:
        return self.doc["scales"].get(name, {}) if name else {}

    # ------------------------------------------------------------------ cells

    def _texts(self, base: str, texts: Mapping[str, str] | None) -> dict[str, str]:
        return {language_column(base, lang): text for lang, text in (texts or {}).items()}

    def _choice(self, list_name: str, option: Mapping[str, Any]) -> dict:
        return {
            "list_name": list_name,
            "name": option["code"],
            **self._texts("label", option["labels"]),
        }

    # ------------------------------------------------------------------ sheets

    def _survey(self) -> list[dict]:
        rows: list[dict] = []
        for page in self.doc["pages"]:
            rows.append(
                {
                    "type": BEGIN_GROUP,
                    "name": page["code"],
                    "appearance": "field-list",  # one page per screen in ODK too
                    **self._texts("label", page["titles"]),
                    **self._texts("hint", page.get("intros")),
                }
            )
            rows += [self._question(question) for question in page["questions"]]
            rows.append({"type": END_GROUP, "name": page["code"]})
        return rows

    def _question(self, question: Mapping[str, Any]) -> dict:
        kind = kind_named(question["kind"])
        cells: dict[str, Any] = {
            "name": question["code"],
            **self._texts("label", question["texts"]),
            **self._texts("hint", question.get("hints")),
        }
        for key in ("required", "profile"):
            if key in question:
                cells[key] = question[key]
        if "waves" in question:
            cells["waves"] = " ".join(question["waves"])
        cells |= kind.to_xlsform_row(dict(question), self)
        # Where the type alone would make another kind of it, the kind column says which.
        row = SurveyRow(Row(Sheet(SURVEY), 0, dict(cells)), _ListCodes(self))
        if infer_kind(row, _ListCodes(self)) != kind:
            cells["kind"] = kind.code
        return cells

    def _choices(self) -> list[dict]:
        rows = []
        for name, scale in self.doc["scales"].items():
            if "options" not in scale:
                continue
            rows += [self._choice(name, option) for option in scale["options"]]
            if scale.get("non_response", True):  # ODK offers it as one more choice
                rows.append(
                    self._choice(
                        name,
                        {
                            "code": self.non_response_code,
                            "labels": self.doc["non_response"]["labels"],
                        },
                    )
                )
        if "yes_no" in self.doc:
            rows += [
                self._choice(YES_NO_LIST, {"code": code, "labels": self.doc["yes_no"][code]})
                for code in ("yes", "no")
            ]
        for choices in self.lists.values():
            rows += choices
        return rows

    def _settings(self) -> list[dict]:
        doc = self.doc
        default = self.languages[0]
        settings = {
            "form_id": doc["key"],
            "version": doc["version"],
            # pyxform takes no translated title: the others are in the texts sheet.
            "form_title": doc["titles"][default],
            "default_language": language_label(default),
            "non_response_code": self.non_response_code,
            "consent_version": doc["consent"]["version"],
        }
        if "rtl_languages" in doc:
            settings["rtl_languages"] = " ".join(doc["rtl_languages"])
        return [settings]

    def _groups(self) -> list[dict]:
        rows = []
        for group in self.doc["groups"]:
            for prefix, key in (("", "forms"), (SENTENCE_FORM_PREFIX, "sentence_forms")):
                rows += [
                    {"group": group["code"], "form": prefix + name, **self._texts("label", texts)}
                    for name, texts in _by_form(group.get(key, {})).items()
                ]
        return rows

    def _waves(self) -> list[dict]:
        return [
            {"name": wave["code"], **self._texts("label", wave["titles"])}
            for wave in self.doc["waves"]
        ]

    def _scales(self) -> list[dict]:
        rows = []
        for name, scale in self.doc["scales"].items():
            row = {"name": name}
            row |= {key: scale[key] for key in ("minimum", "maximum", "widget") if key in scale}
            # A labelled list without the non-response choice offers none: say so only when
            # the scale says more than its list does.
            if "non_response" in scale and ("options" not in scale or scale["non_response"]):
                row["non_response"] = scale["non_response"]
            rows.append(row)
        return rows

    def _text_rows(self) -> list[dict]:
        rows = []
        for path in TEXT_PATHS:
            value: Any = self.doc
            for part in path.split("."):
                value = value.get(part) if isinstance(value, Mapping) else None
            if value is not None:
                rows.append({"name": path, **self._texts("label", value)})
        rows += [
            {"name": NEUTRAL_FORM_PREFIX + name, **self._texts("label", texts)}
            for name, texts in _by_form(self.doc.get("neutral_forms", {})).items()
        ]
        return rows

    def _scores(self) -> list[dict]:
        rows = []
        for name, score in self.doc["scores"].items():
            row: dict[str, Any] = {"name": name}
            if "construct" in score:
                row["construct"] = score["construct"]
            if "items" in score:
                row["items"] = " ".join(score["items"])
            if "min_answered" in score:
                row["min_answered"] = score["min_answered"]
            row |= self._texts("label", score.get("titles"))
            rows.append(row | self._texts("phrase", score.get("phrases")))
        return rows

    def _analysis(self) -> list[dict]:
        return _nested_rows(self.doc["analysis"], "key")

    def _metadata(self) -> list[dict]:
        return _nested_rows(self.doc.get("metadata", {}), "path")

    # ------------------------------------------------------------------ the workbook

    def workbook(self) -> bytes:
        """The workbook, each sheet's columns in the order of sheets.COLUMNS."""
        survey = self._survey()  # first: it adds the questions' own lists
        sheets = {
            SURVEY: survey,
            CHOICES: self._choices(),
            SETTINGS: self._settings(),
            GROUPS: self._groups(),
            WAVES: self._waves(),
            SCALES: self._scales(),
            TEXTS: self._text_rows(),
        }
        # A sheet for each optional key the document has, even empty: reading the sheet gives
        # the key back, and a missing sheet leaves it out.
        if "scores" in self.doc:
            sheets[SCORES] = self._scores()
        if "analysis" in self.doc:
            sheets[ANALYSIS] = self._analysis()
        if "metadata" in self.doc:
            sheets[METADATA] = self._metadata()
        book = Workbook()
        book.remove(book.active)
        for name, rows in sheets.items():
            self._sheet(book.create_sheet(name), name, rows)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    def _sheet(self, worksheet: Any, name: str, rows: list[dict]) -> None:
        headers = self._headers(name, rows)
        worksheet.append(headers)
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
        worksheet.freeze_panes = "A2"
        for row in rows:
            worksheet.append([_cell(row.get(header)) for header in headers])
            for cell in worksheet[worksheet.max_row]:
                if cell.data_type == "f":
                    # A text that begins with "=" is text, never a formula that a spreadsheet
                    # would run for whoever opens the file.
                    cell.data_type = "s"
        for index, header in enumerate(headers, start=1):
            letter = get_column_letter(index)
            language = header.rpartition("(")[2].rstrip(")") if "::" in header else None
            worksheet.column_dimensions[letter].width = _WIDE if language else 16
            if language is None:
                continue
            alignment = Alignment(wrap_text=True, vertical="top")
            if language in self.rtl:
                alignment = Alignment(wrap_text=True, vertical="top", readingOrder=2)
            for (cell,) in worksheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.alignment = alignment

    def _headers(self, name: str, rows: Iterable[dict]) -> list[str]:
        """The sheet's columns: its first plain ones (XLSForm's, in the survey), then its
        language columns in the document's language order, then the optional plain ones that
        are used."""
        used = {header for row in rows for header in row}
        first = {SURVEY: 2, CHOICES: 2, SETTINGS: 4}.get(name, 1)
        always = {SURVEY: 6}.get(name, first)
        plain = [c for i, c in enumerate(COLUMNS[name]) if i < always or c in used]
        languages = [
            language_column(base, language)
            for base in LANGUAGE_BASES.get(name, ())
            for language in self.languages
            if base == "label" or language_column(base, language) in used
        ]
        return plain[:first] + languages + plain[first:]


class _ListCodes:
    """The lists written so far, as the kind inference asks for them."""

    def __init__(self, writing: WorkbookWriting) -> None:
        self.writing = writing

    def list_codes(self, name: str | None) -> list[str] | None:
        if name == YES_NO_LIST and "yes_no" in self.writing.doc:
            return ["yes", "no"]
        rows = self.writing.lists.get(name or "")
        if rows is not None:
            return [str(row["name"]) for row in rows]
        scale = self.writing.doc["scales"].get(name or "")
        return [str(option["code"]) for option in scale["options"]] if scale else None


def _nested_rows(value: Mapping[str, Any], column: str) -> list[dict]:
    """A nested mapping as rows of a path (`a.b[0]`) and its value: text or a number in
    `value`, anything else (true, nothing, an empty list or text) as JSON, which keeps it
    exact. An empty mapping has no rows (its sheet, read, gives it back)."""
    rows = []
    for path, leaf in _flat(value, lists=True) if value else ():
        if isinstance(leaf, str | int | float) and not isinstance(leaf, bool) and leaf != "":
            rows.append({column: path, "value": leaf})
        else:
            rows.append({column: path, "json": json.dumps(leaf, ensure_ascii=False)})
    return rows


def _by_form(by_language: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    """Forms by language (`{en: {own: …}}`) as the rows of a sheet: each form's texts by
    language (`{own: {en: …}}`), forms in the order first given."""
    names = dict.fromkeys(name for forms in by_language.values() for name in forms)
    return {
        name: {language: forms[name] for language, forms in by_language.items() if name in forms}
        for name in names
    }


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def _flat(value: Any, prefix: str = "", *, lists: bool = False) -> Iterable[tuple[str, Any]]:
    """(dotted path, leaf) of nested mappings (and lists, as [i], when `lists`)."""
    if isinstance(value, Mapping) and value:
        for key, item in value.items():
            yield from _flat(item, f"{prefix}.{key}" if prefix else str(key), lists=lists)
    elif lists and isinstance(value, list) and value:
        for index, item in enumerate(value):
            yield from _flat(item, f"{prefix}[{index}]", lists=lists)
    else:
        yield prefix, value
