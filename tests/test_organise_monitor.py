"""The live monitor: counts by group × wave in one statement, and its JSON endpoint."""

import re
import statistics
from datetime import timedelta

from sqlalchemy import select, update

from survey.extensions import db
from survey.mail.status import wave_counts
from survey.models import Response, ResponseSource, ResponseStatus
from survey.organise.monitor import AnsweringTime, answering_times, monitor_counts
from survey.organise.participants import participant_rows
from tests.conftest import sign_in
from tests.respond_helpers import PRE, Respondent, token_of

IN_PROGRESS = ResponseStatus.IN_PROGRESS


def _seed(make):
    ws = make.workshop(open_waves=("pre", "post"))
    nato = [make.participant(ws, "nato") for _ in range(3)]
    pk = [make.participant(ws, "pakistan") for _ in range(2)]
    make.participant(ws, "pakistan").withdrawn_at = make.now()
    db.session.commit()
    make.response(nato[0], "pre")
    make.response(nato[1], "pre")
    make.response(nato[2], "pre", status=IN_PROGRESS)
    make.response(nato[0], "post", status=IN_PROGRESS)
    make.response(pk[0], "pre")
    return ws, nato, pk


def test_counts_by_group_and_wave(app, make):
    ws, _, _ = _seed(make)
    counts = monitor_counts(ws)
    assert counts.groups == ["nato", "pakistan"] and counts.waves == ["pre", "post"]
    assert counts.invited == {"nato": 3, "pakistan": 2}  # the withdrawn one is not counted
    assert (counts.cell("nato", "pre").started, counts.cell("nato", "pre").submitted) == (3, 2)
    assert (counts.cell("nato", "post").started, counts.cell("nato", "post").submitted) == (1, 0)
    assert (counts.cell("pakistan", "pre").started, counts.cell("pakistan", "pre").submitted) == (
        1,
        1,
    )
    assert counts.cell("pakistan", "post").started == 0
    assert counts.total("pre").started == 4 and counts.total("pre").submitted == 3
    assert counts.total_invited == 5


def test_an_empty_workshop_counts_zeros(app, make):
    ws = make.workshop()
    other, _, _ = _seed(make)  # another workshop's people never leak in
    counts = monitor_counts(ws).as_json()
    assert counts["groups"]["nato"] == {
        "invited": 0,
        "waves": {"pre": {"started": 0, "submitted": 0}, "post": {"started": 0, "submitted": 0}},
    }
    assert counts["total"]["invited"] == 0
    assert monitor_counts(other).total_invited == 5


def test_counting_is_one_statement(app, make, count_statements):
    ws, _, _ = _seed(make)
    db.session.refresh(ws)  # loaded before counting, as the view's decorator has it
    with count_statements() as seen:
        monitor_counts(ws)
    assert len(seen.statements) == 1


def test_json_endpoint_is_cheap_and_complete(app, make, client, count_statements):
    ws, _, _ = _seed(make)
    sign_in(client, make.user(grants={ws: "organiser"}))
    url = f"/workshops/{ws.slug}/monitor.json"
    with count_statements() as seen:
        response = client.get(url)
    assert response.status_code == 200
    # The user with their grants, the workshop, the counts: three statements in all.
    assert len(seen.statements) <= 3, "\n".join(seen.statements)
    data = response.get_json()
    assert data["workshop"] == ws.slug
    # The time the counts were read, as the page says it: in the workshop's zone.
    assert re.fullmatch(r"\d\d:\d\d:\d\d PKT", data["as_of"]), data["as_of"]
    assert data["groups"]["nato"]["waves"]["pre"] == {"started": 3, "submitted": 2}
    assert data["total"]["waves"]["pre"] == {"started": 4, "submitted": 3}
    assert "matching" not in data
    assert response.headers["Cache-Control"] == "no-store"


def test_json_endpoint_adds_the_match_report_on_request(app, make, client):
    ws, _, _ = _seed(make)
    sign_in(client, make.user(grants={ws: "organiser"}))
    data = client.get(f"/workshops/{ws.slug}/monitor.json?matching=1").get_json()
    assert set(data["matching"]) == {"matched", "pre_only", "post_only", "ambiguous"}


def test_monitor_page_shows_the_counts_with_hooks_for_the_script(app, make, client):
    ws, _, _ = _seed(make)
    sign_in(client, make.user(grants={ws: "organiser"}))
    html = client.get(f"/workshops/{ws.slug}/monitor").get_data(as_text=True)
    cell = re.search(r'data-count="groups.nato.waves.pre.started">(\d+)<', html)
    assert cell and cell.group(1) == "3"
    assert re.search(r'data-count="total.invited">5<', html)
    assert re.search(r'<script src="/assets/js/monitor\.[0-9a-f]+\.js" defer></script>', html)
    assert f'data-source="/workshops/{ws.slug}/monitor.json"' in html
    assert "<script>" not in html  # no inline script (CSP)
    assert "Matched" in html


