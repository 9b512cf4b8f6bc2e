from datetime import timedelta

import numpy as np
import pytest

from survey.analysis import Respondent
from survey.analysis.results import Matching
from survey.dashboard.data import (
    FilterError,
    Filters,
    data_version,
    filter_choices,
    load_dataset,
    matching,
    parse_filters,
    response_funnel,
    text_answers,
    workshop_setting,
)
from survey.extensions import db
from survey.linking import linking_hashes
from survey.models import Answer, Response, ResponseStatus
from survey.models._types import utcnow
from tests.dashboard_helpers import populate

TRUST_ITEMS = (
    "trust_commitments",
    "trust_information",
    "trust_concerns",
    "trust_afghanistan",
    "trust_partner",
    "trust_agenda",
    "trust_exploit",
)


def respond(participant, wave, answers, *, status=ResponseStatus.SUBMITTED, language="en"):
    """A response with answers {question: number | text | {item: rank}}."""
    response = Response(
        participant=participant,
        wave=wave,
        instrument_version=wave.instrument_version,
        status=status,
        language=language,
        submitted_at=utcnow() if status is ResponseStatus.SUBMITTED else None,
    )
    for question, value in answers.items():
        if isinstance(value, dict):
            for item, rank in value.items():
                response.answers.append(Answer(question=question, item=item, number=rank))
        elif isinstance(value, str):
            response.answers.append(Answer(question=question, text=value))
        else:
            response.answers.append(Answer(question=question, number=value))
    db.session.add(response)
    db.session.commit()
    return response


def test_setting_follows_the_instrument_and_the_workshop(make):
    ws = make.workshop(open_waves=("pre", "post"))
    ws.group("nato").label = "North Atlantic"
    db.session.commit()
    setting = workshop_setting(ws)
    spec = setting.spec
    assert spec.groups == ("nato", "pakistan")
    assert spec.waves == ("pre", "post")
    # Questionnaire order, whatever order the stored definition's keys come back in.
    assert list(spec.scores) == ["trust", "trust_direct", "warmth", "meta_trust"]
    assert spec.scores["trust"].items == TRUST_ITEMS
    assert spec.scores["trust"].reversed == {"trust_agenda", "trust_exploit"}
    assert spec.scores["trust"].min_answered == 5
    assert spec.scores["warmth"].scale_max == 100
    assert spec.alpha_score == "trust"
    assert spec.perception == ("meta_trust", "trust_direct")
    assert spec.ranking_items[0] == "counter_terrorism" and len(spec.ranking_items) == 8
    assert spec.min_cell == ws.min_cell and spec.non_response == -9
    assert spec.group_labels["nato"] == "North Atlantic"
    assert setting.labels.questions["trust_commitments"] == (
        "The other side keeps the commitments it makes to their side."
    )
    assert "sector" not in setting.numeric and "warmth" in setting.numeric


def test_filters_are_checked_against_the_instrument(make):
    ws = make.workshop()
    instrument = workshop_setting(ws).instrument
    choices = filter_choices(instrument)
    assert ("media", "Media") in choices["sector"]
    assert [code for code, _ in choices["experience"]] == ["none", "lt2", "2to4", "5to9", "10plus"]
    assert [code for code, _ in choices["language"]] == ["en", "ur", "fr"]
    assert parse_filters({"sector": "media", "language": ""}, instrument) == Filters(sector="media")
    assert not parse_filters({}, instrument)
    for bad in ({"sector": "spies"}, {"experience": "lots"}, {"language": "de"}):
        with pytest.raises(FilterError):
            parse_filters(bad, instrument)


def test_dataset_holds_submitted_answers_of_participants_who_stay(make):
    ws = make.workshop(open_waves=("pre", "post"))
    pre, post = ws.waves
    kept = make.participant(ws, "nato", sector="media")
    gone = make.participant(ws, "pakistan", sector="academia")
    unfinished = make.participant(ws, "pakistan")
    respond(
        kept,
        pre,
        {
            "trust_commitments": 4,
            "trust_agenda": -9,
            "warmth": 70,
            "obstacle_legacy": 2,
            "experience": "5to9",
            "hope_text": "peace",
            "priorities": {"counter_terrorism": 2, "afghan_transition": 1},
        },
        language="ur",
    )
    respond(kept, post, {"trust_commitments": 5})
    respond(gone, pre, {"trust_commitments": 1})
    respond(unfinished, pre, {"trust_commitments": 3}, status=ResponseStatus.IN_PROGRESS)
    gone.withdrawn_at = utcnow()
    db.session.commit()

    setting = workshop_setting(ws)
    data = load_dataset(setting)
    by_wave = {r.wave: r for r in data.respondents}
    assert set(by_wave) == {"pre", "post"}
    first = by_wave["pre"]
    assert first == Respondent(
        participant=kept.public_id,
        group="nato",
        wave="pre",
        language="ur",
        sector="media",
        experience="5to9",
        values={"trust_commitments": 4, "trust_agenda": -9, "warmth": 70},
        ranking={"counter_terrorism": 2, "afghan_transition": 1},
    )
    # The profile answer given once holds for the later wave too.
    assert by_wave["post"].experience == "5to9"
    assert by_wave["post"].values == {"trust_commitments": 5}
    row = [r.wave for r in data.respondents].index("pre")
    column = setting.numeric.index("obstacle_legacy")
    assert data.values[row, column] == 2
    assert np.isnan(data.values[row, setting.numeric.index("optimism")])
    assert list(data.language[data.mask(Filters(language="ur"))]) == ["ur"]


