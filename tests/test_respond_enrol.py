"""Enrolling through a join link: a participant of the group with only keyed hashes of the
linking code, and a personal link that works like an invited participant's."""

import pytest

from survey.extensions import db
from survey.linking import LinkingCodeError, linking_hashes
from survey.links import invitation_link, qr_svg
from survey.models import ParticipantSource
from survey.respond.enrol import enrol
from survey.tokens import invitation_for_token

ANSWERS = {"mother": "Amina", "day": "3", "town": "Quetta", "siblings": "1"}


def test_enrolment_makes_a_participant_with_a_personal_link(app, make):
    ws = make.workshop()
    invitation = enrol(ws.group("pakistan"), "ur", ANSWERS)
    db.session.commit()
    person = invitation.participant
    assert person.source is ParticipantSource.JOIN and person.group.code == "pakistan"
    assert person.language == "ur" and person.public_id.startswith("P")
    assert {
        "link_mother": person.link_mother,
        "link_day": person.link_day,
        "link_town": person.link_town,
        "link_siblings": person.link_siblings,
    } == linking_hashes(ws, ANSWERS)
    with app.test_request_context(base_url="https://survey.example.org"):
        link = invitation_link(invitation)
    assert link.startswith("https://survey.example.org/s/")
    assert invitation_for_token(link.rsplit("/", 1)[1]).participant == person


def test_public_address_comes_from_config(app, make):
    invitation = enrol(make.workshop().group("nato"), "en", ANSWERS)
    db.session.commit()
    app.config["PUBLIC_URL"] = "https://links.example.org/"
    with app.test_request_context():
        link = invitation_link(invitation)
        qr = qr_svg(link, "QR code")
    assert link.startswith("https://links.example.org/s/")
    assert qr.startswith("<svg") and "<title>QR code</title>" in qr


def test_unusable_answers_create_nobody(make):
    ws = make.workshop()
    with pytest.raises(LinkingCodeError):
        enrol(ws.group("nato"), "en", {**ANSWERS, "day": "45"})
    db.session.commit()
    assert ws.participants == []
