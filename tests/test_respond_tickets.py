"""Resume tickets: signed, bound to a response, wave and invitation; expired ones still say
whose page it is but authorise nothing."""

import time
from datetime import timedelta

from survey.respond.tickets import Ticket, issue_ticket, may_write, read_ticket
from tests.conftest import mangled


def test_a_ticket_reads_back_and_authorises_its_own_response_only(app):
    with app.test_request_context():
        ticket = read_ticket(issue_ticket(7, "pre", 3))
    assert (ticket.response_id, ticket.wave, ticket.invitation_id) == (7, "pre", 3)
    assert ticket.authorises(7, "pre", 3)
    assert not ticket.authorises(8, "pre", 3)
    assert not ticket.authorises(7, "post", 3)
    assert not ticket.authorises(7, "pre", 4)  # a reissued link's page


def test_forged_or_mangled_tickets_are_refused(app):
    with app.test_request_context():
        ticket = issue_ticket(7, "pre", 3)
        assert read_ticket(mangled(ticket)) is None
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
    assert not expired.authorises(7, "pre", 3)
    assert expired.names(7, "pre", 3)


def test_a_write_needs_a_current_ticket_for_the_response_or_else_the_session(app):
    with app.test_request_context():
        current = read_ticket(issue_ticket(7, "pre", 3))
    expired = Ticket(7, "pre", 3, expired=True)
    valid, invalid = (lambda: True), (lambda: False)
    assert may_write(current, 7, "pre", 3, csrf_valid=invalid)
    assert may_write(None, 7, "pre", 3, csrf_valid=valid)
    assert not may_write(None, 7, "pre", 3, csrf_valid=invalid)
    assert may_write(expired, 7, "pre", 3, csrf_valid=valid)
    assert not may_write(expired, 7, "pre", 3, csrf_valid=invalid)
    # Another response's page never writes here, whatever the session says.
    assert not may_write(current, 8, "pre", 3, csrf_valid=valid)
    assert not may_write(current, 7, "pre", 4, csrf_valid=valid)
