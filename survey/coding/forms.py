"""Forms of the coding pages. A coding form is built per page, as the themes are data: one set
of theme checkboxes and a "no theme" box per answer shown."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from survey.coding.themes import DESCRIPTION_MAX, LABEL_MAX
from survey.models import Theme
from survey.security import posted_id

NO_THEME = "none"


class ThemeForm(FlaskForm):
    code = StringField("Code (used in files)", validators=[DataRequired(), Length(max=64)])
    label = StringField("Label", validators=[DataRequired(), Length(max=LABEL_MAX)])
    description = TextAreaField(
        "Description (what the theme covers, for the coders)",
        validators=[Optional(), Length(max=DESCRIPTION_MAX)],
    )
    parent = SelectField("Under the theme", coerce=int, default=0)

    def __init__(self, themes: Sequence[Theme], *args, exclude: Theme | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent.choices = [(0, "— none (a top theme)")] + [
            (t.id, f"{t.code}: {t.label}") for t in themes if t is not exclude
        ]


class ThemeUploadForm(FlaskForm):
    file = FileField("Codebook file (CSV)", validators=[FileRequired("Choose a CSV file.")])


class SampleForm(FlaskForm):
    question = SelectField("Question", validators=[DataRequired()])
    coder = SelectField("Second coder", coerce=int, validators=[InputRequired()])
    share = IntegerField(
        "Share of the answers (%)",
        default=20,
        validators=[InputRequired(), NumberRange(min=1, max=100)],
    )


class CodingForm(FlaskForm):
    """The CSRF token and where to go next; the codes themselves are read by read_codes."""

    next = HiddenField("")  # a label would be read from WTForms' catalogue on disk

    def validate_next(self, field: HiddenField) -> None:
        if field.data and posted_id(field.data) is None:
            raise ValidationError("not an answer")


@dataclass(frozen=True)
class PostedCoding:
    """What the form says about one answer: its theme ids, "no theme", or nothing."""

    themes: frozenset[int]
    no_theme: bool

    @property
    def coded(self) -> bool:
        return self.no_theme or bool(self.themes)


class CodesInvalid(ValueError):
    """Posted codes that the page did not offer."""


def field_name(answer_id: int) -> str:
    """The name of an answer's theme checkboxes (its "no theme" box adds -none)."""
    return f"answer-{answer_id}"


def read_codes(
    formdata: Mapping, answer_ids: Sequence[int], theme_ids: set[int]
) -> dict[int, PostedCoding]:
    """Each shown answer's posted codes; raises CodesInvalid for a theme not offered, or for
    "no theme" beside a theme."""
    found = {}
    for answer_id in answer_ids:
        name = field_name(answer_id)
        values = formdata.getlist(name)
        try:
            themes = frozenset(int(v) for v in values)
        except ValueError:
            raise CodesInvalid("a theme that is not offered") from None
        if not themes <= theme_ids:
            raise CodesInvalid("a theme that is not offered")
        no_theme = formdata.get(f"{name}-{NO_THEME}") == NO_THEME
        if no_theme and themes:
            raise CodesInvalid("“No theme” beside a theme: choose one or the other")
        found[answer_id] = PostedCoding(themes, no_theme)
    return found
