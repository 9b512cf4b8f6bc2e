"""The JSON Schema of an instrument document (the YAML file, or its JSON copy in the database).

The schema checks shape: keys, types, code patterns. Everything that needs more than one place
of the document at once (references, translations, placeholders, kind-specific keys, duplicate
codes) is checked by `survey.instruments.loader`, which also words the messages.
"""

from survey.instruments.model import QuestionKind

CODE_PATTERN = r"^[a-z][a-z0-9_]*$"  # question, page, wave, group, scale, score codes
OPTION_CODE_PATTERN = r"^[a-z0-9][a-z0-9_]*$"  # string codes of choices and ranking items
LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"

WIDGETS = ("number", "thermometer")

_code = {"type": "string", "pattern": CODE_PATTERN}
_language = {"type": "string", "pattern": LANGUAGE_PATTERN}
_texts = {
    "type": "object",
    "description": "language -> text; every declared language is required",
    "propertyNames": _language,
    "additionalProperties": {"type": "string"},
}
_option = {
    "type": "object",
    "required": ["code", "labels"],
    "additionalProperties": False,
    "properties": {"code": {"type": ["integer", "string"]}, "labels": _texts},
}
_options = {"type": "array", "items": _option}

_question = {
    "type": "object",
    "required": ["code", "kind", "texts"],
    "additionalProperties": False,
    "properties": {
        "code": _code,
        "kind": {"enum": [kind.value for kind in QuestionKind]},
        "texts": _texts,
        "scale": _code,
        "options": _options,
        "items": _options,
        "minimum": {"type": "integer"},
        "maximum": {"type": "integer"},
        "widget": {"enum": list(WIDGETS)},
        "max_length": {"type": "integer", "minimum": 1},
        "required": {"type": "boolean"},
        "non_response": {"type": "boolean"},
        "construct": _code,
        "reversed": {"type": "boolean"},
        "waves": {"type": "array", "items": _code, "minItems": 1},
        "profile": {"type": "boolean"},
    },
}

_scale = {
    "type": "object",
    "description": "labelled (options with consecutive integer codes) or a range (min, max)",
    "additionalProperties": False,
    "properties": {
        "options": _options,
        "minimum": {"type": "integer"},
        "maximum": {"type": "integer"},
        "widget": {"enum": list(WIDGETS)},
        "non_response": {"type": "boolean", "description": "offer 'Prefer not to answer'"},
    },
}

_page = {
    "type": "object",
    "required": ["code", "titles", "questions"],
    "additionalProperties": False,
    "properties": {
        "code": _code,
        "titles": _texts,
        "intros": _texts,
        "questions": {"type": "array", "items": _question, "minItems": 1},
    },
}

_score = {
    "type": "object",
    "description": "either a construct (its items in instrument order) or a list of items",
    "additionalProperties": False,
    "properties": {
        "construct": _code,
        "items": {"type": "array", "items": _code, "minItems": 1},
        "min_answered": {"type": "integer", "minimum": 1},
        "titles": _texts,
    },
}

INSTRUMENT_SCHEMA: dict = {
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
        "scores",
        "analysis",
    ],
    "additionalProperties": False,
    "properties": {
        "key": {"type": "string", "pattern": r"^[a-z0-9][a-z0-9-]*$"},
        "version": {"type": "string", "minLength": 1},
        "titles": _texts,
        "languages": {"type": "array", "items": _language, "minItems": 1},
        "rtl_languages": {"type": "array", "items": _language},
        "metadata": {"type": "object"},
        "groups": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["code", "forms"],
                "additionalProperties": False,
                "properties": {
                    "code": _code,
                    "forms": {
                        "type": "object",
                        "description": "language -> form name -> text; 'name' is required",
                        "propertyNames": _language,
                        "additionalProperties": {
                            "type": "object",
                            "propertyNames": {"pattern": r"^[A-Za-z_][A-Za-z0-9_]*$"},
                            "additionalProperties": {"type": "string"},
                        },
                    },
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
                "properties": {"code": _code, "titles": _texts},
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
        "scales": {"type": "object", "propertyNames": _code, "additionalProperties": _scale},
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
        "pages": {"type": "array", "items": _page, "minItems": 1},
        "scores": {"type": "object", "propertyNames": _code, "additionalProperties": _score},
        "analysis": {
            "type": "object",
            "required": ["perception", "ranking", "alpha"],
            "additionalProperties": False,
            "properties": {
                "perception": {
                    "type": "object",
                    "required": ["meta", "direct"],
                    "additionalProperties": False,
                    "properties": {"meta": _code, "direct": _code},
                },
                "ranking": _code,
                "alpha": _code,
            },
        },
    },
}
