"""Loading instruments: a file or a stored definition, validated in full, then built; and the
instruments shipped with the application.

A document is validated in full before anything is built, and every problem is reported at
once as "FILE: path.inside.document: message", so an author can fix a file in one pass.
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

SHIPPED_DIR = Path(__file__).resolve().parent / "shipped"


def load_instrument(path: str | Path, *, source: str | None = None) -> Instrument:
    """Load and validate a YAML (or JSON) instrument file.

    Problems are prefixed with `source`, by default the file's name.
    """
    path = Path(path)
    source = source or path.name
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InstrumentError([f"{source}: cannot read the file: {exc}"]) from None
    document = parse_document(text, source, json_syntax=path.suffix.lower() == ".json")
    return instrument_from_definition(document, source)


def instrument_from_definition(definition: Any, source: str = "<database>") -> Instrument:
    """Validate a parsed document (e.g. the JSON stored with a wave) and build the instrument."""
    problems = validation_problems(definition, source)
    if problems:
        raise InstrumentError(problems)
    document = json.loads(json.dumps(definition))  # a private copy, plain JSON types only
    return build_instrument(document, _checksum(document))


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


def _checksum(document: Any) -> str:
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
