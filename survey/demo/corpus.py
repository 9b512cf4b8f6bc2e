"""What synthetic participants write and what they are called: corpus.yaml, read once."""

from __future__ import annotations

import functools
import random
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

CORPUS_FILE = Path(__file__).resolve().parent / "corpus.yaml"

# Answers that must come out exactly as typed, never executed or evaluated: the demo plants
# them so that every page, export and report keeps its escaping honest.
HOSTILE_TEXTS = (
    "<script>alert(1)</script> Please share the slides before the next session.",
    '=HYPERLINK("http://example.org/agenda","Joint agenda draft")',
)


@functools.cache
def _corpus() -> Mapping[str, Any]:
    return yaml.safe_load(CORPUS_FILE.read_text(encoding="utf-8"))


#: question -> side ("" for either side) -> language -> answers.
TEXTS: Mapping[str, Mapping[str, Mapping[str, Sequence[str]]]] = _corpus()["texts"]
#: question -> side -> the themes of each text, by its position in every language's list.
CODES: Mapping[str, Mapping[str, Sequence[Sequence[str]]]] = _corpus()["codes"]
#: Fictitious names and places by list (allied_first, pakistani_towns, ...); Pakistani names
#: are [Latin script, Urdu script].
NAMES: Mapping[str, Sequence[Any]] = _corpus()["names"]


def synthetic_text(rng: random.Random, question: str, language: str, group: str) -> str:
    """A realistic free-text answer to the question, in the language, from the group's side."""
    pools = TEXTS.get(question) or {"": {lang: _all_neutral(lang) for lang in ("en", "ur", "fr")}}
    neutral = pools[""].get(language) or pools[""]["en"]
    own = pools.get(group, {}).get(language, ())
    return rng.choice((*own, *own, *neutral))  # a side's own concerns come up more often


def _all_neutral(language: str) -> tuple[str, ...]:
    return tuple(text for pools in TEXTS.values() for text in pools[""].get(language, ()))
