"""A page save is at most four SQL statements in one transaction, however many participants the
workshop has: one joined select, the guarded update of the response (which also checks and
records the page's revision of a save sent in the background), one upsert of the page's answers
and one delete of the answers cleared on it. The way in is as lean: a personal link is four
selects, the first page of a wave four statements (the response started in between), and the
script's submit one transaction that also reads the thank-you page it brings."""

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


def test_the_way_in_reads_each_row_once(client, make, count_statements):
    ws = make.workshop()
    warm = Respondent(client)  # the instrument is parsed once per process
    warm.open(token_of(make.participant(ws)))
    warm.get("/q/pre/consent")
    db.session.rollback()
    you = Respondent(client)
    token = token_of(make.participant(ws))
    db.session.rollback()
    with count_statements() as link:
        assert you.open(token).status_code == 302
    db.session.rollback()
    with count_statements() as first_page:
        assert you.get("/q/pre/consent").status_code == 200
    # The invitation with its participant and workshop, the submitted waves, the waves, the
    # visit: nothing loaded twice.
    assert len(link.statements) == 4, link.statements
    # The visit, the response started and read back, its (no) answers: the page is shown from
    # the visit as read, not from every row read again after the response's commit.
    assert len(first_page.statements) == 4, first_page.statements
    assert sum("INSERT INTO response" in s for s in first_page.statements) == 1


def test_the_scripts_submit_reads_its_thank_you_page_in_its_own_transaction(
    client, make, count_statements
):
    ws = make.workshop()
    you = Respondent(client)
    you.open(token_of(make.participant(ws)))
    you.complete("pre", PRE, submit=False)
    you.get("/q/pre/review")
    db.session.rollback()
    with count_statements() as seen:
        response = you.post("/q/pre/review", {}, nav=None, headers=JSON)
    assert response.get_json()["status"] == "submitted"
    assert "Thank you" in response.get_json()["title"]
    assert seen.begins == 1 and seen.commits == 1
    assert len(seen.statements) <= 6, seen.statements


def test_the_way_in_reads_no_catalogue_of_wtforms_from_disk(client, make, monkeypatch):
    """Flask-WTF reads WTForms' own catalogue from disk once per request that translates one of
    WTForms' messages, such as the label it makes for a field given none: the consent page, its
    save, the language switch and the pages after them translate none."""
    from babel import support

    read = []
    load = support.Translations.load

    def counted(dirname=None, locales=None, domain=None):
        if domain == "wtforms":
            read.append(domain)
        return load(dirname, locales, domain)

    monkeypatch.setattr(support.Translations, "load", counted)
    you = Respondent(client)
    you.open(token_of(make.participant(make.workshop())))
    assert you.answer("pre", "consent", PRE["consent"]).status_code == 302
    assert you.answer("pre", "profile", PRE["profile"]).status_code == 302
    switched = you.post("/q/language", {"language": "ur", "next": "/q/pre/trust"}, nav=None)
    assert switched.status_code == 302
    assert you.get("/q/pre/trust").status_code == 200 and 'lang="ur"' in you.html
    assert read == []
