"""Instruments as XLSForm workbooks (the format KoboToolbox and ODK authors write in Excel):
reading one into a valid document, every problem named by its sheet, row and column, and
writing a document back out (docs/instrument-format.md, "XLSForm")."""

from __future__ import annotations

import re

from survey.instruments.kinds.base import DocPath
from survey.instruments.problems import InstrumentError
from survey.instruments.validation import validation_findings
from survey.instruments.xlsform.reading import WorkbookReading
from survey.instruments.xlsform.sheets import KEY_SHEETS, REQUIRED_SHEETS
from survey.instruments.xlsform.workbook import Place, WorkbookError, read_workbook
from survey.instruments.xlsform.writing import xlsform_bytes

__all__ = ["definition_from_xlsform", "xlsform_bytes"]

_QUOTED = re.compile(r"'([^']+)'")


def definition_from_xlsform(data: bytes, source: str) -> dict:
    """The valid instrument document of a workbook's bytes; InstrumentError listing every
    problem as "SOURCE: sheet, row N, column X (header): message", in workbook order."""
    try:
        sheets = read_workbook(data)
    except WorkbookError as error:
        raise InstrumentError([f"{source}: {error}"]) from None
    reading = WorkbookReading(sheets)
    document = reading.document()
    found = list(reading.problems)
    reported = {place for place, _ in found}
    missing_sheets = {place.sheet for place, message in found if place.row is None}
    for path, message in validation_findings(document):
        place = _place_of(reading, path, message)
        if place in reported or _about_a_missing_sheet(path, message, missing_sheets):
            continue  # the workbook's own problem there says more
        found.append((place, message))
    if found:
        order = {name: index for index, name in enumerate(sheets)}
        found.sort(key=lambda problem: _position(problem[0], order))
        lines = dict.fromkeys(f"{source}: {place}: {message}" for place, message in found)
        raise InstrumentError(lines)
    return document


def _place_of(reading: WorkbookReading, path: DocPath, message: str) -> Place:
    """The cell a problem of the document came from: the place of its path, else of its
    nearest parent, else the sheet of its top-level key."""
    languages = reading.language_places.get(path, {})
    for quoted in _QUOTED.findall(message):
        if quoted in languages:
            return languages[quoted]
    probe = path
    while probe:
        if probe in reading.places:
            return reading.places[probe]
        probe = probe[:-1]
    if path and isinstance(path[0], str) and path[0] in KEY_SHEETS:
        return Place(KEY_SHEETS[path[0]])
    key = _QUOTED.search(message)
    return Place(KEY_SHEETS.get(key.group(1), "settings") if key else "settings")


def _about_a_missing_sheet(path: DocPath, message: str, missing: set[str]) -> bool:
    """Whether a problem only says again that a required sheet is missing ("missing key
    'groups'" of a workbook without a groups sheet)."""
    key = _QUOTED.search(message)
    if path or not key or not message.startswith("missing key"):
        return False
    sheet = KEY_SHEETS.get(key.group(1))
    return sheet in missing and sheet in REQUIRED_SHEETS


def _position(place: Place, order: dict[str, int]) -> tuple:
    letter = place.letter or ""
    return (
        order.get(place.sheet.lower(), len(order)),
        place.row or 0,
        len(letter),
        letter,
    )
