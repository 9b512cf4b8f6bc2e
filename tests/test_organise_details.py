"""A workshop's details changed once it exists: the title, place, dates, time zone and the
smallest group shown; the participants' pages and the dashboards follow at once."""

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from survey.admin.audit_log import readable_detail
from survey.extensions import db
from survey.models import AuditEvent
from survey.organise.workshops import Details, WorkshopError, set_details
from tests.conftest import csrf_token, sign_in
from tests.dashboard_helpers import populate
from tests.respond_helpers import PRE, Respondent, token_of

FORM = {
    "title": "Islamabad dialogue",
    "place": "Islamabad",
    "starts_on": "2026-12-10",
    "ends_on": "2026-12-11",
    "timezone": "Asia/Karachi",
    "min_cell": "5",
}


def _details_form(client, ws, **changes):
    page = client.get(f"/workshops/{ws.slug}/details").get_data(as_text=True)
    return client.post(
        f"/workshops/{ws.slug}/details",
        data={"csrf_token": csrf_token(page), **FORM, **changes},
    )


def _events():
    return db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "workshop.details")
    ).all()


@pytest.fixture
def ws(make):
    ws = make.workshop("islamabad", open_waves=("pre", "post"))
    set_details(ws, Details(**{**FORM, "starts_on": None, "ends_on": None, "min_cell": 5}))
    db.session.commit()
    return ws


def test_organisers_change_the_details_and_the_audit_log_says_what_changed(app, ws, make, client):
    sign_in(client, make.user(grants={ws: "organiser"}))
    form = client.get(f"/workshops/{ws.slug}/details").get_data(as_text=True)
    assert 'value="Islamabad dialogue"' in form and "<code>islamabad</code>" in form
    assert 'name="slug"' not in form and 'name="instrument"' not in form
    before = len(_events())
    response = _details_form(
        client, ws, title=" Islamabad\r\ndialogue 2026 ", place="", min_cell="3"
    )
    assert response.status_code == 302 and response.location.endswith(f"/workshops/{ws.slug}")
    db.session.refresh(ws)
    assert (ws.title, ws.place, ws.starts_on, ws.ends_on, ws.min_cell) == (
        "Islamabad dialogue 2026",
        None,
        date(2026, 12, 10),
        date(2026, 12, 11),
        3,
    )
    assert ws.slug == "islamabad"
    (event,) = _events()[before:]
    assert event.detail == {
        "changed": {
            "title": {"from": "Islamabad dialogue", "to": "Islamabad dialogue 2026"},
            "place": {"from": "Islamabad", "to": None},
            "starts_on": {"from": None, "to": "2026-12-10"},
            "ends_on": {"from": None, "to": "2026-12-11"},
            "min_cell": {"from": 5, "to": 3},
        }
    }
    assert readable_detail(event.detail) == [
        (
            "changed",
            "title Islamabad dialogue → Islamabad dialogue 2026, place Islamabad → —, "
            "starts on — → 2026-12-10, ends on — → 2026-12-11, min cell 5 → 3",
        )
    ]
    page = client.get(f"/workshops/{ws.slug}").get_data(as_text=True)
    assert "The details are saved." in page and "results shown for groups of 3 or more" in page


def test_saving_the_same_details_changes_nothing(app, ws, make, client):
    sign_in(client, make.user(grants={ws: "organiser"}))
    _details_form(client, ws, starts_on="", ends_on="")
    before = len(_events())
    assert _details_form(client, ws, starts_on="", ends_on="").status_code == 302
    assert len(_events()) == before
    assert "Nothing changed." in client.get(f"/workshops/{ws.slug}").get_data(as_text=True)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "  ", "This field is required"),
        ("place", "x" * 201, "200"),
        ("ends_on", "2026-12-09", "The last day cannot be before the first"),
        ("starts_on", "10/12/2026", "Not a valid date"),
        ("min_cell", "1", "between 2 and 100"),
        ("min_cell", "five", "Not a valid integer"),
        ("timezone", "Mars/Olympus_Mons", "Not a valid choice"),
    ],
)
def test_a_bad_detail_says_which_field_and_why_and_changes_nothing(
    app, ws, make, client, field, value, message
):
    sign_in(client, make.user(grants={ws: "organiser"}))
    before = len(_events())
    response = _details_form(client, ws, **{field: value})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    summary = html.split('class="error-summary"')[1].split("</div>")[0]
    assert message in summary and f'href="#{field}"' in summary
    db.session.refresh(ws)
    assert (ws.title, ws.min_cell, ws.starts_on) == ("Islamabad dialogue", 5, None)
    assert len(_events()) == before


