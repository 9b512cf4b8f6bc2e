"""The choices sheet: its lists, read as the options and items of questions, the document's
yes/no labels (the list `yes_no`) and the non-response choice of a scale's list
(docs/instrument-format.md, "XLSForm")."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from survey.instruments.kinds.choices import YES_NO_LIST
from survey.instruments.kinds.collaborators import SurveyRow
from survey.instruments.kinds.values import DocPath
from survey.instruments.xlsform.reading.cells import whole_number
from survey.instruments.xlsform.sheets import CHOICES
from survey.instruments.xlsform.workbook import Row

if TYPE_CHECKING:
    from survey.instruments.xlsform.reading.document import WorkbookReading


def read_choices(reading: WorkbookReading) -> None:
    """Collect the choice lists by name, reporting empty and duplicate names."""
    sheet = reading.sheets.get(CHOICES)
    if sheet is None:
        return
    for column in ("list_name", "name"):
        if not sheet.has(column):
            reading.report(sheet.place(), f"missing column {column!r}")
            reading.choices_readable = False
            reading.unreadable = True
            return
    names: dict[tuple[str, str], int] = {}
    for row in sheet.rows:
        list_name, name = row.text("list_name"), row.text("name")
        if list_name is None or name is None:
            reading.report(row.place("name" if list_name else "list_name"), "empty cell")
            continue
        if (list_name, name) in names:
            reading.report(
                row.place("name"),
                f"duplicate name {name!r} in the list {list_name!r} "
                f"(also on row {names[list_name, name]})",
            )
            continue
        names[list_name, name] = row.number
        reading.lists.setdefault(list_name, []).append(row)
        reading.list_places.setdefault(list_name, row.place("list_name"))


def list_codes(reading: WorkbookReading, name: str | None) -> list[str] | None:
    """The names of a choice list, None when there is no such list."""
    rows = reading.lists.get(name or "")
    return None if rows is None else [row.text("name") or "" for row in rows]


def list_rows(reading: WorkbookReading, row: SurveyRow) -> list[Row] | None:
    """The choices rows of a survey row's list; None (reported) when it names none or one
    that does not exist."""
    if row.list_name is None:
        reading.report(row.place("type"), f"{row.type} needs the name of a choice list")
        return None
    rows = reading.lists.get(row.list_name)
    if rows is None and reading.choices_readable:
        reading.report(
            row.place("type"),
            f"the choice list {row.list_name!r} does not exist in the choices sheet",
        )
    return rows


def question_options(reading: WorkbookReading, row: SurveyRow, key: str) -> list[dict]:
    """The row's list as the question's options (or items, as `key` says), with text
    codes, each remembered at its choices row."""
    rows = list_rows(reading, row) or []
    path = (*reading.question_path, key)
    reading.places[path] = row.place("type")
    return [option(reading, choice, (*path, index)) for index, choice in enumerate(rows)]


def option(reading: WorkbookReading, choice: Row, path: DocPath, *, integer: bool = False) -> dict:
    """A choices row as an option `{code, labels}`; an `integer` code for a scale's list."""
    name = choice.text("name") or ""
    code: Any = name
    if integer:
        number = whole_number(name)
        code = name if number is None else number
        if number is None:
            reading.report(
                choice.place("name"),
                f"{name!r} is not a whole number: the names of a scale's list are its codes",
            )
    reading.places[path] = choice.place()
    reading.places[(*path, "code")] = choice.place("name")
    labels = reading.translated(choice, "label", (*path, "labels"))
    return {"code": code, "labels": labels or {}}


def read_yes_no(reading: WorkbookReading) -> dict | None:
    """The document's yes/no labels from the list `yes_no`; None without that list."""
    rows = reading.lists.get(YES_NO_LIST)
    if rows is None:
        return None
    yes_no = {}
    for choice in rows:
        code = choice.text("name")
        if code not in ("yes", "no"):
            reading.report(choice.place("name"), f"the list {YES_NO_LIST} has the names yes and no")
            continue
        yes_no[code] = reading.translated(choice, "label", ("yes_no", code)) or {}
    return yes_no


def is_non_response(reading: WorkbookReading, row: Row) -> bool:
    """Whether a choices row is named after the non-response code ("Prefer not to answer")."""
    code = reading.non_response_code
    return code is not None and row.text("name") == str(code)


def non_response_choice_labels(reading: WorkbookReading) -> dict[str, str] | None:
    """The labels of the first non-response choice of any list; None when there is none."""
    for rows in reading.lists.values():
        for row in rows:
            if is_non_response(reading, row):
                return reading.translated(row, "label", ("non_response", "labels"))
    return None
