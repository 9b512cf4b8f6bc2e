"""Links as they are handed out: the public address, the link URLs and their QR codes."""

import pytest

from survey.links import PublicAddressError, base_url, invitation_link, join_link, qr_svg
from survey.tokens import current_invitation, invitation_for_token, join_code


def test_base_url_comes_from_the_option_the_config_or_the_request(app):
    assert base_url("https://a.example/") == "https://a.example"
    app.config["PUBLIC_URL"] = "https://b.example"
    assert base_url() == "https://b.example"
    app.config["PUBLIC_URL"] = None
    with pytest.raises(PublicAddressError, match="PUBLIC_URL"):
        base_url()
    with app.test_request_context("/", base_url="http://venue.local:8000"):
        assert base_url() == "http://venue.local:8000"
    with pytest.raises(PublicAddressError):
        base_url("javascript:alert(1)")


def test_links_are_recomputed_and_open_what_they_name(app, make):
    ws = make.workshop()
    person = make.participant(ws)
    invitation = current_invitation(person)
    link = invitation_link(invitation, "https://survey.example.org")
    assert link == invitation_link(invitation, "https://survey.example.org")  # the same again
    assert invitation_for_token(link.rsplit("/s/", 1)[1]).participant == person
    code = join_code(ws.group("nato"))
    assert (
        join_link("https://survey.example.org", code) == f"https://survey.example.org/join/{code}"
    )


def test_qr_codes_are_inline_svg_with_an_escaped_title(app):
    qr = qr_svg("https://survey.example.org/s/x", "<b>QR</b>")
    assert qr.startswith("<svg") and "<title>&lt;b&gt;QR&lt;/b&gt;</title>" in qr
    assert "<script" not in qr
