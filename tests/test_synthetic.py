"""Synthetic answers: valid for the instrument, reproducible, and shaped like real data."""

import random
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from survey.demo.corpus import HOSTILE_TEXTS, TEXTS, synthetic_text
from survey.demo.people import fake_contact, linking_answers, public_id, response_times
from survey.demo.synthetic import Synthesizer
from survey.instruments import Instrument, instrument_from_definition
from survey.instruments import shipped_instrument as load_shipped
from survey.linking import PARTS, normalise


@pytest.fixture(scope="module")
def instrument() -> Instrument:
    return load_shipped("nato-pakistan-2014")


def answer_problems(
    instrument: Instrument, wave: str, answers: Iterable[Sequence], *, complete: bool = False
) -> list[str]:
    """What makes stored answers (question, item, number, text) invalid for the wave.

    Shared with the demo and generator tests: each value and each whole answer is checked by
    its question's kind, as the participant side and the long-file import check them.
    """
    problems = []
    asked = {q.code: q for q in instrument.questions_for_wave(wave)}
    seen: Counter = Counter()
    valid: dict[str, list[tuple[str, int | str | None]]] = {}
    for question, item, number, text in answers:
        seen[question, item] += 1
        q = asked.get(question)
        if q is None:
            problems.append(f"{question}: not asked in {wave}")
            continue
        if (number is None) == (text is None):
            problems.append(f"{question}: needs a number xor a text")
            continue
        value = q.kind.stored_value(number, text)
        problem = q.kind.check_value(q, item, value)
        if problem is None:
            valid.setdefault(question, []).append((item, value))
        else:
            problems.append(problem)
    problems += [f"{q}/{i}: stored {n} times" for (q, i), n in seen.items() if n > 1]
    for question, values in valid.items():
        q = asked[question]
        whole = q.kind.check_answer(q, values, where=question, place=lambda row: f"row {row}")
        problems += [message for _row, message in whole]
    if complete:
        required = {q.code for q in asked.values() if q.required}
        problems += [f"{code}: required, unanswered" for code in required - {q for q, _ in seen}]
    return problems


def trust_score(values: dict[str, int], instrument: Instrument) -> float | None:
    """docs/statistics.md, "Scores", by hand: the mean after reversing, with at least
    min_answered items."""
    score = instrument.scores["trust"]
    answered = [
        (6 - values[c] if c in score.reversed else values[c])
        for c in score.items
        if values.get(c, -9) != -9
    ]
    return statistics.fmean(answered) if len(answered) >= score.min_answered else None


def cronbach_alpha(rows: list[list[float]]) -> float:
    matrix = np.array(rows, dtype=float)
    m = matrix.shape[1]
    return m / (m - 1) * (1 - matrix.var(axis=0, ddof=1).sum() / matrix.sum(axis=1).var(ddof=1))


def _cohort(instrument, size=400, seed=7):
    """{group: [(persona, {wave: {(question, item): value}})]} answered in both waves."""
    synth = Synthesizer(instrument, seed=seed)
    out = {}
    for group in ("nato", "pakistan"):
        people = []
        for _ in range(size):
            persona = synth.persona(group)
            waves = {}
            for wave in ("pre", "post"):
                answers = synth.answers(persona, wave, with_profile=wave == "pre")
                waves[wave] = {
                    (a.question, a.item): a.number if a.number is not None else a.text
                    for a in answers
                }
            people.append((persona, waves))
        out[group] = people
    return out


@pytest.fixture(scope="module")
def cohort(instrument):
    return _cohort(instrument)


def _values(answers: dict) -> dict[str, int]:
    return {q: v for (q, item), v in answers.items() if item == "" and isinstance(v, int)}


# --------------------------------------------------------------------------- validity


def test_every_answer_is_valid_for_its_wave(instrument):
    synth = Synthesizer(instrument, seed=3)
    problems, non_responses = [], 0
    for number in range(300):
        persona = synth.persona(("nato", "pakistan")[number % 2])
        for wave in instrument.waves:
            answers = synth.answers(persona, wave, with_profile=wave == "pre")
            problems += answer_problems(instrument, wave, answers, complete=True)
            non_responses += sum(a.number == instrument.non_response_code for a in answers)
    assert problems == []
    assert non_responses > 0  # "Prefer not to answer" does occur


