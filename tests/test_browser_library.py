"""The organiser's path through the instrument library in real Chromium: upload an XLSForm in
three languages (a bad one first), preview it in Urdu, correct the Urdu on the review page
(right to left, in Nastaliq), mark it reviewed, see the diff, create a workshop with the
corrected version, and download it again as an XLSForm that pyxform converts."""

import os

import pytest
from pyxform import xls2xform

from survey.extensions import db
from survey.models import InstrumentVersion
from tests.browser_helpers import fill, next_page, serious_violations, sign_in
from tests.instrument_workbooks import (
    TRUST_KEEPS_UR,
    TRUST_KEEPS_UR_CORRECTED,
    UR,
    authored,
    workbook_bytes,
)

pytestmark = pytest.mark.browser

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Set to a folder to keep screenshots of each step (to look at them).
SHOTS = os.environ.get("SURVEY_SCREENSHOTS")


def shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"library-{name}.png"), full_page=True)


def choose_file(page, name: str, data: bytes) -> None:
    page.set_input_files(
        "input[type=file]", files=[{"name": name, "mimeType": XLSX, "buffer": data}]
    )


def test_import_preview_correct_review_and_download(app, make, live_server, page, tmp_path):
    from playwright.sync_api import expect

    # An organiser of a workshop (of the shipped questionnaire) brings a questionnaire of their own.
    email = make.user("organiser@example.org", grants={make.workshop("isb"): "organiser"}).email
    db.session.commit()  # hold no transaction open while the server writes
    page.set_default_timeout(15_000)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, email)

    page.get_by_role("link", name="Questionnaires").click()
    expect(page.locator("h1")).to_have_text("Questionnaires")
    shot(page, "index")

    # A bad workbook: every problem with its place, nothing stored.
    bad = authored()
    del bad["survey"][1][UR]
    choose_file(page, "lahore.xlsx", workbook_bytes(bad))
    page.get_by_role("button", name="Check the file").click()
    expect(page.locator(".error-summary h2")).to_have_text("1 problem: nothing was stored")
    expect(page.locator(".problems li")).to_have_text(
        "lahore.xlsx: survey, row 3, column D (label::Urdu (ur)): missing translation 'ur'"
    )
    shot(page, "check-refused")

    # The good one: checked, then stored on confirmation.
    choose_file(page, "lahore.xlsx", workbook_bytes(authored()))
    page.get_by_role("button", name="Check the file again").click()
    expect(page.locator(".summary")).to_contain_text("Importing stores it as lahore-2027@1")
    shot(page, "check")
    page.get_by_role("button", name="Store lahore-2027@1").click()
    expect(page.locator(".flash")).to_have_text("Stored as lahore-2027@1.")
    shot(page, "version")

    # Preview in Urdu as a participant of Pakistan: right to left, nothing stored.
    page.locator('a[href$="/preview/pre/pakistan/ur"]').click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator(".preview-banner")).to_be_visible()
    page.locator("input[name=agree]").check()  # the consent, in the preview
    page.locator("button[name=nav][value=next]:not(.default-submit)").click()
    expect(page.locator("legend").first).to_have_text("بھارت اپنے وعدے رکھتا ہے۔")
    page.set_viewport_size({"width": 360, "height": 740})
    shot(page, "preview-ur")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Correct the Urdu on the review page.
    page.goto(f"{live_server}/instruments/lahore-2027/1/review")
    cell = page.locator('textarea[name="t:pages.0.questions.0.texts:ur"]')
    expect(cell).to_have_attribute("dir", "rtl")
    expect(cell).to_have_value(TRUST_KEEPS_UR)
    family = cell.evaluate("element => getComputedStyle(element).fontFamily")
    assert "Noto Nastaliq Urdu" in family
    headers = page.locator("table.review thead th").all_inner_texts()
    assert headers == [
        "Text",
        "English (en)",
        "Urdu (ur)",
        "French (fr)",
    ]  # the source language first
    shot(page, "review")
    cell.fill(TRUST_KEEPS_UR_CORRECTED)
    page.get_by_role("button", name="Save the corrections as a new version").click()
    expect(page.locator(".flash")).to_contain_text(
        "The corrections are stored as lahore-2027@2; lahore-2027@1 is unchanged."
    )
    page.get_by_role("button", name="Mark ur as reviewed").click()
    expect(page.locator(".review-status")).to_contain_text("by organiser@example.org")
    shot(page, "reviewed")

    # The diff says what changed, and of which kind.
    page.goto(f"{live_server}/instruments/lahore-2027/diff")
    expect(page.locator(".summary")).to_contain_text("Only wording or translations changed")
    expect(page.locator("table.changes tbody tr")).to_have_count(1)
    shot(page, "diff")

    # A workshop from the corrected version.
    page.goto(f"{live_server}/instruments/lahore-2027/2")
    page.get_by_role("link", name="Create a workshop with it").click()
    page.fill("#title", "Lahore follow-up dialogue 2027")
    page.fill("#slug", "lahore")
    page.get_by_role("button", name="Create the workshop").click()
    expect(page.locator("h1")).to_have_text("Lahore follow-up dialogue 2027")
    expect(page.locator("body")).to_contain_text("lahore-2027@2")

    # Downloaded again as XLSForm: ODK's converter takes it.
    page.goto(f"{live_server}/instruments/lahore-2027/2")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as XLSForm (.xlsx)").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name == "lahore-2027-2.xlsx"
    assert xls2xform.convert(xlsform=str(path), validate=False).warnings == []
    db.session.expire_all()
    assert [
        v.label for v in InstrumentVersion.query.filter_by(key="lahore-2027").order_by("version")
    ] == [
        "lahore-2027@1",
        "lahore-2027@2",
    ]
    # The refused check answers 422, which Chromium logs; nothing else may fail.
    assert [error for error in page.console_errors if "422" not in error] == []


