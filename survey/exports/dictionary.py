"""The wide file's columns as statistics packages declare them: the data dictionary that the
SPSS, Stata and R syntax files apply (docs/exports.md, "SPSS, Stata and R").

Each column has a variable label (its question's text, a ranking's item, a score's title), its
storage (number or text), its measurement level and, for coded answers, its value labels, and
the non-response code where the question offers it. What depends on the kind of question comes
from the kind (`measurement`, `value_labels`, `value_width`).
"""

from __future__ import annotations

from dataclasses import dataclass

from survey.exports.spec import SECTOR_QUESTION, ExportSpec, question_or_none
from survey.exports.wide import Variable, wide_variables
from survey.text import one_line

#: The most characters of a pseudonymous participant id (models.Participant.public_id).
PUBLIC_ID_WIDTH = 32
#: Decimals shown for a score (the file itself keeps full precision).
SCORE_DECIMALS = 2

ValueLabels = tuple[tuple[int | str, str], ...]


@dataclass(frozen=True)
class DeclaredVariable:
    """A column of the wide file, as a statistics package should know it."""

    name: str
    text: str  # the question's text or the score's title: what a short label cuts
    numeric: bool
    level: str  # "nominal", "ordinal" or "scale"
    width: int = 0  # the most characters of a text value
    decimals: int = 0
    value_labels: ValueLabels = ()
    missing: int | None = None  # the non-response code, where it is offered
    missing_label: str = ""
    detail: str = ""  # a ranking's item and the wave: what tells the columns apart

    @property
    def label(self) -> str:
        """The variable label: the text, then the detail."""
        return one_line(f"{self.text}{self.detail}")

    def label_within(self, limit: int, *, unit: str = "bytes") -> str:
        """The variable label in at most `limit` bytes (or characters): the text is cut, with
        an ellipsis, so that the detail that tells the columns apart stays."""
        label = self.label
        if _size(label, unit) <= limit:
            return label
        detail = one_line(self.detail)
        room = limit - _size(" …" + detail, unit)
        if room <= 0:
            return clipped(label, limit, unit=unit)
        return clipped(one_line(self.text), room, unit=unit).rstrip() + "… " + detail

    @property
    def coded(self) -> bool:
        """Whether the values are codes with labels."""
        return bool(self.value_labels)


def declared_variables(spec: ExportSpec) -> list[DeclaredVariable]:
    """Every column of the wide file (codes, not labels), in its order, with labels in the
    export's language."""
    language = spec.language
    instrument = spec.instrument
    sector = question_or_none(instrument, SECTOR_QUESTION)
    groups = tuple((code, instrument.group(code).name(language)) for code in spec.groups)
    sectors = sector.kind.value_labels(sector, language) if sector else ()
    columns = [
        DeclaredVariable("participant", "Participant (pseudonymous id)", False, "nominal",
                         width=PUBLIC_ID_WIDTH),
        DeclaredVariable("group", "Group", False, "nominal", width=_widest(groups),
                         value_labels=groups),
        DeclaredVariable("sector", "Sector", False, "nominal", width=_widest(sectors),
                         value_labels=sectors),
    ]  # fmt: skip
    return columns + [_declared(variable, language) for variable in wide_variables(spec)]


def _declared(variable: Variable, language: str) -> DeclaredVariable:
    if variable.score is not None:
        return DeclaredVariable(
            variable.name,
            variable.score.title(language),
            detail=f" ({variable.wave.code})",
            numeric=True,
            level="scale",
            decimals=SCORE_DECIMALS,
        )
    question = variable.question
    kind = question.kind
    instrument = variable.wave.version.instrument
    suffix = kind.codebook_cells(question, variable.item, language).get("suffix", "")
    offered = question.allows_non_response
    return DeclaredVariable(
        variable.name,
        question.text(language),
        detail=f"{suffix} ({variable.wave.code})",
        numeric=question.numeric(),
        level=kind.measurement,
        width=0 if question.numeric() else kind.value_width(question),
        value_labels=kind.value_labels(question, language),
        missing=question.non_response_code if offered else None,
        missing_label=instrument.non_response_label(language) if offered else "",
    )


def _widest(labels: ValueLabels) -> int:
    return max((len(str(code)) for code, _label in labels), default=1)


def _size(text: str, unit: str) -> int:
    return len(text) if unit == "characters" else len(text.encode("utf-8"))


def clipped(text: str, limit: int, *, unit: str = "bytes") -> str:
    """The text cut to at most `limit` UTF-8 bytes (or characters), never inside a character."""
    if unit == "characters":
        return text[:limit]
    data = text.encode("utf-8")[:limit]
    return data.decode("utf-8", errors="ignore")
