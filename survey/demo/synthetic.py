"""Realistic synthetic participants and answers, drawn from an instrument (demo and benchmarks).

Every synthetic participant has latent traits: a level of trust in the other side that moves
between waves, lasting personal leanings on each item, personal priorities and a profile.
Answers are drawn from those traits, so that the items of the trust construct correlate
(Cronbach's alpha about 0.75–0.8), reversed items are answered reverse-keyed, meta-trust sits
below the trust the other side actually gives (the perception gap), and the two sides rank the
priorities differently and converge a little after the workshop.

The traits say what a person thinks (`Respondent`); each question's kind turns that into an
answer of its own shape (survey.instruments.kinds). Nothing here touches the database or the
clock: the same seed gives the same participants. Questions the side profiles do not know are
still answered, from their kind and range, so any valid instrument can be filled.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

from survey.demo.corpus import synthetic_text
from survey.demo.sides import (
    CHANGE_SD,
    DEFAULT_LOADING,
    DEFAULT_TEXT_SHARE,
    ITEM_LEANING_SD,
    ITEM_LOADINGS,
    ITEM_NOISE_SD,
    NEUTRAL_PROFILE,
    NON_RESPONSE_SHARE,
    PRIORITY_CONVERGENCE,
    PRIORITY_TASTE_SD,
    RANKING_SKIP_SHARE,
    SENSITIVE_ITEMS,
    SENSITIVE_NON_RESPONSE_SHARE,
    SIDE_PROFILES,
    SINGLE_ITEM_NOISE_SD,
    SKIP_SHARE,
    TEXT_SHARE,
    TRUST_ITEM_OFFSETS,
    TRUST_SD,
    SideProfile,
)
from survey.instruments import Instrument, Page, Question


class SyntheticAnswer(NamedTuple):
    """One Answer row as the participant side stores it: a number XOR a text."""

    question: str
    item: str  # "" except for ranking items
    number: int | None
    text: str | None


@dataclass(frozen=True)
class Persona:
    """One synthetic participant's latent traits; answers in every wave are drawn from them."""

    group: str
    language: str
    trust: float  # latent trust in the first wave
    change: float  # personal change of trust per later wave
    leanings: Mapping[str, float]  # scale or integer item -> lasting offset, in scale points
    tastes: Mapping[str, float]  # ranking item -> lasting personal offset
    profile: Mapping[str, str]  # profile question -> answer code, the same in every wave

    @property
    def sector(self) -> str | None:
        return self.profile.get("sector")


