"""Validating what a document says about scores and analysis roles, once its questions are
known: score items exist and are scored questions on one range, the perception, ranking and
alpha roles point at questions and scores of the right kind."""

from __future__ import annotations

from typing import TYPE_CHECKING

from survey.instruments.kinds.values import DocPath
from survey.instruments.reading import as_dict, as_list, is_int
from survey.text import quantity

if TYPE_CHECKING:
    from survey.instruments.validation import DocumentCheck


def check_scores(check: DocumentCheck, doc: dict) -> None:
    """Each score: a construct or items, of scored questions sharing one range."""
    for name, score in as_dict(doc.get("scores")).items():
        if not isinstance(score, dict):
            continue
        path: DocPath = ("scores", name)
        check.texts((*path, "titles"), score.get("titles"))
        # How the score reads in a sentence; a language without it falls back to the title.
        check.texts((*path, "phrases"), score.get("phrases"), complete=False)
        construct, items = score.get("construct"), score.get("items")
        if construct is not None and items is not None:
            check.report(path, "give either a construct or items, not both")
            continue
        if construct is not None:
            items = check.construct_items(construct)
            if not items:
                if check.pages_readable:
                    check.report((*path, "construct"), f"no question has construct {construct!r}")
                continue
        elif items is None:
            check.report(path, "a score needs a construct or items")
            continue
        ranges = set()
        for index, item in enumerate(as_list(items)):
            item_path = (*path, "items", index) if construct is None else path
            question = check.questions.get(item)
            if question is None:
                if item not in check.definitions and check.pages_readable:
                    check.report(item_path, f"unknown question {item!r}")
            elif not question.kind.scored:
                check.report(
                    item_path,
                    f"score item {item!r} is a {question.kind} question; score items "
                    "are scale or integer questions",
                )
            elif question.span.low is not None:
                ranges.add((question.span.low, question.span.high))
        if len(ranges) > 1:
            spans = ", ".join(f"{low}..{high}" for low, high in sorted(ranges))
            check.report(path, f"the score's items use different ranges ({spans})")
        answered = score.get("min_answered")
        if is_int(answered) and isinstance(items, list) and answered > len(items):
            exceeded = f"exceeds the score's {quantity(len(items), 'item')}"
            check.report((*path, "min_answered"), exceeded)


def check_analysis(check: DocumentCheck, doc: dict) -> None:
    """The perception pair on one labelled scale, the ranking question, the alpha score."""
    if not check.pages_readable:
        return
    analysis = as_dict(doc.get("analysis"))
    perception = as_dict(analysis.get("perception"))
    scales = set()
    for role in ("meta", "direct"):
        code = perception.get(role)
        if code is None:
            continue
        question = check.questions.get(code)
        path = ("analysis", "perception", role)
        if question is None:
            check.report(path, f"unknown question {code!r}")
        elif not question.kind.labelled_scale:
            check.report(path, f"{code!r} is not a scale question")
        elif question.span.scale:
            scales.add(question.span.scale)
    if len(scales) > 1:
        check.report(("analysis", "perception"), "meta and direct items use different scales")
    ranking = analysis.get("ranking")
    if ranking is not None:
        question = check.questions.get(ranking)
        if question is None:
            check.report(("analysis", "ranking"), f"unknown question {ranking!r}")
        elif not question.kind.ranking:
            check.report(("analysis", "ranking"), f"{ranking!r} is not a ranking question")
    alpha = analysis.get("alpha")
    scores = as_dict(doc.get("scores"))
    if alpha is not None and alpha not in scores:
        check.report(("analysis", "alpha"), f"unknown score {alpha!r}")
    elif alpha is not None:
        score = as_dict(scores[alpha])
        items = score.get("items") or check.construct_items(score.get("construct"))
        if len(items) < 2:
            check.report(("analysis", "alpha"), f"score {alpha!r} needs at least 2 items")
