"""The translation review's problems: a refused correction's are named as the review's table
names its rows, in the page's order."""

from survey.models import InstrumentVersion
from tests.conftest import csrf_token
from tests.test_library_routes import admin, imported  # noqa: F401 (admin: a fixture)


def test_a_refused_correction_names_the_rows_the_reviewer_sees(app, admin, client):  # noqa: F811
    imported(client)
    page = client.get("/instruments/lahore-2027/1/review").get_data(as_text=True)
    assert "page plans, question hope, text</th>" in page  # the row's header

    response = client.post(
        "/instruments/lahore-2027/1/review",
        data={
            "csrf_token": csrf_token(page),
            "t:pages.1.questions.2.texts:fr": "{inconnu} espère",
            "t:groups.0.forms.*.own:ur": "",
            "t:titles:ur": "",
        },
    )
    html = response.get_data(as_text=True)
    problems = html.split('<ul class="problems">')[1].split("</ul>")[0]

    assert response.status_code == 422
    assert "3 problems: nothing was stored" in html
    # In the page's order, each at its row and language, not at a path of the file.
    assert (
        problems.index('<li dir="auto">title (ur): ')
        < problems.index('<li dir="auto">group india, form {own} (ur): ')
        < problems.index('<li dir="auto">page plans, question hope, text (fr): placeholder')
    )
    assert "pages[1]" not in problems and "lahore-2027:" not in problems
    assert InstrumentVersion.query.count() == 1
