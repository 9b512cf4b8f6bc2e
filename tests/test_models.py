"""Constraints that live in the database, and the cascades that make withdrawal possible."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from survey.extensions import db
from survey.models import (
    Answer,
    Invitation,
    Participant,
    ParticipantContact,
    Response,
    ResponseStatus,
    WaveState,
)

IN_PROGRESS = ResponseStatus.IN_PROGRESS


def test_workshop_gets_the_instruments_groups_and_waves(make):
    ws = make.workshop(open_waves=())
    assert [g.code for g in ws.groups] == ["nato", "pakistan"]
    assert [w.code for w in ws.waves] == ["pre", "post"]
    assert all(w.state() is WaveState.SCHEDULED for w in ws.waves)
    assert all(g.join_hash for g in ws.groups)
    assert ws.waves[0].instrument_version.instrument.key == "nato-pakistan-2014"


def test_one_response_per_participant_and_wave(make):
    ws = make.workshop()
    p = make.participant(ws)
    make.response(p, "pre", status=IN_PROGRESS)
    with pytest.raises(IntegrityError):
        make.response(p, "pre", status=IN_PROGRESS)
    db.session.rollback()


def test_one_answer_per_response_question_and_item(make):
    ws = make.workshop()
    response = make.response(make.participant(ws), "pre", {"trust_direct": 3}, status=IN_PROGRESS)
    db.session.add(Answer(response=response, question="trust_direct", number=4))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


@pytest.mark.parametrize("number, text", [(None, None), (3, "three")])
def test_an_answer_has_exactly_one_value(make, number, text):
    ws = make.workshop()
    response = make.response(make.participant(ws), "pre", status=IN_PROGRESS)
    response.answers.append(Answer(question="warmth", number=number, text=text))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_deleting_a_participant_removes_answers_contact_and_links(make):
    from survey.tokens import current_invitation

    ws = make.workshop()
    p = make.participant(ws, name="Ayesha Khan", email="ayesha@example.org")
    current_invitation(p)
    make.response(p, "pre", {"trust_direct": 4})

    db.session.delete(p)
    db.session.commit()
    for model in (Participant, ParticipantContact, Invitation, Response, Answer):
        assert db.session.scalar(select(func.count()).select_from(model)) == 0


def test_datetimes_come_back_aware_in_utc(make):
    ws = make.workshop()
    db.session.expire_all()
    assert ws.waves[0].opens_at.tzinfo is not None
    assert ws.created_at.utcoffset().total_seconds() == 0


def test_a_stored_instrument_keeps_the_files_order(make):
    stored = make.workshop().waves[0].instrument_version.instrument
    assert list(stored.scores) == ["trust", "trust_direct", "warmth", "meta_trust"]
    assert [p.code for p in stored.pages][:2] == ["profile", "trust"]
