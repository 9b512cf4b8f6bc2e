"""Upload, check, confirm: a file is checked when it is uploaded and written only when the user
confirms what the check showed. The checked file travels back with the confirmation, signed and
compressed, so that no upload store is needed on the server and any app host can take the
confirmation; it is checked again before anything is written. The roster import, the responses
import and the instrument import all work this way. A confirmation belongs to what it was
issued for: a workshop (its imports) or a staff member (their instrument uploads).
"""

import base64
import zlib
from dataclasses import dataclass

from flask import current_app
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, URLSafeSerializer
from wtforms import HiddenField
from wtforms.validators import DataRequired

from survey.models import StaffUser, Workshop


class UploadTooLarge(ValueError):
    """The checked file is too large to come back in a form field."""


class ConfirmationInvalid(ValueError):
    """The confirmation was not issued here for this owner and purpose (forged or altered)."""


@dataclass(frozen=True)
class CheckedUpload:
    """A file as it was checked."""

    data: bytes  # byte for byte (a form field would have its line ends rewritten by browsers)
    filename: str | None = None
    fingerprint: str | None = None  # what the check found, to tell whether it still holds


class ConfirmUploadForm(FlaskForm):
    """The confirmation of a checked upload: the CSRF token and the signed file."""

    payload = HiddenField(validators=[DataRequired()])


def confirmation_form(
    purpose: str, owner: Workshop | StaffUser, upload: CheckedUpload
) -> ConfirmUploadForm:
    """The form that confirms a checked upload (purpose: what the file is for, e.g. "roster";
    owner: the workshop it is for, or the staff member who uploaded it).

    Raises UploadTooLarge when the signed file would not fit in a form field.
    """
    payload = _serializer(purpose).dumps(
        {
            "owner": _owner(owner),
            "data": base64.b64encode(zlib.compress(upload.data)).decode("ascii"),
            "filename": upload.filename,
            "fingerprint": upload.fingerprint,
        }
    )
    if len(payload) >= current_app.config["MAX_FORM_MEMORY_SIZE"]:
        raise UploadTooLarge
    return ConfirmUploadForm(formdata=None, payload=payload)


def confirmed_upload(purpose: str, owner: Workshop | StaffUser, payload: str) -> CheckedUpload:
    """The checked file a confirmation carries back; raises ConfirmationInvalid."""
    try:
        content = _serializer(purpose).loads(payload)
        if content["owner"] != _owner(owner):
            raise ConfirmationInvalid
        data = zlib.decompress(base64.b64decode(content["data"], validate=True))
        return CheckedUpload(data, content["filename"], content["fingerprint"])
    except (BadSignature, KeyError, TypeError, ValueError, zlib.error) as error:
        raise ConfirmationInvalid from error


def _owner(owner: Workshop | StaffUser) -> str:
    return f"{owner.__tablename__}:{owner.id}"


def _serializer(purpose: str) -> URLSafeSerializer:
    # One salt per purpose: a roster's confirmation can never be posted as a responses import.
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=f"survey.uploads.{purpose}")
