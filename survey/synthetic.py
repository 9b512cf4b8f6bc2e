"""Realistic synthetic participants and answers, drawn from an instrument (demo and benchmarks).

Every synthetic participant has latent traits: a level of trust in the other side that moves
between waves, lasting personal leanings on each item, personal priorities and a profile.
Answers are drawn from those traits, so that the items of the trust construct correlate
(Cronbach's alpha about 0.75–0.8), reversed items are answered reverse-keyed, meta-trust sits
below the trust the other side actually gives (the perception gap), and the two sides rank the
priorities differently and converge a little after the workshop.

Nothing here touches the database or the clock: the same seed gives the same participants.
Questions the side profiles do not know are still answered, from their kind and range, so any
valid instrument can be filled.
"""

from __future__ import annotations

import math
import random
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import NamedTuple

from survey.instruments import Instrument, Page, Question, QuestionKind
from survey.organise.roster import PUBLIC_ID_ALPHABET, PUBLIC_ID_LENGTH

# Probabilities of the ways people leave an item: "Prefer not to answer" on a scaled item
# (higher for the two accusatory statements) and skipping an optional item altogether.
NON_RESPONSE_SHARE = 0.015
SENSITIVE_NON_RESPONSE_SHARE = 0.04
SENSITIVE_ITEMS = frozenset({"trust_agenda", "trust_exploit"})
SKIP_SHARE = 0.012
RANKING_SKIP_SHARE = 0.02
# Share of respondents who write something in each free-text box.
TEXT_SHARE: Mapping[str, float] = {
    "hope_text": 0.65,
    "takeaway_text": 0.55,
    "view_change_text": 0.45,
}
DEFAULT_TEXT_SHARE = 0.4

# Spread of the latent traits, in scale points. With these, the seven trust statements have an
# inter-item correlation of about 0.3, hence an alpha of 0.75–0.8 (checked by the tests).
TRUST_SD = 0.62
CHANGE_SD = 0.25
ITEM_LEANING_SD = 0.45  # lasting, so answers in pre and post are alike item by item
ITEM_NOISE_SD = 0.72  # of the occasion
SINGLE_ITEM_NOISE_SD = 0.6
# How much of the distance between the two sides' priorities closes per later wave.
PRIORITY_CONVERGENCE = 0.2
PRIORITY_TASTE_SD = 0.55

# Where a trust statement sits relative to the person's trust, after reversing: everyone
# believes the other side wants a stable Afghanistan; few think it shares information openly.
TRUST_ITEM_OFFSETS: Mapping[str, float] = {
    "trust_commitments": -0.15,
    "trust_information": -0.4,
    "trust_concerns": -0.2,
    "trust_afghanistan": 0.55,
    "trust_partner": 0.0,
    "trust_agenda": -0.25,
    "trust_exploit": -0.05,
}
# How strongly other scaled items follow the person's trust (in scale points per point).
ITEM_LOADINGS: Mapping[str, float] = {
    "optimism": 0.6,
    "network_effect": 0.4,
    "expect_understanding": 0.3,
    "eval_interests": 0.25,
    "eval_differences": 0.15,
    "eval_followup": 0.3,
    "eval_overall": 0.25,
    "obstacle_legacy": -0.25,
    "obstacle_threats": -0.3,
    "obstacle_public_opinion": -0.2,
    "obstacle_channels": -0.2,
    "obstacle_regional": -0.3,
}
DEFAULT_LOADING = 0.2


class SyntheticAnswer(NamedTuple):
    """One Answer row as the participant side stores it: a number XOR a text."""

    question: str
    item: str  # "" except for ranking items
    number: int | None
    text: str | None


