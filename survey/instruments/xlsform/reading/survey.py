"""The survey sheet: its rows, the pages they open and close, and the questions on them, each
of the kind its type (or its `kind` column) names (docs/instrument-format.md, "XLSForm")."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from survey.instruments.kinds import QuestionKind, kind_named, question_kinds
from survey.instruments.kinds.values import DocPath
from survey.instruments.problems import listing
from survey.instruments.xlsform.sheets import (
    BEGIN_GROUP,
    COLUMNS,
    END_GROUP,
    QUESTION_COLUMNS,
    QUESTION_FLAGS,
    SURVEY,
)
from survey.instruments.xlsform.workbook import Place, Row

if TYPE_CHECKING:
    from survey.instruments.xlsform.reading.document import WorkbookReading


class SurveyRow:
    """A survey row as the kinds read it (kinds.collaborators.SurveyRow): its type split in two, and
    cells read as text, yes/no or whole numbers, reporting a cell that is neither."""

    def __init__(self, row: Row, reading: WorkbookReading) -> None:
        self.row = row
        self.reading = reading
        words = (row.text("type") or "").split()
        self.type = " ".join(words[:2]).lower() if _is_group(words) else (words or [""])[0]
        self.list_name = words[1] if len(words) > 1 and not _is_group(words) else None
        self.extra_words = words[2:] if not _is_group(words) else []
        self.appearance = frozenset((row.text("appearance") or "").lower().split())

    def text(self, column: str) -> str | None:
        """The cell as text, None when empty."""
        return self.row.text(column)

    def flag(self, column: str) -> bool | None:
        """The cell as yes/no, None when empty or unreadable (reported)."""
        return self.reading.flag(self.row, column)

    def integer(self, column: str) -> int | None:
        """The cell as a whole number, None when empty or unreadable (reported)."""
        return self.reading.integer(self.row, column)

    def place(self, column: str | None = None) -> Place:
        """This row, and the column where one is named."""
        return self.row.place(column)


def _is_group(words: list[str]) -> bool:
    joined = " ".join(words[:2]).lower().replace("_", " ")
    return joined in (BEGIN_GROUP, END_GROUP)


def read_pages(reading: WorkbookReading) -> list[dict]:
    """The pages of the survey sheet (begin group … end group) with their questions."""
    sheet = reading.sheets.get(SURVEY)
    if sheet is None:
        return []
    if not sheet.has("type") or not sheet.has("name"):
        reading.report(sheet.place(), "the survey sheet needs the columns type and name")
        reading.unreadable = True
        return []
    pages: list[dict] = []
    page: dict | None = None
    opened: Row | None = None
    for row in sheet.rows:
        survey_row = SurveyRow(row, reading)
        if row.text("type") is None:
            reading.report(row.place("type"), "missing type")
            continue
        if survey_row.type == BEGIN_GROUP:
            if page is not None:
                reading.report(
                    row.place("type"),
                    f"groups cannot be nested: each page is one group (the group on row "
                    f"{opened.number} is not ended)",
                )
                continue
            page, opened = _page(reading, row, len(pages)), row
            pages.append(page)
        elif survey_row.type == END_GROUP:
            if page is None:
                reading.report(row.place("type"), "end group without a begin group")
            page = None
        elif page is None:
            reading.report(
                row.place("type"),
                "a question stands on a page: put it between begin group and end group",
            )
        else:
            path = ("pages", len(pages) - 1, "questions", len(page["questions"]))
            page["questions"].append(_question(reading, survey_row, path))
    if page is not None:
        reading.report(opened.place("type"), "begin group without an end group")
    return pages


def _page(reading: WorkbookReading, row: Row, index: int) -> dict:
    path: DocPath = ("pages", index)
    reading.places[path] = row.place()
    reading.places[(*path, "code")] = row.place("name")
    reading.places[(*path, "questions")] = row.place("type")
    page: dict[str, Any] = {"code": row.text("name")}
    titles = reading.translated(row, "label", (*path, "titles"))
    page["titles"] = titles or {}
    if titles is None:
        reading.places[(*path, "titles")] = row.place()
    intros = reading.translated(row, "hint", (*path, "intros"))
    if intros is not None:
        page["intros"] = intros
    for column in set(row.cells) - {"type", "name", "appearance"}:
        if column.partition("::")[0] not in ("label", "hint"):
            reading.report(row.place(column), f"the column {column!r} does not apply to a group")
    page["questions"] = []
    return page


def _question(reading: WorkbookReading, row: SurveyRow, path: DocPath) -> dict:
    reading.places[path] = row.place()
    reading.places[(*path, "code")] = row.place("name")
    reading.places[(*path, "kind")] = row.place("type")
    kind = _kind(reading, row)
    question: dict[str, Any] = {"code": row.text("name")}
    question["kind"] = kind.code if kind else row.type
    question["texts"] = reading.translated(row.row, "label", (*path, "texts")) or {}
    if "texts" not in question or not question["texts"]:
        reading.places[(*path, "texts")] = row.place()
    hints = reading.translated(row.row, "hint", (*path, "hints"))
    if hints is not None:
        question["hints"] = hints
    for column in QUESTION_FLAGS:
        if (flag := row.flag(column)) is not None:
            question[column] = flag
            reading.places[(*path, column)] = row.place(column)
    if (waves := row.text("waves")) is not None:
        question["waves"] = waves.split()
        for index in range(len(question["waves"])):
            reading.places[(*path, "waves", index)] = row.place("waves")
        reading.places[(*path, "waves")] = row.place("waves")
    if kind is None:
        return question
    reading.question_path = path
    keys = kind.from_xlsform_row(row, reading)
    for key in keys:
        reading.places.setdefault(
            (*path, key), row.place(key if row.row.sheet.has(key) else "type")
        )
    question |= keys
    for column in sorted(set(row.row.cells) & set(COLUMNS[SURVEY])):
        if column in (*QUESTION_COLUMNS, *QUESTION_FLAGS, "parameters") or column in kind.keys:
            continue
        reading.report(
            row.place(column), f"the column {column!r} does not apply to a {kind} question"
        )
    _check_constraint(reading, row, kind, question)
    return question


def _kind(reading: WorkbookReading, row: SurveyRow) -> QuestionKind | None:
    """The kind of a question row: named in its `kind` column, else the most specific kind
    of its type."""
    named = row.text("kind")
    if named is not None:
        try:
            kind = kind_named(named)
        except KeyError:
            reading.report(
                row.place("kind"),
                f"unknown question kind {named!r} "
                f"(expected: {listing(k.code for k in question_kinds())})",
            )
            return None
        if row.type not in kind.xlsform_types:
            reading.report(
                row.place("kind"),
                f"a {kind} question is written with type {listing(kind.xlsform_types)}",
            )
            return None
        return kind
    kind = infer_kind(row, reading)
    if kind is None:
        reading.report(
            row.place("type"),
            f"unknown type {row.row.text('type')!r} (supported: begin group, end group, "
            f"{listing(supported_types())})",
        )
    elif row.extra_words:
        reading.report(row.place("type"), f"{' '.join(row.extra_words)!r} is not supported")
    return kind


def _check_constraint(
    reading: WorkbookReading, row: SurveyRow, kind: QuestionKind, question: dict
) -> None:
    """A constraint is written for ODK from the question's own keys; any other would be
    lost, so it is refused."""
    written = row.text("constraint")
    if written is None:
        return
    try:
        expected = kind.to_xlsform_row(question, _ConstraintWriting(reading)).get("constraint")
    except (KeyError, TypeError, ValueError):
        return  # the question itself is broken: that is reported
    if expected is None or " ".join(written.split()) != " ".join(expected.split()):
        reading.report(
            row.place("constraint"),
            f"the constraint {written!r} is not supported"
            + (f" (this question's is {expected!r})" if expected else "")
            + ": give minimum and maximum, or max_length",
        )


class _ConstraintWriting:
    """What `to_xlsform_row` needs to tell the constraint it writes for a question read."""

    def __init__(self, reading: WorkbookReading) -> None:
        self.reading = reading
        self.non_response_code = reading.non_response_code

    def choice_list(self, code: str, options: Iterable[dict]) -> str:
        return code

    def scale(self, name: str | None) -> Mapping[str, Any]:
        return self.reading.scale(name)


def infer_kind(row: Any, reading: Any) -> QuestionKind | None:
    """The most specific kind whose type the row has (None: none has)."""
    ranked = [
        (kind.xlsform_match(row, reading), index, kind)
        for index, kind in enumerate(question_kinds())
    ]
    score, _, kind = max(ranked, key=lambda entry: (entry[0], -entry[1]))
    return kind if score > 0 else None


def supported_types() -> list[str]:
    """The question types of the registered kinds, selects with their LIST."""
    types = dict.fromkeys(
        f"{t} LIST" if t.startswith(("select", "rank")) else t
        for kind in question_kinds()
        for t in kind.xlsform_types
    )
    return list(types)
