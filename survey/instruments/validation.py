"""Validating an instrument document in full before anything is built.

The JSON Schema checks the shape; `DocumentCheck` checks the meaning (references,
translations, placeholders, ranges, duplicate codes, scores) and each question's kind checks
its own keys. Every problem is collected, so an author sees them all at once.
"""

from __future__ import annotations

import functools
import math
import re
from typing import Any

from jsonschema import Draft202012Validator, validators

from survey.instruments.kinds import QuestionKind, Span, question_kinds
from survey.instruments.kinds.numbers import LARGEST
from survey.instruments.kinds.values import DocPath
from survey.instruments.model import MAX_TEXT, PLACEHOLDER
from survey.instruments.problems import (
    in_document_order,
    listing,
    schema_problems,
)
from survey.instruments.reading import as_dict, as_list, is_int
from survey.instruments.schema import OPTION_CODE_PATTERN, instrument_schema
from survey.instruments.validation_pages import QuestionFacts, check_pages
from survey.instruments.validation_scores import check_analysis, check_scores

_BRACES = re.compile(r"\{[^{}]*\}")


def validation_problems(definition: Any, source: str) -> list[str]:
    """Every problem of a parsed document, in document order; empty when it is valid."""
    return DocumentCheck(definition, source).run()


def validation_findings(definition: Any) -> list[tuple[DocPath, str]]:
    """Every problem of a parsed document as (where, what), for a reader that names places
    its own way (survey.instruments.xlsform); empty when it is valid."""
    check = DocumentCheck(definition, "")
    if not isinstance(definition, dict):
        return [((), "the document must be a mapping of keys to values")]
    check.collect()
    return check.found


def document_schema() -> dict:
    """The JSON Schema of an instrument document, with the kinds registered now."""
    return instrument_schema(question_kinds())


#: JSON Schema counts 1.0 as an integer; a code or bound written so would be stored as written,
#: and come back as 1 from a workbook: a different definition. Only whole numbers are.
_Validator = validators.extend(
    Draft202012Validator,
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine(
        "integer", lambda _checker, value: is_int(value)
    ),
)


@functools.cache
def _validator(kinds: tuple[QuestionKind, ...]) -> Draft202012Validator:
    return _Validator(instrument_schema(kinds))


