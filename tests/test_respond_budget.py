"""A page save is at most four SQL statements in one transaction, however many participants the
workshop has: one joined select, the guarded update of the response (which also checks and
records the page's revision of a save sent in the background), one upsert of the page's answers
and one delete of the answers cleared on it."""

import pytest

from survey.extensions import db
from tests.respond_helpers import PRE, TRUST, Respondent, token_of

JSON = {"Accept": "application/json"}


def started(client, make, others: int) -> Respondent:
    """A participant among `others`, consent given and a text answer stored (to clear)."""
    ws = make.workshop()
    # Other participants, each with a submitted pre response.
    answered = dict.fromkeys((*TRUST, "trust_direct", "warmth", "meta_trust", "optimism"), 4)
    make.submitted_in_bulk(ws, others, answered, prefix="C")
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