class Synthesizer:
    """Draws personas and their answers for one instrument, reproducibly from a seed."""

    def __init__(
        self,
        instrument: Instrument,
        seed: int = 0,
        profiles: Mapping[str, SideProfile] = SIDE_PROFILES,
    ) -> None:
        self.instrument = instrument
        self.rng = random.Random(seed)
        self.profiles = {g.code: profiles.get(g.code, NEUTRAL_PROFILE) for g in instrument.groups}
        # The analysis roles an instrument declares shape the answers; without one, its items
        # are answered like any other (docs/instrument-format.md, "Analysis").
        alpha = instrument.scores[instrument.alpha_score] if instrument.alpha_score else None
        self.construct = alpha.items if alpha else ()
        self.scale_min, self.scale_max = (alpha.scale_min, alpha.scale_max) if alpha else (1, 5)
        self.meta_item, self.direct_item = instrument.perception or (None, None)
        self.ranking_items = tuple(
            item.code for q in instrument.questions if q.kind.ranking for item in q.items
        )
        # Ranking weights averaged over the sides: where the sides converge to.
        self.shared_priorities = {
            code: sum(p.priorities.get(code, 0.0) for p in self.profiles.values())
            / len(self.profiles)
            for code in self.ranking_items
        }

    # ---- participants

    def persona(self, group: str) -> Persona:
        """A new participant of the group, with a language the instrument offers."""
        rng, side = self.rng, self.profiles[group]
        languages = {
            lang: weight
            for lang, weight in side.languages.items()
            if lang in self.instrument.languages
        } or {self.instrument.default_language: 1.0}
        profile = {}
        for question in self.instrument.profile_questions:
            code = question.kind.synthetic_code(question, Respondent(self, group))
            if code is not None:
                profile[question.code] = code
        return Persona(
            group=group,
            language=_weighted(rng, languages),
            trust=rng.gauss(side.trust, TRUST_SD),
            change=rng.gauss(side.trust_change, CHANGE_SD),
            leanings={
                q.code: rng.gauss(0.0, ITEM_LEANING_SD)
                for q in self.instrument.questions
                if q.scored
            },
            tastes={code: rng.gauss(0.0, PRIORITY_TASTE_SD) for code in self.ranking_items},
            profile=profile,
        )

    # ---- pages and answers

    def pages(self, wave: str, *, with_profile: bool) -> tuple[Page, ...]:
        """The question pages a respondent goes through (no profile page once it is known)."""
        pages = self.instrument.pages_for_wave(wave)
        if with_profile:
            return pages
        return tuple(p for p in pages if not all(q.profile for q in p.questions))

    def stop_page(self, wave: str, *, with_profile: bool) -> str:
        """Where an unfinished response stopped: a question page after the first, or review."""
        codes = [page.code for page in self.pages(wave, with_profile=with_profile)]
        review = self.instrument.review.code if self.instrument.review else "review"
        return self.rng.choice([*codes[1:], review])

    def answers(
        self,
        persona: Persona,
        wave: str,
        *,
        with_profile: bool,
        stop_page: str | None = None,
    ) -> list[SyntheticAnswer]:
        """The persona's answers in the wave, in instrument order; up to stop_page if given."""
        answers: list[SyntheticAnswer] = []
        for page in self.pages(wave, with_profile=with_profile):
            if page.code == stop_page:
                break
            for question in page.questions:
                if question.profile and not with_profile:
                    continue
                answers.extend(self._answer(persona, wave, question))
        return answers

    def _answer(self, persona: Persona, wave: str, question: Question) -> list[SyntheticAnswer]:
        rng, code = self.rng, question.code
        if question.profile:  # asked once; always answered (the roster depends on it)
            value = persona.profile.get(code)
            if value is None:
                return self._free_answer(persona, wave, question)
            return [SyntheticAnswer(code, *question.kind.stored_row("", value))]
        if question.free_text:
            if rng.random() >= TEXT_SHARE.get(code, DEFAULT_TEXT_SHARE):
                return []
        elif not question.required:
            share = RANKING_SKIP_SHARE if question.kind.ranking else SKIP_SHARE
            if rng.random() < share:
                return []
        return self._free_answer(persona, wave, question)

    def _free_answer(
        self, persona: Persona, wave: str, question: Question
    ) -> list[SyntheticAnswer]:
        respondent = Respondent(self, persona.group, persona, wave)
        return [
            SyntheticAnswer(question.code, *row)
            for row in question.kind.synthetic_rows(question, respondent)
        ]

    # ---- latent traits

    def trust_at(self, persona: Persona, wave: str) -> float:
        """The persona's latent trust in the wave."""
        return persona.trust + self.instrument.waves.index(wave) * persona.change

    def side_trust(self, group: str, wave: str) -> float:
        """The mean latent trust of the side in the wave."""
        side = self.profiles[group]
        return side.trust + self.instrument.waves.index(wave) * side.trust_change

    def other_group(self, group: str) -> str:
        """The other side of the dialogue."""
        return next(g.code for g in self.instrument.groups if g.code != group)


