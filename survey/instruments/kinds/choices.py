"""Kinds whose answer is text codes out of the question's options: one (choice, yes/no) or
several (multiple choice)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _

from survey.instruments.kinds.base import OptionKind
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
from survey.instruments.model import Option
from survey.instruments.schema import OPTIONS

if TYPE_CHECKING:
    from survey.instruments.model import Question

#: The XLSForm choice list that holds the document's `yes_no` labels; a `select_one yes_no`
#: question uses them.
YES_NO_LIST = "yes_no"


class ChoiceKind(OptionKind):
    """One text code out of the question's options (radio buttons)."""

    code = "choice"
    macro = "choice_question"
    keys = {"options": OPTIONS}

    def check_definition(self, check: DefinitionCheck, path: DocPath, question: dict) -> Span:
        if "options" not in question:
            check.report(path, f"a {self} question needs options")
        check.choices(path, question, "options")
        return Span()

    def build(self, entry: dict, building: Building) -> dict[str, Any]:
        return {"options": building.options(entry["options"])}

    xlsform_types = ("select_one",)

    def from_xlsform_row(self, row: SurveyRow, reading: XlsFormReading) -> dict[str, Any]:
        return {"options": reading.options(row, "options")}

    def to_xlsform_row(self, entry: dict, writing: XlsFormWriting) -> dict[str, Any]:
        name = writing.choice_list(entry["code"], entry["options"])
        return {"type": f"{self.xlsform_types[0]} {name}"}

    def check_value(self, question: Question, item: str, value: Value) -> str | None:
        return self.check_item(question, item) or self.code_problem(question, value)

    def code_problem(self, question: Question, value: Value) -> str | None:
        """What is wrong with one code of the question's options (None: nothing)."""
        codes = [str(option.code) for option in question.options]
        if value not in codes:
            return f"{value!r} is not a code of {question.code} (codes: {', '.join(codes)})"
        return None

    def synthetic_rows(self, question: Question, opinions: Opinions) -> list[Row]:
        return [("", None, self.synthetic_code(question, opinions))]

    def synthetic_code(self, question: Question, opinions: Opinions) -> str | None:
        codes = [str(option.code) for option in question.options]
        weights = {c: w for c, w in opinions.weights(question).items() if c in codes}
        weights = weights or dict.fromkeys(codes, 1.0)
        drawn = list(weights)
        return opinions.rng.choices(drawn, weights=[weights[c] for c in drawn])[0]


class YesNoKind(ChoiceKind):
    """Yes or no; the labels come from the document's `yes_no` unless the question has its own."""

    code = "yes_no"

    def check_definition(self, check: DefinitionCheck, path: DocPath, question: dict) -> Span:
        if "options" in question:
            codes = check.options((*path, "options"), question["options"], integer=False)
            if sorted(map(str, codes)) != ["no", "yes"]:
                check.report((*path, "options"), "the option codes of yes_no are yes and no")
        elif "yes_no" not in check.document:
            check.report(path, "a yes_no question needs options, or the document's yes_no")
        return Span()

    def xlsform_match(self, row: SurveyRow, reading: XlsFormReading) -> int:
        codes = reading.list_codes(row.list_name)
        yes_no = row.list_name == YES_NO_LIST or sorted(codes or ()) == ["no", "yes"]
        return 2 if row.type == "select_one" and yes_no else 0

    def from_xlsform_row(self, row: SurveyRow, reading: XlsFormReading) -> dict[str, Any]:
        if row.list_name == YES_NO_LIST:
            return {}  # the document's yes_no labels
        return super().from_xlsform_row(row, reading)

    def to_xlsform_row(self, entry: dict, writing: XlsFormWriting) -> dict[str, Any]:
        if "options" in entry:
            return super().to_xlsform_row(entry, writing)
        return {"type": f"select_one {YES_NO_LIST}"}

    def build(self, entry: dict, building: Building) -> dict[str, Any]:
        if "options" in entry:
            return super().build(entry, building)
        yes_no = building.yes_no
        return {
            "options": (
                Option("yes", building.texts(yes_no["yes"])),
                Option("no", building.texts(yes_no["no"])),
            )
        }

    def synthetic_code(self, question: Question, opinions: Opinions) -> str | None:
        return "yes" if opinions.rng.random() < opinions.yes_share(question) else "no"


class MultiKind(ChoiceKind):
    """Any number of text codes out of the options (check boxes), stored in one row: the codes
    in the options' order, separated by spaces."""

    code = "multi"
    macro = "multi_question"
    xlsform_types = ("select_multiple",)

    def read_cell(self, question: Question, cell: str) -> Value:
        # A typist may list the codes in any order: they are stored in the options' order.
        chosen = cell.split(" ")
        if len(set(chosen)) != len(chosen) or any(self.code_problem(question, c) for c in chosen):
            return cell  # check_value says what is wrong
        return " ".join(str(o.code) for o in question.options if str(o.code) in chosen)

    def check_value(self, question: Question, item: str, value: Value) -> str | None:
        problem = self.check_item(question, item)
        if problem is not None:
            return problem
        chosen = value.split(" ") if isinstance(value, str) else [value]
        if len(set(chosen)) != len(chosen) or any(self.code_problem(question, c) for c in chosen):
            codes = ", ".join(str(option.code) for option in question.options)
            return (
                f"{value!r} is not a list of different codes of {question.code} separated by "
                f"spaces (codes: {codes})"
            )
        return None

    def rows(self, question: Question, data: Any) -> list[Row]:
        return [("", None, " ".join(data))] if data else []

    def data(self, question: Question, rows: Mapping[str, Row]) -> Any:
        row = rows.get("")
        return tuple(row[2].split()) if row and row[2] else None

    def read(self, field: AskedField, formdata: Mapping) -> list[str]:
        return formdata.getlist(field.name)

    def parse(self, field: AskedField, raw: list[str]) -> tuple[str, ...] | None:
        # Each box posts one code.
        if any(self.code_problem(field.question, value) for value in raw):
            raise ValueError(_("Choose among the answers shown."))
        chosen = tuple(c.code for c in field.handler.choices if c.value in raw)
        return chosen or None

    def raw_from_data(self, field: AskedField, data: Any) -> list[str]:
        return [str(code) for code in data or ()]

    def describe(self, handler: Any, data: Any) -> list[str]:
        return [c.label for c in handler.choices if data and c.code in data]

    def value_label(self, labels: Mapping[str, str], item: str, value: str) -> str:
        return "; ".join(labels[code] for code in value.split() if code in labels)

    def codebook_notes(self, question: Question) -> list[str]:
        return ["Multiple choice: the chosen codes in option order, separated by spaces."]

    def package_constraints(self, question: Question, labels: list[str] | None) -> dict:
        return {}  # several codes (or labels) in one cell: no enum applies

    def value_labels(self, question: Question, language: str) -> tuple[tuple[int | str, str], ...]:
        return ()  # several codes in one cell: a label applies to a single code only

    def value_width(self, question: Question) -> int:
        codes = [str(option.code) for option in question.options]
        return sum(map(len, codes)) + len(codes) - 1

    def paper_hint(self, question: Question, non_response: str) -> str:
        return _("Tick every answer that applies.")

    def synthetic_rows(self, question: Question, opinions: Opinions) -> list[Row]:
        return []  # the synthetic sides hold no view on any multiple choice

    def synthetic_code(self, question: Question, opinions: Opinions) -> str | None:
        return None
