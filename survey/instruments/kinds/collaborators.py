"""What a question kind is handed by its callers, as protocols: the document check, the
instrument being built, an XLSForm being read or written, a question's form field and a
synthetic respondent's opinions. Each names the module that implements it."""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from survey.instruments.kinds.values import DocPath, Span

if TYPE_CHECKING:
    from survey.instruments.model import Option, Question


class DefinitionCheck(Protocol):
    """The document check (survey.instruments.validation) as `check_definition` uses it."""

    document: dict

    def report(self, path: DocPath, message: str) -> None: ...

    def options(self, path: DocPath, options: Any, *, integer: bool) -> list: ...

    def choices(self, path: DocPath, question: dict, key: str) -> None: ...

    def scale_reference(self, path: DocPath, question: dict, *, labelled: bool) -> Span | None: ...

    def number_range(self, path: DocPath, low: Any, high: Any) -> bool: ...


class Building(Protocol):
    """The instrument being built (survey.instruments.building) as `build` uses it."""

    non_response_code: int
    yes_no: Mapping[str, Mapping[str, str]] | None

    def scale(self, name: str | None) -> Mapping[str, Any]: ...

    def texts(self, mapping: Mapping[str, str] | None) -> Mapping[str, str]: ...

    def options(self, entries: Sequence[dict]) -> tuple[Option, ...]: ...


class SurveyRow(Protocol):
    """A row of an XLSForm's survey sheet (survey.instruments.xlsform.reading.survey) as the
    kinds read it: its type, split, and its cells. The readers of typed cells report a cell they
    cannot read (and return None)."""

    type: str  # the type's first word: "select_one" of "select_one agree5"
    list_name: str | None  # its second word, the choice list
    appearance: frozenset[str]

    def text(self, column: str) -> str | None: ...

    def flag(self, column: str) -> bool | None: ...

    def integer(self, column: str) -> int | None: ...

    def place(self, column: str | None = None) -> Any: ...


class XlsFormReading(Protocol):
    """The workbook being read (survey.instruments.xlsform.reading.document) as
    `from_xlsform_row` uses it."""

    def report(self, place: Any, message: str) -> None: ...

    def list_codes(self, name: str | None) -> list[str] | None:
        """The names of a choice list, None when there is no such list."""
        ...

    def options(self, row: SurveyRow, key: str) -> list[dict]:
        """The row's choice list as the question's `key` (options, items): text codes and
        labels (reports a missing list)."""
        ...

    def labelled_scale(self, row: SurveyRow) -> str | None:
        """The name of the labelled scale that the row's list defines (reports a list that
        is missing or not one)."""
        ...

    def scale(self, name: str | None) -> Mapping[str, Any]:
        """A scale of the document by name; empty for none."""
        ...


class XlsFormWriting(Protocol):
    """The workbook being written (survey.instruments.xlsform.writing) as `to_xlsform_row`
    uses it."""

    non_response_code: int

    def choice_list(self, code: str, options: Sequence[dict]) -> str:
        """Add a question's own choice list; its name."""
        ...

    def scale(self, name: str | None) -> Mapping[str, Any]: ...


class AskedField(Protocol):
    """A question's form field (survey.respond.fields.AnswerField) as the form methods use it:
    the names of its inputs, what was posted, and its handler's choices and labels."""

    name: str
    id: str
    question: Question
    handler: Any  # survey.respond.fields.FieldHandler
    raw: Any

    @property
    def non_response_name(self) -> str: ...

    def item_name(self, item: str) -> str: ...


class Opinions(Protocol):
    """What a synthetic respondent thinks (survey.demo.synthetic), for a kind to turn into an
    answer of its own shape."""

    rng: random.Random

    def declines(self, question: Question) -> bool:
        """Whether they choose "Prefer not to answer" (asked only where it is offered)."""
        ...

    def level(self, question: Question) -> float:
        """Where their answer falls on the question's range, before rounding."""
        ...

    def weights(self, question: Question) -> Mapping[str, float]:
        """How likely each option code is (empty: no view, every option alike)."""
        ...

    def yes_share(self, question: Question) -> float: ...

    def importance(self, question: Question) -> Mapping[str, float]:
        """How important each item is to them, as a log-weight."""
        ...

    def text(self, question: Question) -> str: ...
