"""Numbers taken from a request are bounded before they reach a query or a conversion: a page
number, an id in a path, a form's integer, a date, a rank. Out of range is a page that says so
(or a 404 for an id that cannot exist), never an overflow and a 500."""

import pytest
from sqlalchemy import func, select

from survey.extensions import db
from survey.models import Workshop
from tests.conftest import page_token, sign_in
from tests.respond_helpers import PRE, Respondent, ranking, token_of

HUGE = "9" * 20  # past a 64-bit integer
ENORMOUS = "9" * 5000  # past what int() converts from text


@pytest.fixture
def admin(app, make, client):
    """An admin, signed in, who also organises a workshop."""
    workshop = make.workshop(open_waves=())
    user = make.user(admin=True, grants={workshop: "organiser"})
    sign_in(client, user)
    return user, workshop, client


@pytest.mark.parametrize("page", [HUGE, f"-{HUGE}", ENORMOUS, "0", "abc", "2"])
def test_any_audit_page_number_gives_a_page(app, admin, page):
    _, _, client = admin
    response = client.get(f"/admin/audit?page={page}")
    assert response.status_code == 200


@pytest.mark.parametrize(("since", "until"), [("0001-01-01", "9999-12-31"), ("9999-12-31", "")])
def test_the_first_and_last_days_there_are_filter_the_audit_log(app, admin, since, until):
    _, _, client = admin
    response = client.get(f"/admin/audit?since={since}&until={until}")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "action",
    ["grants", "grants/1/revoke", "admin", "active", "password"],
)
def test_an_id_too_large_for_the_database_is_not_found(app, admin, action):
    _, _, client = admin
    token = page_token(client, "/admin/users")
    response = client.post(f"/admin/users/{HUGE}/{action}", data={"csrf_token": token})
    assert response.status_code == 404
    user_id = admin[0].id
    response = client.post(
        f"/admin/users/{user_id}/grants/{HUGE}/revoke", data={"csrf_token": token}
    )
    assert response.status_code == 404


def test_an_out_of_range_workshop_in_a_grant_is_refused(app, admin):
    user, _, client = admin
    token = page_token(client, "/admin/users")
    data = {"csrf_token": token, f"u{user.id}-workshop": HUGE, f"u{user.id}-role": "organiser"}
    response = client.post(f"/admin/users/{user.id}/grants", data=data)
    assert response.status_code == 302
    assert "Choose a workshop" in client.get("/admin/users").get_data(as_text=True)


@pytest.mark.parametrize("min_cell", [HUGE, f"-{HUGE}", ENORMOUS, "1", "101", "1e3"])
def test_the_smallest_group_shown_is_bounded(app, admin, min_cell):
    _, _, client = admin
    data = {
        "title": "Islamabad 2014",
        "slug": "islamabad-2014",
        "instrument": "nato-pakistan-2014",
        "timezone": "Asia/Karachi",
        "min_cell": min_cell,
        "csrf_token": page_token(client, "/workshops/new"),
    }
    response = client.post("/workshops/new", data=data)
    assert response.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Workshop)) == 1  # admin's only


@pytest.mark.parametrize(
    ("timezone", "opens_at", "closes_at"),
    [
        ("Asia/Karachi", "0001-01-01T00:00", "0001-01-02T00:00"),  # before year 1 in UTC
        ("America/New_York", "9999-12-30T00:00", "9999-12-31T23:59"),  # after 9999 in UTC
        ("Asia/Karachi", "0214-03-12T17:30", "2014-03-13T12:00"),  # a mistyped year
    ],
)
def test_a_wave_window_far_from_the_present_is_refused(
    app, make, admin, timezone, opens_at, closes_at
):
    _, _, client = admin
    workshop = make.workshop(open_waves=(), timezone=timezone)  # admins organise every workshop
    url = f"/workshops/{workshop.slug}/waves/pre"
    data = {"csrf_token": page_token(client, url), "opens_at": opens_at, "closes_at": closes_at}
    response = client.post(url, data=data)
    assert response.status_code == 200 and "between the years" in response.get_data(as_text=True)
    db.session.expire_all()
    assert workshop.wave("pre").opens_at is None


@pytest.mark.parametrize("rank", [ENORMOUS, HUGE, "²", "٣"])
def test_a_rank_that_is_not_one_of_the_choices_is_refused(app, make, client, rank):
    person = make.participant(make.workshop(open_waves=("pre",)), "nato")
    you = Respondent(client)
    assert you.open(token_of(person)).status_code == 302
    for page in ("consent", "profile", "trust", "overall"):
        assert you.answer("pre", page, PRE[page]).status_code == 302
    answers = ranking()
    answers[next(iter(answers))] = rank
    assert you.answer("pre", "priorities", answers).status_code == 422
    assert "different rank from 1 to" in you.html
    everything = dict.fromkeys(ranking(), rank)
    assert you.answer("pre", "priorities", everything).status_code == 422


def test_a_number_answer_of_any_length_is_refused(app, make, client):
    person = make.participant(make.workshop(open_waves=("pre",)), "nato")
    you = Respondent(client)
    assert you.open(token_of(person)).status_code == 302
    for page in ("consent", "profile", "trust"):
        assert you.answer("pre", page, PRE[page]).status_code == 302
    for warmth in (HUGE, ENORMOUS, f"-{HUGE}"):
        overall = {**PRE["overall"], "warmth": warmth}
        assert you.answer("pre", "overall", overall).status_code == 422