class Respondent:
    """What one synthetic person thinks, for the kinds to answer with
    (survey.instruments.kinds.collaborators.Opinions).

    Without a persona (while one is drawn) only the side's views are known.
    """

    def __init__(
        self,
        synth: Synthesizer,
        group: str,
        persona: Persona | None = None,
        wave: str | None = None,
    ) -> None:
        self.synth = synth
        self.rng = synth.rng
        self.side = synth.profiles[group]
        self.persona = persona
        self.wave = wave

    def declines(self, question: Question) -> bool:
        share = (
            SENSITIVE_NON_RESPONSE_SHARE if question.code in SENSITIVE_ITEMS else NON_RESPONSE_SHARE
        )
        return self.rng.random() < share

    def weights(self, question: Question) -> Mapping[str, float]:
        return self.side.choices.get(question.code, {})

    def yes_share(self, question: Question) -> float:
        return self.side.yes_share.get(question.code, 0.5)

    def text(self, question: Question) -> str:
        return synthetic_text(self.rng, question.code, self.persona.language, self.persona.group)

    def importance(self, question: Question) -> Mapping[str, float]:
        side, synth = self.side, self.synth
        steps = synth.instrument.waves.index(self.wave)
        pull = min(steps * PRIORITY_CONVERGENCE, 1.0)
        importance = {}
        for item in question.items:
            own = side.priorities.get(item.code, 0.0)
            shared = synth.shared_priorities.get(item.code, own)
            moved = own + steps * side.priority_changes.get(item.code, 0.0)
            importance[item.code] = (
                moved + pull * (shared - moved) + self.persona.tastes.get(item.code, 0.0)
            )
        return importance

    def level(self, question: Question) -> float:
        if question.widget == "thermometer":
            return self._warmth(question)
        if question.kind.labelled_scale:
            return self._scale_level(question)
        return self.rng.randint(question.minimum, question.maximum)  # no view: any number

    def _scale_level(self, question: Question) -> float:
        rng, synth, code = self.rng, self.synth, question.code
        persona, wave = self.persona, self.wave
        trust = synth.trust_at(persona, wave)
        leaning = persona.leanings.get(code, 0.0)
        if code in synth.construct:
            value = (
                trust + TRUST_ITEM_OFFSETS.get(code, 0.0) + leaning + rng.gauss(0.0, ITEM_NOISE_SD)
            )
            if question.reversed:  # a distrustful person agrees with the accusation
                value = synth.scale_min + synth.scale_max - value
        elif code == synth.direct_item:
            value = trust + rng.gauss(0.0, SINGLE_ITEM_NOISE_SD)
        elif code == synth.meta_item:
            # "How much does the other side trust us?": anchored on what the other side
            # really gives, minus the gap that the dialogue is meant to narrow.
            side = self.side
            steps = synth.instrument.waves.index(wave)
            gap = max(side.meta_gap - steps * side.meta_gap_change, 0.0)
            other = synth.side_trust(synth.other_group(persona.group), wave)
            own_deviation = trust - synth.side_trust(persona.group, wave)
            value = other - gap + 0.4 * own_deviation + leaning + rng.gauss(0.0, 0.5)
        else:
            side = self.side
            steps = synth.instrument.waves.index(wave)
            middle = (question.minimum + question.maximum) / 2
            mean = side.item_means.get(code, middle) + steps * side.item_changes.get(code, 0.0)
            loading = ITEM_LOADINGS.get(code, DEFAULT_LOADING)
            deviation = trust - side.trust  # follows trust, including its change over waves
            value = mean + loading * deviation + leaning + rng.gauss(0.0, SINGLE_ITEM_NOISE_SD)
        return value

    def _warmth(self, question: Question) -> float:
        # Warmth follows trust: the trust scale's middle maps to the thermometer's middle.
        rng, synth = self.rng, self.synth
        low, high = question.minimum, question.maximum
        span = high - low
        width = synth.scale_max - synth.scale_min
        middle = (synth.scale_min + synth.scale_max) / 2
        leaning = self.persona.leanings.get(question.code, 0.0)
        relative = (synth.trust_at(self.persona, self.wave) + leaning - middle) / width
        value = low + span * (0.5 + 0.8 * relative) + rng.gauss(0.0, 0.08 * span)
        if span >= 20 and rng.random() < 0.7:  # people like round numbers on a thermometer
            value = round(value / 5) * 5
        return value


def _weighted(rng: random.Random, weights: Mapping[str, float]) -> str:
    codes = list(weights)
    return rng.choices(codes, weights=[weights[c] for c in codes])[0]
