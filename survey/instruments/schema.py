"""The JSON Schema of an instrument document (the YAML file, or its JSON copy in the database).

The schema checks shape: keys, types, code patterns. Everything that needs more than one place
of the document at once (references, translations, placeholders, kind-specific keys, duplicate
codes) is checked by `survey.instruments.validation`, which also words the messages. The keys
of a question that belong to its kind come from the kinds (survey.instruments.kinds), which
take their fragments (CODE, OPTIONS, ...) from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from survey.instruments.kinds import QuestionKind

CODE_PATTERN = r"^[a-z][a-z0-9_]*$"  # question, page, wave, group, scale, score codes
OPTION_CODE_PATTERN = r"^[a-z0-9][a-z0-9_]*$"  # string codes of choices and ranking items
LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"

WIDGETS = ("number", "thermometer")

CODE = {"type": "string", "pattern": CODE_PATTERN}
WIDGET = {"enum": list(WIDGETS)}
_language = {"type": "string", "pattern": LANGUAGE_PATTERN}
_texts = {
    "type": "object",
    "description": "language -> text; every declared language is required",
    "propertyNames": _language,
    "additionalProperties": {"type": "string"},
}
_partial_texts = _texts | {
    "description": "language -> text; any of the declared languages (the others fall back)"
}
_forms = {
    "type": "object",
    "description": "language -> form name -> text",
    "propertyNames": _language,
    "additionalProperties": {
        "type": "object",
        "propertyNames": {"pattern": r"^[A-Za-z_][A-Za-z0-9_]*$"},
        "additionalProperties": {"type": "string"},
    },
}
_sentence_forms = {
    "type": "object",
    "description": "language -> how sentences name the group: 'participants' and/or 'name'",
    "propertyNames": _language,
    "additionalProperties": {
        "type": "object",
        "additionalProperties": False,
        "properties": {"participants": {"type": "string"}, "name": {"type": "string"}},
    },
}
_option = {
    "type": "object",
    "required": ["code", "labels"],
    "additionalProperties": False,
    "properties": {"code": {"type": ["integer", "string"]}, "labels": _texts},
}
OPTIONS = {"type": "array", "items": _option}


def _question(kinds: Iterable[QuestionKind]) -> dict:
    """A question: the keys of every question, and those of the kinds."""
    kinds = tuple(kinds)
    properties = {
        "code": CODE,
        "kind": {"enum": [kind.code for kind in kinds]},
        "texts": _texts,
        "hints": _texts,
    }
    for kind in kinds:
        properties.update(kind.keys)  # a key shared by kinds has one schema (the registry checks)
    properties |= {
        "required": {"type": "boolean"},
        "waves": {"type": "array", "items": CODE, "minItems": 1},
        "profile": {"type": "boolean"},
    }
    return {
        "type": "object",
        "required": ["code", "kind", "texts"],
        "additionalProperties": False,
        "properties": properties,
    }


_scale = {
    "type": "object",
    "description": "labelled (options with consecutive integer codes) or a range (min, max)",
    "additionalProperties": False,
    "properties": {
        "options": OPTIONS,
        "minimum": {"type": "integer"},
        "maximum": {"type": "integer"},
        "widget": WIDGET,
        "non_response": {"type": "boolean", "description": "offer 'Prefer not to answer'"},
    },
}


def _page(kinds: Iterable[QuestionKind]) -> dict:
    return {
        "type": "object",
        "required": ["code", "titles", "questions"],
        "additionalProperties": False,
        "properties": {
            "code": CODE,
            "titles": _texts,
            "intros": _texts,
            "questions": {"type": "array", "items": _question(kinds), "minItems": 1},
        },
    }


_score = {
    "type": "object",
    "description": "either a construct (its items in instrument order) or a list of items",
    "additionalProperties": False,
    "properties": {
        "construct": CODE,
        "items": {"type": "array", "items": CODE, "minItems": 1},
        "min_answered": {"type": "integer", "minimum": 1},
        "titles": _texts,
        "phrases": _partial_texts,
    },
}

_document: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Dialogue Survey instrument",
    "type": "object",
    "required": [
        "key",
        "version",
        "titles",
        "languages",
        "groups",
        "waves",
        "non_response",
        "scales",
        "consent",
        "review",
        "pages",
    ],
    "additionalProperties": False,
    "properties": {
        "key": {"type": "string", "pattern": r"^[a-z0-9][a-z0-9-]*$"},
        "version": {"type": "string", "minLength": 1},
        "titles": _texts,
        "languages": {"type": "array", "items": _language, "minItems": 1},
        "rtl_languages": {"type": "array", "items": _language},
        "metadata": {"type": "object"},
        "neutral_forms": _forms,
        "groups": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "forms"],
                "additionalProperties": False,
                "properties": {
                    "code": CODE,
                    "forms": _forms
                    | {"description": "language -> form name -> text; 'name' is required"},
                    "sentence_forms": _sentence_forms,
                },
            },
        },
        "waves": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["code", "titles"],
                "additionalProperties": False,
                "properties": {"code": CODE, "titles": _texts},
            },
        },
        "non_response": {
            "type": "object",
            "required": ["code", "labels"],
            "additionalProperties": False,
            "properties": {"code": {"type": "integer"}, "labels": _texts},
        },
        "yes_no": {
            "type": "object",
            "required": ["yes", "no"],
            "additionalProperties": False,
            "properties": {"yes": _texts, "no": _texts},
        },
        "scales": {"type": "object", "propertyNames": CODE, "additionalProperties": _scale},
        "consent": {
            "type": "object",
            "required": ["version", "titles", "texts", "agree", "privacy_titles", "privacy"],
            "additionalProperties": False,
            "properties": {
                "version": {"type": "string", "minLength": 1},
                "titles": _texts,
                "texts": _texts,
                "agree": _texts,
                "privacy_titles": _texts,
                "privacy": _texts,
            },
        },
        "review": {
            "type": "object",
            "required": ["titles"],
            "additionalProperties": False,
            "properties": {"titles": _texts, "intros": _texts},
        },
        "pages": {},  # see instrument_schema
        "scores": {"type": "object", "propertyNames": CODE, "additionalProperties": _score},
        "analysis": {
            "type": "object",
            "description": "the analysis roles the instrument declares; each is optional",
            "additionalProperties": False,
            "properties": {
                "perception": {
                    "type": "object",
                    "required": ["meta", "direct"],
                    "additionalProperties": False,
                    "properties": {"meta": CODE, "direct": CODE},
                },
                "ranking": CODE,
                "alpha": CODE,
            },
        },
    },
}


def instrument_schema(kinds: Iterable[QuestionKind]) -> dict:
    """The schema of a document whose questions are of these kinds."""
    return _document | {"properties": _document["properties"] | {"pages": _pages(kinds)}}


def _pages(kinds: Iterable[QuestionKind]) -> dict:
    return {"type": "array", "items": _page(kinds), "minItems": 1}