@dataclass(frozen=True)
class SideProfile:
    """How one side of the dialogue answers; every number is a population mean."""

    trust: float  # latent trust in the other side (1–5) in the first wave
    trust_change: float  # its mean change per later wave
    meta_gap: float  # meta-trust sits this far below the trust the other side really gives
    meta_gap_change: float  # ... and this much less far per later wave
    languages: Mapping[str, float]  # language -> weight
    choices: Mapping[str, Mapping[str, float]]  # profile choice question -> code -> weight
    yes_share: Mapping[str, float]  # yes/no question -> share answering yes
    priorities: Mapping[str, float]  # ranking item -> importance (a log-weight)
    priority_changes: Mapping[str, float]  # ranking item -> change of importance per later wave
    item_means: Mapping[str, float]  # other scaled items -> mean in the first wave
    item_changes: Mapping[str, float] = field(default_factory=dict)  # per later wave


SIDE_PROFILES: Mapping[str, SideProfile] = {
    "nato": SideProfile(
        trust=2.95,
        trust_change=0.2,
        meta_gap=0.45,
        meta_gap_change=0.1,
        languages={"en": 0.7, "fr": 0.3},
        choices={
            "sector": {
                "government": 0.28,
                "military": 0.24,
                "diplomatic": 0.2,
                "international_org": 0.16,
                "academia": 0.1,
                "media": 0.02,
            },
            "experience": {"none": 0.04, "lt2": 0.16, "2to4": 0.3, "5to9": 0.28, "10plus": 0.22},
        },
        yes_share={"prior_dialogue": 0.4},
        priorities={
            "afghan_transition": 1.7,
            "counter_terrorism": 1.5,
            "transit_logistics": 1.2,
            "training_education": 0.6,
            "border_management": 0.5,
            "political_dialogue": 0.3,
            "crisis_communication": 0.3,
            "regional_economy": -0.4,
        },
        # Hearing how 2011–2012 was lived on the other side makes the case for a hotline.
        priority_changes={"crisis_communication": 1.0},
        item_means={
            "obstacle_legacy": 3.5,
            "obstacle_threats": 3.6,
            "obstacle_public_opinion": 2.7,
            "obstacle_channels": 3.2,
            "obstacle_regional": 3.4,
            "optimism": 3.1,
            "network_effect": 4.1,
            "expect_understanding": 3.9,
            "eval_interests": 4.0,
            "eval_differences": 4.2,
            "eval_followup": 4.3,
            "eval_overall": 4.0,
        },
        item_changes={"obstacle_channels": -0.35, "obstacle_legacy": -0.15},
    ),
    "pakistan": SideProfile(
        trust=2.5,
        trust_change=0.5,
        meta_gap=0.7,
        meta_gap_change=0.15,
        languages={"en": 0.55, "ur": 0.45},
        choices={
            "sector": {
                "government": 0.24,
                "military": 0.2,
                "academia": 0.24,
                "media": 0.16,
                "civil_society": 0.14,
                "diplomatic": 0.02,
            },
            "experience": {"none": 0.08, "lt2": 0.14, "2to4": 0.26, "5to9": 0.26, "10plus": 0.26},
        },
        yes_share={"prior_dialogue": 0.3},
        priorities={
            "border_management": 1.5,
            "regional_economy": 1.4,
            "political_dialogue": 1.3,
            "crisis_communication": 1.2,
            "counter_terrorism": 0.6,
            "afghan_transition": 0.5,
            "training_education": -0.1,
            "transit_logistics": -0.5,
        },
        priority_changes={"crisis_communication": 0.3},
        item_means={
            "obstacle_legacy": 4.1,
            "obstacle_threats": 3.7,
            "obstacle_public_opinion": 4.2,
            "obstacle_channels": 3.5,
            "obstacle_regional": 3.8,
            "optimism": 2.8,
            "network_effect": 3.4,
            "expect_understanding": 3.6,
            "eval_interests": 4.2,
            "eval_differences": 4.1,
            "eval_followup": 4.4,
            "eval_overall": 4.1,
        },
        item_changes={"obstacle_channels": -0.4, "obstacle_legacy": -0.2},
    ),
}
# A side the instrument names but no profile describes: middling, and no view of its own.
NEUTRAL_PROFILE = SideProfile(
    trust=3.0,
    trust_change=0.2,
    meta_gap=0.5,
    meta_gap_change=0.1,
    languages={},
    choices={},
    yes_share={},
    priorities={},
    priority_changes={},
    item_means={},
)


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
        alpha = instrument.scores[instrument.alpha_score]
        self.construct = alpha.items
        self.scale_min, self.scale_max = alpha.scale_min, alpha.scale_max
        self.meta_item, self.direct_item = instrument.perception
        ranking = instrument.question(instrument.ranking_question)
        self.ranking_items = tuple(item.code for item in ranking.items)
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
            if question.kind in (QuestionKind.CHOICE, QuestionKind.YES_NO):
                profile[question.code] = self._profile_choice(question, side)
        return Persona(
            group=group,
            language=_weighted(rng, languages),
            trust=rng.gauss(side.trust, TRUST_SD),
            change=rng.gauss(side.trust_change, CHANGE_SD),
            leanings={
                q.code: rng.gauss(0.0, ITEM_LEANING_SD)
                for q in self.instrument.questions
                if q.kind in (QuestionKind.SCALE, QuestionKind.INTEGER)
            },
            tastes={code: rng.gauss(0.0, PRIORITY_TASTE_SD) for code in self.ranking_items},
            profile=profile,
        )

    def _profile_choice(self, question: Question, side: SideProfile) -> str:
        codes = [str(option.code) for option in question.options]
        if question.kind is QuestionKind.YES_NO and "yes" in codes:
            share = side.yes_share.get(question.code, 0.5)
            return "yes" if self.rng.random() < share else "no"
        weights = {c: w for c, w in side.choices.get(question.code, {}).items() if c in codes}
        return _weighted(self.rng, weights or dict.fromkeys(codes, 1.0))

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
            return [SyntheticAnswer(code, "", None, value)]
        if question.kind is QuestionKind.TEXT:
            if rng.random() >= TEXT_SHARE.get(code, DEFAULT_TEXT_SHARE):
                return []
        elif not question.required:
            share = RANKING_SKIP_SHARE if question.kind is QuestionKind.RANKING else SKIP_SHARE
            if rng.random() < share:
                return []
        return self._free_answer(persona, wave, question)

    def _free_answer(
        self, persona: Persona, wave: str, question: Question
    ) -> list[SyntheticAnswer]:
        kind, code = question.kind, question.code
        if kind is QuestionKind.SCALE:
            return [SyntheticAnswer(code, "", self._scale_value(persona, wave, question), None)]
        if kind is QuestionKind.INTEGER:
            return [SyntheticAnswer(code, "", self._integer_value(persona, wave, question), None)]
        if kind is QuestionKind.RANKING:
            ranks = self._ranking(persona, wave, question)
            return [SyntheticAnswer(code, item, rank, None) for item, rank in ranks.items()]
        if kind is QuestionKind.TEXT:
            text = synthetic_text(self.rng, code, persona.language, persona.group)
            if question.max_length:
                text = text[: question.max_length]
            return [SyntheticAnswer(code, "", None, text)]
        if kind in (QuestionKind.CHOICE, QuestionKind.YES_NO):
            side = self.profiles[persona.group]
            return [SyntheticAnswer(code, "", None, self._profile_choice(question, side))]
        # MULTI has no storage convention yet; the shipped instruments do not use it.
        return []

    # ---- values

    def trust_at(self, persona: Persona, wave: str) -> float:
        """The persona's latent trust in the wave."""
        return persona.trust + self.instrument.waves.index(wave) * persona.change

    def _side_trust(self, group: str, wave: str) -> float:
        side = self.profiles[group]
        return side.trust + self.instrument.waves.index(wave) * side.trust_change

    def _other_group(self, group: str) -> str:
        return next(g.code for g in self.instrument.groups if g.code != group)

    def _scale_value(self, persona: Persona, wave: str, question: Question) -> int:
        rng, code = self.rng, question.code
        share = SENSITIVE_NON_RESPONSE_SHARE if code in SENSITIVE_ITEMS else NON_RESPONSE_SHARE
        if question.allows_non_response and rng.random() < share:
            return self.instrument.non_response_code
        trust = self.trust_at(persona, wave)
        leaning = persona.leanings.get(code, 0.0)
        if code in self.construct:
            value = (
                trust + TRUST_ITEM_OFFSETS.get(code, 0.0) + leaning + rng.gauss(0.0, ITEM_NOISE_SD)
            )
            if question.reversed:  # a distrustful person agrees with the accusation
                value = self.scale_min + self.scale_max - value
        elif code == self.direct_item:
            value = trust + rng.gauss(0.0, SINGLE_ITEM_NOISE_SD)
        elif code == self.meta_item:
            # "How much does the other side trust us?": anchored on what the other side
            # really gives, minus the gap that the dialogue is meant to narrow.
            side = self.profiles[persona.group]
            steps = self.instrument.waves.index(wave)
            gap = max(side.meta_gap - steps * side.meta_gap_change, 0.0)
            other = self._side_trust(self._other_group(persona.group), wave)
            own_deviation = trust - self._side_trust(persona.group, wave)
            value = other - gap + 0.4 * own_deviation + leaning + rng.gauss(0.0, 0.5)
        else:
            side = self.profiles[persona.group]
            steps = self.instrument.waves.index(wave)
            middle = (question.minimum + question.maximum) / 2
            mean = side.item_means.get(code, middle) + steps * side.item_changes.get(code, 0.0)
            loading = ITEM_LOADINGS.get(code, DEFAULT_LOADING)
            deviation = trust - side.trust  # follows trust, including its change over waves
            value = mean + loading * deviation + leaning + rng.gauss(0.0, SINGLE_ITEM_NOISE_SD)
        return _clamp(_round(value), question.minimum, question.maximum)

    def _integer_value(self, persona: Persona, wave: str, question: Question) -> int:
        rng = self.rng
        if question.allows_non_response and rng.random() < NON_RESPONSE_SHARE:
            return self.instrument.non_response_code
        low, high = question.minimum, question.maximum
        if question.widget != "thermometer":
            return rng.randint(low, high)
        # Warmth follows trust: the trust scale's middle maps to the thermometer's middle.
        span = high - low
        width = self.scale_max - self.scale_min
        middle = (self.scale_min + self.scale_max) / 2
        leaning = persona.leanings.get(question.code, 0.0)
        relative = (self.trust_at(persona, wave) + leaning - middle) / width
        value = low + span * (0.5 + 0.8 * relative) + rng.gauss(0.0, 0.08 * span)
        if span >= 20 and rng.random() < 0.7:  # people like round numbers on a thermometer
            value = round(value / 5) * 5
        return _clamp(_round(value), low, high)

    def _ranking(self, persona: Persona, wave: str, question: Question) -> dict[str, int]:
        # Plackett–Luce through the Gumbel trick: sorting weight + Gumbel noise draws a ranking
        # in which item i comes first with probability exp(w_i) / Σ exp(w).
        side = self.profiles[persona.group]
        steps = self.instrument.waves.index(wave)
        pull = min(steps * PRIORITY_CONVERGENCE, 1.0)
        scores = {}
        for item in question.items:
            own = side.priorities.get(item.code, 0.0)
            shared = self.shared_priorities.get(item.code, own)
            moved = own + steps * side.priority_changes.get(item.code, 0.0)
            weight = moved + pull * (shared - moved) + persona.tastes.get(item.code, 0.0)
            scores[item.code] = weight - math.log(-math.log(1.0 - self.rng.random()))
        order = sorted(scores, key=scores.__getitem__, reverse=True)
        return {code: order.index(code) + 1 for code in (item.code for item in question.items)}


