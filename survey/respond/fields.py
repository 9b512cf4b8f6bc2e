"""One field handler per question kind, as in ONSdigital/eq-questionnaire-runner.

A handler knows one question in one language: it builds the form field that parses and checks
what was posted, turns the field's data into answer rows and stored rows back into data, and
describes an answer for the review page. Pages, forms and views never look at the kind; a new
kind is one new handler (and one template macro).

Every field parses the raw form itself, so a tampered value (an unknown code, a number out of
range, a duplicate rank, an overlong text) becomes a message at the field, never an exception.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from flask_babel import gettext as _
from wtforms import Field
from wtforms.utils import unset_value
from wtforms.validators import StopValidation

from survey.instruments import Instrument, Question, QuestionKind
from survey.text import western_digits

#: An answer row as stored: (item, number, text); item is "" except for rankings.
Row = tuple[str, int | None, str | None]

_NUMBER_DIGITS = 6  # wider than any range an instrument uses; keeps int() cheap on garbage


def _single(formdata: Mapping, name: str) -> str:
    """The one value posted under `name` ("" when absent); a repeated name is tampering."""
    values = formdata.getlist(name)
    if len(values) > 1:
        raise ValueError(_("Choose only one answer."))
    return values[0] if values else ""


@dataclass(frozen=True)
class Choice:
    value: str  # as posted
    code: int | str  # as stored
    label: str
    non_response: bool = False


# --------------------------------------------------------------------------- fields


class AnswerField(Field):
    """The inputs of one question; `data` is None when the question is unanswered."""

    def __init__(self, label=None, validators=None, *, handler: FieldHandler, **kwargs) -> None:
        super().__init__(label, validators, **kwargs)
        self.handler = handler
        self.question = handler.question
        self.kind = handler.question.kind.value
        self.raw: Any = None

    def process(self, formdata, data=unset_value, extra_filters=None) -> None:
        self.process_errors = []
        self.object_data = self.data = None if data is unset_value else data
        self.raw = self.raw_from_data(self.data)
        if formdata is not None:
            try:
                self.raw = self.read(formdata)
                self.data = self.parse(self.raw)
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
        return {self.name}

    @property
    def first_input_id(self) -> str:
        """Where the error summary's link for this question leads."""
        return self.id

    def read(self, formdata: Mapping) -> Any:
        return _single(formdata, self.name)

    def parse(self, raw: Any) -> Any:
        raise NotImplementedError

    def raw_from_data(self, data: Any) -> Any:
        return "" if data is None else str(data)


class ChoiceField(AnswerField):
    """One code out of a list: radio buttons (scales, choices, yes/no)."""

    def parse(self, raw: str) -> int | str | None:
        if raw == "":
            return None
        for choice in self.handler.choices:
            if choice.value == raw:
                return choice.code
        raise ValueError(_("Choose one of the answers shown."))

    @property
    def choices(self) -> tuple[Choice, ...]:
        return self.handler.choices

    @property
    def first_input_id(self) -> str:
        return f"{self.id}-0"


class MultiChoiceField(AnswerField):
    """Any number of codes out of a list: check boxes."""

    def read(self, formdata: Mapping) -> list[str]:
        return formdata.getlist(self.name)

    def parse(self, raw: list[str]) -> tuple[str, ...] | None:
        known = {choice.value for choice in self.handler.choices}
        if any(value not in known for value in raw):
            raise ValueError(_("Choose among the answers shown."))
        chosen = tuple(c.code for c in self.handler.choices if c.value in raw)
        return chosen or None

    def raw_from_data(self, data: Any) -> list[str]:
        return [str(code) for code in data or ()]

    @property
    def choices(self) -> tuple[Choice, ...]:
        return self.handler.choices

    @property
    def first_input_id(self) -> str:
        return f"{self.id}-0"


