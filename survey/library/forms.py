"""Forms of the instrument library."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField

from survey.instruments.store import Found
from survey.instruments.texts import translated_texts


class InstrumentUploadForm(FlaskForm):
    file = FileField(
        "Questionnaire file (XLSForm .xlsx, YAML or JSON)",
        validators=[FileRequired("Choose a file.")],
    )


class DiffForm(FlaskForm):
    """Two versions of an instrument to compare (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    before = SelectField("From")
    after = SelectField("To")


def corrections(found: Found, formdata) -> dict[tuple[str, str], str]:
    """The texts a review form posts, (text id, language) -> text, for the texts the version
    has; line ends as browsers post them (CR LF) are read as the document writes them."""
    posted = {}
    for text in translated_texts(found.instrument.definition):
        for language in text.texts:
            value = formdata.get(field_name(text.id, language))
            if value is not None:
                posted[(text.id, language)] = value.replace("\r\n", "\n").replace("\r", "\n")
    return posted


def field_name(text_id: str, language: str) -> str:
    """The form field of one text in one language on the review page."""
    return f"t:{text_id}:{language}"
