"""NUL characters (which PostgreSQL cannot store or compare) are refused at the door with 400,
on every route, in the path, the query string and the form; uploads are checked by their own
parsers, which report a NUL on its line."""

import base64
import io

import pytest

from survey.exports.importer import import_long
from survey.models import Participant
from survey.organise.roster import parse_roster
from tests.conftest import page_token, sign_in
from tests.respond_helpers import PRE, TRUST, Respondent, token_of

VERSION = "nato-pakistan-2014@1"


def _refused(response) -> bool:
    return response.status_code == 400 and "not allowed" in response.get_data(as_text=True)


@pytest.fixture
def organiser(app, make, client):
    """A workshop and a client signed in as its organiser."""
    workshop = make.workshop()
    sign_in(client, make.user(grants={workshop: "organiser"}))
    return workshop, client


def test_a_nul_in_the_e_mail_of_a_sign_in_is_refused(app, make, client):
    make.user("orga@t.local")
    response = sign_in(client, "orga\x00@t.local", expect=None)
    assert _refused(response)


@pytest.mark.parametrize(
    "path",
    ["/q/po%00st/consent", "/q/pre/tr%00ust", "/s/abc%00def", "/join/abc%00def", "/nothing%00"],
)
def test_a_nul_in_the_path_is_refused(app, make, client, path):
    person = make.participant(make.workshop(open_waves=("pre",)), "nato")
    assert Respondent(client).open(token_of(person)).status_code == 302
    assert _refused(client.get(path))


def test_a_nul_in_a_console_path_is_refused(app, organiser):
    workshop, client = organiser
    assert _refused(client.get(f"/workshops/{workshop.slug}%00/participants"))
    assert _refused(client.get(f"/workshops/{workshop.slug}/participants/P%00/withdraw"))


def test_a_nul_in_an_api_path_is_refused_as_json(app, client):
    response = client.get("/api/v1/workshops/de%00mo/stats")
    assert response.status_code == 400 and response.json["status"] == 400


def test_a_nul_in_the_query_string_is_refused(app, organiser):
    workshop, client = organiser
    url = f"/workshops/{workshop.slug}/participants"
    assert client.get(url, query_string={"q": "ana"}).status_code == 200
    assert _refused(client.get(f"{url}?q=a%00b"))
    assert _refused(client.get(f"{url}?q%00=ab"))
    assert _refused(client.get("/privacy?back=%2Fq%2F%00"))


def test_a_nul_in_a_console_form_is_refused(app, organiser):
    workshop, client = organiser
    url = f"/workshops/{workshop.slug}/groups"
    labels = {"label_nato": "NATO", "label_pakistan": "Pak\x00istan"}
    response = client.post(url, data={**labels, "csrf_token": page_token(client, url)})
    assert _refused(response)
    assert workshop.group("pakistan").label != "Pak\x00istan"
    new = {
        "title": "Islamabad\x00 2014",
        "slug": "isl-2014",
        "instrument": "nato-pakistan-2014",
        "timezone": "Asia/Karachi",
        "min_cell": "5",
        "csrf_token": page_token(client, "/workshops/new"),
    }
    assert _refused(client.post("/workshops/new", data=new))
    odd_name = {"csrf_token": page_token(client, url), "label\x00": "x"}
    assert _refused(client.post(url, data=odd_name))


def test_the_questionnaire_shows_its_own_error_for_a_nul_and_keeps_the_answers(app, make, client):
    """A participant's page answers a NUL beside the question, as for any value it does not
    know, rather than with an error page that would lose the page's other answers."""
    person = make.participant(make.workshop(open_waves=("pre",)), "nato")
    you = Respondent(client)
    assert you.open(token_of(person)).status_code == 302
    you.answer("pre", "consent", PRE["consent"])
    trust = {**PRE["trust"], TRUST[0]: "4\x00"}
    assert you.answer("pre", "trust", trust).status_code == 422
    assert you.html.count("checked") == len(TRUST) - 1  # the other answers are shown again
    assert _refused(client.get("/q/pre/trust?x=%00"))  # the address is still checked


def test_a_roster_with_a_nul_is_reported_on_its_line(app, make):
    workshop = make.workshop()
    data = b"external_id,name,group\nA1,Ana,nato\nA2,B\x00o,pakistan\n"
    plan = parse_roster(workshop, data)
    assert not plan.valid
    assert [(p.line, "NUL" in p.message) for p in plan.problems] == [(3, True)]


def test_a_roster_confirmation_with_a_nul_shows_the_problem_not_a_500(app, organiser):
    workshop, client = organiser
    url = f"/workshops/{workshop.slug}/roster"
    data = b"name,group\nB\x00o,nato\n"
    upload = {
        "file": (io.BytesIO(data), "roster.csv"),
        "csrf_token": page_token(client, url),
    }
    checked = client.post(url, data=upload, content_type="multipart/form-data")
    assert checked.status_code == 422 and "NUL" in checked.get_data(as_text=True)
    # A confirmation forged around the check (its signature cannot be made) is refused.
    confirm = {
        "payload": base64.urlsafe_b64encode(data).decode(),
        "csrf_token": page_token(client, url),
    }
    response = client.post(f"{url}/confirm", data=confirm)
    assert response.status_code == 400
    assert Participant.query.count() == 0


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("participant", "X\x001", "not a pseudonymous id"),
        ("sector", "media\x00", "unknown sector"),
        ("submitted_at", "2014-05-01T10:00:00Z\x00", "not a UTC time"),
        ("value", "peace\x00", "NUL"),
    ],
)
def test_a_response_file_with_a_nul_is_reported_on_its_line(app, make, column, value, message):
    workshop = make.workshop(open_waves=())
    header = (
        "workshop,participant,group,sector,wave,question,item,value,label,language,"
        "instrument_version,submitted_at"
    )
    good = ["w", "X1", "nato", "", "pre", "hope_text", "", "peace", "", "en"]
    cells = dict(zip(header.split(","), [*good, VERSION, "2014-05-01T10:00:00Z"], strict=True))
    cells[column] = value
    data = f"{header}\r\n{','.join(cells.values())}\r\n".encode()
    result = import_long(workshop, data, dry_run=True)
    assert [(p.line, message in p.message) for p in result.problems] == [(2, True)]
