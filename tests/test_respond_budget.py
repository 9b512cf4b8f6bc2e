"""A page save is at most four SQL statements in one transaction, however many participants the
workshop has: one joined select, the guarded update of the response, one upsert of the page's
answers and one delete of the answers cleared on it."""

import pytest

from survey.extensions import db
from tests.respond_helpers import PRE, TRUST, Respondent, token_of


@pytest.mark.parametrize("others", [10, 1000])
def test_a_page_save_is_at_most_four_statements_in_one_transaction(
    client, make, count_statements, others
):
    ws = make.workshop()
    # Other participants, each with a submitted pre response.
    answered = dict.fromkeys((*TRUST, "trust_direct", "warmth", "meta_trust", "optimism"), 4)
    make.submitted_in_bulk(ws, others, answered, prefix="C")
    you = Respondent(client)
    you.open(token_of(make.participant(ws)))
    you.answer("pre", "consent", PRE["consent"])
    you.answer("pre", "outlook", {"hope_text": "Something to clear", "optimism": "3"})

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
