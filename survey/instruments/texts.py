"""The translated texts of an instrument document, one by one: what the translation review
shows side by side and lets a reviewer correct, and what the diff of two versions compares.

A translated text is a mapping language -> text under one of the keys that hold them
(`titles`, `texts`, `labels`, a score's `phrases`, …), wherever it stands in the document; the
words a group gives its placeholders (`groups[].forms`), the words findings name it by
(`groups[].sentence_forms`) and the placeholders' words for both groups at once
(`neutral_forms`) are translated texts too, one per form.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from survey.instruments.kinds.values import DocPath
from survey.instruments.problems import document_order, format_path

#: The keys whose value is a translated text (language -> text).
TEXT_KEYS = frozenset(
    {
        "titles",
        "texts",
        "hints",
        "intros",
        "labels",
        "agree",
        "privacy",
        "privacy_titles",
        "phrases",
    }
)
#: The keys whose value gives words per language and form (language -> form -> text), and what
#: one of their forms is called: a group's (under `groups`) or the document's.
FORM_KEYS = {
    "forms": "form",
    "sentence_forms": "words for sentences",
    "neutral_forms": "both groups, form",
}
_TEXT_NAMES = {
    "titles": "title",
    "texts": "text",
    "hints": "hint",
    "intros": "introduction",
    "labels": "label",
    "agree": "agreement",
    "privacy": "privacy notice",
    "privacy_titles": "privacy notice title",
    "phrases": "phrase in findings",
}
#: What a part of the document is called, by the key of the list or mapping that holds it.
_PART_NAMES = {
    "pages": "page",
    "questions": "question",
    "options": "option",
    "items": "item",
    "waves": "wave",
    "groups": "group",
    "scales": "scale",
    "scores": "score",
}
_FORMS = "*"  # the language's place in the path of a group's form


@dataclass(frozen=True)
class TranslatedText:
    """One text in every language the document gives it."""

    path: DocPath  # where its mapping stands; a group form: ("groups", 0, "forms", "*", "own")
    identity: tuple  # the same text in another version: codes, not positions
    where: str  # for people: "question trust_agenda, text"
    texts: Mapping[str, str]

    @property
    def id(self) -> str:
        """A name for forms: the path joined with dots."""
        return ".".join(str(part) for part in self.path)


def translated_texts(definition: Mapping[str, Any]) -> list[TranslatedText]:
    """Every translated text of a document, in document order."""
    return list(_walk(definition, (), (), []))


def _walk(value: Any, path: DocPath, identity: tuple, names: list[str]) -> Iterator[TranslatedText]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key in TEXT_KEYS and isinstance(item, Mapping):
                where = ", ".join([*names, _TEXT_NAMES[key]])
                texts = {lang: text for lang, text in item.items() if isinstance(text, str)}
                yield TranslatedText((*path, key), (*identity, key), where, texts)
            elif key == "yes_no" and not path and isinstance(item, Mapping):
                for answer, texts in item.items():
                    if isinstance(texts, Mapping):
                        yield TranslatedText(
                            ("yes_no", answer), ("yes_no", answer), f"answer {answer}", texts
                        )
            elif _holds_forms(path, key) and isinstance(item, Mapping):
                yield from _forms(item, (*path, key), (*identity, key), names, FORM_KEYS[key])
            elif key == "metadata" and not path:
                continue  # free-form
            else:
                child = names
                if len(path) == 1 and path[0] in ("scales", "scores"):
                    child = [*names, f"{_PART_NAMES[path[0]]} {key}"]
                elif not path and isinstance(item, Mapping) and key not in _PART_NAMES:
                    child = [*names, key.replace("_", " ")]
                yield from _walk(item, (*path, key), (*identity, key), child)
    elif isinstance(value, list):
        kind = _PART_NAMES.get(str(path[-1]) if path else "", "")
        for index, item in enumerate(value):
            code = item.get("code") if isinstance(item, Mapping) else None
            part_names = [*names, f"{kind} {code}".strip()] if code is not None else names
            # A question is the same question on whichever page it stands.
            own = ("questions", code) if path[-1:] == ("questions",) else (*identity, code)
            yield from _walk(item, (*path, index), own, part_names)


def _holds_forms(path: DocPath, key: str) -> bool:
    """A group's forms or words for sentences, or the document's neutral forms."""
    if key == "neutral_forms":
        return not path
    return key in FORM_KEYS and path[:1] == ("groups",) and len(path) == 2


def named_by_text(definition: Mapping[str, Any], found: Iterable[tuple[DocPath, str]]) -> list[str]:
    """Problems (where, what) of a document, each named as the translation review names the
    text it is about ("page trust, question trust_agenda, text (fr): …"), else by its place
    in the document; in document order, each once."""
    texts = translated_texts(definition)
    lines: dict[str, None] = {}
    for path, message in document_order(definition, found):
        place = _text_place(texts, path) or format_path(path)
        lines[f"{place}: {message}" if place else message] = None
    return list(lines)


def _text_place(texts: list[TranslatedText], path: DocPath) -> str | None:
    for text in texts:
        size = len(text.path)
        if len(path) < size:
            continue
        if text.path[-2:-1] == (_FORMS,):  # a group's form: its language stands in the path
            if path[: size - 2] == text.path[:-2] and path[size - 1] == text.path[-1]:
                return f"{text.where} ({path[size - 2]})"
        elif path[:size] == text.path:
            return f"{text.where} ({path[size]})" if len(path) > size else text.where
    return None


def _forms(
    forms: Mapping[str, Any], path: DocPath, identity: tuple, names: list[str], called: str
) -> Iterator[TranslatedText]:
    # Per language a mapping form -> text: turned around, one text per form.
    by_form: dict[str, dict[str, str]] = {}
    for language, named in forms.items():
        for form, text in named.items() if isinstance(named, Mapping) else ():
            if isinstance(text, str):
                by_form.setdefault(form, {})[language] = text
    for form, texts in by_form.items():
        where = ", ".join([*names, f"{called} {{{form}}}"])
        yield TranslatedText((*path, _FORMS, form), (*identity, form), where, texts)


def with_corrections(
    definition: Mapping[str, Any], corrections: Mapping[tuple[str, str], str]
) -> dict:
    """A copy of the document with texts replaced: (text id, language) -> the new text.
    Only texts that exist are replaced (a form or language the document lacks is not added)."""
    document = copy.deepcopy(dict(definition))
    by_id = {text.id: text for text in translated_texts(definition)}
    for (text_id, language), new in corrections.items():
        text = by_id.get(text_id)
        if text is None or language not in text.texts:
            continue
        *parent, last = text.path
        if len(parent) >= 2 and parent[-1] == _FORMS:
            parent, last = [*parent[:-1], language], last
        else:
            parent, last = [*parent, last], language
        target: Any = document
        for part in parent:
            target = target[part]
        target[last] = new
    return document
