"""Resume tickets: signed, bound to a response, wave and invitation; expired ones still say
whose page it is but authorise nothing."""

import time
from datetime import timedelta

from survey.respond.tickets import issue_ticket, read_ticket


def test_a_ticket_reads_back_and_authorises_its_own_response_only(app):
    with app.test_request_context():
        ticket = read_ticket(issue_ticket(7, "pre", 3))
    assert (ticket.response_id, ticket.wave, ticket.invitation_id) == (7, "pre", 3)
    assert ticket.authorises(7, "pre")
    assert not ticket.authorises(8, "pre")
    assert not ticket.authorises(7, "post")


def test_forged_or_mangled_tickets_are_refused(app):
    with app.test_request_context():
        ticket = issue_ticket(7, "pre", 3)
        assert read_ticket(ticket[:-2] + "xx") is None
        assert read_ticket("WzcsInByZSIsM10.abc.def") is None
        assert read_ticket("") is None and read_ticket(None) is None
        assert read_ticket("x" * 2000) is None
    other = app.__class__(app.import_name)
    other.config.update(app.config, SECRET_KEY="another key")
    with other.test_request_context():
        assert read_ticket(ticket) is None  # signed with another key


def test_expired_tickets_name_the_page_but_authorise_nothing(app):
    with app.test_request_context():
        ticket = issue_ticket(7, "pre", 3)
        time.sleep(1.1)
        app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(seconds=0)
        expired = read_ticket(ticket)
    assert expired.expired and expired.response_id == 7
    assert not expired.authorises(7, "pre")
