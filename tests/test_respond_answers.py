"""The answer store: one joined read of the visit, page saves (upsert and delete), consent,
idempotent submit, and the participant's own columns taken from the submitted response."""

import threading

from sqlalchemy import select

from survey.extensions import db
from survey.models import Answer, Response, ResponseStatus
from survey.models._types import utcnow
from survey.respond import answers as store
from survey.respond.visit_reads import load_visit
from survey.tokens import current_invitation, reissue_invitation


def visit_of(participant, wave="pre"):
    invitation = current_invitation(participant)
    db.session.commit()
    return load_visit(participant.id, invitation.id, wave)


def started(participant, wave="pre"):
    visit = visit_of(participant, wave)
    store.start_response(visit, "en")
    db.session.commit()
    return visit


def rows_of(response_id) -> dict:
    db.session.rollback()
    return {
        (a.question, a.item): (a.number, a.text)
        for a in db.session.scalars(select(Answer).where(Answer.response_id == response_id))
    }


def test_a_visit_is_none_for_withdrawn_revoked_or_unknown(make):
    ws = make.workshop()
    person = make.participant(ws)
    invitation = current_invitation(person)
    db.session.commit()
    assert load_visit(person.id, invitation.id, "pre").group == "nato"
    assert load_visit(person.id, invitation.id, "later") is None
    reissue_invitation(person)
    db.session.commit()
    assert load_visit(person.id, invitation.id, "pre") is None
    fresh = current_invitation(person)
    person.withdrawn_at = utcnow()
    db.session.commit()
    assert load_visit(person.id, fresh.id, "pre") is None


def test_starting_twice_keeps_one_response(make):
    person = make.participant(make.workshop())
    visit = visit_of(person)
    first = store.start_response(visit, "ur")
    visit.response = None  # as a second tab that read the visit before the first started
    second = store.start_response(visit, "en")
    db.session.commit()
    assert first.id == second.id and first.language == "ur"
    assert len(db.session.scalars(select(Response)).all()) == 1


def test_a_page_save_upserts_answers_and_deletes_cleared_ones(make):
    visit = started(make.participant(make.workshop()))
    rid = visit.response.id
    assert store.save_page(
        rid,
        {"optimism": [("", 4, None)], "hope_text": [("", None, "Peace")]},
        page="outlook",
        current_page="review",
        language="fr",
    )
    db.session.commit()
    assert store.save_page(
        rid,
        {"optimism": [("", 2, None)], "hope_text": []},
        page="outlook",
        current_page="outlook",
        language="en",
    )
    db.session.commit()
    assert rows_of(rid) == {("optimism", ""): (2, None)}
    response = db.session.get(Response, rid)
    assert response.current_page == "outlook" and response.language == "en"


def test_a_submitted_response_takes_no_more_writes(make):
    visit = started(make.participant(make.workshop()))
    rid = visit.response.id
    store.save_page(
        rid, {"optimism": [("", 4, None)]}, page="outlook", current_page="review", language="en"
    )
    assert store.submit(visit, "en")
    db.session.commit()
    assert not store.save_page(
        rid, {"optimism": [("", 1, None)]}, page="outlook", current_page="x", language="en"
    )
    db.session.rollback()
    assert not store.give_consent(rid, "v", current_page="x", language="en")
    assert not store.submit(visit, "en")
    db.session.rollback()
    assert rows_of(rid) == {("optimism", ""): (4, None)}


def test_consent_keeps_its_first_time_and_version(make):
    visit = started(make.participant(make.workshop()))
    rid = visit.response.id
    assert store.give_consent(rid, "2014-1", current_page="profile", language="en")
    db.session.commit()
    first = db.session.get(Response, rid).consent_at
    assert store.give_consent(rid, "2099-9", current_page="profile", language="en")
    db.session.commit()
    db.session.expire_all()
    response = db.session.get(Response, rid)
    assert (response.consent_at, response.consent_version) == (first, "2014-1")


def test_submit_takes_sector_and_language_onto_the_participant(make):
    person = make.participant(make.workshop(), language="en")
    visit = started(person)
    store.save_page(
        visit.response.id,
        {"sector": [("", None, "academia")]},
        page="profile",
        current_page="review",
        language="ur",
    )
    assert store.submit(visit, "ur")
    db.session.commit()
    db.session.expire_all()
    assert (person.sector, person.language) == ("academia", "ur")
    assert db.session.get(Response, visit.response.id).status is ResponseStatus.SUBMITTED


def test_a_roster_sector_stays_when_the_question_was_not_asked(make):
    person = make.participant(make.workshop(), sector="military")
    visit = started(person)
    assert store.submit(visit, "en")
    db.session.commit()
    db.session.expire_all()
    assert person.sector == "military"


def test_answers_elsewhere_count_only_from_submitted_responses(make):
    ws = make.workshop(open_waves=("pre", "post"))
    person = make.participant(ws)
    pre = started(person, "pre")
    store.save_page(
        pre.response.id,
        {"experience": [("", None, "lt2")]},
        page="profile",
        current_page="review",
        language="en",
    )
    db.session.commit()
    assert "experience" not in visit_of(person, "post").answered_elsewhere
    store.submit(pre, "en")
    db.session.commit()
    post = visit_of(person, "post")
    assert "experience" in post.answered_elsewhere and "experience" in post.skip
    assert post.consented is False  # the pre response was never consented in this test


def test_concurrent_submits_have_one_winner(app, make):
    visit = started(make.participant(make.workshop()))
    rid, invitation_id = visit.response.id, visit.invitation_id
    person_id = visit.participant.id
    results = []

    def submit():
        # Each thread reads the response as in progress and tries to submit it, inside a POST
        # as in production (SQLite runs the two one after the other, PostgreSQL at once):
        # either way one UPDATE wins.
        with app.test_request_context(method="POST"):
            mine = load_visit(person_id, invitation_id, "pre")
            won = store.submit(mine, "en")
            db.session.commit()
            results.append(won)

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False, True]
    db.session.rollback()
    assert db.session.get(Response, rid).status is ResponseStatus.SUBMITTED
