"""Upload, check, confirm: the checked file comes back signed, byte for byte, only to the
workshop and the use it was checked for."""

import pytest

from survey.uploads import (
    CheckedUpload,
    ConfirmationInvalid,
    UploadTooLarge,
    confirmation_form,
    confirmed_upload,
)
from tests.conftest import mangled

DATA = "group,name\r\nnato,Zoë\nnato,Ali\r\n".encode() * 50  # mixed line ends, non-ASCII


def test_the_checked_file_comes_back_byte_for_byte(app, make):
    ws = make.workshop()
    upload = CheckedUpload(DATA, "roster.csv", fingerprint="abc")
    with app.test_request_context():
        payload = confirmation_form("roster", ws, upload).payload.data
    assert confirmed_upload("roster", ws, payload) == upload
    assert len(payload) < len(DATA)  # compressed


def test_a_confirmation_opens_only_for_its_workshop_and_use(app, make):
    ws, other = make.workshop(), make.workshop()
    with app.test_request_context():
        payload = confirmation_form("roster", ws, CheckedUpload(DATA)).payload.data
    with pytest.raises(ConfirmationInvalid):
        confirmed_upload("roster", other, payload)
    with pytest.raises(ConfirmationInvalid):
        confirmed_upload("responses", ws, payload)  # a roster is never imported as responses
    for forged in ("", "x", mangled(payload), payload.replace(".", "x.", 1)):
        with pytest.raises(ConfirmationInvalid):
            confirmed_upload("roster", ws, forged)


def test_a_file_that_cannot_come_back_in_a_form_field_is_refused(app, make):
    app.config["MAX_FORM_MEMORY_SIZE"] = 100
    with app.test_request_context(), pytest.raises(UploadTooLarge):
        confirmation_form("roster", make.workshop(), CheckedUpload(DATA))
