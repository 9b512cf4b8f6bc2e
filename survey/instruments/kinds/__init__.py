"""Question kinds: one class per kind owns its definition keys, its answers, its exports and its
synthetic answers (see base.QuestionKind); the registry knows them by code."""

from survey.instruments.kinds.base import QuestionKind
from survey.instruments.kinds.choices import ChoiceKind, MultiKind, YesNoKind
from survey.instruments.kinds.numbers import IntegerKind, ScaleKind
from survey.instruments.kinds.ranking import RankingKind
from survey.instruments.kinds.registry import (
    kind_named,
    question_kinds,
    register,
    registered,
    unregister,
)
from survey.instruments.kinds.text import TextKind
from survey.instruments.kinds.values import Choice, Row, Span

SCALE = register(ScaleKind())
CHOICE = register(ChoiceKind())
MULTI = register(MultiKind())
YES_NO = register(YesNoKind())
INTEGER = register(IntegerKind())
RANKING = register(RankingKind())
TEXT = register(TextKind())

# The built-in kinds also answer to QuestionKind.SCALE and the like, as when the kinds were an
# enumeration; a kind registered later is found with kind_named(code).
for _kind in question_kinds():
    setattr(QuestionKind, _kind.code.upper(), _kind)
del _kind

__all__ = [
    "CHOICE",
    "INTEGER",
    "MULTI",
    "RANKING",
    "SCALE",
    "TEXT",
    "YES_NO",
    "Choice",
    "ChoiceKind",
    "IntegerKind",
    "MultiKind",
    "QuestionKind",
    "RankingKind",
    "Row",
    "ScaleKind",
    "Span",
    "TextKind",
    "YesNoKind",
    "kind_named",
    "question_kinds",
    "register",
    "registered",
    "unregister",
]
