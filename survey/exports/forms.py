"""Forms of the exports area: download options and the import upload (its confirmation is
survey.uploads')."""

from babel import Locale
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, RadioField, SelectChoice, SelectField
from wtforms.validators import Optional


class DownloadForm(FlaskForm):
    """The options of a download, sent as a GET query (a download changes nothing but the log)."""

    class Meta:
        csrf = False

    labels = RadioField(
        "Values in the wide file",
        choices=[
            SelectChoice("", "Codes (1, 2, …)"),
            SelectChoice("y", "Labels (Strongly disagree, …)"),
        ],
        default="",
        validators=[Optional()],
    )
    language = SelectField(
        "Language of labels and question texts", validators=[Optional()], validate_choice=False
    )
    spreadsheet = BooleanField("Spreadsheet-safe CSV files (for Excel)", default=True)

    def __init__(self, languages: tuple[str, ...], *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.language.choices = [
            SelectChoice(code, f"{Locale.parse(code).get_display_name(code)} ({code})")
            for code in languages
        ]


class ImportUploadForm(FlaskForm):
    file = FileField("Long file (CSV)", validators=[FileRequired("Choose a CSV file.")])
