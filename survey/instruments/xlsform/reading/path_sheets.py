"""The sheets that hold a part of the document by path (`perception.meta`,
`translations.ur.status`): analysis and metadata (docs/instrument-format.md, "XLSForm")."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from survey.instruments.kinds.values import DocPath
from survey.instruments.reading import MAX_NESTING, TOO_DEEP, json_value
from survey.instruments.xlsform.sheets import ANALYSIS, METADATA
from survey.instruments.xlsform.workbook import Row

if TYPE_CHECKING:
    from survey.instruments.xlsform.reading.document import WorkbookReading

_PATH_PART = re.compile(r"([^.\[\]]+)|\[([0-9]+)\]")


def read_analysis(reading: WorkbookReading) -> dict:
    """The analysis sheet as the document's `analysis`."""
    return _nested(reading, ANALYSIS, "key", "analysis")


def read_metadata(reading: WorkbookReading) -> dict:
    """The metadata sheet as the document's free-form `metadata`."""
    return _nested(reading, METADATA, "path", "metadata")


def _nested(reading: WorkbookReading, sheet_name: str, column: str, key: str) -> dict:
    """A sheet of paths (`a.b[0].c`) and values as nested mappings and lists: a text, a
    number or yes/no in `value`, or any JSON in `json`."""
    nested: dict = {}
    sheet = reading.sheets.get(sheet_name)
    for row in sheet.rows if sheet else ():
        raw = row.text(column) or ""
        parts: list[str | int] = []
        for name, index in _PATH_PART.findall(raw):
            parts.append(name if name else int(index))
        value = row.value("value")
        if len(parts) > MAX_NESTING:
            reading.report(row.place(column), TOO_DEEP)
            continue
        if (written := row.text("json")) is not None:
            try:
                value = json_value(written)
            except ValueError as error:
                reading.report(row.place("json"), str(error))
                continue
        if "".join(str(part) for part in parts) != raw.replace(".", "").replace("[", "").replace(
            "]", ""
        ):
            reading.report(row.place(column), f"{raw!r} is not a path such as a.b or a.b[0]")
            continue
        _put(reading, nested, tuple(parts), value, row, (key, *parts), column)
    return nested


def _put(
    reading: WorkbookReading,
    target: Any,
    parts: tuple,
    value: Any,
    row: Row,
    path: DocPath,
    column: str,
) -> None:
    """Set a value at a dotted path (`a.b[0].c`) of nested mappings and lists."""
    if not parts or any(part == "" for part in parts):
        reading.report(row.place(column), f"{row.text(column)!r} is not a path such as a.b")
        return
    for depth, part in enumerate(parts):
        last = depth == len(parts) - 1
        following = None if last else ([] if isinstance(parts[depth + 1], int) else {})
        if isinstance(part, int):
            if not isinstance(target, list) or part > len(target):
                reading.report(row.place(column), "list positions count from [0], in order")
                return
            if part == len(target):
                target.append(value if last else following)
            elif last:
                reading.report(row.place(column), "given twice")
                return
            target = target[part]
        else:
            if not isinstance(target, dict) or (last and part in target):
                reading.report(row.place(column), f"{row.text(column)!r} is given twice")
                return
            if last:
                target[part] = value
            else:
                target = target.setdefault(part, following)
    reading.places[path] = row.place(column)
