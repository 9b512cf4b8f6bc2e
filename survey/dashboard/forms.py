"""The dashboards' filter forms: plain GET forms (no CSRF: they change nothing), so that they
work without JavaScript and every filtered page has its own address; and the organisers' switch
that shares the findings with the participants."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField
from wtforms.validators import AnyOf

from survey.analysis.records import FILTER_KEYS
from survey.dashboard.filters import FILTER_LABELS, Filters

Choices = Sequence[tuple[str, str]]


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    sector = SelectField(FILTER_LABELS["sector"], default="")
    experience = SelectField(FILTER_LABELS["experience"], default="")
    language = SelectField(FILTER_LABELS["language"], default="")

    def __init__(self, formdata, choices: Mapping[str, Choices], **kwargs) -> None:
        super().__init__(formdata=formdata, **kwargs)
        for key in FILTER_KEYS:
            self[key].choices = [("", "All"), *choices.get(key, [])]

    def filters(self) -> Filters:
        """The valid filters; a value the instrument does not know is dropped (and reported by
        the field's error)."""
        self.validate()
        return Filters(
            **{key: self[key].data or None for key in FILTER_KEYS if not self[key].errors}
        )


class TextFilterForm(FilterForm):
    question = SelectField("Question", default="")
    group = SelectField("Group", default="")
    wave = SelectField("Wave", default="")

    def __init__(
        self,
        formdata,
        choices: Mapping[str, Choices],
        *,
        questions: Choices,
        groups: Choices,
        waves: Choices,
    ) -> None:
        super().__init__(formdata, choices)
        self.question.choices = [("", "All"), *questions]
        self.group.choices = [("", "All"), *groups]
        self.wave.choices = [("", "All"), *waves]

    def chosen(self, name: str) -> str | None:
        field = self[name]
        return field.data or None if not field.errors else None


class SharingForm(FlaskForm):
    """Share the findings with the participants ("on"), or stop ("off")."""

    share = HiddenField(validators=[AnyOf(("on", "off"))])
