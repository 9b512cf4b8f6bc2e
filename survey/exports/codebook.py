"""The codebook: every column of the long and wide files, with texts, codes and conventions."""

from __future__ import annotations

from collections.abc import Iterator

from survey.exports.long import LONG_COLUMNS
from survey.exports.spec import SECTOR_QUESTION, ExportSpec, id_labels, question_or_none
from survey.exports.wide import ID_COLUMNS, Variable, wide_variables
from survey.instruments import Instrument, Question
from survey.instruments.kinds.base import codes_listing

CODEBOOK_COLUMNS = (
    "file",
    "variable",
    "wave",
    "instrument_version",
    "question",
    "item",
    "kind",
    "type",
    "construct",
    "reversed",
    "minimum",
    "maximum",
    "codes",
    "non_response_code",
    "text",
    "notes",
)

SPREADSHEET_NOTE = (
    "Spreadsheet-safe files (UTF-8 with a byte-order mark) put a ' before a formula's first "
    "character (one of = + - @ or a control character) where a spreadsheet could start a cell: "
    "at the start of the cell and after each comma, semicolon, tab or line break in it; a cell "
    "that is a whole number is left alone (so -9 stays -9). Remove those ' to get the exact "
    "value. The plain files and the data package keep exact values; only the plain long file "
    "can be imported."
)

#: Type of each column in the long file (Frictionless names).
LONG_TYPES = {"submitted_at": "datetime"}


def _long_notes(spec: ExportSpec) -> dict[str, str]:
    instrument = spec.instrument
    return {
        "workshop": "The workshop's short name (slug).",
        "participant": "Pseudonymous participant id, unique within the workshop; never a name.",
        "group": "The participant's side of the dialogue.",
        "sector": "The participant's sector (from the roster or the profile question).",
        "wave": "The wave in which the answer was given (profile answers: the wave that "
        "asked them).",
        "question": "The variable code of the question (see the wide rows below).",
        "item": "Empty except for rankings, where it is the ranked item.",
        "value": "The code (scale, choice), number, rank (rankings: 1 = first) or free text. "
        f"{instrument.non_response_code} = {instrument.non_response_label(spec.language)}. "
        "Unanswered items have no row. The value is always the code, also in a labelled "
        "export, so the long file stays importable. " + SPREADSHEET_NOTE,
        "label": f"The label of the code in '{spec.language}' (rankings: of the ranked item); "
        "empty for numbers and free text. Ignored on import.",
        "language": "The language in which the participant answered.",
        "instrument_version": "The instrument version (key@version) the response was given in.",
        "submitted_at": "When the response was submitted, UTC (YYYY-MM-DDTHH:MM:SSZ).",
    }


def codebook_rows(spec: ExportSpec) -> Iterator[list[str]]:
    """Rows in codebook order: the long file's columns, then the wide file's."""
    language = spec.language
    notes = _long_notes(spec)
    for column in LONG_COLUMNS:
        codes = _id_codes(spec, column)
        yield _row(
            "long",
            column,
            kind="",
            type_=LONG_TYPES.get(column, "string"),
            codes=codes,
            notes=notes[column],
        )
    labelled = id_labels(spec) if spec.labels else {}
    for column in ID_COLUMNS:
        note = notes[column]
        if column in labelled:  # wide_rows labels these like the coded answers
            note += " " + _labels_note(language)
        yield _row(
            "wide",
            column,
            kind="",
            type_="string",
            codes=_id_codes(spec, column),
            notes=note,
        )
    for variable in wide_variables(spec):
        if variable.score is not None:
            yield _score_row(variable, language)
        else:
            yield _question_row(variable, spec)


def _row(
    file: str,
    variable: str,
    *,
    kind: str,
    type_: str,
    codes: str = "",
    notes: str = "",
    **cells: str,
) -> list[str]:
    values = {
        "file": file,
        "variable": variable,
        "kind": kind,
        "type": type_,
        "codes": codes,
        "notes": notes,
        **cells,
    }
    return [values.get(column, "") for column in CODEBOOK_COLUMNS]


def _id_codes(spec: ExportSpec, column: str) -> str:
    instrument = spec.instrument
    if column == "group":
        return "; ".join(f"{g}={instrument.group(g).name(spec.language)}" for g in spec.groups)
    if column == "sector":
        question = question_or_none(instrument, SECTOR_QUESTION)
        return codes_listing(question.options, spec.language) if question else ""
    if column == "wave":
        return "; ".join(wave.code for wave in spec.waves)
    if column == "instrument_version":
        return "; ".join(dict.fromkeys(version.label for version in spec.versions.values()))
    if column == "language":
        return "; ".join(instrument.languages)
    return ""


def _labels_note(language: str) -> str:
    return f"Values are labels in '{language}' (codes listed here)."


def variable_type(variable: Variable, labels: bool) -> str:
    """The Frictionless type of a wide column."""
    if variable.score is not None:
        return "number"
    question = variable.question
    if labels and question.kind.coded:
        return "string"
    if question.numeric():
        return "integer"
    return "string"


def _question_row(variable: Variable, spec: ExportSpec) -> list[str]:
    question: Question = variable.question
    instrument: Instrument = variable.wave.version.instrument
    language = spec.language
    cells = question.kind.codebook_cells(question, variable.item, language)
    text = question.text(language) + cells.get("suffix", "")
    non_response = str(instrument.non_response_code) if question.allows_non_response else ""
    notes = []
    if "{" in text:
        notes.append("{own}, {other} and the like are filled with the participant's group names.")
    if spec.labels and question.kind.coded:
        notes.append(_labels_note(language))
    if question.profile:
        notes.append("Profile question: asked once, in the first wave the participant answered.")
    notes += question.kind.codebook_notes(question)
    if question.free_text:
        notes.append(SPREADSHEET_NOTE)
    return _row(
        "wide",
        variable.name,
        wave=variable.wave.code,
        instrument_version=variable.wave.version.label,
        question=question.code,
        item=variable.item,
        kind=question.kind.code,
        type_=variable_type(variable, spec.labels),
        construct=question.construct or "",
        reversed="true" if question.reversed else "false",
        minimum=cells.get("minimum", ""),
        maximum=cells.get("maximum", ""),
        codes=cells.get("codes", ""),
        non_response_code=non_response,
        text=text,
        notes=" ".join(notes),
    )


def _score_row(variable: Variable, language: str) -> list[str]:
    score = variable.score
    instrument = variable.wave.version.instrument
    items = ", ".join(score.items)
    if len(score.items) == 1:
        rule = f"The value of {items}; empty when unanswered or {instrument.non_response_code}."
    else:
        reversed_items = ", ".join(item for item in score.items if item in score.reversed)
        turned = (
            f" after reversing {reversed_items} ({score.scale_min + score.scale_max} - value)"
            if reversed_items
            else ""
        )
        rule = (
            f"Mean of {items}{turned}; empty unless at least {score.min_answered} of "
            f"{len(score.items)} are answered ({instrument.non_response_code} counts as "
            "unanswered)."
        )
    return _row(
        "wide",
        variable.name,
        wave=variable.wave.code,
        instrument_version=variable.wave.version.label,
        kind="score",
        type_="number",
        minimum=str(score.scale_min),
        maximum=str(score.scale_max),
        text=score.title(language),
        notes=rule,
    )
