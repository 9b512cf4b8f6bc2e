"""Loading instruments: a file (YAML, JSON or an XLSForm workbook) or a stored definition,
validated in full, then built; and the instruments shipped with the application.

A document is validated in full before anything is built, and every problem is reported at
once as "FILE: path.inside.document: message" (in a workbook: "FILE: sheet, row N, column X
(header): message"), so an author can fix a file in one pass.
"""

from __future__ import annotations

import functools
import hashlib
import json
from pathlib import Path
from typing import Any

from survey.instruments.building import build_instrument
from survey.instruments.model import Instrument
from survey.instruments.problems import InstrumentError
from survey.instruments.reading import parse_document
from survey.instruments.validation import validation_problems
from survey.instruments.xlsform import definition_from_xlsform
from survey.instruments.xlsform.workbook import OLE_MAGIC, ZIP_MAGIC

#: The names a questionnaire file may have (a name without a suffix is read by its content).
FILE_SUFFIXES = (".xlsx", ".xls", ".yaml", ".yml", ".json")

SHIPPED_DIR = Path(__file__).resolve().parent / "shipped"


def load_instrument(path: str | Path, *, source: str | None = None) -> Instrument:
    """Load and validate a YAML (or JSON) instrument file.

    Problems are prefixed with `source`, by default the file's name.
    """
    path = Path(path)
    source = source or path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InstrumentError([f"{source}: cannot read the file: {exc}"]) from None
    definition = definition_from_file(data, source)
    return build_instrument(definition, checksum(definition))


def definition_from_file(data: bytes, source: str) -> dict:
    """The valid document of an instrument file's bytes: an XLSForm workbook (.xlsx), JSON
    (a name ending in .json) or YAML; InstrumentError listing every problem with its place."""
    name = source.lower()
    if data.startswith((ZIP_MAGIC, OLE_MAGIC)) or name.endswith((".xlsx", ".xls")):
        return definition_from_xlsform(data, source)
    suffix = Path(name).suffix
    if suffix and suffix not in FILE_SUFFIXES:
        raise InstrumentError(
            [
                f"{source}: a questionnaire is an XLSForm workbook (.xlsx), YAML (.yaml, .yml)"
                f" or JSON (.json), not a {suffix} file"
            ]
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InstrumentError(
            [f"{source}: the file is neither YAML or JSON (UTF-8 text) nor an Excel workbook"]
        ) from None
    document = parse_document(text, source, json_syntax=name.endswith(".json"))
    problems = validation_problems(document, source)
    if problems:
        raise InstrumentError(problems)
    return json.loads(json.dumps(document))  # a private copy, plain JSON types only


def instrument_from_definition(definition: Any, source: str = "<database>") -> Instrument:
    """Validate a parsed document (e.g. the JSON stored with a wave) and build the instrument."""
    problems = validation_problems(definition, source)
    if problems:
        raise InstrumentError(problems)
    document = json.loads(json.dumps(definition))  # a private copy, plain JSON types only
    return build_instrument(document, checksum(document))


@functools.cache
def _shipped_paths() -> tuple[tuple[str, Path], ...]:
    return tuple((path.stem, path) for path in sorted(SHIPPED_DIR.glob("*.yaml")))


def shipped_instruments() -> dict[str, Path]:
    """The instruments shipped with the application: key -> file."""
    return dict(_shipped_paths())


@functools.cache
def shipped_instrument(key: str) -> Instrument:
    """A shipped instrument by key (loaded once per process); KeyError if there is none."""
    path = shipped_instruments().get(key)
    if path is None:
        raise KeyError(f"no shipped instrument {key!r}")
    instrument = load_instrument(path)
    if instrument.key != key:
        raise InstrumentError([f"{path.name}: key: {instrument.key!r} differs from the file name"])
    return instrument


def checksum(document: Any) -> str:
    """The sha256 of a document's canonical JSON: equal for equal documents."""
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
