"""Loading and validating instrument documents, and comparing versions of an instrument.

A document is validated in full before anything is built, and every problem is reported at
once as "FILE: path.inside.document: message", so an author can fix a file in one pass.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, ValidationError

from survey.instruments.model import (
    PLACEHOLDER,
    Consent,
    FrozenDict,
    GroupDef,
    Instrument,
    Option,
    Page,
    Question,
    QuestionKind,
    ScoreDef,
    frozen,
)
from survey.instruments.schema import (
    CODE_PATTERN,
    INSTRUMENT_SCHEMA,
    LANGUAGE_PATTERN,
    OPTION_CODE_PATTERN,
)

SHIPPED_DIR = Path(__file__).resolve().parent / "shipped"

#: Pages every wave has without the file listing them: they hold no questions.
IMPLICIT_PAGES = ("consent", "review")

DocPath = tuple[str | int, ...]

# Keys a question may carry besides code, kind, texts, required, waves and profile.
_KIND_KEYS: dict[QuestionKind, frozenset[str]] = {
    QuestionKind.SCALE: frozenset({"scale", "non_response", "construct", "reversed"}),
    QuestionKind.INTEGER: frozenset(
        {"scale", "minimum", "maximum", "widget", "non_response", "construct"}
    ),
    QuestionKind.CHOICE: frozenset({"options"}),
    QuestionKind.MULTI: frozenset({"options"}),
    QuestionKind.YES_NO: frozenset({"options"}),
    QuestionKind.RANKING: frozenset({"items"}),
    QuestionKind.TEXT: frozenset({"max_length"}),
}
_KIND_SPECIFIC_KEYS = frozenset().union(*_KIND_KEYS.values())
_SCORED_KINDS = frozenset({QuestionKind.SCALE, QuestionKind.INTEGER})

_PATTERN_NAMES = {
    CODE_PATTERN: "a code (lower-case letters, digits and _, starting with a letter)",
    OPTION_CODE_PATTERN: "a code (lower-case letters, digits and _)",
    LANGUAGE_PATTERN: "a language code such as en, ur or fr",
}
_JSON_TYPES = {
    bool: "a boolean",
    int: "an integer",
    float: "a number",
    str: "a string",
    list: "a list",
    dict: "a mapping",
    type(None): "nothing (null)",
}
_SCHEMA_TYPES = {
    "integer": "an integer",
    "number": "a number",
    "string": "a string",
    "boolean": "a boolean",
    "object": "a mapping",
    "array": "a list",
    "null": "nothing (null)",
}
_BRACES = re.compile(r"\{[^{}]*\}")


class InstrumentError(Exception):
    """An instrument document that cannot be used; `problems` lists everything wrong with it."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))

    def __str__(self) -> str:
        return "\n".join(self.problems)


