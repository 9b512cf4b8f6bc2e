"""What every question kind provides: one class per kind owns everything about its kind.

A kind defines the keys its questions carry in an instrument file and checks them, builds the
`Question`, turns what a participant posted into stored answer rows and back, validates a
stored value (one check for the questionnaire, the long-file import and the tests), and says
how its answers are exported, printed on paper and drawn for the demo. Callers choose
questions by the declarative properties below, never by a kind's code, so a new kind is one
new class (and one template macro) registered in `survey.instruments.kinds.registry`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from flask_babel import gettext as _

from survey.instruments.kinds.collaborators import (
    AskedField,
    Building,
    DefinitionCheck,
    Opinions,
    SurveyRow,
    XlsFormReading,
    XlsFormWriting,
)
from survey.instruments.kinds.values import Choice, DocPath, Row, Span, Value

if TYPE_CHECKING:
    from survey.instruments.model import Option, Question


def present(entry: Mapping[str, Any], *keys: str) -> dict[str, Any]:
    """The entry's values of those keys that it has: the cells that keep them in a workbook."""
    return {key: entry[key] for key in keys if key in entry}


def row_keys(
    row: SurveyRow,
    *,
    texts: Sequence[str] = (),
    integers: Sequence[str] = (),
    flags: Sequence[str] = (),
) -> dict[str, Any]:
    """The keys a survey row's non-empty cells give, each read as its kind of value."""
    keys: dict[str, Any] = {}
    for column in texts:
        if (text := row.text(column)) is not None:
            keys[column] = text
    for column in integers:
        if (number := row.integer(column)) is not None:
            keys[column] = number
    for column in flags:
        if (flag := row.flag(column)) is not None:
            keys[column] = flag
    return keys


def single(formdata: Mapping, name: str) -> str:
    """The one value posted under `name` ("" when absent); a repeated name is tampering."""
    values = formdata.getlist(name)
    if len(values) > 1:
        raise ValueError(_("Choose only one answer."))
    return values[0] if values else ""


def nearest(value: float, low: int, high: int) -> int:
    """The integer nearest to `value` within low..high, halves up (round() favours even)."""
    return min(max(math.floor(value + 0.5), low), high)


def codes_listing(options: Sequence[Option], language: str) -> str:
    """`code=label; ...`, as the codebook lists codes."""
    return "; ".join(f"{option.code}={option.label(language)}" for option in options)


