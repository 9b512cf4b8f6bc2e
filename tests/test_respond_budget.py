"""A page save is at most four SQL statements in one transaction, however many participants the
workshop has: one joined select, the guarded update of the response (which also checks and
records the page's revision of a save sent in the background), one upsert of the page's answers
and one delete of the answers cleared on it."""

import pytest
from sqlalchemy import insert

from survey.extensions import db
from survey.models import Answer, Participant, Response, ResponseStatus
from survey.models._types import utcnow
from tests.respond_helpers import PRE, TRUST, Respondent, token_of

JSON = {"Accept": "application/json"}


def crowd(ws, count: int) -> None:
    """`count` other participants, each with a submitted pre response of 24 answers."""
    wave = ws.wave("pre")
    now = utcnow()
    group_ids = [g.id for g in ws.groups]
    db.session.execute(
        insert(Participant),
        [
            {
                "workshop_id": ws.id,
                "group_id": group_ids[i % 2],
                "public_id": f"C{i:05d}",
                "language": "en",
                "created_at": now,
            }
            for i in range(count)
        ],
    )
    ids = db.session.scalars(
        db.select(Participant.id).where(Participant.public_id.like("C%"))
    ).all()
    db.session.execute(
        insert(Response),
        [
            {
                "participant_id": pid,
                "wave_id": wave.id,
                "instrument_version_id": wave.instrument_version_id,
                "status": ResponseStatus.SUBMITTED,
                "language": "en",
                "started_at": now,
                "updated_at": now,
                "submitted_at": now,
            }
            for pid in ids
        ],
    )
    responses = db.session.scalars(db.select(Response.id)).all()
    db.session.execute(
        insert(Answer),
        [
            {"response_id": rid, "question": question, "item": "", "number": 4, "text": None}
            for rid in responses
            for question in (*TRUST, "trust_direct", "warmth", "meta_trust", "optimism")
        ],
    )
    db.session.commit()


def started(client, make, others: int) -> Respondent:
    """A participant among `others`, consent given and a text answer stored (to clear)."""
    ws = make.workshop()
    crowd(ws, others)
    you = Respondent(client)
    you.open(token_of(make.participant(ws)))
    you.answer("pre", "consent", PRE["consent"])
    you.answer("pre", "outlook", {"hope_text": "Something to clear", "optimism": "3"})
    return you


@pytest.mark.parametrize("others", [10, 1000])
def test_a_page_save_is_at_most_four_statements_in_one_transaction(
    client, make, count_statements, others
):
    you = started(client, make, others)
    budgets = {}
    for page, data in [
        ("profile", PRE["profile"]),
        ("trust", PRE["trust"]),
        ("priorities", PRE["priorities"]),
        ("outlook", {"hope_text": "", "optimism": "4"}),  # an upsert and a delete
    ]:
        you.get(f"/q/pre/{page}")  # the page as shown (and the instrument parsed once)
        db.session.rollback()  # the test shares the requests' session: start the POST afresh
        with count_statements() as seen:
            response = you.post(f"/q/pre/{page}", data)
        assert response.status_code == 302, you.html[:1000]
        budgets[page] = seen
    for page, seen in budgets.items():
        assert len(seen.statements) <= 4, (page, seen.statements)
        assert seen.begins == 1 and seen.commits == 1, page
    assert len(budgets["outlook"].statements) == 4
    assert any("DELETE" in s for s in budgets["outlook"].statements)


@pytest.mark.parametrize("others", [10, 1000])
def test_a_background_save_is_at_most_four_statements_in_one_transaction(
    client, make, count_statements, others
):
    you = started(client, make, others)
    you.get("/q/pre/trust")  # the page the script runs on
    db.session.rollback()
    budgets = {}
    for page, data, revision in [
        ("profile", PRE["profile"], 1),
        ("trust", PRE["trust"], 1),
        ("priorities", PRE["priorities"], 3),
        ("outlook", {"hope_text": "", "optimism": "4"}, 7),  # an upsert and a delete
        ("trust", PRE["trust"], 1),  # sent again: answered from the select alone
    ]:
        with count_statements() as seen:
            response = you.post(f"/q/pre/{page}", {**data, "revision": str(revision)}, headers=JSON)
        assert response.status_code == 200, response.get_data(as_text=True)[:500]
        budgets[f"{page} {revision}"] = seen
        db.session.rollback()
    for page, seen in budgets.items():
        assert len(seen.statements) <= 4, (page, seen.statements)
        assert seen.begins == 1 and seen.commits == 1, page
    assert len(budgets["outlook 7"].statements) == 4