def test_the_profile_is_answered_once_and_stays_the_same(instrument):
    synth = Synthesizer(instrument, seed=4)
    profile = {q.code for q in instrument.profile_questions}
    for _ in range(50):
        persona = synth.persona("pakistan")
        first = {a.question: a.text for a in synth.answers(persona, "pre", with_profile=True)}
        later = {a.question for a in synth.answers(persona, "post", with_profile=False)}
        assert profile <= set(first)  # every profile question, always answered
        assert not profile & later
        assert first["sector"] == persona.sector
        again = {a.question: a.text for a in synth.answers(persona, "post", with_profile=True)}
        assert {q: again[q] for q in profile} == {q: first[q] for q in profile}


def test_an_unfinished_response_holds_the_pages_before_where_it_stopped(instrument):
    synth = Synthesizer(instrument, seed=5)
    persona = synth.persona("nato")
    pages = synth.pages("post", with_profile=False)
    assert "profile" not in [p.code for p in pages]
    stop = pages[2].code
    answered = {
        a.question for a in synth.answers(persona, "post", with_profile=False, stop_page=stop)
    }
    before = {q.code for p in pages[:2] for q in p.questions}
    assert answered and answered <= before
    stops = {synth.stop_page("pre", with_profile=True) for _ in range(200)}
    assert stops <= {p.code for p in instrument.pages_for_wave("pre")[1:]} | {"review"}
    assert len(stops) > 3


def test_the_same_seed_gives_the_same_participants(instrument):
    def draw(seed):
        synth = Synthesizer(instrument, seed=seed)
        persona = synth.persona("pakistan")
        return persona, synth.answers(persona, "pre", with_profile=True)

    assert draw(11) == draw(11)
    assert draw(11) != draw(12)


def test_an_instrument_with_other_groups_is_still_answered(instrument):
    definition = dict(instrument.definition)
    definition["groups"] = [
        {**group, "code": code}
        for group, code in zip(instrument.definition["groups"], ("north", "south"), strict=True)
    ]
    other = instrument_from_definition(definition)
    synth = Synthesizer(other, seed=1)
    for group in ("north", "south"):
        persona = synth.persona(group)
        assert persona.language == other.default_language
        for wave in other.waves:
            answers = synth.answers(persona, wave, with_profile=wave == "pre")
            assert answer_problems(other, wave, answers, complete=True) == []


# --------------------------------------------------------------------------- realism


def test_trust_statements_are_consistent_with_plausible_alpha(cohort, instrument):
    score = instrument.scores["trust"]
    for group, people in cohort.items():
        for wave in ("pre", "post"):
            rows = []
            for _, waves in people:
                values = _values(waves[wave])
                items = [values.get(code, -9) for code in score.items]
                if -9 not in items:
                    rows.append(
                        [
                            6 - v if c in score.reversed else v
                            for c, v in zip(score.items, items, strict=True)
                        ]
                    )
            assert len(rows) > 250
            assert 0.7 <= cronbach_alpha(rows) <= 0.85, (group, wave)


def test_reversed_statements_are_answered_reverse_keyed(cohort):
    pairs = [
        (values["trust_partner"], values["trust_agenda"])
        for people in cohort.values()
        for _, waves in people
        if (values := _values(waves["pre"])).get("trust_partner", -9) != -9
        and values.get("trust_agenda", -9) != -9
    ]
    partner, agenda = zip(*pairs, strict=True)
    assert np.corrcoef(partner, agenda)[0, 1] < -0.25


def test_trust_rises_modestly_and_more_on_the_pakistan_side(cohort, instrument):
    change = {}
    for group, people in cohort.items():
        deltas = []
        for _, waves in people:
            pre = trust_score(_values(waves["pre"]), instrument)
            post = trust_score(_values(waves["post"]), instrument)
            if pre is not None and post is not None:
                deltas.append(post - pre)
        change[group] = statistics.fmean(deltas)
    assert 0.05 < change["nato"] < 0.35
    assert 0.3 < change["pakistan"] < 0.7


def test_meta_trust_sits_below_the_trust_the_other_side_gives(cohort):
    def mean(group, wave, question):
        return statistics.fmean(
            v for _, waves in cohort[group] if (v := waves[wave].get((question, ""), -9)) != -9
        )

    for wave in ("pre", "post"):
        assert mean("nato", wave, "meta_trust") < mean("pakistan", wave, "trust_direct") - 0.2
        assert mean("pakistan", wave, "meta_trust") < mean("nato", wave, "trust_direct") - 0.2