# --------------------------------------------------------------------------- timing


def response_times(
    rng: random.Random, opens: datetime, closes: datetime, *, submitted: bool
) -> tuple[datetime, datetime, datetime | None]:
    """(started_at, updated_at, submitted_at) of a response inside the window [opens, closes)."""
    window = (closes - opens).total_seconds()
    # Most answer within minutes (6–8 on average); one in ten leaves and comes back later.
    minutes = min(rng.lognormvariate(math.log(6.5), 0.35), 40.0)
    if rng.random() < 0.1:
        minutes += rng.uniform(30, 240)
    duration = timedelta(minutes=minutes)
    # More answer towards the end of the window than at its start (reminders, the last day).
    start_share = 1.0 - rng.random() ** 1.6
    latest_start = max(window - duration.total_seconds(), 0.0)
    started = opens + timedelta(seconds=start_share * latest_start)
    if submitted:
        finished = min(started + duration, closes)
        return started, finished, finished
    stopped = min(started + duration * rng.uniform(0.2, 0.8), closes)
    return started, stopped, None


# --------------------------------------------------------------------------- people


def fake_contact(rng: random.Random, group: str, language: str) -> tuple[str, str]:
    """A fictitious (name, e-mail local part); the domain is left to the caller."""
    if group == "pakistan":
        first, last = rng.choice(PAKISTANI_FIRST), rng.choice(PAKISTANI_LAST)
        latin = f"{first[0]} {last[0]}"
        # Some Urdu speakers give their name in Urdu script on the roster.
        name = f"{first[1]} {last[1]}" if language == "ur" and rng.random() < 0.5 else latin
    elif language == "fr":
        latin = name = f"{rng.choice(FRENCH_FIRST)} {rng.choice(FRENCH_LAST)}"
    else:
        latin = name = f"{rng.choice(ALLIED_FIRST)} {rng.choice(ALLIED_LAST)}"
    return name, _email_local(latin)