class QuestionKind:
    """A kind of question. One instance per kind, registered under its `code`; a question's
    `kind` is that instance, equal to its code ("scale") as instrument files write it."""

    code: ClassVar[str]

    # Declarative properties: what callers filter questions on.
    numeric: ClassVar[bool] = False  # the stored value is an integer (code, number or rank)
    scored: ClassVar[bool] = False  # may be an item of a score
    labelled_scale: ClassVar[bool] = False  # codes of a labelled ordinal scale (distributions)
    ranking: ClassVar[bool] = False  # orders the question's items: one row per item
    free_text: ClassVar[bool] = False  # written, not chosen: read by staff, coded into themes
    coded: ClassVar[bool] = False  # the value is option codes: labelled exports show labels
    #: Lists its choices in an order drawn for each response (see `drawn_order`).
    draws_order: ClassVar[bool] = False
    #: The macro that renders the question, in `template`.
    macro: ClassVar[str]
    template: ClassVar[str] = "respond/_questions.html"
    #: How the paper questionnaire (templates/exports/paper.html) takes the answer: "options"
    #: (a box per choice), "ranking" (a rank per item), "number" or "lines" (to write on).
    paper_layout: ClassVar[str] = "options"
    #: How statistics packages treat the values (SPSS's measurement levels): "nominal",
    #: "ordinal" (ordered codes or ranks) or "scale" (numbers to compute with).
    measurement: ClassVar[str] = "nominal"
    #: The keys a question of this kind may carry in an instrument file besides code, kind,
    #: texts, required, waves and profile, with their JSON Schema. Kinds that share a key give
    #: it the same schema (the registry checks).
    keys: ClassVar[Mapping[str, dict]] = {}

    def __eq__(self, other: object) -> bool:
        if isinstance(other, QuestionKind):
            return self.code == other.code
        if isinstance(other, str):
            return self.code == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.code)

    def __str__(self) -> str:
        return self.code

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.code!r}>"

    def __reduce__(self) -> tuple[Any, ...]:
        # Unpickled or deep-copied questions keep the registered instance (the registry is
        # imported here: it imports this module).
        from survey.instruments.kinds.registry import kind_named

        return (kind_named, (self.code,))

    # ------------------------------------------------------------------ definition

    def check_definition(self, check: DefinitionCheck, path: DocPath, question: dict) -> Span:
        """Report what is wrong with the kind's keys of one question of a document."""
        return Span()

    def build(self, entry: dict, building: Building) -> dict[str, Any]:
        """The `Question` fields the kind sets from a validated entry of the document."""
        return {}

    # ------------------------------------------------------------------ XLSForm

    #: The XLSForm types its questions are written with (a select's list name aside).
    xlsform_types: ClassVar[tuple[str, ...]] = ()

    def xlsform_match(self, row: SurveyRow, reading: XlsFormReading) -> int:
        """How specifically a survey row is a question of this kind: 0 not at all; the most
        specific kind reads the row unless its `kind` column names another."""
        return 1 if row.type in self.xlsform_types else 0

    def from_xlsform_row(self, row: SurveyRow, reading: XlsFormReading) -> dict[str, Any]:
        """The kind's keys of a question from its survey row (docs/instrument-format.md,
        "XLSForm")."""
        return {}

    def to_xlsform_row(self, entry: dict, writing: XlsFormWriting) -> dict[str, Any]:
        """The cells of a question's survey row that carry its kind: `type`, the columns
        XLSForm reads (appearance, parameters, constraint), and ours for its other keys."""
        return {"type": self.xlsform_types[0]}

    # ------------------------------------------------------------------ stored answers

    def item_codes(self, question: Question) -> tuple[str, ...]:
        """The `item` of each row an answer is stored in: "" but for a ranking's items."""
        return ("",)

    def stored_value(self, number: int | None, text: str | None) -> Value:
        """The value of a stored row."""
        return number if self.numeric else text

    def read_cell(self, question: Question, cell: str) -> Value:
        """The value a long file's `value` cell stands for (unchecked: see check_value)."""
        return cell

    def check_value(self, question: Question, item: str, value: Value) -> str | None:
        """What is wrong with one stored value of the question (None: nothing): the one check
        behind the questionnaire, the long-file import and the tests."""
        return self.check_item(question, item)

    def check_item(self, question: Question, item: str) -> str | None:
        """What is wrong with the `item` of a stored row."""
        if item:
            return f"{question.code} has no items: leave item empty (got {item!r})"
        return None

    def check_answer(
        self,
        question: Question,
        values: Sequence[tuple[str, Value]],
        *,
        where: str,
        place: Callable[[int], str],
    ) -> list[tuple[int, str]]:
        """What is wrong with a whole answer whose rows (item, value) are each valid alone:
        (the row to report it at, the problem). `where` names the answer, `place(i)` row i."""
        return []

    def stored_row(self, item: str, value: Value) -> Row:
        """The row that stores a value (the inverse of stored_value)."""
        return (item, value, None) if self.numeric else (item, None, value)

    def rows(self, question: Question, data: Any) -> list[Row]:
        """The answer rows of a form field's data (empty when unanswered)."""
        return [] if data is None else [self.stored_row("", data)]

    def data(self, question: Question, rows: Mapping[str, Row]) -> Any:
        """A form field's data from the question's stored rows, keyed by item."""
        row = rows.get("")
        return None if row is None else self.stored_value(row[1], row[2])

    # ------------------------------------------------------------------ the questionnaire

    def choices(
        self, question: Question, language: str, non_response_label: str
    ) -> tuple[Choice, ...]:
        """What a participant picks from, in their language (empty: nothing to pick)."""
        return ()

    def input_names(self, field: AskedField) -> set[str]:
        """Every form key the field reads (the view refuses any other key)."""
        return {field.name}

    def first_input_id(self, field: AskedField) -> str:
        """Where the error summary's link for the question leads."""
        return field.id

    def read(self, field: AskedField, formdata: Mapping) -> Any:
        """What was posted for the question, in the shape the template shows again."""
        return single(formdata, field.name)

    def parse(self, field: AskedField, raw: Any) -> Any:
        """The field's data from what was posted; ValueError with the participant's message."""
        raise NotImplementedError

    def raw_from_data(self, field: AskedField, data: Any) -> Any:
        """What the template shows for stored data."""
        return "" if data is None else str(data)

    def form_values(self, field: AskedField, data: Any) -> list[tuple[str, str]]:
        """The (input name, value) pairs the page's form posts when it shows this data: what
        the questionnaire's script puts back into a form it has not rendered (the inverse of
        `read`). This covers inputs named after the question holding one value or several."""
        raw = self.raw_from_data(field, data)
        values = [raw] if isinstance(raw, str) else list(raw)
        return [(field.name, value) for value in values if value != ""]

    def display_order(self, field: AskedField) -> list[Choice]:
        """The field's choices in the order to show them."""
        return list(field.handler.choices)

    def drawn_order(self, question: Question, seed: int) -> tuple[str, ...] | None:
        """The codes in the order drawn from a response's display seed in which the question
        lists them before it is answered; None where the kind keeps a fixed order."""
        return None

    def describe(self, handler: Any, data: Any) -> list[str]:
        """The answer in words for the review page; empty when unanswered."""
        return [c.label for c in handler.choices if c.code == data]

    # ------------------------------------------------------------------ exports

    def labelled_options(self, question: Question) -> tuple[Option, ...]:
        """The options whose labels the `label` column shows, by the code a row carries."""
        return ()

    def value_label(self, labels: Mapping[str, str], item: str, value: str) -> str:
        """The label of a row's value (a ranking's: its item's) from `labels` (code -> label);
        "" when uncoded."""
        return labels.get(value, "")

    def codebook_cells(self, question: Question, item: str, language: str) -> dict[str, str]:
        """The kind's cells of a codebook row: minimum, maximum, codes, and a suffix for the
        text."""
        return {"codes": codes_listing(question.options, language)}

    def codebook_notes(self, question: Question) -> list[str]:
        """What a researcher must know about the kind's values."""
        return []

    def package_constraints(self, question: Question, labels: list[str] | None) -> dict:
        """The Frictionless constraints of a wide column; `labels` when the export shows
        labels instead of codes."""
        if labels is not None:
            return {"enum": list(dict.fromkeys(labels))}
        if question.options:
            return {"enum": list(dict.fromkeys(option.code for option in question.options))}
        return {}

    def value_labels(self, question: Question, language: str) -> tuple[tuple[int | str, str], ...]:
        """The (code, label) pairs the SPSS, Stata and R syntax files attach to the wide column's
        values (empty: none); the non-response code is added where the question offers it."""
        return ()

    def value_width(self, question: Question) -> int:
        """The most characters a value of a text column can have (SPSS declares its width)."""
        return max((len(str(option.code)) for option in question.options), default=1)

    def paper_hint(self, question: Question, non_response: str) -> str:
        """What the paper questionnaire says under the question; `non_response` reads
        "; -9 = Prefer not to answer" where that is offered, else ""."""
        return _("Tick one answer.")

    def paper_choices(
        self, question: Question, language: str, non_response: tuple[str, str] | None
    ) -> list[tuple[str, str]]:
        """The (code, label) lines printed with a box or a rank field; `non_response` is the
        (code, label) of "Prefer not to answer" where it is offered."""
        return [(str(option.code), option.label(language)) for option in question.options]

    # ------------------------------------------------------------------ synthetic answers

    def synthetic_rows(self, question: Question, opinions: Opinions) -> list[Row]:
        """A synthetic respondent's answer (empty: none)."""
        return []

    def synthetic_code(self, question: Question, opinions: Opinions) -> str | None:
        """A code a synthetic person keeps for good when asked in the profile (None: answered
        afresh each time)."""
        return None


