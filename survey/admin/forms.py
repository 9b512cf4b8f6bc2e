"""Forms of the administration pages."""

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from survey.auth.users import MIN_PASSWORD_LENGTH
from survey.models import Role

ROLE_CHOICES = [SelectChoice(role.value) for role in Role]


class UserCreateForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField(
        f"Password (at least {MIN_PASSWORD_LENGTH} characters)",
        validators=[Optional(), Length(min=MIN_PASSWORD_LENGTH, max=1024)],
    )
    admin = BooleanField("Administrator (every workshop, accounts and the audit log)")


class GrantForm(FlaskForm):
    workshop = SelectField("Workshop", coerce=int, validators=[DataRequired()])
    role = SelectField("Role", choices=ROLE_CHOICES, validators=[DataRequired()])

    def __init__(self, workshops, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.workshop.choices = [SelectChoice(w.id, f"{w.title} ({w.slug})") for w in workshops]


class ButtonForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


class FlagForm(FlaskForm):
    """Turns an account's admin role or its access on or off."""

    value = SelectField(choices=["on", "off"], validators=[DataRequired()])


class PasswordForm(FlaskForm):
    password = PasswordField(
        "New password",
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=1024)],
    )


class AuditFilterForm(FlaskForm):
    """Filters in the query string: a GET form, so no CSRF token."""

    class Meta:
        csrf = False

    workshop = SelectField("Workshop", coerce=str, validators=[Optional()])
    action = SelectField("Action", validators=[Optional()])
    actor = StringField("Who", validators=[Optional(), Length(max=254)])
    since = DateField("From (UTC)", validators=[Optional()])
    until = DateField("To (UTC)", validators=[Optional()])

    def __init__(self, workshops, actions, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.workshop.choices = [
            SelectChoice("", "All"),
            *(SelectChoice(w.slug) for w in workshops),
        ]
        self.action.choices = [SelectChoice("", "All"), *(SelectChoice(a) for a in actions)]

    def validate_until(self, field: DateField) -> None:
        if field.data and self.since.data and field.data < self.since.data:
            raise ValidationError("The end date is before the start date.")