def public_id(rng: random.Random, taken: set[str]) -> str:
    """A public id in the roster's format, not in `taken` (which it joins)."""
    while True:
        candidate = "P" + "".join(rng.choice(PUBLIC_ID_ALPHABET) for _ in range(PUBLIC_ID_LENGTH))
        if candidate not in taken:
            taken.add(candidate)
            return candidate


def _email_local(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return ".".join(part.lower() for part in ascii_name.replace("-", " ").split())


class LinkingAnswers(NamedTuple):
    """The four answers of the self-generated linking code (DESIGN §5), as typed."""

    mother: str
    day: str
    town: str
    siblings: str


def linking_answers(rng: random.Random, group: str) -> LinkingAnswers:
    """Plausible answers to the four linking-code prompts for a participant of the group."""
    mothers, towns = (
        (PAKISTANI_MOTHERS, PAKISTANI_TOWNS)
        if group == "pakistan"
        else (ALLIED_MOTHERS, ALLIED_TOWNS)
    )
    return LinkingAnswers(
        mother=rng.choice(mothers)[:2],
        day=f"{rng.randint(1, 28):02d}",
        town=rng.choice(towns)[:2],
        siblings=str(min(int(rng.expovariate(0.6)), 9)),
    )


ALLIED_FIRST = (
    "Anna", "Thomas", "Ingrid", "Marek", "Luca", "Pieter", "Katarzyna", "James", "Elif",
    "Margit", "Henrik", "Isabel", "Nikos", "Laura", "Tomasz", "David", "Sarah", "Jonas",
    "Eva", "Michael", "Kristina", "Andrzej", "Giulia", "Robert",
)  # fmt: skip
ALLIED_LAST = (
    "Becker", "Kowalski", "Johansen", "Rossi", "Jansen", "Novak", "Smith", "Yilmaz",
    "Horvath", "Andersen", "García", "Papadopoulos", "Müller", "Clarke", "van Dijk",
    "Nielsen", "Schmidt", "Taylor", "Bianchi", "Lindqvist", "Petrov", "Walsh",
)  # fmt: skip
FRENCH_FIRST = (
    "Claire", "Jean-Luc", "Camille", "Sophie", "Mathieu", "Élodie", "Antoine", "Nathalie",
    "Olivier", "Isabelle", "Benoît", "Hélène",
)  # fmt: skip
FRENCH_LAST = (
    "Dubois", "Lefèvre", "Moreau", "Martin", "Girard", "Lambert", "Mercier", "Dupont",
    "Fournier", "Rousseau", "Leclerc", "Gauthier",
)  # fmt: skip
PAKISTANI_FIRST = (
    ("Ayesha", "عائشہ"), ("Imran", "عمران"), ("Farah", "فرح"), ("Usman", "عثمان"),
    ("Sana", "ثنا"), ("Bilal", "بلال"), ("Hina", "حنا"), ("Kamran", "کامران"),
    ("Nadia", "نادیہ"), ("Asad", "اسد"), ("Zainab", "زینب"), ("Tariq", "طارق"),
    ("Rabia", "رابعہ"), ("Faisal", "فیصل"), ("Saima", "صائمہ"), ("Hamza", "حمزہ"),
    ("Amina", "آمنہ"), ("Omar", "عمر"),
)  # fmt: skip
PAKISTANI_LAST = (
    ("Khan", "خان"), ("Qureshi", "قریشی"), ("Malik", "ملک"), ("Siddiqui", "صدیقی"),
    ("Chaudhry", "چوہدری"), ("Hussain", "حسین"), ("Raza", "رضا"), ("Shah", "شاہ"),
    ("Abbasi", "عباسی"), ("Javed", "جاوید"), ("Mirza", "مرزا"), ("Afridi", "آفریدی"),
    ("Khattak", "خٹک"), ("Sheikh", "شیخ"), ("Zaidi", "زیدی"), ("Awan", "اعوان"),
)  # fmt: skip
ALLIED_MOTHERS = ("Maria", "Anne", "Helga", "Joanna", "Elena", "Margaret", "Sylvie", "Birgit")
ALLIED_TOWNS = ("Brussels", "Lyon", "Hamburg", "Kraków", "Turin", "Leeds", "Utrecht", "Bergen")
PAKISTANI_MOTHERS = ("Fatima", "Khadija", "Shazia", "Nasreen", "Parveen", "Rukhsana", "Bushra")
PAKISTANI_TOWNS = ("Lahore", "Karachi", "Peshawar", "Quetta", "Multan", "Rawalpindi", "Sialkot")


# --------------------------------------------------------------------------- free text


def synthetic_text(rng: random.Random, question: str, language: str, group: str) -> str:
    """A realistic free-text answer to the question, in the language, from the group's side."""
    pools = TEXTS.get(question) or {"": {lang: _all_neutral(lang) for lang in ("en", "ur", "fr")}}
    neutral = pools[""].get(language) or pools[""]["en"]
    own = pools.get(group, {}).get(language, ())
    return rng.choice((*own, *own, *neutral))  # a side's own concerns come up more often


def _all_neutral(language: str) -> tuple[str, ...]:
    return tuple(text for pools in TEXTS.values() for text in pools[""].get(language, ()))


# Answers that must come out exactly as typed, never executed or evaluated: the demo plants
# them so that every page, export and report keeps its escaping honest.
HOSTILE_TEXTS = (
    "<script>alert(1)</script> Please share the slides before the next session.",
    '=HYPERLINK("http://example.org/agenda","Joint agenda draft")',
)

# question -> side ("" for either side) -> language -> answers.
TEXTS: Mapping[str, Mapping[str, Mapping[str, Sequence[str]]]] = {
    "hope_text": {
        "": {
            "en": (
                "Mutual understanding. Everything else follows from it.",
                "Fewer assumptions and more facts about each other's intentions.",
                "Trust, step by step, starting with small commitments that are actually kept.",
                "A follow-up meeting with a date, not just a communiqué.",
            ),
            "ur": (
                "باہمی افہام و تفہیم۔ باقی سب کچھ اسی سے ہوگا۔",
                "ایک دوسرے کے ارادوں کے بارے میں کم مفروضے اور زیادہ حقائق۔",
                "اعتماد، قدم بہ قدم، ایسے چھوٹے وعدوں سے شروع کر کے جو واقعی پورے ہوں۔",
                "ایک فالو اپ اجلاس جس کی تاریخ طے ہو، صرف اعلامیہ نہیں۔",
            ),
            "fr": (
                "La compréhension mutuelle. Tout le reste en découle.",
                "Moins de suppositions et plus de faits sur les intentions de chacun.",
                "La confiance, pas à pas, en commençant par de petits engagements tenus.",
                "Une réunion de suivi avec une date, pas seulement un communiqué.",
            ),
        },
        "nato": {
            "en": (
                "A standing channel for crisis communication, so that an incident like Salala "
                "is never again handled through the press.",
                "An honest, shared picture of what each side expects from the other after the "
                "ISAF drawdown.",
                "Agreement on a few practical steps on border coordination that we can report "
                "back to capitals.",
                "A clearer sense of Pakistan's priorities, not only its grievances.",
            ),
            "fr": (
                "Un canal permanent de communication de crise, pour qu'un incident comme celui "
                "de Salala ne se règle plus jamais par voie de presse.",
                "Une vision commune et honnête de ce que chacun attend de l'autre après le "
                "retrait de la FIAS.",
                "Quelques mesures concrètes de coordination à la frontière, à présenter à nos "
                "capitales.",
                "Mieux comprendre les priorités du Pakistan, et pas seulement ses griefs.",
            ),
        },
        "pakistan": {
            "en": (
                "NATO should hear directly how the events of 2011 were felt in Pakistan, and "
                "what it would take to rebuild confidence.",
                "Recognition that Pakistan's security concerns on the western border are "
                "legitimate and shared.",
                "A roadmap for regular dialogue that does not depend on the logistics of the "
                "withdrawal.",
                "Concrete ideas for regional economic connectivity once the transition is done.",
            ),
            "ur": (
                "نیٹو کو براہِ راست سننا چاہیے کہ 2011 کے واقعات پاکستان میں کیسے محسوس کیے گئے۔",
                "مغربی سرحد پر پاکستان کے سلامتی کے خدشات کو جائز تسلیم کیا جائے۔",
                "باقاعدہ مکالمے کا ایسا لائحہ عمل جو صرف انخلا کی ضروریات تک محدود نہ ہو۔",
                "علاقائی معاشی روابط کے لیے ٹھوس تجاویز۔",
            ),
        },
    },
    "takeaway_text": {
        "": {
            "en": (
                "Keep the format: small groups, frank discussion, no press.",
                "Write down the few points where we actually agree and build on them.",
                "A follow-up workshop in a year to check on progress.",
                "Good workshop 👍 more of this, please.",
            ),
            "ur": (
                "یہی طریقہ جاری رکھیں: چھوٹے گروپ، کھلی گفتگو، میڈیا کے بغیر۔",
                "جن چند نکات پر ہم واقعی متفق ہیں انہیں لکھ کر آگے بڑھایا جائے۔",
                "ایک سال بعد پیش رفت جانچنے کے لیے فالو اپ ورکشاپ۔",
            ),
            "fr": (
                "Garder ce format : petits groupes, discussion franche, sans presse.",
                "Écrire les quelques points sur lesquels nous sommes d'accord et construire "
                "à partir de là.",
                "Un atelier de suivi dans un an pour faire le point.",
            ),
        },
        "nato": {
            "en": (
                "A crisis communication hotline with a procedure that both sides have tested.",
                "Joint training on border incident management, starting with a table-top exercise.",
                "Meeting again in a year, with the same people, to see what has changed.",
                "Regular exchanges between staff colleges: they build the personal ties that "
                "were missing in 2011.",
            ),
            "fr": (
                "Une ligne directe de communication de crise, avec une procédure testée des "
                "deux côtés.",
                "Des formations conjointes à la gestion des incidents frontaliers, en "
                "commençant par un exercice sur table.",
                "Se retrouver dans un an, avec les mêmes personnes, pour mesurer le chemin "
                "parcouru.",
                "Des échanges réguliers entre écoles de guerre : ils créent les liens "
                "personnels qui manquaient en 2011.",
            ),
        },
        "pakistan": {
            "en": (
                "A permanent political dialogue at a senior level, not only military-to-"
                "military contacts.",
                "A joint study of regional trade corridors after 2014.",
                "A crisis communication mechanism with clear rules, agreed in advance by both "
                "sides.",
                "Involve journalists and universities, so that the public hears more than the "
                "headlines.",
            ),
            "ur": (
                "اعلیٰ سطح پر مستقل سیاسی مکالمہ، صرف فوجی رابطے نہیں۔",
                "2014 کے بعد علاقائی تجارتی راہداریوں پر مشترکہ مطالعہ۔",
                "بحران میں رابطے کا ایسا نظام جس کے واضح اصول دونوں فریق پہلے سے طے کریں۔",
                "صحافیوں اور جامعات کو شامل کیا جائے تاکہ عوام سرخیوں سے زیادہ سن سکیں۔",
            ),
        },
    },
    "view_change_text": {
        "": {
            "en": (
                "No change, but a useful confirmation of what I thought.",
                "A little. The informal conversations helped more than the sessions.",
                "Yes: I now see more room for practical cooperation than I did before.",
            ),
            "ur": (
                "کوئی تبدیلی نہیں، مگر میری رائے کی مفید تصدیق ہوئی۔",
                "تھوڑی سی۔ غیر رسمی گفتگو نے اجلاسوں سے زیادہ مدد کی۔",
                "ہاں: اب مجھے عملی تعاون کی پہلے سے زیادہ گنجائش نظر آتی ہے۔",
            ),
            "fr": (
                "Aucun changement, mais une confirmation utile de ce que je pensais.",
                "Un peu. Les conversations informelles ont davantage aidé que les séances.",
                "Oui : je vois désormais plus de place pour une coopération concrète.",
            ),
        },
        "nato": {
            "en": (
                "Yes. I underestimated how much the 2011 border incident still shapes public "
                "opinion in Pakistan.",
                "I had not realised how many Pakistani soldiers and civilians have died "
                "fighting militancy.",
                "Not really, but I understand the reasons behind some positions better.",
                "The economic side matters far more to my Pakistani colleagues than I expected.",
            ),
            "fr": (
                "Oui. J'avais sous-estimé à quel point l'incident frontalier de 2011 pèse "
                "encore sur l'opinion pakistanaise.",
                "Je n'avais pas mesuré le nombre de soldats et de civils pakistanais tués dans "
                "la lutte contre les groupes armés.",
                "Pas vraiment, mais je comprends mieux les raisons de certaines positions.",
                "La dimension économique compte bien plus pour mes collègues pakistanais que "
                "je ne le pensais.",
            ),
        },
        "pakistan": {
            "en": (
                "Somewhat. NATO officials were more open about their own mistakes than I expected.",
                "I see now that NATO is not a single voice; its members disagree among themselves.",
                "No. Words are welcome, but the test is what happens on the border.",
                "Yes: their interest in stability after 2014 seems genuine, not only about the "
                "withdrawal routes.",
            ),
            "ur": (
                "کسی حد تک۔ نیٹو کے حکام اپنی غلطیوں کے بارے میں توقع سے زیادہ کھل کر بولے۔",
                "اب سمجھ آیا کہ نیٹو ایک آواز نہیں؛ اس کے رکن ممالک آپس میں بھی اختلاف رکھتے ہیں۔",
                "نہیں۔ باتیں اچھی ہیں، مگر اصل امتحان سرحد پر ہوگا۔",
                "ہاں: 2014 کے بعد استحکام میں ان کی دلچسپی حقیقی لگتی ہے، صرف انخلا کے راستوں تک "
                "محدود نہیں۔",
            ),
        },
    },
}


# --------------------------------------------------------------------------- helpers


def _weighted(rng: random.Random, weights: Mapping[str, float]) -> str:
    codes = list(weights)
    return rng.choices(codes, weights=[weights[c] for c in codes])[0]


def _round(value: float) -> int:
    return math.floor(value + 0.5)  # half up; round() would favour even codes


def _clamp(value: int, low: int | None, high: int | None) -> int:
    if low is not None:
        value = max(value, low)
    if high is not None:
        value = min(value, high)
    return value
