"""The data package: long, wide and codebook CSVs with a Frictionless `datapackage.json`, zipped.

The zip is written as a stream (survey.exports.archive), so the package, like the CSV files, is
sent while the rows are read. `datapackage.json` comes last and records each CSV's
size and SHA-256, so `frictionless validate` also notices a damaged or truncated member.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from survey.exports.archive import Closing, MemberStats
from survey.exports.codebook import CODEBOOK_COLUMNS, LONG_TYPES, variable_type
from survey.exports.long import LONG_COLUMNS
from survey.exports.pairs import PAIRS_NAME
from survey.exports.responses import RESPONSES_NAME, response_descriptions
from survey.exports.spec import SECTOR_QUESTION, ExportSpec, id_labels, item_codes, question_or_none
from survey.exports.wide import Variable, wide_variables
from survey.models import ResponseSource
from survey.models.responses import DISPLAY_SEED_MAX

LONG_NAME, WIDE_NAME, CODEBOOK_NAME = "long", "wide", "codebook"
# The coding of the free text (docs/coding.md): every coder's and the final codings, and the
# codebook of themes they use.
CODINGS_NAME, THEMES_NAME = "codings", "themes"
DESCRIPTOR_NAME = "datapackage.json"


def _enum(values: Iterable[object]) -> dict:
    return {"enum": list(dict.fromkeys(values))}


def _long_fields(spec: ExportSpec) -> list[dict]:
    questions = {q.code: q for wave in spec.waves for q in wave.questions}
    items = [item for q in questions.values() for item in item_codes(q) if item]
    instrument = spec.instrument
    sector = question_or_none(instrument, SECTOR_QUESTION)
    constraints = {
        "workshop": {"required": True},
        "participant": {"required": True},
        "group": {"required": True, **_enum(spec.groups)},
        "sector": _enum(str(o.code) for o in sector.options) if sector else {},
        "wave": {"required": True, **_enum(w.code for w in spec.waves)},
        "question": {"required": True, **_enum(questions)},
        "item": _enum(items) if items else {},
        "value": {"required": True},
        "language": _enum(lang for w in spec.waves for lang in w.version.instrument.languages),
        "instrument_version": _enum(v.label for v in spec.versions.values()),
        "submitted_at": {"required": True},
    }
    return [
        {"name": name, "type": LONG_TYPES.get(name, "string")}
        | ({"constraints": constraints[name]} if constraints.get(name) else {})
        for name in LONG_COLUMNS
    ]


def _wide_field(variable: Variable, spec: ExportSpec) -> dict:
    field = {"name": variable.name, "type": variable_type(variable, spec.labels)}
    if variable.score is not None:
        score = variable.score
        field["constraints"] = {"minimum": score.scale_min, "maximum": score.scale_max}
        return field
    question = variable.question
    labels = None
    if spec.labels and question.kind.coded:
        instrument = variable.wave.version.instrument
        labels = [option.label(spec.language) for option in question.options]
        if question.allows_non_response:
            labels.append(instrument.non_response_label(spec.language))
    constraints = question.kind.package_constraints(question, labels)
    if constraints:
        field["constraints"] = constraints
    return field


def _wide_fields(spec: ExportSpec) -> list[dict]:
    # The coded id columns hold their labels in a labelled export (as wide_rows writes them).
    labels = id_labels(spec)
    groups, sectors = (
        list(labels[column].values() if spec.labels else labels[column])
        for column in ("group", "sector")
    )
    fields = [
        {"name": "participant", "type": "string", "constraints": {"required": True}},
        {
            "name": "group",
            "type": "string",
            "constraints": {"required": True, **_enum(groups)},
        },
        {"name": "sector", "type": "string"} | ({"constraints": _enum(sectors)} if sectors else {}),
    ]
    return fields + [_wide_field(variable, spec) for variable in wide_variables(spec)]


def _codings_fields(spec: ExportSpec) -> list[dict]:
    instrument = spec.instrument
    questions = [q.code for q in instrument.questions if q.free_text]
    constraints = {
        "participant": {"required": True},
        "wave": {"required": True, **_enum(w.code for w in spec.waves)},
        "question": {"required": True, **(_enum(questions) if questions else {})},
        "coder": {"required": True},
    }
    return [
        {"name": name, "type": "string"}
        | ({"constraints": constraints[name]} if name in constraints else {})
        for name in ("participant", "wave", "question", "coder", "theme")
    ]


def _themes_fields() -> list[dict]:
    return [
        {"name": "theme", "type": "string", "constraints": {"required": True, "unique": True}},
        {"name": "label", "type": "string", "constraints": {"required": True}},
        {"name": "description", "type": "string"},
        {"name": "parent", "type": "string"},
    ]


def _responses_fields(spec: ExportSpec) -> list[dict]:
    constraints = {
        "workshop": {"required": True},
        "participant": {"required": True},
        "group": {"required": True, **_enum(spec.groups)},
        "wave": {"required": True, **_enum(w.code for w in spec.waves)},
        "source": {"required": True, **_enum(str(source) for source in ResponseSource)},
        "language": _enum(lang for w in spec.waves for lang in w.version.instrument.languages),
        "instrument_version": _enum(v.label for v in spec.versions.values()),
        "submitted_at": {"required": True},
        "seconds_to_submit": {"minimum": 0},
        "display_seed": {"minimum": 1, "maximum": DISPLAY_SEED_MAX},
    }
    types = {"seconds_to_submit": "integer", "display_seed": "integer"} | dict.fromkeys(
        ("consent_at", "started_at", "first_saved_at", "submitted_at"), "datetime"
    )
    return [
        {"name": name, "type": types.get(name, "string"), "description": description}
        | ({"constraints": constraints[name]} if name in constraints else {})
        for name, description in response_descriptions(spec).items()
    ]


def _pairs_fields(spec: ExportSpec) -> list[dict]:
    waves = {"required": True, **_enum(w.code for w in spec.waves)}
    return [
        {"name": "participant", "type": "string", "constraints": {"required": True}},
        {"name": "wave", "type": "string", "constraints": waves},
        {"name": "paired_with", "type": "string", "constraints": {"required": True}},
        {"name": "paired_wave", "type": "string", "constraints": waves},
    ]


def _to_wide(field: str) -> dict:
    """A foreign key from a participant id column to the wide file's rows."""
    return {"fields": [field], "reference": {"resource": WIDE_NAME, "fields": ["participant"]}}