def test_warmth_is_a_thermometer_that_follows_trust(cohort, instrument):
    pairs = []
    for people in cohort.values():
        for _, waves in people:
            values = _values(waves["pre"])
            score = trust_score(values, instrument)
            if score is not None and values.get("warmth", -9) != -9:
                pairs.append((score, values["warmth"]))
    scores, warmth = zip(*pairs, strict=True)
    assert min(warmth) >= 0 and max(warmth) <= 100
    assert np.corrcoef(scores, warmth)[0, 1] > 0.4


def _mean_ranks(people, wave):
    totals: dict[str, list[int]] = {}
    for _, waves in people:
        for (question, item), rank in waves[wave].items():
            if question == "priorities":
                totals.setdefault(item, []).append(rank)
    return {item: statistics.fmean(ranks) for item, ranks in totals.items()}


def test_the_sides_rank_priorities_differently_and_converge_a_little(cohort):
    top3 = {}
    distance = {}
    for wave in ("pre", "post"):
        nato, pakistan = _mean_ranks(cohort["nato"], wave), _mean_ranks(cohort["pakistan"], wave)
        top3[wave] = (sorted(nato, key=nato.get)[:3], sorted(pakistan, key=pakistan.get)[:4])
        distance[wave] = sum(abs(nato[item] - pakistan[item]) for item in nato)
    nato_top, pakistan_top = top3["pre"]
    assert set(nato_top) == {"afghan_transition", "counter_terrorism", "transit_logistics"}
    assert set(pakistan_top) == {
        "border_management",
        "regional_economy",
        "political_dialogue",
        "crisis_communication",
    }
    assert distance["post"] < distance["pre"]


def test_sectors_and_languages_follow_each_side(cohort):
    nato = Counter((p.sector, p.language) for p, _ in cohort["nato"])
    pakistan = Counter((p.sector, p.language) for p, _ in cohort["pakistan"])
    assert {language for _, language in nato} == {"en", "fr"}
    assert {language for _, language in pakistan} == {"en", "ur"}
    assert sum(n for (sector, _), n in nato.items() if sector == "military") > 40
    assert sum(n for (sector, _), n in pakistan.items() if sector == "media") > 30
    assert not any(sector == "civil_society" for sector, _ in nato)


# --------------------------------------------------------------------------- text and people


@pytest.mark.parametrize("language", ["en", "ur", "fr"])
@pytest.mark.parametrize("question", ["hope_text", "takeaway_text", "view_change_text"])
def test_free_text_is_written_in_the_respondents_language(question, language):
    rng = random.Random(1)
    texts = {synthetic_text(rng, question, language, "pakistan") for _ in range(40)}
    assert len(texts) >= 3
    urdu = [any("\u0600" <= ch <= "\u06ff" for ch in text) for text in texts]
    assert all(urdu) if language == "ur" else not any(urdu)
    assert not texts & set(HOSTILE_TEXTS)  # those are planted on purpose, never drawn


def test_texts_for_an_unknown_question_or_language_fall_back():
    rng = random.Random(2)
    assert synthetic_text(rng, "other_text", "en", "nato")
    assert synthetic_text(rng, "hope_text", "de", "nato") in TEXTS["hope_text"][""]["en"]


def test_response_times_stay_inside_the_window():
    rng = random.Random(3)
    opens = datetime(2014, 5, 1, 4, tzinfo=UTC)
    closes = opens + timedelta(days=3)
    for submitted in (True, False) * 100:
        started, updated, done = response_times(rng, opens, closes, submitted=submitted)
        assert opens <= started <= updated <= closes
        assert done == (updated if submitted else None)


def test_fake_people_are_clearly_fictitious_and_link_codes_are_valid():
    rng = random.Random(4)
    taken: set[str] = set()
    ids = [public_id(rng, taken) for _ in range(500)]
    assert len(set(ids)) == 500 and all(len(i) == 7 and i.startswith("P") for i in ids)
    for group, language in (("nato", "fr"), ("nato", "en"), ("pakistan", "ur")):
        name, local = fake_contact(rng, group, language)
        assert name and local.isascii() and "@" not in local and " " not in local
    for group in ("nato", "pakistan"):
        answers = linking_answers(rng, group)._asdict()
        assert [normalise(part, answers[part]) for part in PARTS]  # raises when unusable
