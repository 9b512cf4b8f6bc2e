"""The printable paper questionnaire of a wave: what each question shows and which codes to type."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from survey.instruments import Instrument, Question, QuestionKind
from survey.models import Wave


@dataclass(frozen=True)
class PaperChoice:
    code: str
    label: str


@dataclass(frozen=True)
class PaperQuestion:
    code: str  # the variable code to type into the `question` column
    kind: str
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


def _hint(instrument: Instrument, question: Question, language: str) -> str:
    non_response = (
        f"; {instrument.non_response_code} = {instrument.non_response_label(language)}"
        if question.allows_non_response
        else ""
    )
    if question.kind is QuestionKind.RANKING:
        return _(
            "Write a different rank from 1 to %(count)d beside every item (1 = first).",
            count=len(question.items),
        )
    if question.kind is QuestionKind.INTEGER:
        return (
            _(
                "A whole number from %(low)d to %(high)d",
                low=question.minimum,
                high=question.maximum,
            )
            + non_response
        )
    if question.kind is QuestionKind.TEXT:
        if question.max_length:
            return _("At most %(count)d characters.", count=question.max_length)
        return ""
    if question.kind is QuestionKind.MULTI:
        return _("Tick every answer that applies.")
    return _("Tick one answer.")


def _question(
    instrument: Instrument, question: Question, language: str, group: str
) -> PaperQuestion:
    options = question.items if question.kind is QuestionKind.RANKING else question.options
    choices = [PaperChoice(str(option.code), option.label(language)) for option in options]
    if question.allows_non_response and question.kind is QuestionKind.SCALE:
        choices.append(
            PaperChoice(str(instrument.non_response_code), instrument.non_response_label(language))
        )
    return PaperQuestion(
        code=question.code,
        kind=question.kind.value,
        text=instrument.question_text(question, language, group),
        choices=tuple(choices),
        hint=_hint(instrument, question, language),
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
