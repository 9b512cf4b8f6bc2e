"""Kinds whose answer is one whole number in a range: a code of a labelled scale (agree5) and
a number typed in (the 0–100 thermometer)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _

from survey.instruments.kinds.base import (
    OptionKind,
    QuestionKind,
    codes_listing,
    nearest,
    present,
    row_keys,
    single,
)
from survey.instruments.kinds.collaborators import (
    AskedField,
    Building,
    DefinitionCheck,
    Opinions,
    SurveyRow,
    XlsFormReading,
    XlsFormWriting,
)
from survey.instruments.kinds.values import DocPath, Row, Span, Value
from survey.instruments.schema import CODE, WIDGET
from survey.text import western_digits

if TYPE_CHECKING:
    from survey.instruments.model import Question

#: The largest whole number an answer holds: nine digits, what the long file reads back and
#: the database's integer column stores. An instrument's ranges lie within ±LARGEST.
LARGEST = 999_999_999
#: A whole number as a long file writes it.
INTEGER = re.compile(r"-?[0-9]{1,9}")
_NUMBER_DIGITS = len(str(LARGEST))  # also keeps int() cheap on garbage


class NumericKind(QuestionKind):
    """Answers stored as one integer within `value_range`, or the non-response code where the
    question offers it."""

    numeric = True

    def value_range(self, question: Question) -> tuple[int, int]:
        """The lowest and highest value an answer may take (the non-response code aside)."""
        return question.minimum, question.maximum

    def read_cell(self, question: Question, cell: str) -> Value:
        return int(cell) if INTEGER.fullmatch(cell) else cell

    def check_value(self, question: Question, item: str, value: Value) -> str | None:
        problem = self.check_item(question, item)
        if problem is not None:
            return problem
        if not isinstance(value, int) or isinstance(value, bool):
            return f"{question.code} needs a whole number, got {value!r}"
        non_response = question.non_response_code
        if non_response is not None and value == non_response:
            return None
        low, high = self.value_range(question)
        if not low <= value <= high:
            offered = f" or {non_response}" if non_response is not None else ""
            return f"{value} is out of range for {question.code} ({low}–{high}{offered})"
        return None

    def synthetic_rows(self, question: Question, opinions: Opinions) -> list[Row]:
        if question.allows_non_response and opinions.declines(question):
            return [("", question.non_response_code, None)]
        low, high = self.value_range(question)
        return [("", nearest(opinions.level(question), low, high), None)]


class ScaleKind(OptionKind, NumericKind):
    """One code of a named labelled scale (agree5: 1 Strongly disagree … 5 Strongly agree)."""

    code = "scale"
    scored = True
    labelled_scale = True
    measurement = "ordinal"
    macro = "scale_question"
    keys = {
        "scale": CODE,
        "non_response": {"type": "boolean"},
        "construct": CODE,
        "reversed": {"type": "boolean"},
    }

    def check_definition(self, check: DefinitionCheck, path: DocPath, question: dict) -> Span:
        return check.scale_reference(path, question, labelled=True) or Span()

    xlsform_types = ("select_one",)

    def xlsform_match(self, row: SurveyRow, reading: XlsFormReading) -> int:
        # ODK shows a `likert` select as a scale; that appearance is what makes it one here.
        return 3 if row.type == "select_one" and "likert" in row.appearance else 0

    def from_xlsform_row(self, row: SurveyRow, reading: XlsFormReading) -> dict[str, Any]:
        scale = reading.labelled_scale(row)
        keys = {"scale": scale} if scale is not None else {}
        return keys | row_keys(row, texts=("construct",), flags=("non_response", "reversed"))

    def to_xlsform_row(self, entry: dict, writing: XlsFormWriting) -> dict[str, Any]:
        return {
            "type": f"select_one {entry['scale']}",
            "appearance": "likert",
            **present(entry, "non_response", "construct", "reversed"),
        }

    def build(self, entry: dict, building: Building) -> dict[str, Any]:
        scale = building.scale(entry.get("scale"))
        options = building.options(scale["options"])
        return {
            "options": options,
            "minimum": options[0].code,
            "maximum": options[-1].code,
            **_non_response(entry, scale, building),
        }

    def codebook_cells(self, question: Question, item: str, language: str) -> dict[str, str]:
        return {
            "codes": codes_listing(question.options, language),
            "minimum": str(question.minimum),
            "maximum": str(question.maximum),
        }

    def paper_choices(
        self, question: Question, language: str, non_response: tuple[str, str] | None
    ) -> list[tuple[str, str]]:
        choices = super().paper_choices(question, language, non_response)
        return [*choices, non_response] if non_response else choices


class IntegerKind(NumericKind):
    """A whole number typed in, in any script's digits: a range of its own or a range scale."""

    code = "integer"
    scored = True
    measurement = "scale"
    macro = "number_question"
    paper_layout = "number"
    keys = {
        "scale": CODE,
        "minimum": {"type": "integer"},
        "maximum": {"type": "integer"},
        "widget": WIDGET,
        "non_response": {"type": "boolean"},
        "construct": CODE,
    }

    xlsform_types = ("integer", "range")

    def from_xlsform_row(self, row: SurveyRow, reading: XlsFormReading) -> dict[str, Any]:
        keys = row_keys(
            row,
            texts=("scale", "widget", "construct"),
            integers=("minimum", "maximum"),
            flags=("non_response",),
        )
        scale = reading.scale(keys.get("scale"))
        bounded = "scale" in keys or "minimum" in keys or "maximum" in keys
        if row.type == "integer":
            if not bounded:
                reading.report(
                    row.place("minimum"),
                    "an integer question needs minimum and maximum, or a range scale (scale)",
                )
            if keys.get("widget") == "thermometer":
                reading.report(row.place("widget"), "a thermometer is written with type range")
            if row.text("parameters"):
                reading.report(row.place("parameters"), "parameters apply to a range only")
            return keys
        # A range: its bounds come from the scale or the columns, else from its parameters.
        start, end = _range_parameters(row, reading)
        bounds = (
            keys.get("minimum", scale.get("minimum")),
            keys.get("maximum", scale.get("maximum")),
        )
        if not bounded and (start is None or end is None):
            reading.report(
                row.place("parameters"), "a range needs its bounds: start=0 end=100 step=1"
            )
        if bounds == (None, None) and "scale" not in keys:
            keys |= {
                key: value
                for key, value in (("minimum", start), ("maximum", end))
                if value is not None
            }
        elif start is not None and end is not None and (start, end) != bounds:
            reading.report(
                row.place("parameters"),
                f"start={start} end={end} differ from the range {bounds[0]}..{bounds[1]} "
                "of the question",
            )
        if keys.get("widget") == "number":
            reading.report(row.place("widget"), "a number to type in is written with type integer")
        elif "widget" not in keys and scale.get("widget") != "thermometer":
            keys["widget"] = "thermometer"
        return keys

    def to_xlsform_row(self, entry: dict, writing: XlsFormWriting) -> dict[str, Any]:
        scale = writing.scale(entry.get("scale"))
        low = entry.get("minimum", scale.get("minimum"))
        high = entry.get("maximum", scale.get("maximum"))
        cells = present(entry, "scale", "minimum", "maximum", "widget", "non_response", "construct")
        if entry.get("widget", scale.get("widget")) == "thermometer":
            return {"type": "range", "parameters": f"start={low} end={high} step=1", **cells}
        constraint = f". >= {low} and . <= {high}"
        if entry.get("non_response", scale.get("non_response", True)):
            constraint = f"({constraint}) or . = {writing.non_response_code}"
        return {"type": "integer", "constraint": constraint, **cells}

    def check_definition(self, check: DefinitionCheck, path: DocPath, question: dict) -> Span:
        if "scale" in question:
            span = check.scale_reference(path, question, labelled=False)
            if "minimum" in question or "maximum" in question:
                check.report(path, "give either a scale or minimum and maximum, not both")
                return Span(scale=span.scale) if span else Span()
            return span or Span()
        low, high = question.get("minimum"), question.get("maximum")
        return Span(low, high) if check.number_range(path, low, high) else Span()

    def build(self, entry: dict, building: Building) -> dict[str, Any]:
        scale = building.scale(entry.get("scale"))
        return {
            "minimum": scale.get("minimum", entry.get("minimum")),
            "maximum": scale.get("maximum", entry.get("maximum")),
            "widget": entry.get("widget", scale.get("widget")),
            **_non_response(entry, scale, building),
        }

    def input_names(self, field: AskedField) -> set[str]:
        return {field.name, field.non_response_name}

    def read(self, field: AskedField, formdata: Mapping) -> dict[str, Any]:
        return {
            "text": single(formdata, field.name),
            "nr": formdata.getlist(field.non_response_name),
        }

    def parse(self, field: AskedField, raw: dict[str, Any]) -> int | None:
        question = field.question
        code = question.non_response_code
        text = western_digits("".join(raw["text"].split())).replace("\u2212", "-")
        declined = bool(raw["nr"])
        if declined and (raw["nr"] != ["1"] or code is None):
            raise ValueError(_("Choose one of the answers shown."))
        if declined and text:
            raise ValueError(_("Give a number or choose “Prefer not to answer”, not both."))
        if declined:
            return code
        if not text:
            return None
        digits = text.removeprefix("-")
        if digits.isascii() and digits.isdigit() and len(digits) <= _NUMBER_DIGITS:
            number = int(text)
            # Typed, the non-response code is a number like any other: it has its own box.
            if number != code and self.check_value(question, "", number) is None:
                return number
        raise ValueError(
            _(
                "Enter a whole number from %(low)d to %(high)d.",
                low=question.minimum,
                high=question.maximum,
            )
        )

    def raw_from_data(self, field: AskedField, data: Any) -> dict[str, Any]:
        if data is not None and data == field.question.non_response_code:
            return {"text": "", "nr": ["1"]}
        return {"text": "" if data is None else str(data), "nr": []}

    def form_values(self, field: AskedField, data: Any) -> list[tuple[str, str]]:
        raw = self.raw_from_data(field, data)
        typed = [(field.name, raw["text"])] if raw["text"] else []
        return typed + [(field.non_response_name, value) for value in raw["nr"]]

    def describe(self, handler: Any, data: Any) -> list[str]:
        if data is None:
            return []
        if data == handler.question.non_response_code:
            return [handler.non_response_label]
        return [str(data)]

    def codebook_cells(self, question: Question, item: str, language: str) -> dict[str, str]:
        return {"minimum": str(question.minimum), "maximum": str(question.maximum)}

    def package_constraints(self, question: Question, labels: list[str] | None) -> dict:
        return {"minimum": question.minimum, "maximum": question.maximum}

    def paper_hint(self, question: Question, non_response: str) -> str:
        whole = _(
            "A whole number from %(low)d to %(high)d", low=question.minimum, high=question.maximum
        )
        return whole + non_response


def _range_parameters(row: SurveyRow, reading: XlsFormReading) -> tuple[int | None, int | None]:
    """The start and end of a range row's `parameters` (`start=0 end=100 step=1`); a step
    other than 1 is refused, as answers are whole numbers."""
    text = row.text("parameters") or ""
    values: dict[str, int] = {}
    for part in re.split(r"[\s;,]+", text.strip()):
        name, equals, value = part.partition("=")
        if not part:
            continue
        if (
            not equals
            or name.strip() not in ("start", "end", "step")
            or not INTEGER.fullmatch(value.strip())
        ):
            reading.report(
                row.place("parameters"),
                f"{part!r} is not one of start=N, end=N, step=1 (whole numbers)",
            )
            continue
        values[name.strip()] = int(value.strip())
    if values.get("step", 1) != 1:
        reading.report(row.place("parameters"), "step must be 1: answers are whole numbers")
    return values.get("start"), values.get("end")


def _non_response(entry: dict, scale: Mapping[str, Any], building: Building) -> dict[str, Any]:
    """The non-response code where "Prefer not to answer" is offered: unless the question or
    its scale says otherwise."""
    offered = entry.get("non_response", scale.get("non_response", True))
    return {"non_response_code": building.non_response_code if offered else None}
