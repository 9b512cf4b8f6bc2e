"""Forms of the console's e-mail pages and of the participants' opt-out page."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, ValidationError

from survey.mail.content import BODY_MAX, SUBJECT_MAX, body_problems, subject_problems
from survey.models import ReminderAnchor


class TemplateForm(FlaskForm):
    subject = StringField("Subject", validators=[DataRequired(), Length(max=SUBJECT_MAX)])
    body = TextAreaField("Message", validators=[DataRequired(), Length(max=BODY_MAX)])

    # Each problem is said at the field that has it (a subject's, at the subject).
    def validate_subject(self, field: StringField) -> None:
        _raise_problems(subject_problems(field.data or ""))

    def validate_body(self, field: TextAreaField) -> None:
        _raise_problems(body_problems(field.data or ""))


def _raise_problems(problems: list[str]) -> None:
    if problems:
        raise ValidationError("; ".join(problems).capitalize() + ".")


class ReminderForm(FlaskForm):
    days = IntegerField("Days", default=0, validators=[InputRequired(), NumberRange(0, 365)])
    hours = IntegerField("Hours", default=0, validators=[InputRequired(), NumberRange(0, 23)])
    anchor = SelectField(
        "When",
        choices=[
            SelectChoice(ReminderAnchor.AFTER_OPENING.value, "after the wave opens"),
            SelectChoice(ReminderAnchor.BEFORE_CLOSING.value, "before the wave closes"),
        ],
        validators=[DataRequired()],
    )


class SendForm(FlaskForm):
    """The confirmation of a batch: the CSRF token, and whether to resend unknown outcomes."""

    resend_unknown = BooleanField("Also resend the messages whose outcome is unknown")


class OptOutForm(FlaskForm):
    """The participant's confirmation that no more e-mail should come (only the CSRF token)."""
