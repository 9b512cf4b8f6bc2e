"""The full ranking of a question's items, 1 = first: one stored row per item, its rank."""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _

from survey.instruments.kinds.base import codes_listing, single
from survey.instruments.kinds.collaborators import (
    AskedField,
    Building,
    DefinitionCheck,
    Opinions,
    SurveyRow,
    XlsFormReading,
    XlsFormWriting,
)
from survey.instruments.kinds.numbers import NumericKind
from survey.instruments.kinds.values import Choice, DocPath, Row, Span, Value
from survey.instruments.schema import OPTIONS

if TYPE_CHECKING:
    from survey.instruments.model import Option, Question


class RankingKind(NumericKind):
    """Every item gets a different rank; one select per item, so that it works without
    JavaScript."""

    code = "ranking"
    ranking = True
    draws_order = True
    measurement = "ordinal"
    macro = "ranking_question"
    paper_layout = "ranking"
    keys = {"items": OPTIONS}

    def check_definition(self, check: DefinitionCheck, path: DocPath, question: dict) -> Span:
        if "items" not in question:
            check.report(path, "a ranking question needs items")
        check.choices(path, question, "items")
        return Span()

    def build(self, entry: dict, building: Building) -> dict[str, Any]:
        return {"items": building.options(entry["items"])}

    xlsform_types = ("rank",)

    def from_xlsform_row(self, row: SurveyRow, reading: XlsFormReading) -> dict[str, Any]:
        return {"items": reading.options(row, "items")}

    def to_xlsform_row(self, entry: dict, writing: XlsFormWriting) -> dict[str, Any]:
        return {"type": f"rank {writing.choice_list(entry['code'], entry['items'])}"}

    def value_range(self, question: Question) -> tuple[int, int]:
        return 1, len(question.items)

    def item_codes(self, question: Question) -> tuple[str, ...]:
        return tuple(str(item.code) for item in question.items)

    def check_item(self, question: Question, item: str) -> str | None:
        codes = self.item_codes(question)
        if item not in codes:
            return f"unknown item {item!r} of {question.code} (items: {', '.join(codes)})"
        return None

    def check_answer(
        self,
        question: Question,
        values: Sequence[tuple[str, Value]],
        *,
        where: str,
        place: Callable[[int], str],
    ) -> list[tuple[int, str]]:
        problems = []
        ranked = {item for item, _rank in values}
        missing = [item for item in self.item_codes(question) if item not in ranked]
        if missing:
            problems.append((0, f"incomplete ranking {where}: no rank for {', '.join(missing)}"))
        first: dict[Value, int] = {}
        for row, (_item, rank) in enumerate(values):
            if rank in first:
                problems.append(
                    (row, f"broken ranking {where}: rank {rank} also on {place(first[rank])}")
                )
            first.setdefault(rank, row)
        return problems

    def rows(self, question: Question, data: Any) -> list[Row]:
        return [(item, rank, None) for item, rank in (data or {}).items()]

    def data(self, question: Question, rows: Mapping[str, Row]) -> Any:
        ranks = {item: row[1] for item, row in rows.items() if item}
        return ranks if len(ranks) == len(question.items) else None

    def choices(
        self, question: Question, language: str, non_response_label: str
    ) -> tuple[Choice, ...]:
        return tuple(Choice(item.code, item.code, item.label(language)) for item in question.items)

    def input_names(self, field: AskedField) -> set[str]:
        return {field.item_name(item) for item in self.item_codes(field.question)}

    def first_input_id(self, field: AskedField) -> str:
        return f"{field.id}-{self.display_order(field)[0].value}"

    def read(self, field: AskedField, formdata: Mapping) -> dict[str, str]:
        return {
            item: single(formdata, field.item_name(item))
            for item in self.item_codes(field.question)
        }

    def parse(self, field: AskedField, raw: dict[str, str]) -> dict[str, int] | None:
        question = field.question
        if all(value == "" for value in raw.values()):
            return None
        ranks = [(item, rank) for item, v in raw.items() if (rank := _rank(v)) is not None]
        if (
            len(ranks) != len(question.items)
            or any(self.check_value(question, item, rank) for item, rank in ranks)
            or self.check_answer(question, ranks, where=question.code, place=str)
        ):
            count = len(question.items)
            raise ValueError(
                _("Give every item a different rank from 1 to %(count)d.", count=count)
            )
        return dict(ranks)

    def raw_from_data(self, field: AskedField, data: Any) -> dict[str, str]:
        data = data or {}
        return {item: str(data.get(item, "")) for item in self.item_codes(field.question)}

    def display_order(self, field: AskedField) -> list[Choice]:
        """The items in ranked order when the ranking is complete, else in the order drawn for
        the participant's response (the instrument's order where none is drawn: no seed)."""
        items = list(field.handler.choices)
        raw = field.raw or {}
        if all(_rank(str(raw.get(c.value, ""))) is not None for c in items):
            return sorted(items, key=lambda c: _rank(str(raw[c.value])))
        seed = field.handler.display_seed
        if seed is None:
            return items
        by_code = {c.value: c for c in items}
        return [by_code[code] for code in self.drawn_order(field.question, seed)]

    def drawn_order(self, question: Question, seed: int) -> tuple[str, ...]:
        return tuple(shuffled(question.code, self.item_codes(question), seed))

    def form_values(self, field: AskedField, data: Any) -> list[tuple[str, str]]:
        return [(field.item_name(item), str(rank)) for item, rank in (data or {}).items()]

    def describe(self, handler: Any, data: Any) -> list[str]:
        if not data:
            return []
        labels = {choice.code: choice.label for choice in handler.choices}
        return [labels[item] for item, _rank in sorted(data.items(), key=lambda pair: pair[1])]

    def labelled_options(self, question: Question) -> tuple[Option, ...]:
        return question.items

    def value_label(self, labels: Mapping[str, str], item: str, value: str) -> str:
        return labels.get(item, "")

    def codebook_cells(self, question: Question, item: str, language: str) -> dict[str, str]:
        return {
            "suffix": f" [{question.item(item).label(language)}]",
            "minimum": "1",
            "maximum": str(len(question.items)),
            "codes": codes_listing(question.items, language),
        }

    def package_constraints(self, question: Question, labels: list[str] | None) -> dict:
        return {"enum": list(range(1, len(question.items) + 1))}

    def paper_hint(self, question: Question, non_response: str) -> str:
        return _(
            "Write a different rank from 1 to %(count)d beside every item (1 = first).",
            count=len(question.items),
        )

    def paper_choices(
        self, question: Question, language: str, non_response: tuple[str, str] | None
    ) -> list[tuple[str, str]]:
        return [(str(item.code), item.label(language)) for item in question.items]

    def synthetic_rows(self, question: Question, opinions: Opinions) -> list[Row]:
        # Plackett–Luce through the Gumbel trick: sorting weight + Gumbel noise draws a ranking
        # in which item i comes first with probability exp(w_i) / Σ exp(w).
        importance = opinions.importance(question)
        scores = {}
        for item in self.item_codes(question):
            noise = math.log(-math.log(1.0 - opinions.rng.random()))
            scores[item] = importance[item] - noise
        order = sorted(scores, key=scores.__getitem__, reverse=True)
        return [(item, order.index(item) + 1, None) for item in self.item_codes(question)]


def shuffled(question: str, items: Sequence[str], seed: int) -> list[str]:
    """The order in which a response's ranking lists its items before they are ranked: drawn
    from the response's display seed, so that nobody's answer starts from the instrument's
    order, and the same on every resume. A documented recipe (docs/domain.md, "Response"),
    so that the order each participant saw can be recomputed from the seed stored with their
    response: Python's random.Random seeded with the text "<seed>:<question code>" shuffles
    the item codes in instrument order."""
    order = list(items)
    random.Random(f"{seed}:{question}").shuffle(order)
    return order


#: A rank has at most this many digits; int() is never given a longer string.
_RANK_DIGITS = 6


def _rank(text: str) -> int | None:
    """The rank a select posted, or None for anything else (int() is never given a long
    string, nor digits it cannot read such as "²")."""
    if text.isascii() and text.isdigit() and len(text) <= _RANK_DIGITS:
        return int(text)
    return None
