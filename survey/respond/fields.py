"""The questionnaire's form field: one generic field per question, its kind does the rest.

As in ONSdigital/eq-questionnaire-runner, answer types are handled one per class, but here
the class is the question's kind (survey.instruments.kinds): it reads what was posted, parses
and checks it, turns it into answer rows and stored rows back into data, and describes an
answer for the review page. Pages, forms and views never look at the kind; the template picks
the kind's macro by the name the kind declares.

Every kind parses the raw form itself, so a tampered value (an unknown code, a number out of
range, a duplicate rank, an overlong text) becomes a message at the field, never an exception.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _
from wtforms import Field
from wtforms.utils import unset_value
from wtforms.validators import StopValidation

from survey.instruments import Instrument, Question
from survey.instruments.kinds import Choice, Row

# The respond modules take the stored row and the choice shapes from here.
__all__ = ["AnswerField", "Choice", "FieldHandler", "Row", "handler_for"]


class AnswerField(Field):
    """The inputs of one question; `data` is None when the question is unanswered."""

    def __init__(self, label=None, validators=None, *, handler: FieldHandler, **kwargs) -> None:
        super().__init__(label, validators, **kwargs)
        self.handler = handler
        self.question = handler.question
        self.kind = handler.question.kind
        self.raw: Any = None

    def process(self, formdata, data=unset_value, extra_filters=None) -> None:
        self.process_errors = []
        self.object_data = self.data = None if data is unset_value else data
        self.raw = self.kind.raw_from_data(self, self.data)
        if formdata is not None:
            try:
                self.raw = self.kind.read(self, formdata)
                self.data = self.kind.parse(self, self.raw)
            except ValueError as exc:
                self.data = None
                self.process_errors.append(str(exc.args[0]))

    def pre_validate(self, form) -> None:
        if self.process_errors:
            raise StopValidation()
        if self.data is None and self.question.required and getattr(form, "enforce_required", 0):
            raise StopValidation(_("Please answer this question."))

    def input_names(self) -> set[str]:
        """Every form key this field reads (the view refuses any other key)."""
        return self.kind.input_names(self)

    @property
    def first_input_id(self) -> str:
        """Where the error summary's link for this question leads."""
        return self.kind.first_input_id(self)

    @property
    def choices(self) -> tuple[Choice, ...]:
        return self.handler.choices

    @property
    def non_response_name(self) -> str:
        """The box that says "Prefer not to answer" beside a typed answer."""
        return f"{self.name}-nr"

    def item_name(self, item: str) -> str:
        """The input of one item of the question."""
        return f"{self.name}-{item}"

    def ordered_items(self) -> list[Choice]:
        """The choices in the order to show them (a complete ranking shows its order)."""
        return self.kind.display_order(self)

    def form_values(self) -> list[tuple[str, str]]:
        """The (input name, value) pairs the form posts for the field's data as shown."""
        return self.kind.form_values(self, self.data)


class FieldHandler:
    """A question in the language and group of the person answering it."""

    def __init__(
        self,
        question: Question,
        instrument: Instrument,
        language: str,
        group: str,
        display_seed: int | None = None,
    ):
        self.question = question
        self.language = language
        # The seed of the orders drawn for this participant's response (a ranking's items);
        # None: the instrument's order.
        self.display_seed = display_seed
        self.text = instrument.question_text(question, language, group)
        self.hint = instrument.fill(question.hint(language), language, group)
        self.non_response_code = question.non_response_code
        self.non_response_label = instrument.non_response_label(language)
        self.choices = question.kind.choices(question, language, self.non_response_label)

    def field(self) -> AnswerField:
        """The unbound form field; its HTML name is the question code."""
        code = self.question.code
        return AnswerField(label=self.text, name=code, id=f"q-{code}", handler=self)

    def rows(self, data: Any) -> list[Row]:
        """The answer rows of the field's data (empty when unanswered)."""
        return self.question.kind.rows(self.question, data)

    def data(self, rows: Mapping[str, Row]) -> Any:
        """The field's data from the stored rows of this question, keyed by item."""
        return self.question.kind.data(self.question, rows)

    def describe(self, data: Any) -> list[str]:
        """The answer in words for the review page; empty when unanswered."""
        return self.question.kind.describe(self, data)


def handler_for(
    question: Question,
    instrument: Instrument,
    language: str,
    group: str,
    display_seed: int | None = None,
) -> FieldHandler:
    """The handler of a question for a person of `group` reading `language`, with the orders
    drawn from `display_seed` (their response's)."""
    return FieldHandler(question, instrument, language, group, display_seed)