def test_a_workshop_runs_on_the_imported_questionnaire(app, make, live_server, page, browser):
    """A participant answers in Urdu on a phone under the workshop's heading; the organiser
    reads every dashboard page and the report."""
    from playwright.sync_api import expect

    from survey.instruments.store import import_file
    from survey.models import ResponseStatus
    from survey.organise.workshops import create_workshop, open_wave
    from tests import factories
    from tests.respond_helpers import token_of

    version, _ = import_file(workbook_bytes(authored()), "lahore.xlsx")
    ws = create_workshop(
        "lahore", "Lahore follow-up dialogue 2027", instrument_key=version.label, place="Lahore"
    )
    open_wave(ws.wave("pre"))
    db.session.commit()
    person = make.participant(ws, "pakistan", language="ur")
    for number in range(5):  # enough answers for the dashboards to show their charts
        for group in ("india", "pakistan"):
            other = make.participant(ws, group)
            factories.response(other, "pre", {"trust_keeps": 1 + number, "warmth": 10 * number})
    token = token_of(person)
    organiser = make.user("organiser@example.org", grants={ws: "organiser"}).email
    db.session.commit()
    page.set_default_timeout(15_000)

    page.goto(f"{live_server}/s/{token}")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator(".survey-title")).to_have_text("Lahore follow-up dialogue 2027")
    expect(page.locator(".survey-details")).to_have_text("Lahore")
    expect(page.locator(".survey-questionnaire")).to_have_text("لاہور مکالمہ")
    shot(page, "participant-ur")
    fill(page, {"agree": "y"})
    next_page(page)
    fill(page, {"trust_keeps": "4", "warmth": "۷۵"})
    next_page(page)
    fill(page, {"priorities-trade": "1", "priorities-water": "2", "priorities-visas": "3"})
    fill(page, {"topics": "sport"})
    next_page(page)
    next_page(page, ".submit-form .next")
    expect(page).to_have_url(f"{live_server}/q/pre/thanks")
    db.session.rollback()
    response = person.responses[0]
    assert response.status is ResponseStatus.SUBMITTED
    assert {a.question: a.number for a in response.answers if not a.item}["warmth"] == 75

    staff = browser.new_page(viewport={"width": 1280, "height": 900})
    staff.set_default_timeout(15_000)
    sign_in(staff, live_server, organiser)
    for path in ("", "/trust", "/perception", "/priorities", "/obstacles", "/text"):
        answer = staff.goto(f"{live_server}/workshops/lahore/dashboard{path}")
        assert answer.status == 200, path
        expect(staff.locator("h1")).to_be_visible()
    shot(staff, "dashboard-trust")
    report = staff.context.request.get(f"{live_server}/workshops/lahore/dashboard/report.html")
    assert report.status == 200 and "Lahore follow-up dialogue 2027" in report.text()
    staff.close()


def test_the_library_pages_pass_axe(app, make, live_server, browser, axe_source):
    from survey.instruments.store import import_file

    version, _ = import_file(workbook_bytes(authored()), "lahore.xlsx", user=None)
    email = make.user("admin@example.org", admin=True).email
    db.session.commit()
    # bypass_csp lets the test inject axe-core; the pages themselves allow no inline script.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    sign_in(page, live_server, email)
    found = {}
    for path in (
        "/instruments",
        f"/instruments/{version.key}/{version.version}",
        f"/instruments/{version.key}/{version.version}/review",
        f"/instruments/{version.key}/diff",
        "/workshops/new",
    ):
        page.goto(live_server + path)
        found[path] = serious_violations(page, axe_source)
    context.close()
    assert found == {path: [] for path in found}
