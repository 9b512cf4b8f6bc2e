"""The printable paper questionnaire of a wave: what each question shows and which codes to type."""

from __future__ import annotations

from dataclasses import dataclass

from survey.instruments import Instrument, Question
from survey.models import Wave


@dataclass(frozen=True)
class PaperChoice:
    code: str
    label: str


@dataclass(frozen=True)
class PaperQuestion:
    code: str  # the variable code to type into the `question` column
    kind: str
    layout: str  # how the answer is written: "options", "ranking", "number" or "lines"
    text: str
    choices: tuple[PaperChoice, ...]  # options (with -9 where offered), or ranking items
    hint: str
    profile: bool


@dataclass(frozen=True)
class PaperPage:
    title: str
    intro: str
    questions: tuple[PaperQuestion, ...]


@dataclass(frozen=True)
class PaperQuestionnaire:
    title: str
    wave: str
    wave_title: str
    group: str
    group_name: str
    language: str
    rtl: bool
    version: str  # the `instrument_version` to type in
    consent_title: str
    consent: str
    consent_agree: str
    pages: tuple[PaperPage, ...]


def _question(
    instrument: Instrument, question: Question, language: str, group: str
) -> PaperQuestion:
    non_response = None
    if question.allows_non_response:
        non_response = (str(question.non_response_code), instrument.non_response_label(language))
    hint_end = f"; {non_response[0]} = {non_response[1]}" if non_response else ""
    kind = question.kind
    return PaperQuestion(
        code=question.code,
        kind=kind.code,
        layout=kind.paper_layout,
        text=instrument.question_text(question, language, group),
        choices=tuple(
            PaperChoice(code, label)
            for code, label in kind.paper_choices(question, language, non_response)
        ),
        hint=kind.paper_hint(question, hint_end),
        profile=question.profile,
    )


def paper_questionnaire(wave: Wave, group: str, language: str) -> PaperQuestionnaire:
    """The wave's questionnaire for a participant of `group` reading `language`.

    Raises KeyError for a group or language the instrument does not have.
    """
    instrument = wave.instrument_version.instrument
    if language not in instrument.languages:
        raise KeyError(language)
    forms = instrument.forms(language, group)
    pages = tuple(
        PaperPage(
            title=page.title(language, forms),
            intro=page.intro(language, forms),
            questions=tuple(_question(instrument, q, language, group) for q in page.questions),
        )
        for page in instrument.pages_for_wave(wave.code)
    )
    return PaperQuestionnaire(
        title=instrument.title(language),
        wave=wave.code,
        wave_title=instrument.wave_title(wave.code, language),
        group=group,
        group_name=instrument.group(group).name(language),
        language=language,
        rtl=instrument.is_rtl(language),
        version=wave.instrument_version.label,
        consent_title=instrument.consent.title(language),
        consent=instrument.fill(instrument.consent.text(language), language, group),
        consent_agree=instrument.consent.agree(language),
        pages=pages,
    )