def test_dataset_of_an_empty_workshop(make):
    ws = make.workshop()
    data = load_dataset(workshop_setting(ws))
    assert data.respondents == () and data.values.shape[0] == 0


def test_data_version_moves_with_what_the_statistics_read(make):
    ws = make.workshop(open_waves=("pre", "post"))
    setting = workshop_setting(ws)
    p = make.participant(ws, "nato", sector="media")
    before = data_version(setting)
    response = respond(p, ws.waves[0], {"trust_commitments": 4}, status=ResponseStatus.IN_PROGRESS)
    assert data_version(setting) == before  # in progress: not in the statistics yet
    response.status = ResponseStatus.SUBMITTED
    db.session.commit()
    submitted = data_version(setting)
    assert submitted != before
    p.sector = "academia"
    db.session.commit()
    resectored = data_version(setting)
    assert resectored != submitted
    p.withdrawn_at = utcnow()
    db.session.commit()
    assert data_version(setting) not in (before, submitted, resectored)


def test_funnel_counts_participants_and_responses_per_wave(make):
    ws = make.workshop(open_waves=("pre", "post"))
    pre, post = ws.waves
    a, b, c = (make.participant(ws, "nato") for _ in range(3))
    make.participant(ws, "pakistan")
    respond(a, pre, {})
    respond(b, pre, {}, status=ResponseStatus.IN_PROGRESS)
    respond(a, post, {}, status=ResponseStatus.IN_PROGRESS)
    respond(c, pre, {})
    c.withdrawn_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    nato, pakistan = response_funnel(workshop_setting(ws))
    assert (nato.group, nato.participants, nato.withdrawn) == ("nato", 2, 1)
    assert nato.started == {"pre": 2, "post": 1}
    assert nato.submitted == {"pre": 1, "post": 0}
    assert (pakistan.participants, pakistan.started, pakistan.submitted) == (
        1,
        {"pre": 0, "post": 0},
        {"pre": 0, "post": 0},
    )


def test_matching_counts_come_from_the_match_report(make):
    ws = make.workshop(open_waves=("pre", "post"))
    populate(ws, 6, post_share=0.5, seed=3)
    counts = matching(ws)[0]
    assert set(counts.as_dict()) == {"matched", "pre_only", "post_only", "ambiguous"}
    data = load_dataset(workshop_setting(ws))
    post = sum(r.wave == "post" for r in data.respondents)
    assert counts.matched == post
    assert counts.pre_only == 12 - post


def test_text_answers_respect_filters_and_say_nothing_of_who_or_when(make):
    ws = make.workshop(open_waves=("pre", "post"))
    pre = ws.waves[0]
    texts = ["zebra", "Apple", "mango"]
    for i, text in enumerate(texts):
        p = make.participant(ws, "nato", sector="media" if i else "academia")
        respond(p, pre, {"hope_text": text, "experience": "lt2" if i == 2 else "none"})
    hidden = make.participant(ws, "nato", sector="media")
    respond(hidden, pre, {"hope_text": "not submitted"}, status=ResponseStatus.IN_PROGRESS)
    setting = workshop_setting(ws)
    every = text_answers(setting, Filters(), ["hope_text"])
    assert [a.text for a in every] == ["Apple", "mango", "zebra"]
    assert {(a.group, a.wave) for a in every} == {("nato", "pre")}
    assert [a.text for a in text_answers(setting, Filters(sector="media"), ["hope_text"])] == [
        "Apple",
        "mango",
    ]
    assert [a.text for a in text_answers(setting, Filters(experience="lt2"), ["hope_text"])] == [
        "mango"
    ]
    assert text_answers(setting, Filters(language="fr"), ["hope_text"]) == []
    assert text_answers(setting, Filters(), []) == []


def test_the_linking_code_pairs_people_who_lost_their_link(make):
    ws = make.workshop(open_waves=("pre", "post"))
    pre, post = ws.waves
    code = linking_hashes(ws, {"mother": "Amina", "day": "7", "town": "Lahore", "siblings": "2"})
    first = make.participant(ws, "pakistan")
    again = make.participant(ws, "pakistan")  # enrolled anew for the second wave
    stranger = make.participant(ws, "pakistan")
    for participant in (first, again):
        for column, value in code.items():
            setattr(participant, column, value)
    db.session.commit()
    respond(first, pre, {"warmth": 40})
    respond(again, post, {"warmth": 60})
    respond(stranger, post, {"warmth": 90})
    counts, links = matching(ws)
    assert counts == Matching(matched=1, pre_only=0, post_only=1, ambiguous=0)
    assert links == {again.id: first.id}
    data = load_dataset(workshop_setting(ws), links)
    assert sorted((r.participant, r.wave) for r in data.respondents) == sorted(
        [(first.public_id, "pre"), (first.public_id, "post"), (stranger.public_id, "post")]
    )
    # Without the links each response stands alone.
    assert {r.participant for r in load_dataset(workshop_setting(ws)).respondents} == {
        first.public_id,
        again.public_id,
        stranger.public_id,
    }