def _resource(name: str, fields: list[dict], stats: MemberStats, title: str, **schema) -> dict:
    resource = {
        "name": name,
        "path": f"{name}.csv",
        "profile": "tabular-data-resource",
        "title": title,
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": {"delimiter": ",", "quoteChar": '"', "doubleQuote": True, "header": True},
        "schema": {"fields": fields, **schema},
    }
    if stats.sha256:
        resource["bytes"] = stats.bytes
        resource["hash"] = f"sha256:{stats.sha256}"
    return resource


def package_descriptor(spec: ExportSpec, stats: dict[str, MemberStats]) -> dict:
    """The `datapackage.json` of the CSV files (Frictionless Data Package, Table Schema)."""
    non_response = str(spec.instrument.non_response_code)
    return {
        "name": f"{spec.workshop}-survey-data",
        "title": spec.title,
        "description": (
            "Dialogue Survey export. long.csv: one row per answered item of a submitted "
            "response; wide.csv: one row per participant with scores; codebook.csv: every "
            f"variable. {non_response} is the non-response code (a missing value in wide.csv). "
            "codings.csv: the codings of the free-text answers; themes.csv: their themes. "
            "pairs.csv: participants whose two responses the linking code pairs (one person). "
            "responses.csv: how each submitted response was given."
        ),
        "profile": "tabular-data-package",
        "resources": [
            _resource(
                LONG_NAME,
                _long_fields(spec),
                stats.get(LONG_NAME, MemberStats()),
                "One row per answered item",
                missingValues=[""],
                primaryKey=["participant", "wave", "question", "item"],
                foreignKeys=[_to_wide("participant")],
            ),
            _resource(
                WIDE_NAME,
                _wide_fields(spec),
                stats.get(WIDE_NAME, MemberStats()),
                "One row per participant",
                missingValues=["", non_response],
                primaryKey=["participant"],
            ),
            _resource(
                CODEBOOK_NAME,
                [{"name": name, "type": "string"} for name in CODEBOOK_COLUMNS],
                stats.get(CODEBOOK_NAME, MemberStats()),
                "Every variable of long.csv and wide.csv",
                missingValues=[""],
                primaryKey=["file", "variable"],
            ),
            _resource(
                RESPONSES_NAME,
                _responses_fields(spec),
                stats.get(RESPONSES_NAME, MemberStats()),
                "One row per submitted response: where from, language and version, consent, "
                "when begun and submitted, and the order each ranking first showed its items",
                missingValues=[""],
                primaryKey=["participant", "wave"],
                foreignKeys=[_to_wide("participant")],
            ),
            _resource(
                CODINGS_NAME,
                _codings_fields(spec),
                stats.get(CODINGS_NAME, MemberStats()),
                "The codings of the free-text answers: one row per theme a coder gave an "
                "answer (an empty theme: no theme); coder 'final' is the final coding",
                missingValues=[""],
                foreignKeys=[
                    _to_wide("participant"),
                    {
                        "fields": ["theme"],
                        "reference": {"resource": THEMES_NAME, "fields": ["theme"]},
                    },
                ],
            ),
            _resource(
                THEMES_NAME,
                _themes_fields(),
                stats.get(THEMES_NAME, MemberStats()),
                "The codebook of themes of the free-text answers",
                missingValues=[""],
                primaryKey=["theme"],
                foreignKeys=[
                    {"fields": ["parent"], "reference": {"resource": "", "fields": ["theme"]}}
                ],
            ),
            _resource(
                PAIRS_NAME,
                _pairs_fields(spec),
                stats.get(PAIRS_NAME, MemberStats()),
                "Two participants the linking code pairs: one person, who answered the first "
                "wave as `participant` and the second as `paired_with`",
                missingValues=[""],
                primaryKey=["participant"],
                foreignKeys=[_to_wide("participant"), _to_wide("paired_with")],
            ),
        ],
    }


def descriptor_member(spec: ExportSpec) -> Closing:
    """The package's last member: `datapackage.json`, made from the CSV members' stats."""

    def closing(stats: dict[str, MemberStats]) -> tuple[str, bytes]:
        by_resource = {name.removesuffix(".csv"): member for name, member in stats.items()}
        text = json.dumps(package_descriptor(spec, by_resource), ensure_ascii=False, indent=2)
        return DESCRIPTOR_NAME, (text + "\n").encode("utf-8")

    return closing
