"""The questionnaire as the rest of the code sees it: frozen, validated, language-aware.

Instances are built only by `survey.instruments.loader`, which has checked every reference,
translation and placeholder, so the accessors here index without defensive fallbacks: an
unknown language, group or code raises `KeyError`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from survey.instruments.kinds import QuestionKind

#: `{name}` in a text is filled from the respondent's group forms in the text's language.
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")
#: The longest text: a version is always written out as a workbook, one text to a cell.
MAX_TEXT = 20_000


class FrozenDict(dict):
    """A read-only, hashable dict: still JSON-serialisable and picklable, unlike a mappingproxy."""

    __slots__ = ()

    def _readonly(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("instrument mappings are read-only")

    __setitem__ = __delitem__ = __ior__ = _readonly  # type: ignore[assignment]
    clear = pop = popitem = setdefault = update = _readonly  # type: ignore[assignment]

    def __hash__(self) -> int:  # type: ignore[override]
        return hash(frozenset(self.items()))

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (dict(self),))

    def __repr__(self) -> str:
        return f"FrozenDict({dict.__repr__(self)})"


def frozen(mapping: Mapping[str, Any] | Iterable[tuple[str, Any]] = ()) -> FrozenDict:
    return FrozenDict(mapping)


def fill_placeholders(text: str, forms: Mapping[str, str]) -> str:
    """Replace each `{name}` by `forms[name]`; names without a form are left as written."""
    return PLACEHOLDER.sub(lambda match: forms.get(match.group(1), match.group(0)), text)


@dataclass(frozen=True)
class Option:
    code: int | str
    labels: Mapping[str, str]

    def label(self, language: str) -> str:
        return self.labels[language]


@dataclass(frozen=True)
class Question:
    code: str
    kind: QuestionKind  # registered in survey.instruments.kinds; equal to its code ("scale")
    page: str
    texts: Mapping[str, str]  # raw, with placeholders; see Instrument.question_text
    hints: Mapping[str, str] = field(default_factory=FrozenDict)  # shown under the text; optional
    # Set by the kind (survey.instruments.kinds), each where it applies:
    scale: str | None = None
    options: tuple[Option, ...] = ()  # scale: from the scale; choice, multi, yes_no: the choices
    minimum: int | None = None  # integer: the range; scale: the lowest and highest code
    maximum: int | None = None
    widget: str | None = None  # integer: "thermometer" (a slider) or "number"
    items: tuple[Option, ...] = ()  # ranking: the items to rank, in instrument order
    max_length: int | None = None  # text
    required: bool = False
    # Where "Prefer not to answer" is offered: the instrument's code that stores it.
    non_response_code: int | None = None
    construct: str | None = None
    reversed: bool = False
    waves: tuple[str, ...] = ()
    profile: bool = False  # asked once, stored on the participant

    @property
    def allows_non_response(self) -> bool:
        """Whether it offers "Prefer not to answer"."""
        return self.non_response_code is not None

    def numeric(self) -> bool:
        """Whether the stored value is an integer (a scale code, a number or a rank)."""
        return self.kind.numeric

    @property
    def scored(self) -> bool:
        """Whether its answers are numbers a score or a statistic can use (scale, integer)."""
        return self.kind.scored

    @property
    def free_text(self) -> bool:
        """Whether its answers are written text (shown to staff only, who code them into themes)."""
        return self.kind.free_text

    def text(self, language: str) -> str:
        """The raw text in `language`, placeholders unfilled."""
        return self.texts[language]

    def hint(self, language: str) -> str:
        """The raw hint in `language` ("" when the question has none), placeholders unfilled."""
        return self.hints.get(language, "")

    def option(self, code: int | str) -> Option:
        for option in self.options:
            if option.code == code:
                return option
        raise KeyError(code)

    def item(self, code: str) -> Option:
        for item in self.items:
            if item.code == code:
                return item
        raise KeyError(code)


@dataclass(frozen=True)
class Page:
    code: str
    titles: Mapping[str, str]
    intros: Mapping[str, str]  # empty when the page has no introduction
    questions: tuple[Question, ...]

    def title(self, language: str, forms: Mapping[str, str] | None = None) -> str:
        return fill_placeholders(self.titles[language], forms or {})

    def intro(self, language: str, forms: Mapping[str, str] | None = None) -> str:
        if not self.intros:
            return ""
        return fill_placeholders(self.intros[language], forms or {})


@dataclass(frozen=True)
class GroupDef:
    code: str
    # language -> form name -> text: "name" (the group's own label), "own", "other",
    # "own_public", plus whatever grammatical forms a language needs ("of_other": "du Pakistan").
    forms: Mapping[str, Mapping[str, str]]
    # language -> how sentences about results name the group: "participants" (its respondents,
    # "Pakistani participants") and "name" (the group in running text, "le Pakistan"); optional.
    sentence_forms: Mapping[str, Mapping[str, str]] = field(default_factory=FrozenDict)

    def name(self, language: str) -> str:
        return self.forms[language]["name"]

    def participants(self, language: str) -> str | None:
        """Its respondents as sentences name them, when the instrument says so."""
        return self.sentence_forms.get(language, {}).get("participants")

    def sentence_name(self, language: str) -> str:
        """The group as sentences name it: the declared sentence form, else its name."""
        return self.sentence_forms.get(language, {}).get("name") or self.name(language)


@dataclass(frozen=True)
class ScoreDef:
    name: str
    items: tuple[str, ...]
    reversed: frozenset[str]  # items scored as scale_min + scale_max - value
    min_answered: int
    scale_min: int
    scale_max: int
    titles: Mapping[str, str] = field(default_factory=FrozenDict)
    # language -> how the score reads inside a sentence ("trust in {other}"), placeholders
    # filled from the forms of the group whose answers it summarises; optional.
    phrases: Mapping[str, str] = field(default_factory=FrozenDict)

    def title(self, language: str) -> str:
        return self.titles.get(language, self.name)

    def phrase(self, language: str) -> str | None:
        """How the score reads in a sentence in `language`, when the instrument says so."""
        return self.phrases.get(language)


@dataclass(frozen=True)
class Consent:
    version: str
    texts: Mapping[str, str]
    agree_labels: Mapping[str, str]
    privacy_texts: Mapping[str, str]  # what is stored, who sees it, how long, whom to contact
    titles: Mapping[str, str] = field(default_factory=FrozenDict)
    privacy_titles: Mapping[str, str] = field(default_factory=FrozenDict)

    def text(self, language: str) -> str:
        return self.texts[language]

    def agree(self, language: str) -> str:
        return self.agree_labels[language]

    def privacy(self, language: str) -> str:
        return self.privacy_texts[language]

    def title(self, language: str) -> str:
        return self.titles[language]

    def privacy_title(self, language: str) -> str:
        return self.privacy_titles[language]


@dataclass(frozen=True)
class Instrument:
    key: str
    version_label: str
    titles: Mapping[str, str]
    languages: tuple[str, ...]  # the first is the default
    rtl_languages: frozenset[str]
    groups: tuple[GroupDef, ...]
    waves: tuple[str, ...]
    pages: tuple[Page, ...]  # the question pages only; consent and review are implicit
    consent: Consent
    non_response_code: int
    scores: Mapping[str, ScoreDef]  # in the file's order; empty when none is declared
    # The analysis roles (docs/instrument-format.md, "Analysis"), None when not declared.
    perception: tuple[str, str] | None  # (meta item, direct item)
    ranking_question: str | None
    alpha_score: str | None
    metadata: Mapping[str, Any] = field(hash=False)  # free-form, incl. translation review status
    # The parsed document, JSON-serialisable, for the database; never mutate it.
    definition: dict = field(compare=False, hash=False, repr=False)
    checksum: str  # sha256 of the canonical JSON of `definition`
    wave_titles: Mapping[str, Mapping[str, str]] = field(default_factory=FrozenDict)
    non_response_labels: Mapping[str, str] = field(default_factory=FrozenDict)
    review: Page | None = None  # the review-and-submit page: titles and intro, no questions
    # language -> placeholder forms for a text shown about both groups at once ("the other
    # side"); optional.
    neutral_forms: Mapping[str, Mapping[str, str]] = field(default_factory=FrozenDict)
    _by_code: Mapping[str, Question] = field(init=False, repr=False, compare=False, hash=False)
    _wave_pages: Mapping[str, tuple[Page, ...]] = field(
        init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        by_code = frozen((q.code, q) for page in self.pages for q in page.questions)
        wave_pages = {}
        for wave in self.waves:
            filtered = (
                dataclasses.replace(
                    page, questions=tuple(q for q in page.questions if wave in q.waves)
                )
                for page in self.pages
            )
            wave_pages[wave] = tuple(page for page in filtered if page.questions)
        # Frozen dataclass: derived indexes are set once here, through object.__setattr__.
        object.__setattr__(self, "_by_code", by_code)
        object.__setattr__(self, "_wave_pages", frozen(wave_pages))

    @property
    def default_language(self) -> str:
        return self.languages[0]

    @property
    def questions(self) -> tuple[Question, ...]:
        """Every question, in instrument order."""
        return tuple(self._by_code.values())

    @property
    def profile_questions(self) -> tuple[Question, ...]:
        return tuple(q for q in self._by_code.values() if q.profile)

    def question(self, code: str) -> Question:
        return self._by_code[code]

    def questions_for_wave(self, wave: str) -> tuple[Question, ...]:
        return tuple(q for page in self.pages_for_wave(wave) for q in page.questions)

    def pages_for_wave(self, wave: str) -> tuple[Page, ...]:
        """The question pages with only the wave's questions; pages left empty are dropped."""
        try:
            return self._wave_pages[wave]
        except KeyError:
            raise KeyError(f"instrument {self.key!r} has no wave {wave!r}") from None

    def group(self, code: str) -> GroupDef:
        for group in self.groups:
            if group.code == code:
                return group
        raise KeyError(f"instrument {self.key!r} has no group {code!r}")

    def forms(self, language: str, group: str) -> Mapping[str, str]:
        """The placeholder values for a respondent of `group` reading `language`."""
        return self.group(group).forms[language]

    def fill(self, text: str, language: str, group: str) -> str:
        return fill_placeholders(text, self.forms(language, group))

    def question_text(self, question: Question | str, language: str, group: str) -> str:
        if isinstance(question, str):
            question = self.question(question)
        return self.fill(question.texts[language], language, group)

    def title(self, language: str) -> str:
        return self.titles[language]

    def neutral(self, language: str) -> Mapping[str, str]:
        """The placeholder forms for a text about both groups at once (may be empty)."""
        return self.neutral_forms.get(language, FrozenDict())

    def wave_title(self, wave: str, language: str) -> str:
        return self.wave_titles[wave][language]

    def non_response_label(self, language: str) -> str:
        return self.non_response_labels[language]

    def is_rtl(self, language: str) -> bool:
        return language in self.rtl_languages

    def page(self, code: str) -> Page:
        """A question page, or the review page, by code."""
        for page in self.pages:
            if page.code == code:
                return page
        if self.review is not None and code == self.review.code:
            return self.review
        raise KeyError(f"instrument {self.key!r} has no page {code!r}")
