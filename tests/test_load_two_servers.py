"""Two app servers, one database (docs/operations.md, "Several app hosts"): two gunicorn servers,
each with its own instance folder and port, on one PostgreSQL database and one Redis, and one
person's requests going to either, as a load balancer without sticky sessions sends them.

A participant's saves, resume and submit; the failed-lookup limit counted once for both; a
staff member signed out on one and so on the other; a roster checked on one and confirmed on the
other. PostgreSQL only: SQLite is the single-host set-up.
"""

import random
import re

import pytest
from sqlalchemy import func, select

from bench.browser import JSON_REQUEST, Browser, parse_forms
from bench.data import enrol
from bench.questionnaire import STEPS_URL, fill
from bench.server import Server
from survey.extensions import db
from survey.models import Participant, Response, ResponseStatus
from tests.conftest import POSTGRES
from tests.factories import PASSWORD
from tests.redis_helpers import redis_client

pytestmark = [
    pytest.mark.load,
    pytest.mark.skipif(not POSTGRES, reason="several app hosts share PostgreSQL, not SQLite"),
]

REDIS = "redis://127.0.0.1:6379/14"  # a database of its own, emptied before and after


@pytest.fixture(scope="module")
def servers(database_url, tmp_path_factory):
    """Two servers on the test database and one Redis, started side by side (once for these
    tests: each test's data is its own, as the `app` fixture empties the tables)."""
    env = {"RATELIMIT_STORAGE_URI": REDIS, "FAILED_LOOKUP_LIMIT": "3 per minute"}
    folder = tmp_path_factory.mktemp("servers")
    pair = [
        Server(database_url, folder / name, workers=1, threads=2, env=env)
        for name in ("one", "two")
    ]
    try:
        for server in pair:
            server.start()
        folders = {server.environment()["SURVEY_INSTANCE_PATH"] for server in pair}
        assert pair[0].port != pair[1].port and len(folders) == 2
        yield pair
    finally:
        for server in pair:
            server.stop()


@pytest.fixture(autouse=True)
def shared_counters(app):
    """The servers' Redis database, empty for each test."""
    redis = redis_client().from_url(REDIS)
    redis.flushdb()
    yield
    redis.flushdb()


@pytest.fixture
def person(servers):
    """One person's browser, sending each request to either server: one cookie jar."""
    first, second = (Browser(server.url) for server in servers)
    second.cookies = first.cookies
    yield first, second
    first.close()
    second.close()


def signed_in(browser: Browser, user) -> Browser:
    """The browser signed in as a staff user, through the sign-in form."""
    login = browser.get("/auth/login")
    fields = [("email", user.email), ("password", PASSWORD), *tokens_of(login.body)]
    assert browser.post("/auth/login", fields).path.rstrip("/") == "/workshops"
    return browser


def tokens_of(html: str) -> list[tuple[str, str]]:
    form = next(f for f in parse_forms(html) if f.method == "post" and f.action != "/q/language")
    return [(f.name, f.value) for f in form.fields if f.name in ("csrf_token", "ticket")]


