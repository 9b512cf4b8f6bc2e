"""Free text up to a maximum length: written, not chosen from codes (staff code it into themes)."""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, Any

from flask_babel import gettext as _

from survey.instruments.kinds.base import QuestionKind, row_keys
from survey.instruments.kinds.collaborators import (
    AskedField,
    Building,
    DefinitionCheck,
    Opinions,
    SurveyRow,
    XlsFormReading,
    XlsFormWriting,
)
from survey.instruments.kinds.values import DocPath, Row, Span, Value

if TYPE_CHECKING:
    from survey.instruments.model import Question

#: The XLSForm constraint that limits a text's length, as ODK checks it.
_LENGTH_CONSTRAINT = re.compile(r"string-length\(\s*\.\s*\)\s*<=\s*([0-9]{1,9})")


#: The width declared for free text without a limit: SPSS's longest string, in characters.
UNBOUNDED_TEXT = 32767


class TextKind(QuestionKind):
    """Free text with a visible limit; line breaks count as one character, as browsers count
    them for `maxlength` even though they post them as CR LF."""

    code = "text"
    free_text = True
    macro = "text_question"
    paper_layout = "lines"
    keys = {"max_length": {"type": "integer", "minimum": 1}}

    def check_definition(self, check: DefinitionCheck, path: DocPath, question: dict) -> Span:
        if "max_length" not in question:
            check.report(path, f"a {self} question needs max_length")
        return Span()

    def build(self, entry: dict, building: Building) -> dict[str, Any]:
        return {"max_length": entry.get("max_length")}

    xlsform_types = ("text",)

    def from_xlsform_row(self, row: SurveyRow, reading: XlsFormReading) -> dict[str, Any]:
        keys = row_keys(row, integers=("max_length",))
        # Written for ODK only, the limit may stand in the constraint alone.
        limit = _LENGTH_CONSTRAINT.fullmatch(row.text("constraint") or "")
        if "max_length" not in keys and limit:
            keys["max_length"] = int(limit.group(1))
        return keys

    def to_xlsform_row(self, entry: dict, writing: XlsFormWriting) -> dict[str, Any]:
        limit = entry["max_length"]
        return {
            "type": "text",
            "appearance": "multiline",
            "constraint": f"string-length(.) <= {limit}",
            "max_length": limit,
        }

    def check_value(self, question: Question, item: str, value: Value) -> str | None:
        problem = self.check_item(question, item)
        if problem is not None:
            return problem
        if not value or not isinstance(value, str):
            return f"{question.code} is empty: leave out unanswered items"
        if "\x00" in value:
            return f"{question.code} contains a NUL character, which cannot be stored"
        if question.max_length and len(value) > question.max_length:
            return f"{question.code} has {len(value)} characters; at most {question.max_length}"
        return None

    def parse(self, field: AskedField, raw: str) -> str | None:
        question = field.question
        text = raw.replace("\r\n", "\n").replace("\r", "\n")
        # Control characters (a NUL would even be refused by PostgreSQL) are never typed.
        text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
        text = text.strip()
        if not text:
            return None
        if self.check_value(question, "", text) is not None:  # only its length can be wrong
            raise ValueError(
                _(
                    "Shorten your answer to %(limit)d characters (it has %(length)d).",
                    limit=question.max_length,
                    length=len(text),
                )
            )
        return text

    def describe(self, handler: Any, data: Any) -> list[str]:
        return [] if data is None else [data]

    def codebook_notes(self, question: Question) -> list[str]:
        if question.max_length:
            return [f"Free text, at most {question.max_length} characters."]
        return []

    def package_constraints(self, question: Question, labels: list[str] | None) -> dict:
        return {"maxLength": question.max_length} if question.max_length else {}

    def value_width(self, question: Question) -> int:
        return question.max_length or UNBOUNDED_TEXT

    def paper_hint(self, question: Question, non_response: str) -> str:
        if question.max_length:
            return _("At most %(count)d characters.", count=question.max_length)
        return ""

    def synthetic_rows(self, question: Question, opinions: Opinions) -> list[Row]:
        text = opinions.text(question)
        if question.max_length:
            text = text[: question.max_length]
        return [("", None, text)]