class OptionKind(QuestionKind):
    """A kind whose answer is one of the question's options, picked with radio buttons (with
    "Prefer not to answer" among them where it is offered)."""

    coded = True

    def choices(
        self, question: Question, language: str, non_response_label: str
    ) -> tuple[Choice, ...]:
        # Codes are stored as numbers for scales and as text for choices.
        typed = int if self.numeric else str
        choices = [
            Choice(str(option.code), typed(option.code), option.label(language))
            for option in question.options
        ]
        code = question.non_response_code
        if code is not None:
            choices.append(Choice(str(code), code, non_response_label, non_response=True))
        return tuple(choices)

    def first_input_id(self, field: AskedField) -> str:
        return f"{field.id}-0"

    def parse(self, field: AskedField, raw: str) -> Value:
        """Exactly one of the values the form offered: those check_value accepts, as written."""
        if raw == "":
            return None
        value = self.read_cell(field.question, raw)
        if str(value) != raw or self.check_value(field.question, "", value) is not None:
            raise ValueError(_("Choose one of the answers shown."))
        return value

    def labelled_options(self, question: Question) -> tuple[Option, ...]:
        return question.options

    def value_labels(self, question: Question, language: str) -> tuple[tuple[int | str, str], ...]:
        return tuple((option.code, option.label(language)) for option in question.options)
