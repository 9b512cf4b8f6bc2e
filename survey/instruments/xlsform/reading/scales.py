"""The scales: the scales sheet (ranges, and settings of labelled scales) and the labelled
scales that choice lists define, named by a row or by a likert question
(docs/instrument-format.md, "XLSForm")."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from survey.instruments.kinds.collaborators import SurveyRow
from survey.instruments.kinds.values import DocPath
from survey.instruments.xlsform.reading.choices import is_non_response, list_rows, option
from survey.instruments.xlsform.sheets import SCALES
from survey.instruments.xlsform.workbook import Row

if TYPE_CHECKING:
    from survey.instruments.xlsform.reading.document import WorkbookReading


def read_scales_sheet(reading: WorkbookReading) -> None:
    """Add the scales the scales sheet names: a range, or a labelled scale from its list."""
    sheet = reading.sheets.get(SCALES)
    if sheet is None:
        return
    for row in sheet.rows:
        name = row.text("name")
        if name is None:
            reading.report(row.place("name"), "empty cell")
            continue
        if name in reading.scales:
            reading.report(row.place("name"), f"the scale {name!r} is listed twice")
            continue
        path: DocPath = ("scales", name)
        reading.places[path] = row.place("name")
        scale: dict[str, Any] = {}
        for column in ("minimum", "maximum"):
            if (number := reading.integer(row, column)) is not None:
                scale[column] = number
                reading.places[(*path, column)] = row.place(column)
        if (widget := row.text("widget")) is not None:
            scale["widget"] = widget
            reading.places[(*path, "widget")] = row.place("widget")
        offered = reading.flag(row, "non_response")
        if scale and name in reading.lists:
            reading.report(
                row.place("name"),
                f"the scale {name!r} has both a choice list and minimum/maximum",
            )
        elif name in reading.lists:
            scale = labelled_scale(reading, name, path)
        elif not scale:
            reading.report(
                row.place("name"),
                f"the scale {name!r} needs a choice list of that name, or minimum and maximum",
            )
        if offered is not None:
            scale["non_response"] = offered
            reading.places[(*path, "non_response")] = row.place("non_response")
        reading.scales[name] = scale


def labelled_scale(reading: WorkbookReading, name: str, path: DocPath) -> dict:
    """A labelled scale from its choice list: integer codes; the non-response choice, where
    the list has it, is not an option (and a list without it offers none)."""
    options, offered = [], False
    for choice in reading.lists[name]:
        if is_non_response(reading, choice):
            offered = True
            _check_non_response_choice(reading, choice)
            continue
        options.append(option(reading, choice, (*path, "options", len(options)), integer=True))
    reading.places[(*path, "options")] = reading.list_places[name]
    scale: dict[str, Any] = {"options": options}
    if not offered:
        scale["non_response"] = False
    return scale


def _check_non_response_choice(reading: WorkbookReading, choice: Row) -> None:
    labels = {
        language: text
        for language, header in reading.columns(choice.sheet, "label")
        if (text := choice.translation(header)) is not None
    }
    if reading.non_response_labels is not None and labels != reading.non_response_labels:
        reading.report(
            choice.place("name"),
            "the labels of the non-response choice differ from those of "
            "non_response.labels in the texts sheet",
        )


def likert_scale(reading: WorkbookReading, row: SurveyRow) -> str | None:
    """The labelled scale a likert row's list defines (added on first use)."""
    if list_rows(reading, row) is None:
        return row.list_name
    name = row.list_name
    if name not in reading.scales:
        reading.scales[name] = labelled_scale(reading, name, ("scales", name))
        reading.places[("scales", name)] = reading.list_places[name]
    return name
