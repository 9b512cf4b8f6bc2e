"""Checking e-mail addresses (rosters, the workshop contact)."""

import pytest

from survey.mail.addresses import address_problem


@pytest.mark.parametrize(
    "address",
    ["ana@example.org", "a.b+tag@mail.example.pk", "o'neil@example.co.uk", "ZOE@EXAMPLE.FR"],
)
def test_deliverable_addresses_pass(address):
    assert address_problem(address) is None


@pytest.mark.parametrize(
    ("address", "reason"),
    [
        ("ana example.org", "space"),
        ("ana@ example.org", "space"),
        ("ana.example.org", "exactly one @"),
        ("ana@b@example.org", "exactly one @"),
        ("@example.org", "empty"),
        ("ana@", "empty"),
        ("ana..b@example.org", "two dots"),
        (".ana@example.org", "two dots"),
        ("ana,bo@example.org", "character"),
        ("<ana@example.org>", "character"),
        ("ana@example", "domain"),
        ("ana@example..org", "domain"),
        ("ana@-example.org", "domain"),
        ("ana@example.123", "domain"),
        ("ana@example.org.", "domain"),  # mail libraries refuse to write a final dot
        ("a" * 65 + "@example.org", "too long"),
    ],
)
def test_malformed_addresses_say_why(address, reason):
    assert reason in address_problem(address)


def test_an_international_domain_passes():
    assert address_problem("ana@exämple.fr") is None