def format_path(path: Iterable[str | int]) -> str:
    """`("pages", 2, "questions", 3, "texts")` -> `pages[2].questions[3].texts`."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


# --------------------------------------------------------------------------- loading


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
    document = _parse(text, source, json_syntax=path.suffix.lower() == ".json")
    return instrument_from_definition(document, source)


def instrument_from_definition(definition: Any, source: str = "<database>") -> Instrument:
    """Validate a parsed document (e.g. the JSON stored with a wave) and build the instrument."""
    problems = validation_problems(definition, source)
    if problems:
        raise InstrumentError(problems)
    document = json.loads(json.dumps(definition))  # a private copy, plain JSON types only
    return _build(document, _checksum(document))


def validation_problems(definition: Any, source: str) -> list[str]:
    """Every problem of a parsed document, in document order; empty when it is valid."""
    return _Checker(definition, source).run()


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


class _DocumentLoader(yaml.SafeLoader):
    """Safe YAML without silent surprises: a repeated key is an error, dates stay strings."""

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict:
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
            seen: set = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                if not isinstance(key, (str, int, float, bool)):
                    continue  # unhashable keys are refused by SafeLoader itself
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        "while reading a mapping",
                        node.start_mark,
                        f"found the key {key!r} twice",
                        key_node.start_mark,
                    )
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


# Dates would not survive the JSON copy stored in the database, so they are read as text.
_DocumentLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _parse(text: str, source: str, *, json_syntax: bool) -> Any:
    try:
        if json_syntax:
            return json.loads(text, object_pairs_hook=_unique_keys)
        return yaml.load(text, Loader=_DocumentLoader)  # noqa: S506 (a SafeLoader subclass)
    except json.JSONDecodeError as exc:
        problem = f"line {exc.lineno}, column {exc.colno}: {exc.msg}"
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = f"{where}{exc.problem}"
    except (yaml.YAMLError, ValueError) as exc:
        problem = str(exc)
    raise InstrumentError([f"{source}: {problem}"])


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict:
    document: dict = {}
    for key, value in pairs:
        if key in document:
            raise ValueError(f"found the key {key!r} twice")
        document[key] = value
    return document


# --------------------------------------------------------------------------- validation


def _as_dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _as_list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _listing(values: Iterable[Any]) -> str:
    return ", ".join(str(value) for value in values) or "none"


class _Checker:
    """Collects every problem of one document; tolerant of a broken shape (the schema says so)."""

    def __init__(self, document: Any, source: str) -> None:
        self.document = document
        self.source = source
        self.found: list[tuple[DocPath, str]] = []
        self.languages: list[str] = []
        self.waves: list[str] = []
        self.forms: dict[str, dict[str, set[str]]] = {}  # language -> group -> form names
        self.scales: dict[str, dict[str, Any]] = {}
        self.questions: dict[str, dict[str, Any]] = {}  # code -> what scores need to know
        self.definitions: dict[str, tuple[DocPath, dict, set[str]]] = {}
        self.pages_readable = False

    def report(self, path: DocPath, message: str) -> None:
        self.found.append((tuple(path), message))

    def run(self) -> list[str]:
        if not isinstance(self.document, dict):
            return [f"{self.source}: the document must be a mapping of keys to values"]
        document = self._plain(self.document, ())
        for error in Draft202012Validator(INSTRUMENT_SCHEMA).iter_errors(document):
            self._schema_error(error)
        self.document = document
        self._check_document()
        return self._formatted()

    def _formatted(self) -> list[str]:
        order: dict[DocPath, int] = {}

        def number(value: Any, path: DocPath) -> None:
            order[path] = len(order)
            if isinstance(value, dict):
                for key, item in value.items():
                    number(item, (*path, key))
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    number(item, (*path, index))

        number(self.document, ())

        def position(path: DocPath) -> int:
            while path not in order:
                path = path[:-1]
            return order[path]

        lines: dict[str, None] = {}
        for path, message in sorted(self.found, key=lambda found: position(found[0])):
            where = f"{format_path(path)}: " if path else ""
            lines[f"{self.source}: {where}{message}"] = None
        return list(lines)

    # ---- shape

    def _plain(self, value: Any, path: DocPath) -> Any:
        """A copy with JSON types only, reporting whatever the database could not store."""
        if isinstance(value, dict):
            copy = {}
            for key, item in value.items():
                if not isinstance(key, str):
                    self.report(path, f"the key {key!r} must be text (quote it)")
                    key = str(key)
                copy[key] = self._plain(item, (*path, key))
            return copy
        if isinstance(value, list):
            return [self._plain(item, (*path, index)) for index, item in enumerate(value)]
        if isinstance(value, float) and not math.isfinite(value):
            self.report(path, f"{value!r} is not a number that can be stored")
            return str(value)
        if value is None or isinstance(value, (str, int, float, bool)):
            return value
        self.report(path, f"a {type(value).__name__} value cannot be stored (quote it)")
        return str(value)

    def _schema_error(self, error: ValidationError) -> None:
        path: DocPath = tuple(error.absolute_path)
        instance, expected = error.instance, error.validator_value
        if error.validator == "additionalProperties" and expected is False:
            known = error.schema.get("properties", {})
            for key in instance:
                if key not in known:
                    self.report((*path, key), f"unknown key {key!r} (expected: {_listing(known)})")
        elif error.validator == "required":
            for key in expected:
                if key not in instance:
                    self.report(path, f"missing key {key!r}")
        elif error.validator == "enum" and path and path[-1] == "kind":
            self.report(
                path, f"unknown question kind {instance!r} (expected: {_listing(expected)})"
            )
        elif error.validator == "enum":
            self.report(path, f"{instance!r} is not one of: {_listing(expected)}")
        elif error.validator == "type":
            names = [expected] if isinstance(expected, str) else list(expected)
            wanted = " or ".join(_SCHEMA_TYPES.get(name, name) for name in names)
            got = _JSON_TYPES.get(type(instance), type(instance).__name__)
            hint = " (quote yes, no, on and off in YAML)" if isinstance(instance, bool) else ""
            hint = (
                " (quote it)" if isinstance(instance, float) and "string" in str(expected) else hint
            )
            self.report(path, f"expected {wanted}, got {got}{hint}")
        elif error.validator == "pattern":
            name = _PATTERN_NAMES.get(expected, f"text matching {expected}")
            self.report(path, f"{instance!r} is not {name}")
        elif error.validator == "minItems":
            self.report(path, f"needs at least {expected} item{'s' if expected != 1 else ''}")
        elif error.validator == "minLength":
            self.report(path, "must not be empty")
        elif error.validator == "minimum":
            self.report(path, f"must be at least {expected}")
        else:
            self.report(path, error.message)

    # ---- meaning

    def _check_document(self) -> None:
        doc = self.document
        self._check_languages(doc)
        self._check_groups(doc)
        self._check_waves(doc)
        self._texts(("titles",), doc.get("titles"))
        non_response = _as_dict(doc.get("non_response"))
        self._texts(("non_response", "labels"), non_response.get("labels"))
        for answer in ("yes", "no"):
            self._texts(("yes_no", answer), _as_dict(doc.get("yes_no")).get(answer))
        self._check_scales(doc, non_response.get("code"))
        consent = _as_dict(doc.get("consent"))
        for key in ("titles", "texts", "agree", "privacy_titles", "privacy"):
            self._texts(("consent", key), consent.get(key))
        review = _as_dict(doc.get("review"))
        for key in ("titles", "intros"):
            self._texts(("review", key), review.get(key))
        self._check_pages(doc)
        self._check_scores(doc)
        self._check_analysis(doc)

    def _check_languages(self, doc: dict) -> None:
        for index, language in enumerate(_as_list(doc.get("languages"))):
            if not isinstance(language, str):
                continue
            if language in self.languages:
                self.report(("languages", index), f"language {language!r} is listed twice")
            else:
                self.languages.append(language)
        for index, language in enumerate(_as_list(doc.get("rtl_languages"))):
            if isinstance(language, str) and language not in self.languages:
                self.report(("rtl_languages", index), f"{language!r} is not a declared language")

    def _check_groups(self, doc: dict) -> None:
        groups = _as_list(doc.get("groups"))
        if len(groups) != 2:
            self.report(("groups",), "a dialogue instrument has exactly two groups")
        seen: set[str] = set()
        for index, group in enumerate(groups):
            path: DocPath = ("groups", index)
            group = _as_dict(group)
            code = group.get("code")
            if not isinstance(code, str):
                continue
            if code in seen:
                self.report((*path, "code"), f"duplicate group code {code!r}")
                continue
            seen.add(code)
            forms = _as_dict(group.get("forms"))
            if "forms" not in group:
                continue
            for language in self.languages:
                if language not in forms:
                    self.report((*path, "forms"), f"missing forms for language {language!r}")
            for language, named in forms.items():
                if not isinstance(named, dict):
                    continue
                if language not in self.languages:
                    self.report(
                        (*path, "forms", language), f"forms for undeclared language {language!r}"
                    )
                    continue
                self.forms.setdefault(language, {})[code] = set(named)
                if "name" not in named:
                    self.report((*path, "forms", language), "missing form 'name'")
                for form, text in named.items():
                    if isinstance(text, str) and not text.strip():
                        self.report((*path, "forms", language, form), "empty form")
                    elif isinstance(text, str) and ("{" in text or "}" in text):
                        self.report((*path, "forms", language, form), "a form cannot hold braces")

    def _check_waves(self, doc: dict) -> None:
        for index, wave in enumerate(_as_list(doc.get("waves"))):
            wave = _as_dict(wave)
            code = wave.get("code")
            if isinstance(code, str):
                if code in self.waves:
                    self.report(("waves", index, "code"), f"duplicate wave code {code!r}")
                else:
                    self.waves.append(code)
            self._texts(("waves", index, "titles"), wave.get("titles"))

    def _texts(self, path: DocPath, texts: Any) -> None:
        """A translated text: every declared language, nothing else, and known placeholders."""
        if not isinstance(texts, dict):
            return
        for language in self.languages:
            if language not in texts:
                self.report(path, f"missing translation {language!r}")
        for language, text in texts.items():
            if language not in self.languages:
                self.report((*path, language), f"translation for undeclared language {language!r}")
            elif isinstance(text, str) and not text.strip():
                self.report((*path, language), f"empty translation {language!r}")
            elif isinstance(text, str):
                self._placeholders((*path, language), language, text)

    def _placeholders(self, path: DocPath, language: str, text: str) -> None:
        for braces in _BRACES.findall(text):
            if not PLACEHOLDER.fullmatch(braces):
                self.report(path, f"malformed placeholder {braces!r}")
        if "{" in _BRACES.sub("", text) or "}" in _BRACES.sub("", text):
            self.report(path, "unbalanced { or } (a placeholder is written {name})")
        for name in dict.fromkeys(PLACEHOLDER.findall(text)):
            lacking = [g for g, names in self.forms.get(language, {}).items() if name not in names]
            if lacking:
                groups = "group" if len(lacking) == 1 else "groups"
                self.report(
                    path,
                    f"placeholder {{{name}}} is not a form of {groups} {_listing(lacking)} "
                    f"in language {language!r}",
                )

    def _options(self, path: DocPath, options: Any, *, integer: bool) -> list:
        codes: dict[Any, int] = {}
        for index, option in enumerate(_as_list(options)):
            option = _as_dict(option)
            code = option.get("code")
            if isinstance(code, bool) or not isinstance(code, (str, int)):
                pass  # the schema has reported the type
            elif integer and not _is_int(code):
                self.report((*path, index, "code"), f"{code!r} is not an integer code")
            elif not integer and not (
                isinstance(code, str) and re.fullmatch(OPTION_CODE_PATTERN, code)
            ):
                self.report(
                    (*path, index, "code"),
                    f"{code!r} is not a text code (lower-case letters, digits and _; "
                    "quote numbers, yes and no)",
                )
            if isinstance(code, (str, int)) and code in codes:
                self.report(
                    (*path, index, "code"),
                    f"duplicate option code {code!r} (also at {path[-1]}[{codes[code]}])",
                )
            elif isinstance(code, (str, int)):
                codes[code] = index
            self._texts((*path, index, "labels"), option.get("labels"))
        return list(codes)

    def _check_scales(self, doc: dict, non_response: Any) -> None:
        for name, scale in _as_dict(doc.get("scales")).items():
            if not isinstance(scale, dict):
                continue
            path: DocPath = ("scales", name)
            ranged = "minimum" in scale or "maximum" in scale
            if "options" in scale and ranged:
                self.report(path, "a scale has either options, or minimum and maximum, not both")
            elif "options" in scale:
                codes = self._options((*path, "options"), scale["options"], integer=True)
                codes = [code for code in codes if _is_int(code)]
                if len(_as_list(scale["options"])) < 2:
                    self.report((*path, "options"), "a scale needs at least 2 options")
                elif codes and codes != list(range(codes[0], codes[0] + len(codes))):
                    self.report(
                        (*path, "options"),
                        "option codes must be consecutive integers in ascending order",
                    )
                if "widget" in scale:
                    self.report((*path, "widget"), "only a range scale has a widget")
                if non_response in codes:
                    self.report((*path, "options"), "an option uses the non-response code")
                if codes:
                    self.scales[name] = {"labelled": True, "min": min(codes), "max": max(codes)}
            elif ranged:
                low, high = scale.get("minimum"), scale.get("maximum")
                if self._range(path, low, high, non_response):
                    self.scales[name] = {"labelled": False, "min": low, "max": high}
            else:
                self.report(path, "a scale needs options, or minimum and maximum")

    def _range(self, path: DocPath, low: Any, high: Any, non_response: Any) -> bool:
        if low is None or high is None:
            self.report(path, "a range needs both minimum and maximum")
            return False
        if not (_is_int(low) and _is_int(high)):
            return False
        if low >= high:
            self.report((*path, "maximum"), "maximum must be greater than minimum")
            return False
        if _is_int(non_response) and low <= non_response <= high:
            self.report(path, f"the range contains the non-response code {non_response}")
        return True

    def _check_pages(self, doc: dict) -> None:
        # Without readable pages, references to questions cannot be checked (nor reported).
        self.pages_readable = isinstance(doc.get("pages"), list)
        pages: set[str] = set()
        for index, page in enumerate(_as_list(doc.get("pages"))):
            path: DocPath = ("pages", index)
            page = _as_dict(page)
            code = page.get("code")
            if code in IMPLICIT_PAGES:
                self.report(
                    (*path, "code"), f"page code {code!r} is reserved for the implicit {code} page"
                )
            elif isinstance(code, str) and code in pages:
                self.report((*path, "code"), f"duplicate page code {code!r}")
            elif isinstance(code, str):
                pages.add(code)
            self._texts((*path, "titles"), page.get("titles"))
            self._texts((*path, "intros"), page.get("intros"))
            for number, question in enumerate(_as_list(page.get("questions"))):
                if isinstance(question, dict):
                    self._check_question((*path, "questions", number), question, doc)

    def _check_question(self, path: DocPath, question: dict, doc: dict) -> None:
        self._texts((*path, "texts"), question.get("texts"))
        waves = self._question_waves(path, question)
        code = question.get("code")
        if isinstance(code, str) and not self._first_definition(path, code, question, waves):
            return
        try:
            kind = QuestionKind(question.get("kind"))
        except ValueError:
            return  # the schema has said so
        for key in question:
            if key in _KIND_SPECIFIC_KEYS and key not in _KIND_KEYS[kind]:
                self.report((*path, key), f"{key!r} does not apply to a {kind} question")
        low = high = scale = None
        if kind is QuestionKind.SCALE:
            scale = self._scale_reference(path, question, labelled=True)
            if scale:
                low, high = scale["min"], scale["max"]
        elif kind is QuestionKind.INTEGER:
            if "scale" in question:
                scale = self._scale_reference(path, question, labelled=False)
                if "minimum" in question or "maximum" in question:
                    self.report(path, "give either a scale or minimum and maximum, not both")
                elif scale:
                    low, high = scale["min"], scale["max"]
            else:
                low, high = question.get("minimum"), question.get("maximum")
                non_response = _as_dict(doc.get("non_response")).get("code")
                if not self._range(path, low, high, non_response):
                    low = high = None
        elif kind in (QuestionKind.CHOICE, QuestionKind.MULTI):
            if "options" not in question:
                self.report(path, f"a {kind} question needs options")
            self._choices(path, question, "options")
        elif kind is QuestionKind.YES_NO:
            if "options" in question:
                codes = self._options((*path, "options"), question["options"], integer=False)
                if sorted(map(str, codes)) != ["no", "yes"]:
                    self.report((*path, "options"), "the option codes of yes_no are yes and no")
            elif "yes_no" not in doc:
                self.report(path, "a yes_no question needs options, or the document's yes_no")
        elif kind is QuestionKind.RANKING:
            if "items" not in question:
                self.report(path, "a ranking question needs items")
            self._choices(path, question, "items")
        elif kind is QuestionKind.TEXT and "max_length" not in question:
            self.report(path, "a text question needs max_length")
        if isinstance(code, str):
            self.questions[code] = {
                "kind": kind,
                "scale": question.get("scale") if scale else None,
                "min": low,
                "max": high,
                "construct": question.get("construct"),
                "reversed": question.get("reversed") is True,
            }

    def _question_waves(self, path: DocPath, question: dict) -> set[str]:
        if "waves" not in question:
            return set(self.waves)
        waves: set[str] = set()
        for index, wave in enumerate(_as_list(question["waves"])):
            if not isinstance(wave, str):
                continue
            if wave not in self.waves:
                self.report(
                    (*path, "waves", index),
                    f"unknown wave {wave!r} (declared: {_listing(self.waves)})",
                )
            elif wave in waves:
                self.report((*path, "waves", index), f"wave {wave!r} is listed twice")
            waves.add(wave)
        if question.get("profile") is True and waves != set(self.waves):
            self.report(
                (*path, "waves"),
                "a profile question belongs to every wave (it is asked in the first wave a "
                "participant answers): leave out waves",
            )
        return waves

    def _first_definition(self, path: DocPath, code: str, question: dict, waves: set) -> bool:
        """Record the question; report a code defined twice. A pre/post mismatch shows up here."""
        if code not in self.definitions:
            self.definitions[code] = (path, question, waves)
            return True
        first_path, first, first_waves = self.definitions[code]
        differences = []
        for key in sorted((set(first) | set(question)) - {"waves"}):
            before, after = first.get(key), question.get(key)
            if isinstance(before, dict) and isinstance(after, dict):
                differences += [
                    f"{key}.{sub}"
                    for sub in sorted(set(before) | set(after))
                    if _canonical(before.get(sub)) != _canonical(after.get(sub))
                ]
            elif _canonical(before) != _canonical(after):
                differences.append(key)
        where = format_path(first_path)
        if differences and not (first_waves & waves):
            self.report(
                (*path, "code"),
                f"pre/post mismatch: question {code!r} for wave {_listing(sorted(waves))} differs "
                f"in {', '.join(differences)} from its definition for wave "
                f"{_listing(sorted(first_waves))} at {where}; an item shared by waves must be "
                "identical: define it once and list its waves",
            )
        elif not differences:
            self.report(
                (*path, "code"),
                f"question {code!r} is defined twice (also at {where}): define it once and "
                "list its waves",
            )
        else:
            self.report((*path, "code"), f"duplicate question code {code!r} (also at {where})")
        return False

    def _scale_reference(self, path: DocPath, question: dict, *, labelled: bool) -> dict | None:
        name = question.get("scale")
        if name is None:
            self.report(path, f"a {question.get('kind')} question needs a scale")
            return None
        document_scales = _as_dict(self.document.get("scales"))
        if name not in document_scales:
            self.report(
                (*path, "scale"),
                f"unknown scale {name!r} (defined: {_listing(document_scales)})",
            )
            return None
        scale = self.scales.get(name)
        if scale is None:
            return None  # broken; reported where it is defined
        if scale["labelled"] != labelled:
            needs = "a labelled scale (options)" if labelled else "a range scale (minimum, maximum)"
            self.report((*path, "scale"), f"a {question.get('kind')} question needs {needs}")
            return None
        return scale

    def _choices(self, path: DocPath, question: dict, key: str) -> None:
        if key not in question:
            return
        self._options((*path, key), question[key], integer=False)
        if len(_as_list(question[key])) < 2:
            self.report((*path, key), f"needs at least 2 {key}")

    def _check_scores(self, doc: dict) -> None:
        for name, score in _as_dict(doc.get("scores")).items():
            if not isinstance(score, dict):
                continue
            path: DocPath = ("scores", name)
            self._texts((*path, "titles"), score.get("titles"))
            construct, items = score.get("construct"), score.get("items")
            if construct is not None and items is not None:
                self.report(path, "give either a construct or items, not both")
                continue
            if construct is not None:
                items = [c for c, q in self.questions.items() if q["construct"] == construct]
                if not items:
                    if self.pages_readable:
                        message = f"no question has construct {construct!r}"
                        self.report((*path, "construct"), message)
                    continue
            elif items is None:
                self.report(path, "a score needs a construct or items")
                continue
            ranges = set()
            for index, item in enumerate(_as_list(items)):
                item_path = (*path, "items", index) if construct is None else path
                question = self.questions.get(item)
                if question is None:
                    if item not in self.definitions and self.pages_readable:
                        self.report(item_path, f"unknown question {item!r}")
                elif question["kind"] not in _SCORED_KINDS:
                    self.report(
                        item_path,
                        f"score item {item!r} is a {question['kind']} question; score items "
                        "are scale or integer questions",
                    )
                elif question["min"] is not None:
                    ranges.add((question["min"], question["max"]))
            if len(ranges) > 1:
                spans = _listing(f"{low}..{high}" for low, high in sorted(ranges))
                self.report(path, f"the score's items use different ranges ({spans})")
            answered = score.get("min_answered")
            if _is_int(answered) and isinstance(items, list) and answered > len(items):
                self.report((*path, "min_answered"), f"exceeds the score's {len(items)} item(s)")

    def _check_analysis(self, doc: dict) -> None:
        if not self.pages_readable:
            return
        analysis = _as_dict(doc.get("analysis"))
        perception = _as_dict(analysis.get("perception"))
        scales = set()
        for role in ("meta", "direct"):
            code = perception.get(role)
            if code is None:
                continue
            question = self.questions.get(code)
            path = ("analysis", "perception", role)
            if question is None:
                self.report(path, f"unknown question {code!r}")
            elif question["kind"] is not QuestionKind.SCALE:
                self.report(path, f"{code!r} is not a scale question")
            elif question["scale"]:
                scales.add(question["scale"])
        if len(scales) > 1:
            self.report(("analysis", "perception"), "meta and direct items use different scales")
        ranking = analysis.get("ranking")
        if ranking is not None:
            question = self.questions.get(ranking)
            if question is None:
                self.report(("analysis", "ranking"), f"unknown question {ranking!r}")
            elif question["kind"] is not QuestionKind.RANKING:
                self.report(("analysis", "ranking"), f"{ranking!r} is not a ranking question")
        alpha = analysis.get("alpha")
        scores = _as_dict(doc.get("scores"))
        if alpha is not None and alpha not in scores:
            self.report(("analysis", "alpha"), f"unknown score {alpha!r}")
        elif alpha is not None:
            score = _as_dict(scores[alpha])
            items = score.get("items") or [
                c for c, q in self.questions.items() if q["construct"] == score.get("construct")
            ]
            if len(items) < 2:
                self.report(("analysis", "alpha"), f"score {alpha!r} needs at least 2 items")


# --------------------------------------------------------------------------- building


def _build(doc: dict, checksum: str) -> Instrument:
    """The Instrument of a validated document."""
    languages = tuple(doc["languages"])

    def texts(mapping: Mapping[str, str] | None) -> FrozenDict:
        # Ordered as the instrument's languages, so the first is always the default.
        return (
            frozen((language, mapping[language]) for language in languages) if mapping else frozen()
        )

    def options(entries: Iterable[dict]) -> tuple[Option, ...]:
        return tuple(Option(entry["code"], texts(entry["labels"])) for entry in entries)

    waves = tuple(wave["code"] for wave in doc["waves"])
    yes_no = doc.get("yes_no")

    def question(entry: dict, page: str) -> Question:
        kind = QuestionKind(entry["kind"])
        scale = doc["scales"].get(entry.get("scale"), {})
        built: dict[str, Any] = {}
        if kind is QuestionKind.SCALE:
            built["options"] = options(scale["options"])
            built["minimum"] = built["options"][0].code
            built["maximum"] = built["options"][-1].code
        elif kind is QuestionKind.INTEGER:
            built["minimum"] = scale.get("minimum", entry.get("minimum"))
            built["maximum"] = scale.get("maximum", entry.get("maximum"))
            built["widget"] = entry.get("widget", scale.get("widget"))
        elif kind is QuestionKind.YES_NO and "options" not in entry:
            built["options"] = (
                Option("yes", texts(yes_no["yes"])),
                Option("no", texts(yes_no["no"])),
            )
        elif kind in (QuestionKind.CHOICE, QuestionKind.MULTI, QuestionKind.YES_NO):
            built["options"] = options(entry["options"])
        if kind in _SCORED_KINDS:
            built["allows_non_response"] = entry.get(
                "non_response", scale.get("non_response", True)
            )
        asked = entry.get("waves", waves)
        return Question(
            code=entry["code"],
            kind=kind,
            page=page,
            texts=texts(entry["texts"]),
            scale=entry.get("scale"),
            items=options(entry.get("items", ())),
            max_length=entry.get("max_length"),
            required=entry.get("required", False),
            construct=entry.get("construct"),
            reversed=entry.get("reversed", False),
            waves=tuple(wave for wave in waves if wave in asked),
            profile=entry.get("profile", False),
            **built,
        )

    pages = tuple(
        Page(
            code=page["code"],
            titles=texts(page["titles"]),
            intros=texts(page.get("intros")),
            questions=tuple(question(entry, page["code"]) for entry in page["questions"]),
        )
        for page in doc["pages"]
    )
    by_code = {q.code: q for page in pages for q in page.questions}

    scores = {}
    for name, score in doc["scores"].items():
        items = score.get("items") or [
            q.code for q in by_code.values() if q.construct == score["construct"]
        ]
        first = by_code[items[0]]
        scores[name] = ScoreDef(
            name=name,
            items=tuple(items),
            reversed=frozenset(item for item in items if by_code[item].reversed),
            min_answered=score.get("min_answered", len(items)),
            scale_min=first.minimum,
            scale_max=first.maximum,
            titles=texts(score.get("titles")),
        )

    consent = doc["consent"]
    analysis = doc["analysis"]
    return Instrument(
        key=doc["key"],
        version_label=doc["version"],
        titles=texts(doc["titles"]),
        languages=languages,
        rtl_languages=frozenset(doc.get("rtl_languages", ())),
        groups=tuple(
            GroupDef(
                code=group["code"],
                forms=frozen(
                    (language, frozen(group["forms"][language])) for language in languages
                ),
            )
            for group in doc["groups"]
        ),
        waves=waves,
        pages=pages,
        consent=Consent(
            version=consent["version"],
            texts=texts(consent["texts"]),
            agree_labels=texts(consent["agree"]),
            privacy_texts=texts(consent["privacy"]),
            titles=texts(consent["titles"]),
            privacy_titles=texts(consent["privacy_titles"]),
        ),
        non_response_code=doc["non_response"]["code"],
        scores=frozen(scores),
        perception=(analysis["perception"]["meta"], analysis["perception"]["direct"]),
        ranking_question=analysis["ranking"],
        alpha_score=analysis["alpha"],
        metadata=_deep_frozen(doc.get("metadata", {})),
        definition=doc,
        checksum=checksum,
        wave_titles=frozen((wave["code"], texts(wave["titles"])) for wave in doc["waves"]),
        non_response_labels=texts(doc["non_response"]["labels"]),
        review=Page(
            code="review",
            titles=texts(doc["review"]["titles"]),
            intros=texts(doc["review"].get("intros")),
            questions=(),
        ),
    )


def _deep_frozen(value: Any) -> Any:
    if isinstance(value, dict):
        return frozen((key, _deep_frozen(item)) for key, item in value.items())
    if isinstance(value, list):
        return tuple(_deep_frozen(item) for item in value)
    return value


# --------------------------------------------------------------------------- versions


def check_shared_items(
    instrument_a: Instrument, wave_a: str, instrument_b: Instrument, wave_b: str
) -> list[str]:
    """How the items asked in both waves differ between two instruments; empty if identical.

    Used to refuse a new version whose shared items (pre and post) would no longer match.
    """
    before = {q.code: q for q in instrument_a.questions_for_wave(wave_a)}
    label_a = f"{instrument_a.key} {instrument_a.version_label} ({wave_a})"
    label_b = f"{instrument_b.key} {instrument_b.version_label} ({wave_b})"
    problems = []
    for question in instrument_b.questions_for_wave(wave_b):
        if question.code not in before:
            continue
        differences = list(_item_differences(before[question.code], question))
        if differences:
            problems.append(
                f"{question.code}: {', '.join(differences)} differ(s) between "
                f"{label_a} and {label_b}"
            )
    return problems


def _item_differences(a: Question, b: Question) -> Iterator[str]:
    if a.kind != b.kind:
        yield f"kind ({a.kind} -> {b.kind})"
    # Texts and labels are compared in the languages both versions have: adding one is no change.
    languages = [language for language in a.texts if language in b.texts]
    for language in languages:
        if a.texts[language] != b.texts[language]:
            yield f"texts.{language}"
    if _option_summary(a.options, languages) != _option_summary(b.options, languages):
        yield "options"
    if _option_summary(a.items, languages) != _option_summary(b.items, languages):
        yield "items"
    if (a.minimum, a.maximum) != (b.minimum, b.maximum):
        yield "range"
    if a.reversed != b.reversed:
        yield "reversed"


def _option_summary(options: tuple[Option, ...], languages: list[str]) -> list:
    return [(option.code, [option.labels.get(lang) for lang in languages]) for option in options]
