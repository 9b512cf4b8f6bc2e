from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, ValidationError

from survey.auth.users import MIN_PASSWORD_LENGTH
from survey.text import stripped


class LoginForm(FlaskForm):
    email = EmailField("E-mail", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])


class PasswordChangeForm(FlaskForm):
    """A staff member's own new password, after the current one."""

    current = PasswordField("Current password", validators=[DataRequired(), Length(max=1024)])
    password = PasswordField(
        f"New password (at least {MIN_PASSWORD_LENGTH} characters)",
        validators=[
            DataRequired(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=1024,
                message=f"It must have {MIN_PASSWORD_LENGTH} to 1024 characters.",
            ),
        ],
    )
    again = PasswordField(
        "New password again",
        validators=[DataRequired(), EqualTo("password", message="The two new passwords differ.")],
    )

    def validate_password(self, field: PasswordField) -> None:
        if field.data and self.current is not None and field.data == self.current.data:
            raise ValidationError("It is the password you have now.")


class NewPasswordForm(PasswordChangeForm):
    """A new password chosen through a reset link (the current one is forgotten)."""

    current = None


class ResetRequestForm(FlaskForm):
    email = EmailField("Your e-mail address", validators=[DataRequired(), Length(max=254)])


def _code_field(label: str) -> StringField:
    return StringField(
        label,
        filters=[stripped],
        validators=[DataRequired("Type the code your app shows."), Length(max=64)],
    )


class CodeForm(FlaskForm):
    """The second step of a sign-in: the authenticator app's code, or a recovery code."""

    code = _code_field("Code")


class CurrentPasswordForm(FlaskForm):
    """A change to how the account signs in, confirmed by its password."""

    current = PasswordField("Your password", validators=[DataRequired(), Length(max=1024)])


class TwoStepOnForm(CurrentPasswordForm):
    code = _code_field("The code the app shows now")


class TokenForm(FlaskForm):
    name = StringField(
        "Name",
        filters=[stripped],
        validators=[DataRequired("Name the token."), Length(max=100)],
    )