class NumberField(AnswerField):
    """A whole number in a range, typed in any script's digits, or "Prefer not to answer"."""

    def input_names(self) -> set[str]:
        return {self.name, self.non_response_name}

    @property
    def non_response_name(self) -> str:
        return f"{self.name}-nr"

    def read(self, formdata: Mapping) -> dict[str, Any]:
        return {
            "text": _single(formdata, self.name),
            "nr": formdata.getlist(self.non_response_name),
        }

    def parse(self, raw: dict[str, Any]) -> int | None:
        q, code = self.question, self.handler.non_response_code
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
        if not digits.isascii() or not digits.isdigit() or len(digits) > _NUMBER_DIGITS:
            raise ValueError(
                _("Enter a whole number from %(low)d to %(high)d.", low=q.minimum, high=q.maximum)
            )
        number = int(text)
        if not q.minimum <= number <= q.maximum:
            raise ValueError(
                _("Enter a whole number from %(low)d to %(high)d.", low=q.minimum, high=q.maximum)
            )
        return number

    def raw_from_data(self, data: Any) -> dict[str, Any]:
        if data is not None and data == self.handler.non_response_code:
            return {"text": "", "nr": ["1"]}
        return {"text": "" if data is None else str(data), "nr": []}


class RankingField(AnswerField):
    """A full ranking: one rank select per item, so that it works without JavaScript."""

    def input_names(self) -> set[str]:
        return {self.item_name(item.code) for item in self.question.items}

    def item_name(self, item: str) -> str:
        return f"{self.name}-{item}"

    @property
    def first_input_id(self) -> str:
        return f"{self.id}-{self.ordered_items()[0].value}"

    def read(self, formdata: Mapping) -> dict[str, str]:
        return {
            item.code: _single(formdata, self.item_name(item.code)) for item in self.question.items
        }

    def parse(self, raw: dict[str, str]) -> dict[str, int] | None:
        count = len(self.question.items)
        if all(value == "" for value in raw.values()):
            return None
        ranks = {}
        for item, value in raw.items():
            rank = _rank(value)
            if rank is not None and 1 <= rank <= count:
                ranks[item] = rank
        if len(ranks) != count or len(set(ranks.values())) != count:
            raise ValueError(
                _("Give every item a different rank from 1 to %(count)d.", count=count)
            )
        return ranks

    def raw_from_data(self, data: Any) -> dict[str, str]:
        data = data or {}
        return {item.code: str(data.get(item.code, "")) for item in self.question.items}

    @property
    def ranks(self) -> range:
        return range(1, len(self.question.items) + 1)

    def ordered_items(self) -> list[Choice]:
        """The items in ranked order when the ranking is complete, else in instrument order."""
        items = [Choice(item.code, item.code, label) for item, label in self.handler.item_labels]
        raw = self.raw or {}
        if all(_rank(str(raw.get(c.value, ""))) is not None for c in items):
            return sorted(items, key=lambda c: _rank(str(raw[c.value])))
        return items


def _rank(text: str) -> int | None:
    """The rank a select posted, or None for anything else (int() is never given a long
    string, nor digits it cannot read such as "²")."""
    if text.isascii() and text.isdigit() and len(text) <= _NUMBER_DIGITS:
        return int(text)
    return None


class TextField(AnswerField):
    """Free text with a visible limit; line breaks are counted as one character, as browsers
    count them for `maxlength` even though they post them as CR LF."""

    def parse(self, raw: str) -> str | None:
        text = raw.replace("\r\n", "\n").replace("\r", "\n")
        # Control characters (a NUL would even be refused by PostgreSQL) are never typed.
        text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
        text = text.strip()
        if len(text) > self.question.max_length:
            raise ValueError(
                _(
                    "Shorten your answer to %(limit)d characters (it has %(length)d).",
                    limit=self.question.max_length,
                    length=len(text),
                )
            )
        return text or None


# --------------------------------------------------------------------------- handlers


class FieldHandler:
    """A question in the language and group of the person answering it."""

    field_class: ClassVar[type[AnswerField]]

    def __init__(self, question: Question, instrument: Instrument, language: str, group: str):
        self.question = question
        self.language = language
        self.text = instrument.question_text(question, language, group)
        self.non_response_code = (
            instrument.non_response_code if question.allows_non_response else None
        )
        self.non_response_label = instrument.non_response_label(language)

    def field(self):
        """The unbound form field; its HTML name is the question code."""
        code = self.question.code
        return self.field_class(label=self.text, name=code, id=f"q-{code}", handler=self)

    def rows(self, data: Any) -> list[Row]:
        """The answer rows of the field's data (empty when unanswered)."""
        raise NotImplementedError

    def data(self, rows: Mapping[str, Row]) -> Any:
        """The field's data from the stored rows of this question, keyed by item."""
        raise NotImplementedError

    def describe(self, data: Any) -> list[str]:
        """The answer in words for the review page; empty when unanswered."""
        raise NotImplementedError