def test_monitor_script_is_served(app, client):
    from survey.assets.routes import asset_url

    with client.get(asset_url("js/monitor.js")) as response:
        assert response.status_code == 200 and b"X-Background-Refresh" in response.data


def test_the_page_says_what_the_matching_counts(client, make):
    ws, _, _ = _seed(make)
    sign_in(client, make.user(grants={ws: "organiser"}))
    html = client.get(f"/workshops/{ws.slug}/monitor").get_data(as_text=True)

    assert "<h2>Matching pre and post</h2>" in html
    assert "<strong>Matched</strong>: participants whose pre and post responses are paired" in html
    assert "by their own personal link" in html and "by the linking code" in html
    assert "<dt>Pre only</dt>" in html and "<strong>Ambiguous</strong>" in html
    assert "joined by a join link and answered the linking-code questions" not in html


def test_a_link_only_opened_has_not_started_until_the_participant_acts(app, make, client):
    """A mail scanner that follows the personal link (keeping the session it is given) opens
    the first page, which starts the response: neither the monitor nor the e-mail page count
    it as started until the participant gives consent; the responses file tells them apart."""
    ws = make.workshop(open_waves=("pre",))
    person = make.participant(ws, "nato", email="ana@example.org")
    scanner = Respondent(client)
    scanner.open(token_of(person))
    assert scanner.get("/q/pre/consent").status_code == 200
    response = db.session.scalar(select(Response).where(Response.participant_id == person.id))
    assert response is not None and response.first_saved_at is None and not response.begun

    def started() -> tuple[int, int, ResponseStatus | None]:
        (_wave, counts), *_ = wave_counts(ws)
        (row,) = participant_rows(ws)
        return (
            monitor_counts(ws).cell("nato", "pre").started,
            counts["started"],
            row.statuses["pre"],
        )

    assert started() == (0, 0, None)
    scanner.post("/q/pre/consent", PRE["consent"])  # now the participant agrees
    db.session.refresh(response)
    assert response.begun and response.first_saved_at is not None
    assert started() == (1, 1, IN_PROGRESS)
    first = response.first_saved_at
    scanner.answer("pre", "profile", PRE["profile"])
    db.session.refresh(response)
    assert response.first_saved_at == first  # the first act keeps its time


def test_the_time_to_answer_of_each_wave_online(app, make, client):
    """Each wave's submitted online responses, from the first page shown to the submit:
    median and quartiles as statistics.quantiles gives them; paper questionnaires typed in,
    unfinished responses and withdrawn participants are left out."""
    ws = make.workshop(open_waves=("pre", "post"))
    submitted = make.now()
    minutes = [4, 9, 11, 30, 75]
    for taken in minutes:
        response = make.response(make.participant(ws, "nato"), "pre", submitted_at=submitted)
        response.started_at = submitted - timedelta(minutes=taken)
    left = make.participant(ws, "pakistan")
    make.response(left, "pre", submitted_at=submitted).started_at = submitted - timedelta(days=3)
    left.withdrawn_at = submitted
    paper = make.response(make.participant(ws, "pakistan"), "pre", source=ResponseSource.IMPORT)
    paper.started_at = paper.submitted_at - timedelta(days=9)
    unfinished = make.response(make.participant(ws, "nato"), "post", status=IN_PROGRESS)
    unfinished.started_at -= timedelta(hours=2)
    alone = make.response(make.participant(ws, "pakistan"), "post", submitted_at=submitted)
    alone.started_at = submitted - timedelta(hours=26, minutes=5)
    db.session.commit()

    times = answering_times(ws)
    seconds = [60.0 * m for m in minutes]
    lower, median, upper = statistics.quantiles(seconds, n=4, method="inclusive")
    assert times["pre"] == AnsweringTime(5, median, lower, upper)
    assert times["post"] == AnsweringTime(1, (26 * 60 + 5) * 60.0)

    sign_in(client, make.user(grants={ws: "organiser"}))
    html = client.get(f"/workshops/{ws.slug}/monitor").get_data(as_text=True)
    rows = re.findall(
        r'<th scope="row">(\w+)</th>\s*<td class="num">(\d+)</td>\s*'
        r'<td class="num">([^<]+)</td>\s*<td>([^<]+)</td>',
        html,
    )
    assert rows == [("pre", "5", "11 min", "9 min and 30 min"), ("post", "1", "26 h 05 min", "—")]


def test_no_time_to_answer_before_a_response_is_submitted_online(app, make, client):
    ws, _, _ = _seed(make)
    db.session.execute(update(Response).values(source=ResponseSource.IMPORT))
    db.session.commit()
    assert answering_times(ws) == {}
    sign_in(client, make.user(grants={ws: "organiser"}))
    assert "Time to answer" not in client.get(f"/workshops/{ws.slug}/monitor").text
