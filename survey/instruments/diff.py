"""The difference between two versions of an instrument, each change classified: wording or
translation only (the answers keep their meaning), or structural (codes, options, scales,
kinds, items added or removed, wave membership, reversal: answers may no longer compare).

Parts (questions, options, pages, scales …) are matched by their codes, not their positions,
so that moving a text is not taken for rewriting it. Anything in a document that is not named
here as wording is structural: a key that a later format adds is compared too, and counts as
structural until it is said to be wording.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from survey.instruments.texts import FORM_KEYS, TEXT_KEYS, translated_texts

WORDING = "wording"
STRUCTURAL = "structural"

#: Keys that change what the questionnaire says or records about itself, not what its
#: answers mean: the author's version label, free-form metadata, the consent text's version.
_WORDING_FACTS = frozenset(
    {((), "version"), ((), "metadata"), ((), "rtl_languages"), (("consent",), "version")}
)
#: Lists of parts with a code, and what one of them is called.
_PARTS = {"pages": "page", "questions": "question", "groups": "group", "waves": "wave"}
_CODED = {"options": "option", "items": "item"}  # inside a question or scale
_NAMED = {"scales": "scale", "scores": "score"}  # mappings of name -> part


@dataclass(frozen=True)
class Change:
    """One difference between two versions."""

    category: str  # WORDING or STRUCTURAL
    where: str  # "question trust_agenda", "scale agree5, option 3", "the instrument"
    what: str  # "text (ur)", "reversed", "added", "options"
    before: str  # as text; "" where there was nothing
    after: str

    @property
    def structural(self) -> bool:
        return self.category == STRUCTURAL


def only_wording(changes: list[Change]) -> bool:
    """Whether no change is structural."""
    return not any(change.structural for change in changes)


@dataclass
class _Version:
    """A document as the diff sees it: its parts (by identity) and its facts."""

    parts: dict[tuple, str]  # identity -> what people call it
    # (owner, what) -> (category, what, value, where); where None: the owner's name
    facts: dict[tuple, tuple[str, str, Any, str | None]]


def classified_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Change]:
    """Every difference from `before` to `after`: structural ones first, each group in
    document order."""
    old, new = _version(before), _version(after)
    added = [part for part in new.parts if part not in old.parts]
    removed = [part for part in old.parts if part not in new.parts]
    gone = set(added) | set(removed)
    changes = [
        Change(STRUCTURAL, new.parts[part], "added", "", "")
        for part in added
        if not _within(part, gone)
    ]
    changes += [
        Change(STRUCTURAL, old.parts[part], "removed", "", "")
        for part in removed
        if not _within(part, gone)
    ]
    for key in [*old.facts, *(key for key in new.facts if key not in old.facts)]:
        owner = key[0]
        if owner in gone or _within(owner, gone):
            continue
        was, now = old.facts.get(key), new.facts.get(key)
        if was is not None and now is not None and _same(was[2], now[2]):
            continue
        category, what, _, where = now or was
        if key == ((), "languages") and was and now:
            # A language added is a translation; one removed leaves answers in it unread.
            category = STRUCTURAL if set(was[2]) - set(now[2]) else WORDING
        if was is None or now is None:
            what = f"{what} {'added' if was is None else 'removed'}"
        if where is None:
            where = (new.parts.get(owner) or old.parts.get(owner)) if owner else "the instrument"
        changes.append(
            Change(
                category, where, what, _shown(was[2]) if was else "", _shown(now[2]) if now else ""
            )
        )
    return sorted(changes, key=lambda change: not change.structural)


def _within(part: tuple, parts: set[tuple]) -> bool:
    """Whether a part belongs to one of `parts` (an option of an added question)."""
    return any(part[:length] in parts for length in range(1, len(part)))


def _same(a: Any, b: Any) -> bool:
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(item, str | int) for item in value):
        return ", ".join(str(item) for item in value)
    return json.dumps(value, ensure_ascii=False)


def _version(document: Mapping[str, Any]) -> _Version:
    version = _Version({}, {})
    for identity, name, entry in _parts(document):
        version.parts[identity] = name
        for key, value in entry.items():
            if key in ("code", "questions") or key in FORM_KEYS or key in TEXT_KEYS:
                continue
            if key in _CODED and isinstance(value, list):
                value = [item.get("code") for item in value if isinstance(item, Mapping)]
            version.facts[(identity, key)] = (STRUCTURAL, key, value, None)
    for key, value in document.items():
        if key in _PARTS or key in _NAMED or key in TEXT_KEYS or key in FORM_KEYS:
            continue
        if key in ("consent", "review"):  # compared below, with their texts apart
            continue
        if key == "yes_no":
            continue  # its texts are compared; it has nothing else
        if key == "metadata":
            for path, leaf in _flat(value):
                version.facts[((), f"metadata.{path}")] = (WORDING, f"metadata {path}", leaf, None)
            continue
        category = WORDING if ((), key) in _WORDING_FACTS else STRUCTURAL
        if isinstance(value, Mapping):  # its texts (non_response.labels) are compared apart
            value = {name: item for name, item in value.items() if name not in TEXT_KEYS}
        version.facts[((), key)] = (category, key, value, None)
    for section in ("consent", "review"):
        for key, value in _mapping(document.get(section)).items():
            if key not in TEXT_KEYS:
                category = WORDING if ((section,), key) in _WORDING_FACTS else STRUCTURAL
                version.facts[((section,), key)] = (category, key, value, None)
        version.parts[(section,)] = section
    for text in translated_texts(document):
        owner = _owner(text.identity, version.parts)
        where, _, name = text.where.rpartition(", ")
        for language, value in text.texts.items():
            version.facts[(owner, (*text.identity, language))] = (
                WORDING,
                f"{name} ({language})",
                value,
                None if owner else where or None,
            )
    return version


def _owner(identity: tuple, parts: Mapping[tuple, str]) -> tuple:
    """The part a text belongs to: the longest start of its identity that is a part."""
    for length in range(len(identity), 0, -1):
        if identity[:length] in parts:
            return identity[:length]
    return ()


def _parts(doc: Mapping[str, Any]) -> Iterator[tuple[tuple, str, Mapping[str, Any]]]:
    """(identity, name, entry) of every part of a document, in document order."""
    for key in ("groups", "waves"):
        for entry in _coded(doc.get(key)):
            identity = (key, entry["code"])
            yield identity, f"{_PARTS[key]} {entry['code']}", entry
            if key == "groups":
                forms = dict.fromkeys(
                    form
                    for named in _mapping(entry.get("forms")).values()
                    for form in _mapping(named)
                )
                for form in forms:
                    yield (*identity, "forms", form), f"group {entry['code']}, form {{{form}}}", {}
    for answer in _mapping(doc.get("yes_no")):
        yield ("yes_no", answer), f"answer {answer}", {}
    for key, name in _NAMED.items():
        for code, entry in _mapping(doc.get(key)).items():
            entry = _mapping(entry)
            yield (key, code), f"{name} {code}", entry
            yield from _options((key, code), f"{name} {code}", entry)
    pages = _coded(doc.get("pages"))
    yield ("pages",), "the pages", {"order of pages": [page["code"] for page in pages]}
    for page in pages:
        questions = _coded(page.get("questions"))
        order = {"order of questions": [question["code"] for question in questions]}
        yield ("pages", page["code"]), f"page {page['code']}", order
        for question in questions:
            identity = ("questions", question["code"])
            name = f"question {question['code']}"
            yield identity, name, {**question, "page": page["code"]}
            yield from _options(identity, name, question)


def _options(identity: tuple, name: str, entry: Mapping[str, Any]) -> Iterator[tuple]:
    for key, singular in _CODED.items():
        for option in _coded(entry.get(key)):
            yield (*identity, key, option["code"]), f"{name}, {singular} {option['code']}", {}


def _coded(value: Any) -> list[Mapping[str, Any]]:
    """The entries of a list that have a code."""
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, Mapping) and "code" in item]


def _flat(value: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """(dotted path, leaf) of nested mappings."""
    if isinstance(value, Mapping) and value:
        for key, item in value.items():
            yield from _flat(item, f"{prefix}.{key}" if prefix else str(key))
    else:
        yield prefix, value


def _mapping(value: Any) -> Mapping:
    return value if isinstance(value, Mapping) else {}
