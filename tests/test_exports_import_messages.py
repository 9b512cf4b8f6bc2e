"""What the exports pages say: a file a spreadsheet saved with semicolons or tabs is named as
such, the import's summary counts in words, the data package's hint names what it holds, and a
long problem wraps on a phone."""

import pytest

from survey.exports.importer import import_long
from tests import exports_data
from tests.browser_helpers import sign_in as sign_in_browser
from tests.conftest import sign_in
from tests.test_exports_importer import HEADER, counts, lines, row
from tests.test_exports_routes import _upload


@pytest.mark.parametrize(("separator", "name"), [(";", "semicolons"), ("\t", "tabs")])
def test_a_header_saved_with_semicolons_or_tabs_is_named_so(app, make, separator, name):
    ws = make.workshop("ws", open_waves=("pre",))
    data = lines(row()).replace(b",", separator.encode())

    result = import_long(ws, data)

    assert [str(problem) for problem in result.problems] == [
        f"line 1: the cells are separated by {name}, not commas: save the file as CSV with "
        "commas (the plain long file's format)"
    ]
    assert counts() == (0, 0, 0)


def test_another_header_is_still_shown_as_it_is(app, make):
    ws = make.workshop("ws", open_waves=("pre",))
    data = lines(row()).replace(b"submitted_at", b"when").replace(b",", b";")

    problem = str(import_long(ws, data).problems[0])

    assert problem.startswith(f"line 1: the header must be {HEADER} (got workshop;participant;")


def test_the_check_of_one_response_counts_in_the_singular(app, make, client):
    ws = make.workshop("paper", open_waves=())
    sign_in(client, make.user(admin=True))

    html = _upload(client, ws.slug, lines(row(ws="paper"))).get_data(as_text=True)

    assert "The file is valid" in html
    assert "<strong>1</strong> submitted response\n" in html
    assert "(<strong>1</strong> answer)" in html


def test_the_data_package_hint_names_its_five_files(app, make, client):
    ws = exports_data.build(make, "hint")
    sign_in(client, make.user(grants={ws: "researcher"}))

    html = client.get(f"/workshops/{ws.slug}/exports").get_data(as_text=True)

    assert "The three files" not in html
    assert "codings" in html and "themes" in html


@pytest.mark.browser
def test_a_long_import_problem_wraps_on_a_phone(app, make, live_server, page, tmp_path):
    ws = make.workshop("phone", open_waves=("pre",))
    organiser = make.user(grants={ws: "organiser"})
    paper = tmp_path / "typed-in-excel.csv"
    # A header the page cannot read, shown as it is: one long run without spaces.
    paper.write_bytes(lines(row(ws="phone")).replace(b"submitted_at", b"at").replace(b",", b";"))
    sign_in_browser(page, live_server, organiser)

    page.goto(f"{live_server}/workshops/{ws.slug}/responses/import")
    page.set_input_files("input[type=file]", str(paper))
    page.get_by_role("button", name="Check the file").click()
    page.wait_for_load_state()

    assert page.locator(".import-problems").inner_text().count("the header must be") == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