class ChoiceHandler(FieldHandler):
    """Scales (integer codes, with the non-response code) and choices (string codes)."""

    field_class = ChoiceField

    def __init__(self, *args) -> None:
        super().__init__(*args)
        # Codes are stored as numbers for scales and as text for choices (Question.numeric).
        typed = int if self.question.numeric() else str
        choices = [
            Choice(str(o.code), typed(o.code), o.label(self.language))
            for o in self.question.options
        ]
        if self.non_response_code is not None:
            code = self.non_response_code
            choices.append(Choice(str(code), code, self.non_response_label, non_response=True))
        self.choices = tuple(choices)

    def rows(self, data: Any) -> list[Row]:
        if data is None:
            return []
        return [("", data, None)] if self.question.numeric() else [("", None, data)]

    def data(self, rows: Mapping[str, Row]) -> Any:
        row = rows.get("")
        if row is None:
            return None
        return row[1] if row[1] is not None else row[2]

    def describe(self, data: Any) -> list[str]:
        return [c.label for c in self.choices if c.code == data]


class MultiChoiceHandler(ChoiceHandler):
    """Several string codes, stored in one row in the options' order, separated by spaces."""

    field_class = MultiChoiceField

    def rows(self, data: Any) -> list[Row]:
        return [("", None, " ".join(data))] if data else []

    def data(self, rows: Mapping[str, Row]) -> Any:
        row = rows.get("")
        return tuple(row[2].split()) if row and row[2] else None

    def describe(self, data: Any) -> list[str]:
        return [c.label for c in self.choices if data and c.code in data]


class NumberHandler(FieldHandler):
    field_class = NumberField

    def rows(self, data: Any) -> list[Row]:
        return [] if data is None else [("", data, None)]

    def data(self, rows: Mapping[str, Row]) -> Any:
        row = rows.get("")
        return None if row is None else row[1]

    def describe(self, data: Any) -> list[str]:
        if data is None:
            return []
        if data == self.non_response_code:
            return [self.non_response_label]
        return [str(data)]


class RankingHandler(FieldHandler):
    """One row per item: item = the item's code, number = its rank (1 = first)."""

    field_class = RankingField

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.item_labels = tuple((item, item.label(self.language)) for item in self.question.items)

    def rows(self, data: Any) -> list[Row]:
        return [(item, rank, None) for item, rank in (data or {}).items()]

    def data(self, rows: Mapping[str, Row]) -> Any:
        ranks = {item: row[1] for item, row in rows.items() if item}
        return ranks if len(ranks) == len(self.question.items) else None

    def describe(self, data: Any) -> list[str]:
        if not data:
            return []
        labels = {item.code: label for item, label in self.item_labels}
        return [labels[item] for item, _rank in sorted(data.items(), key=lambda pair: pair[1])]


class TextHandler(FieldHandler):
    field_class = TextField

    def rows(self, data: Any) -> list[Row]:
        return [] if data is None else [("", None, data)]

    def data(self, rows: Mapping[str, Row]) -> Any:
        row = rows.get("")
        return None if row is None else row[2]

    def describe(self, data: Any) -> list[str]:
        return [] if data is None else [data]


HANDLERS: dict[QuestionKind, type[FieldHandler]] = {
    QuestionKind.SCALE: ChoiceHandler,
    QuestionKind.CHOICE: ChoiceHandler,
    QuestionKind.YES_NO: ChoiceHandler,
    QuestionKind.MULTI: MultiChoiceHandler,
    QuestionKind.INTEGER: NumberHandler,
    QuestionKind.RANKING: RankingHandler,
    QuestionKind.TEXT: TextHandler,
}


def handler_for(
    question: Question, instrument: Instrument, language: str, group: str
) -> FieldHandler:
    """The handler of a question for a person of `group` reading `language`."""
    return HANDLERS[question.kind](question, instrument, language, group)