def test_a_participant_answers_through_both_servers(make, person):
    workshop = make.workshop()
    [token] = enrol(workshop, 1)
    one, two = person
    page = one.get(f"/s/{token}")
    assert page.path == "/q/pre/consent"
    tokens = tokens_of(page.body)
    wave = two.get(STEPS_URL.search(page.body).group(1), headers=JSON_REQUEST).json()
    forms = {f.action.rsplit("/", 1)[-1]: f for f in parse_forms(wave["html"])}
    rng = random.Random(1)
    either = [one, two]
    for turn, code in enumerate(("consent", "profile", "trust")):
        values = fill(forms[code], rng)
        fields = [*values, *tokens] + ([("revision", "1")] if code != "consent" else [])
        reply = either[turn % 2].post(f"/q/pre/{code}", fields, headers=JSON_REQUEST)
        assert reply.json()["status"] == "saved", (code, reply.body)
    # A late copy of the trust page's save, through the other server, changes nothing.
    late = [
        (name, "1" if name.startswith("trust_") else v) for name, v in fill(forms["trust"], rng)
    ]
    reply = two.post("/q/pre/trust", [*late, *tokens, ("revision", "1")], headers=JSON_REQUEST)
    assert reply.json()["status"] == "stale"
    # The link opened again through the other server resumes where they stopped.
    assert one.get(f"/s/{token}").path == "/q/pre/overall"
    # A page posted as without the script, on one; the rest in the background, on both.
    overall = one.get("/q/pre/overall")
    values = fill(next(f for f in parse_forms(overall.body) if f.action == "/q/pre/overall"), rng)
    assert one.post("/q/pre/overall", [*values, *tokens_of(overall.body)]).path == (
        "/q/pre/priorities"
    )
    for turn, code in enumerate(("priorities", "obstacles", "outlook")):
        fields = [*fill(forms[code], rng), *tokens, ("revision", "1")]
        assert (
            either[turn % 2].post(f"/q/pre/{code}", fields, headers=JSON_REQUEST).json()["status"]
            == "saved"
        )
    # Submitted once, whichever server each press reaches.
    first = two.post("/q/pre/review", [("nav", "submit"), *tokens], headers=JSON_REQUEST).json()
    second = one.post("/q/pre/review", [("nav", "submit"), *tokens], headers=JSON_REQUEST).json()
    assert first["status"] == second["status"] == "submitted"
    assert one.get("/q/pre/thanks").status == two.get("/q/pre/review").status == 200
    db.session.rollback()
    responses = db.session.scalars(select(Response)).all()
    assert [r.status for r in responses] == [ResponseStatus.SUBMITTED]
    assert responses[0].page_revisions["trust"] == 1 and len(responses[0].answers) >= 25


def test_failed_lookups_are_counted_once_for_both_servers(person):
    one, two = person
    statuses = [browser.get(f"/s/unknown-{n}").status for n, browser in enumerate([one, two, one])]
    assert statuses == [404, 404, 404]
    assert two.get("/s/unknown-3").status == 429  # the fourth failure from this address
    assert one.get("/join/unknown-4").status == 429


@pytest.fixture
def organiser(make, person):
    """A workshop, and its organiser signed in through the first server: (workshop, both
    servers' browsers)."""
    workshop = make.workshop()
    user = make.user(grants={workshop: "organiser"})
    db.session.commit()
    signed_in(person[0], user)
    return workshop, *person


def test_a_staff_member_signed_out_on_one_server_is_signed_out_on_both(organiser):
    workshop, one, two = organiser
    cookies = dict(one.cookies)
    assert two.get(f"/workshops/{workshop.slug}").status == 200  # the same session on both
    home = two.get("/workshops/")
    logout = [("csrf_token", re.search(r'name="csrf_token" value="([^"]+)"', home.body).group(1))]
    two.post("/auth/logout", logout)
    # The cookie as it was before signing out, replayed to the other server: refused there.
    one.cookies.clear()
    one.cookies.update(cookies)
    page = one.get(f"/workshops/{workshop.slug}")
    assert page.path == "/auth/login", page.path


def test_a_roster_checked_on_one_server_is_confirmed_on_the_other(organiser):
    workshop, one, two = organiser
    form = one.get(f"/workshops/{workshop.slug}/roster")
    roster = (
        b"external_id,name,email,group,sector,language\nA1,Ana,,nato,,en\nA2,Bo,,pakistan,,ur\n"
    )
    checked = one.post(
        f"/workshops/{workshop.slug}/roster",
        tokens_of(form.body),
        files={"file": ("roster.csv", roster)},
    )
    assert checked.status == 200 and "<strong>2</strong> added" in checked.body
    confirm = dict(re.findall(r'name="(payload|csrf_token)"[^>]*value="([^"]*)"', checked.body))
    done = two.post(f"/workshops/{workshop.slug}/roster/confirm", list(confirm.items()))
    assert done.path.endswith("/participants"), done.path
    db.session.rollback()
    count = (
        select(func.count()).select_from(Participant).where(Participant.workshop_id == workshop.id)
    )
    assert db.session.scalar(count) == 2