def test_the_details_are_checked_outside_the_console_too(app, ws):
    for wrong in (
        Details(" \n "),
        Details("Title", "x" * 201),
        Details("Title", starts_on=date(2026, 12, 10), ends_on=date(2026, 12, 9)),
        Details("Title", min_cell=1),
        Details("Title", timezone="Europe/Atlantis"),
    ):
        with pytest.raises(WorkshopError):
            set_details(ws, wrong)
    assert ws.title == "Islamabad dialogue"


def test_only_organisers_change_the_details_and_only_with_the_form(app, ws, make, client):
    researcher = make.user(grants={ws: "researcher"})
    sign_in(client, researcher)
    assert "Change the details" not in client.get(f"/workshops/{ws.slug}").get_data(as_text=True)
    assert client.get(f"/workshops/{ws.slug}/details").status_code == 403
    client.post("/auth/logout", data={"csrf_token": csrf_token(client.get("/workshops").text)})
    sign_in(client, make.user(grants={ws: "organiser"}))
    assert "Change the details" in client.get(f"/workshops/{ws.slug}").get_data(as_text=True)
    forged = client.post(f"/workshops/{ws.slug}/details", data={**FORM, "title": "Forged"})
    assert forged.status_code == 400
    db.session.refresh(ws)
    assert ws.title == "Islamabad dialogue"


def test_a_new_time_zone_keeps_the_waves_moments_and_shows_them_in_it(app, ws, make, client):
    opens = datetime(2026, 12, 10, 4, 0, tzinfo=UTC)  # 09:00 in Karachi, 05:00 in Paris
    ws.wave("pre").opens_at, ws.wave("pre").closes_at = opens, None
    db.session.commit()
    sign_in(client, make.user(grants={ws: "organiser"}))
    assert _details_form(client, ws, timezone="Europe/Paris").status_code == 302
    db.session.refresh(ws)
    assert ws.timezone == "Europe/Paris" and ws.wave("pre").opens_at == opens
    page = client.get(f"/workshops/{ws.slug}").get_data(as_text=True)
    assert "shown in Europe/Paris now" in page
    assert "2026-12-10 05:00 CET" in page and "09:00 PKT" not in page


def test_participants_see_the_new_title_place_and_dates_at_once(app, ws, make, client):
    person = make.participant(ws)
    you = Respondent(client)
    you.open(token_of(person))
    you.answer("pre", "consent", PRE["consent"])
    assert "Islamabad dialogue" in you.get("/q/pre/steps.json").get_data(as_text=True)
    set_details(ws, Details("Lahore talks", "Lahore", date(2026, 12, 10), timezone="UTC"))
    db.session.commit()
    steps = you.get("/q/pre/steps.json").get_data(as_text=True)  # kept by the process, by title
    assert "Lahore talks" in steps and "Islamabad dialogue" not in steps
    page = client.get("/q/pre/", follow_redirects=True).get_data(as_text=True)
    assert "<bdi>Lahore talks</bdi>" in page and "<bdi>Lahore</bdi> · Dec 10, 2026" in page


def _nato_before_withheld(client, ws) -> bool:
    """Whether the trust page withholds the first score of NATO before the workshop."""
    html = client.get(f"/workshops/{ws.slug}/dashboard/trust").get_data(as_text=True)
    cell = re.search(r"NATO · Before the workshop</th><td class=\"num\">4</td>\s*<td[^>]*>", html)
    return 'class="suppressed"' in cell.group(0)


def test_a_larger_smallest_group_withholds_at_once_and_never_shows_what_it_withholds(
    app, ws, make, client
):
    """The dashboards may show the results they keep while newer ones are computed, but not
    results kept under a smaller minimum than the workshop's now: those would show the groups
    the organisers have just chosen to withhold."""
    populate(ws, {"nato": 4, "pakistan": 12}, post_share=1.0)
    sign_in(client, make.user(grants={ws: "organiser"}))
    _details_form(client, ws, min_cell="3")
    assert not _nato_before_withheld(client, ws)  # computed, and kept after the response
    _details_form(client, ws, min_cell="6")
    assert _nato_before_withheld(client, ws)
    body = client.get(f"/api/v1/workshops/{ws.slug}/stats").json
    assert body["min_cell"] == 6 and body["scores"]["trust"]["cells"][0]["suppressed"]
    _details_form(client, ws, min_cell="3")  # a smaller one may wait for the new results
    assert "groups of 3 or more" in client.get(f"/workshops/{ws.slug}").get_data(as_text=True)
