"""Questionnaire definitions: the format, its validation and the shipped instruments."""

from survey.instruments.loader import (
    InstrumentError,
    check_shared_items,
    instrument_from_definition,
    load_instrument,
    shipped_instrument,
    shipped_instruments,
    validation_problems,
)
from survey.instruments.model import (
    Consent,
    GroupDef,
    Instrument,
    Option,
    Page,
    Question,
    QuestionKind,
    ScoreDef,
    fill_placeholders,
)
from survey.instruments.schema import INSTRUMENT_SCHEMA

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
    "fill_placeholders",
    "instrument_from_definition",
    "load_instrument",
    "shipped_instrument",
    "shipped_instruments",
    "validation_problems",
]
