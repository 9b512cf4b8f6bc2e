from werkzeug.datastructures import MultiDict

from survey.dashboard.filters import Filters
from survey.dashboard.forms import FilterForm, TextFilterForm

CHOICES = {
    "sector": [("media", "Media"), ("academia", "Academia")],
    "experience": [("lt2", "Less than 2 years")],
    "language": [("en", "English")],
}


def test_unknown_values_are_dropped_and_reported(app):
    with app.test_request_context():
        form = FilterForm(MultiDict({"sector": "media", "language": "xx"}), CHOICES)
        assert form.filters() == Filters(sector="media")
        assert form.language.errors and not form.sector.errors
        assert FilterForm(MultiDict(), CHOICES).filters() == Filters()


def test_text_form_choices(app):
    with app.test_request_context():
        form = TextFilterForm(
            MultiDict({"question": "hope_text", "group": "mars", "wave": ""}),
            CHOICES,
            questions=[("hope_text", "Hope")],
            groups=[("nato", "NATO")],
            waves=[("pre", "Pre")],
        )
        form.filters()
        assert form.chosen("question") == "hope_text"
        assert form.chosen("group") is None and form.chosen("wave") is None
