"""Forms of the organiser console."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    IntegerField,
    SelectField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

from survey.instruments.library import library
from survey.instruments.store import VersionNotFound, find
from survey.mail.addresses import address_problem
from survey.models import Role, StaffUser
from survey.organise.time_zones import exists_in_zone, time_zone_names
from survey.organise.workshops import SLUG, TITLE_MAX, workshops_visible_to
from survey.text import one_line, stripped

LOCAL_TIME = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> sends


def single_line(value: str | None) -> str | None:
    """A one-line field's value without line breaks or control characters (a browser sends
    none; a crafted request could, and the title goes into e-mail subjects)."""
    return one_line(value) if value else value


class WorkshopForm(FlaskForm):
    title = StringField(
        "Title", filters=[single_line], validators=[DataRequired(), Length(max=TITLE_MAX)]
    )
    slug = StringField(
        "Short name for addresses",
        validators=[
            DataRequired(),
            Regexp(SLUG, message="2–63 lower-case letters, digits or hyphens, e.g. islamabad-2014"),
        ],
    )
    place = StringField(
        "Place", filters=[single_line], validators=[Optional(), Length(max=TITLE_MAX)]
    )
    starts_on = DateField("First day", validators=[Optional()])
    ends_on = DateField("Last day", validators=[Optional()])
    instrument = SelectField("Questionnaire", validators=[DataRequired()])
    timezone = SelectField("Time zone", default="Asia/Karachi", validators=[DataRequired()])
    min_cell = IntegerField(
        "Smallest group shown in results",
        default=5,
        validators=[InputRequired(), NumberRange(min=2, max=100)],
    )
    copy_from = SelectField("Set it up as", default="")

    def __init__(self, *args, user: StaffUser | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = time_zone_names()
        if self.instrument is not None:  # not a field of WorkshopDetailsForm
            self.instrument.choices = instrument_choices(user)
            self.choose_instrument(self.instrument.data)
            # The workshops whose setup the user may copy: those they organise (admins: all).
            organised = workshops_visible_to(user, Role.ORGANISER) if user else []
            self.copy_from.choices = [("", "A new workshop: nothing copied")] + [
                (w.slug, f"{w.title} ({w.slug})") for w in organised
            ]

    def choose_instrument(self, reference: str | None) -> None:
        """Select the questionnaire `reference` names: a bare KEY whose shipped file is stored
        already is listed once, as its stored version KEY@N."""
        if reference and reference not in dict(self.instrument.choices):
            try:
                found = find(reference)
            except VersionNotFound:
                pass  # the choice's own validation says it is not one
            else:
                if found.version is not None:
                    reference = found.version.label
        self.instrument.data = reference

    def validate_ends_on(self, field: DateField) -> None:
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError("The last day cannot be before the first.")


class WorkshopDetailsForm(WorkshopForm):
    """A workshop's details once it exists (survey.organise.workshops.Details): its short name,
    in every address and command, its questionnaire (each wave's version, on the wave's page)
    and the workshop it was set up as are not among them."""

    slug = None
    instrument = None
    copy_from = None


def instrument_choices(user: StaffUser | None, key: str | None = None) -> list[tuple[str, str]]:
    """The questionnaires a workshop may be created from, as (reference, label): the shipped
    files and the stored versions the user may see (of the instrument `key` only, if given),
    newest first within each."""
    choices = []
    for entry in library(user, key):
        for version in reversed(entry.versions):
            label = f"{version.title} – {version.label} ({version.origin.value})"
            choices.append((version.label, label))
        # Once stored, the shipped file is one of the versions above: not listed a second time.
        if entry.shipped is not None and not entry.shipped_stored:
            title = entry.shipped.title(entry.shipped.default_language)
            choices.append((entry.key, f"{title} – {entry.key} (shipped file)"))
    return choices


# A window far from the present is a typing mistake, and near the ends of the calendar it
# cannot even be converted to UTC.
WINDOW_YEARS = range(2000, 2100)


def _within_window_years(form: FlaskForm, field: DateTimeLocalField) -> None:
    if field.data and field.data.year not in WINDOW_YEARS:
        first, last = WINDOW_YEARS[0], WINDOW_YEARS[-1]
        raise ValidationError(f"Choose a moment between the years {first} and {last}.")


class WaveScheduleForm(FlaskForm):
    """A wave's window as typed, in the workshop's time zone."""

    opens_at = DateTimeLocalField(
        "Opens", format=LOCAL_TIME, validators=[Optional(), _within_window_years]
    )
    closes_at = DateTimeLocalField(
        "Closes", format=LOCAL_TIME, validators=[Optional(), _within_window_years]
    )

    def __init__(self, timezone: str, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.timezone = timezone

    def validate_opens_at(self, field: DateTimeLocalField) -> None:
        self._shown_by_clocks(field)

    def validate_closes_at(self, field: DateTimeLocalField) -> None:
        self._shown_by_clocks(field)
        if field.data and self.opens_at.data and field.data <= self.opens_at.data:
            raise ValidationError("The wave must close after it opens.")

    def _shown_by_clocks(self, field: DateTimeLocalField) -> None:
        # Only a time the field's own validators accepted (a year far off is not converted).
        if field.data and not field.errors and not exists_in_zone(field.data, self.timezone):
            raise ValidationError(
                f"{field.data:%Y-%m-%d %H:%M} does not exist in {self.timezone}: the clocks go "
                "forward over it. Choose a time before or after."
            )


def an_email_address(form: FlaskForm, field: StringField) -> None:
    problem = address_problem(field.data.strip())
    if problem:
        raise ValidationError(f"This is not an e-mail address: {problem}.")


class ContactForm(FlaskForm):
    contact_name = StringField(
        "Name", filters=[single_line], validators=[Optional(), Length(max=200)]
    )
    contact_email = StringField(
        "E-mail", validators=[Optional(), Length(max=254), an_email_address]
    )
    contact_phone = StringField(
        "Phone",
        validators=[
            Optional(),
            Length(max=50),
            Regexp(
                r"^\+?[0-9 ()./-]{4,}$",
                message="Digits, spaces and + ( ) . / - only, e.g. +92 51 123 4567.",
            ),
        ],
    )


class ParticipantForm(FlaskForm):
    """A participant's name, e-mail address and language, as a roster row gives them."""

    name = StringField("Name", filters=[single_line], validators=[Optional(), Length(max=200)])
    email = StringField(
        "E-mail",
        filters=[stripped],
        validators=[Optional(), Length(max=254), an_email_address],
    )
    language = SelectField("Language")

    def __init__(self, languages: list[tuple[str, str]], *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.language.choices = [("", "Not given: their pages follow their browser"), *languages]


class WaveVersionForm(FlaskForm):
    """The version of its instrument a wave uses."""

    version = SelectField("Questionnaire version", validators=[DataRequired()])

    def __init__(self, key: str, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.version.choices = instrument_choices(None, key)


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token."""


def group_labels_form(groups, formdata=None) -> FlaskForm:
    """A form with one label field per group (a fresh class, as the groups are data)."""

    class GroupLabelsForm(FlaskForm):
        def validate(self, extra_validators=None) -> bool:
            """Each label on its own, then no two alike (as workshops.set_group_labels needs):
            the second of two equal labels says which group has it already."""
            valid = super().validate(extra_validators)
            first: dict[str, str] = {}
            for group in groups:
                field = self[f"label_{group.code}"]
                label = (field.data or "").strip().casefold()
                if label and label in first:
                    field.errors.append(
                        f"The group {first[label]} has the same label; a roster may name a "
                        "group by its label, so each needs its own."
                    )
                    valid = False
                first.setdefault(label, group.code)
            return valid

    for group in groups:
        setattr(
            GroupLabelsForm,
            f"label_{group.code}",
            StringField(
                f"Label of {group.code}",
                default=group.label,
                filters=[single_line],
                validators=[DataRequired("Give the group a label."), Length(max=100)],
            ),
        )
    return GroupLabelsForm(formdata=formdata)


class RosterUploadForm(FlaskForm):
    file = FileField("Roster file (CSV)", validators=[FileRequired("Choose a CSV file.")])


class TypedConfirmForm(FlaskForm):
    """An action that cannot be undone, confirmed by typing the name of what it deletes (in
    any case)."""

    confirm = StringField("Type it to confirm", validators=[DataRequired()])

    def __init__(self, expected: str, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.expected = expected

    def validate_confirm(self, field: StringField) -> None:
        if field.data.strip().upper() != self.expected.upper():
            raise ValidationError(f"Type {self.expected} exactly to confirm.")


class WithdrawForm(TypedConfirmForm):
    confirm = StringField(
        "Type the participant's public id to confirm", validators=[DataRequired()]
    )
    # Shown only when the linking code pairs the participant with others (the page names them).
    paired_too = BooleanField("Withdraw them too", default=True)


class WorkshopConfirmForm(TypedConfirmForm):
    confirm = StringField(
        "Type the workshop's short name (in its address) to confirm", validators=[DataRequired()]
    )
