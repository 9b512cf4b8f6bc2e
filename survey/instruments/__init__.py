"""Questionnaire definitions: the format, its validation, the question kinds and the shipped
instruments."""

from survey.instruments.kinds import QuestionKind, kind_named, question_kinds
from survey.instruments.loader import (
    instrument_from_definition,
    load_instrument,
    shipped_instrument,
    shipped_instruments,
)
from survey.instruments.model import (
    Consent,
    GroupDef,
    Instrument,
    Option,
    Page,
    Question,
    ScoreDef,
    fill_placeholders,
)
from survey.instruments.problems import InstrumentError
from survey.instruments.validation import document_schema, validation_problems
from survey.instruments.versions import check_shared_items

#: The JSON Schema of a document with the built-in kinds (validation uses document_schema(),
#: which also knows kinds registered later).
INSTRUMENT_SCHEMA = document_schema()

__all__ = [
    "INSTRUMENT_SCHEMA",
    "Consent",
    "GroupDef",
    "Instrument",
    "InstrumentError",
    "Option",
    "Page",
    "Question",
    "QuestionKind",
    "ScoreDef",
    "check_shared_items",
    "document_schema",
    "fill_placeholders",
    "instrument_from_definition",
    "kind_named",
    "load_instrument",
    "question_kinds",
    "shipped_instrument",
    "shipped_instruments",
    "validation_problems",
]