class DocumentCheck:
    """Collects every problem of one document; tolerant of a broken shape (the schema says so).

    The kinds call `report`, `options`, `choices`, `scale_reference` and `number_range`
    (survey.instruments.kinds.collaborators.DefinitionCheck).
    """

    def __init__(self, document: Any, source: str) -> None:
        self.document = document
        self.source = source
        self.found: list[tuple[DocPath, str]] = []
        self.languages: list[str] = []
        self.waves: list[str] = []
        self.forms: dict[str, dict[str, set[str]]] = {}  # language -> group -> form names
        self.scales: dict[str, tuple[bool, Span]] = {}  # name -> (labelled, span)
        self.questions: dict[str, QuestionFacts] = {}
        self.definitions: dict[str, tuple[DocPath, dict, set[str]]] = {}
        self.pages_readable = False
        self.kinds = question_kinds()
        self.kind_keys = frozenset(key for kind in self.kinds for key in kind.keys)

    def report(self, path: DocPath, message: str) -> None:
        self.found.append((tuple(path), message))

    def run(self) -> list[str]:
        if self.document is None:  # an empty file, or one of comments only
            return [f"{self.source}: the file is empty: write the questionnaire in it"]
        if not isinstance(self.document, dict):
            return [f"{self.source}: the document must be a mapping of keys to values"]
        self.collect()
        return in_document_order(self.document, self.source, self.found)

    def collect(self) -> None:
        """Check the document (a mapping), collecting every problem in `found`."""
        document = self._plain(self.document, ())
        for error in _validator(self.kinds).iter_errors(document):
            self.found += schema_problems(error)
        self.document = document
        self._check_document()

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

    # ---- the document

    def _check_document(self) -> None:
        doc = self.document
        self._check_languages(doc)
        self._check_groups(doc)
        self._check_sentence_forms()
        self._check_waves(doc)
        self.texts(("titles",), doc.get("titles"))
        non_response = as_dict(doc.get("non_response"))
        self.texts(("non_response", "labels"), non_response.get("labels"))
        for answer in ("yes", "no"):
            self.texts(("yes_no", answer), as_dict(doc.get("yes_no")).get(answer))
        self._check_scales(doc, non_response.get("code"))
        consent = as_dict(doc.get("consent"))
        for key in ("titles", "texts", "agree", "privacy_titles", "privacy"):
            self.texts(("consent", key), consent.get(key))
        review = as_dict(doc.get("review"))
        for key in ("titles", "intros"):
            self.texts(("review", key), review.get(key))
        check_pages(self, doc)
        check_scores(self, doc)
        check_analysis(self, doc)

    def _check_languages(self, doc: dict) -> None:
        for index, language in enumerate(as_list(doc.get("languages"))):
            if not isinstance(language, str):
                continue
            if language in self.languages:
                self.report(("languages", index), f"language {language!r} is listed twice")
            else:
                self.languages.append(language)
        for index, language in enumerate(as_list(doc.get("rtl_languages"))):
            if isinstance(language, str) and language not in self.languages:
                self.report(("rtl_languages", index), f"{language!r} is not a declared language")

    def _check_groups(self, doc: dict) -> None:
        groups = as_list(doc.get("groups"))
        if len(groups) != 2:
            self.report(("groups",), "a dialogue instrument has exactly two groups")
        seen: set[str] = set()
        for index, group in enumerate(groups):
            path: DocPath = ("groups", index)
            group = as_dict(group)
            code = group.get("code")
            if not isinstance(code, str):
                continue
            if code in seen:
                self.report((*path, "code"), f"duplicate group code {code!r}")
                continue
            seen.add(code)
            forms = as_dict(group.get("forms"))
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

    def _check_sentence_forms(self) -> None:
        """Each group's optional words for sentences, and the optional neutral forms: known
        languages, non-empty texts without braces (docs/instrument-format.md, "Words for
        sentences")."""
        for index, group in enumerate(as_list(self.document.get("groups"))):
            path: DocPath = ("groups", index, "sentence_forms")
            self._forms(path, as_dict(as_dict(group).get("sentence_forms")))
        self._forms(("neutral_forms",), as_dict(self.document.get("neutral_forms")))

    def _forms(self, path: DocPath, by_language: dict) -> None:
        for language, named in by_language.items():
            if language not in self.languages:
                self.report((*path, language), f"forms for undeclared language {language!r}")
                continue
            for form, text in as_dict(named).items():
                if isinstance(text, str) and not text.strip():
                    self.report((*path, language, form), "empty form")
                elif isinstance(text, str) and ("{" in text or "}" in text):
                    self.report((*path, language, form), "a form cannot hold braces")

    def _check_waves(self, doc: dict) -> None:
        for index, wave in enumerate(as_list(doc.get("waves"))):
            wave = as_dict(wave)
            code = wave.get("code")
            if isinstance(code, str):
                if code in self.waves:
                    self.report(("waves", index, "code"), f"duplicate wave code {code!r}")
                else:
                    self.waves.append(code)
            self.texts(("waves", index, "titles"), wave.get("titles"))

    def texts(self, path: DocPath, texts: Any, *, complete: bool = True) -> None:
        """A translated text: every declared language (unless not `complete`: any of them),
        nothing else, and known placeholders."""
        if not isinstance(texts, dict):
            return
        for language in self.languages if complete else ():
            if language not in texts:
                self.report(path, f"missing translation {language!r}")
        for language, text in texts.items():
            if language not in self.languages:
                self.report((*path, language), f"translation for undeclared language {language!r}")
            elif isinstance(text, str) and not text.strip():
                self.report((*path, language), f"empty translation {language!r}")
            elif isinstance(text, str) and len(text) > MAX_TEXT:
                self.report((*path, language), f"longer than {MAX_TEXT} characters")
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
                    f"placeholder {{{name}}} is not a form of {groups} {listing(lacking)} "
                    f"in language {language!r}",
                )

    def options(self, path: DocPath, options: Any, *, integer: bool) -> list:
        """Check a list of options (codes and translated labels); their valid codes."""
        codes: dict[Any, int] = {}
        for index, option in enumerate(as_list(options)):
            option = as_dict(option)
            code = option.get("code")
            if isinstance(code, bool) or not isinstance(code, (str, int)):
                pass  # the schema has reported the type
            elif integer and not is_int(code):
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
            self.texts((*path, index, "labels"), option.get("labels"))
        return list(codes)

    def choices(self, path: DocPath, question: dict, key: str) -> None:
        """Check a question's text-coded options or items, at least two of them."""
        if key not in question:
            return
        self.options((*path, key), question[key], integer=False)
        if len(as_list(question[key])) < 2:
            self.report((*path, key), f"needs at least 2 {key}")

    def _check_scales(self, doc: dict, non_response: Any) -> None:
        for name, scale in as_dict(doc.get("scales")).items():
            if not isinstance(scale, dict):
                continue
            path: DocPath = ("scales", name)
            ranged = "minimum" in scale or "maximum" in scale
            if "options" in scale and ranged:
                self.report(path, "a scale has either options, or minimum and maximum, not both")
            elif "options" in scale:
                codes = self.options((*path, "options"), scale["options"], integer=True)
                codes = [code for code in codes if is_int(code)]
                if len(as_list(scale["options"])) < 2:
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
                    self.scales[name] = (True, Span(min(codes), max(codes), name))
            elif ranged:
                low, high = scale.get("minimum"), scale.get("maximum")
                if self.number_range(path, low, high):
                    self.scales[name] = (False, Span(low, high, name))
            else:
                self.report(path, "a scale needs options, or minimum and maximum")

    def number_range(self, path: DocPath, low: Any, high: Any) -> bool:
        """Check a range of whole numbers that leaves out the non-response code."""
        if low is None or high is None:
            self.report(path, "a range needs both minimum and maximum")
            return False
        if not (is_int(low) and is_int(high)):
            return False
        if max(abs(low), abs(high)) > LARGEST:
            self.report(path, f"minimum and maximum must lie between -{LARGEST} and {LARGEST}")
            return False
        if low >= high:
            self.report((*path, "maximum"), "maximum must be greater than minimum")
            return False
        non_response = as_dict(self.document.get("non_response")).get("code")
        if is_int(non_response) and low <= non_response <= high:
            self.report(path, f"the range contains the non-response code {non_response}")
        return True

    def scale_reference(self, path: DocPath, question: dict, *, labelled: bool) -> Span | None:
        """Check a question's `scale`: defined, and labelled (options) or a range as needed."""
        name = question.get("scale")
        if name is None:
            self.report(path, f"a {question.get('kind')} question needs a scale")
            return None
        document_scales = as_dict(self.document.get("scales"))
        if name not in document_scales:
            self.report(
                (*path, "scale"),
                f"unknown scale {name!r} (defined: {listing(document_scales)})",
            )
            return None
        if name not in self.scales:
            return None  # broken; reported where it is defined
        is_labelled, span = self.scales[name]
        if is_labelled != labelled:
            needs = "a labelled scale (options)" if labelled else "a range scale (minimum, maximum)"
            self.report((*path, "scale"), f"a {question.get('kind')} question needs {needs}")
            return None
        return span

    def construct_items(self, construct: Any) -> list[str]:
        """The questions of a construct, in document order."""
        return [code for code, facts in self.questions.items() if facts.construct == construct]
