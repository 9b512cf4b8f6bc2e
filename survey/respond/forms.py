"""The participant's forms: the questionnaire page (a fresh class per request, built from the
page's field handlers), consent, enrolment through a join link, and the language switch."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import DataRequired, Length, StopValidation, ValidationError

from survey.linking import LinkingCodeError, normalise
from survey.respond.fields import FieldHandler

#: Form keys every questionnaire POST may carry besides the questions' own inputs: `revision`
#: is the page's revision that a save sent in the background carries (survey.respond.posting).
CONTROL_KEYS = frozenset({"csrf_token", "ticket", "nav", "language", "revision"})


class AnswersForm(FlaskForm):
    """The questions of one page."""

    class Meta:
        # Checked by the view instead: the session's CSRF token OR the page's resume ticket,
        # so that an expired session never costs the participant the answers on the page.
        csrf = False

    enforce_required = False

    def input_names(self) -> set[str]:
        return set().union(*(field.input_names() for field in self)) if self._fields else set()

    def unknown_keys(self, formdata: Mapping) -> set[str]:
        """Posted keys that belong to no question of this page (tampering or another page)."""
        return set(formdata.keys()) - self.input_names() - CONTROL_KEYS

    def rows(self) -> dict[str, list]:
        """The answer rows of every question on the page (an empty list: unanswered)."""
        return {field.question.code: field.handler.rows(field.data) for field in self}

    def values(self) -> list[tuple[str, str]]:
        """The (input name, value) pairs the form posts as it shows its data."""
        return [pair for field in self for pair in field.form_values()]


def answers_form(
    handlers: Iterable[FieldHandler],
    *,
    formdata: Mapping | None = None,
    data: Mapping[str, Any] | None = None,
    enforce_required: bool = False,
) -> AnswersForm:
    """A form for these questions: parsed from `formdata` when posted, else filled from `data`
    (question code -> the handler's data)."""
    handlers = list(handlers)
    attributes = {f"q_{h.question.code}": h.field() for h in handlers}
    attributes["enforce_required"] = enforce_required
    form_class = type("PageAnswersForm", (AnswersForm,), attributes)
    initial = {f"q_{code}": value for code, value in (data or {}).items()}
    return form_class(formdata=formdata, data=initial)


#: What consent without the box ticked says (also shown by the script, before any request).
AGREE_REQUIRED = _l("To take part, tick the box to say that you agree.")


class ConsentForm(FlaskForm):
    class Meta:
        csrf = False  # checked by the view, as for AnswersForm

    # The page writes the consent statement as the box's label. A field given no label gets
    # one made from its name through WTForms' own catalogue, read from disk on every request.
    agree = BooleanField("")

    def validate_agree(self, field: BooleanField) -> None:
        if not field.data:
            raise StopValidation(AGREE_REQUIRED)


class LanguageForm(FlaskForm):
    """The language switch shown on pages that have no answers to carry."""

    language = HiddenField("")  # labels: see ConsentForm
    next = HiddenField("")


class _LinkingPart(StringField):
    """One prompt of the linking code; `part` names it for survey.linking.normalise."""

    def __init__(self, label, part: str, **kwargs) -> None:
        super().__init__(
            label, validators=[DataRequired(_l("Please answer this.")), Length(max=40)], **kwargs
        )
        self.part = part

    def post_validate(self, form, validation_stopped: bool) -> None:
        if validation_stopped:
            return
        try:
            normalise(self.part, self.data)
        except LinkingCodeError as error:
            raise ValidationError(PART_MESSAGES[error.args[0]]) from None


PART_MESSAGES = {
    "letters": _l("Enter letters only, for example “ma”."),
    "day": _l("Enter a day from 1 to 31."),
    "siblings": _l("Enter a number from 0 to 9."),
}


class EnrolForm(FlaskForm):
    """Joining a group through its join link: the four linking-code prompts (the language is
    the one the page is shown in, chosen with the language switch above it)."""

    mother = _LinkingPart(_l("The first two letters of your mother's first name"), "mother")
    day = _LinkingPart(_l("The day of the month you were born (1 to 31)"), "day")
    town = _LinkingPart(_l("The first two letters of the town where you were born"), "town")
    siblings = _LinkingPart(_l("How many older brothers and sisters you have (0 to 9)"), "siblings")

    def answers(self) -> dict[str, str]:
        return {part: getattr(self, part).data for part in ("mother", "day", "town", "siblings")}


class CardCodeForm(FlaskForm):
    """The code printed on a participant's card, typed in (any case, with or without dashes)."""

    code = StringField(
        _l("The code on your card"),
        validators=[DataRequired(_l("Type the code printed on your card.")), Length(max=80)],
    )
