"""Validating the pages of an instrument document and their questions: page and question codes,
the waves a question is asked in, an item defined twice (or differently for pre and post), and
each question's kind-specific keys, which its kind checks."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from survey.instruments.kinds import QuestionKind, Span, kind_named
from survey.instruments.kinds.values import DocPath
from survey.instruments.problems import format_path, listing
from survey.instruments.reading import as_dict, as_list

if TYPE_CHECKING:
    from survey.instruments.validation import DocumentCheck

#: Pages every wave has without the file listing them: they hold no questions.
IMPLICIT_PAGES = ("consent", "review")


@dataclass(frozen=True)
class QuestionFacts:
    """What the score and analysis checks need to know of a question."""

    kind: QuestionKind
    span: Span
    construct: str | None
    reversed: bool


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def check_pages(check: DocumentCheck, doc: dict) -> None:
    """Each page and its questions: codes, texts, waves, and the keys of each kind."""
    # Without readable pages, references to questions cannot be checked (nor reported).
    check.pages_readable = isinstance(doc.get("pages"), list)
    pages: set[str] = set()
    for index, page in enumerate(as_list(doc.get("pages"))):
        path: DocPath = ("pages", index)
        page = as_dict(page)
        code = page.get("code")
        if code in IMPLICIT_PAGES:
            check.report(
                (*path, "code"), f"page code {code!r} is reserved for the implicit {code} page"
            )
        elif isinstance(code, str) and code in pages:
            check.report((*path, "code"), f"duplicate page code {code!r}")
        elif isinstance(code, str):
            pages.add(code)
        check.texts((*path, "titles"), page.get("titles"))
        check.texts((*path, "intros"), page.get("intros"))
        for number, question in enumerate(as_list(page.get("questions"))):
            if isinstance(question, dict):
                _check_question(check, (*path, "questions", number), question)


def _check_question(check: DocumentCheck, path: DocPath, question: dict) -> None:
    check.texts((*path, "texts"), question.get("texts"))
    check.texts((*path, "hints"), question.get("hints"))
    waves = _question_waves(check, path, question)
    code = question.get("code")
    if isinstance(code, str) and not _first_definition(check, path, code, question, waves):
        return
    kind = _kind(question.get("kind"))
    if kind is None:
        return  # the schema has said so
    for key in question:
        if key in check.kind_keys and key not in kind.keys:
            check.report((*path, key), f"{key!r} does not apply to a {kind} question")
    span = kind.check_definition(check, path, question)
    if isinstance(code, str):
        check.questions[code] = QuestionFacts(
            kind, span, question.get("construct"), question.get("reversed") is True
        )


def _kind(code: Any) -> QuestionKind | None:
    try:
        return kind_named(code)
    except (KeyError, TypeError):  # unknown, or not even text
        return None


def _question_waves(check: DocumentCheck, path: DocPath, question: dict) -> set[str]:
    if "waves" not in question:
        return set(check.waves)
    waves: set[str] = set()
    for index, wave in enumerate(as_list(question["waves"])):
        if not isinstance(wave, str):
            continue
        if wave not in check.waves:
            check.report(
                (*path, "waves", index),
                f"unknown wave {wave!r} (declared: {listing(check.waves)})",
            )
        elif wave in waves:
            check.report((*path, "waves", index), f"wave {wave!r} is listed twice")
        waves.add(wave)
    if question.get("profile") is True and waves != set(check.waves):
        check.report(
            (*path, "waves"),
            "a profile question belongs to every wave (it is asked in the first wave a "
            "participant answers): leave out waves",
        )
    return waves


def _first_definition(
    check: DocumentCheck, path: DocPath, code: str, question: dict, waves: set
) -> bool:
    """Record the question; report a code defined twice. A pre/post mismatch shows up here."""
    if code not in check.definitions:
        check.definitions[code] = (path, question, waves)
        return True
    first_path, first, first_waves = check.definitions[code]
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
        check.report(
            (*path, "code"),
            f"pre/post mismatch: question {code!r} for wave {listing(sorted(waves))} differs "
            f"in {', '.join(differences)} from its definition for wave "
            f"{listing(sorted(first_waves))} at {where}; an item shared by waves must be "
            "identical: define it once and list its waves",
        )
    elif not differences:
        check.report(
            (*path, "code"),
            f"question {code!r} is defined twice (also at {where}): define it once and "
            "list its waves",
        )
    else:
        check.report((*path, "code"), f"duplicate question code {code!r} (also at {where})")
    return False
