"""Instruments as XLSForm workbooks (the format KoboToolbox and ODK authors write in Excel):
reading one into a valid document, every problem named by its sheet, row and column, and
writing a document back out (docs/instrument-format.md, "XLSForm")."""

from __future__ import annotations

import re

from survey.instruments.kinds.values import DocPath
from survey.instruments.problems import InstrumentError
from survey.instruments.validation import validation_findings
from survey.instruments.xlsform.reading import WorkbookReading
from survey.instruments.xlsform.sheets import KEY_SHEETS
from survey.instruments.xlsform.workbook import Place, WorkbookError, read_workbook
from survey.instruments.xlsform.writing import workbook_of

__all__ = ["XlsFormLoss", "definition_from_xlsform", "xlsform_bytes"]


class XlsFormLoss(ValueError):
    """A definition that a workbook would not hold exactly (a key the XLSForm mapping does
    not know yet): written out, it would not read back the same."""


_QUOTED = re.compile(r"'([^']+)'")
_DOCUMENT_PATH = re.compile(r"\b[a-z_]+(?:\[[0-9]+\])(?:\.[a-z_]+(?:\[[0-9]+\])?)*")


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
    rows = {(place.sheet, place.row) for place in reported if place.row is not None}
    # A workbook missing a sheet or a column is not checked further: the checks of what it
    # lacks would only repeat that it lacks it.
    findings = [] if reading.unreadable else validation_findings(document)
    for path, message in findings:
        place = _place_of(reading, path, message)
        if place in reported or (place.column is None and (place.sheet, place.row) in rows):
            continue  # the workbook's own problem there says more
        found.append((place, _in_workbook_terms(message, reading)))
    if found:
        order = {name: index for index, name in enumerate(sheets)}
        found.sort(key=lambda problem: _position(problem[0], order))
        lines = dict.fromkeys(f"{source}: {place}: {message}" for place, message in found)
        raise InstrumentError(lines)
    return document


def xlsform_bytes(definition: dict) -> bytes:
    """The .xlsx workbook of a valid instrument document, checked to read back into the same
    document (XlsFormLoss otherwise: nothing is exported that would lose a part)."""
    data = workbook_of(definition)
    try:
        again = definition_from_xlsform(data, "export")
    except InstrumentError as error:
        raise XlsFormLoss(f"the workbook would not read back: {error.problems[0]}") from None
    if again != definition:
        lost = [key for key in {*definition, *again} if definition.get(key) != again.get(key)]
        raise XlsFormLoss(f"a workbook would not keep {', '.join(sorted(lost))} exactly")
    return data


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


def _in_workbook_terms(message: str, reading: WorkbookReading) -> str:
    """A message with the document paths it names (`pages[0].questions[2]`) told as rows."""

    def row_of(match: re.Match) -> str:
        path: list[str | int] = []
        for part in match.group(0).split("."):
            name, _, index = part.partition("[")
            path += [name, int(index.rstrip("]"))] if index else [name]
        place = reading.places.get(tuple(path))
        return f"{place.sheet} row {place.row}" if place and place.row else match.group(0)

    return _DOCUMENT_PATH.sub(row_of, message)


def _position(place: Place, order: dict[str, int]) -> tuple:
    letter = place.letter or ""
    return (
        order.get(place.sheet.lower(), len(order)),
        place.row or 0,
        len(letter),
        letter,
    )
