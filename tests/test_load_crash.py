"""Crash: while participants complete whole questionnaires through a real gunicorn, kill -9
single workers and, separately, the whole server (master and workers, as a power cut would),
restarting it and carrying on. Every submission a participant saw acknowledged (the thank-you
page) is in the database with exactly the answers they sent, and the database passes its
integrity check.

Participants behave like people whose page failed to load: they open their personal link again
and go on from where the server says they stopped. gunicorn.conf.py preloads the app, so a restart
takes one import of it rather than one per worker.
"""

import http.client
import random
import threading
import time

import pytest
from sqlalchemy import create_engine, select

from bench.browser import Browser
from bench.data import database_problems, enrol
from bench.load import run_pool
from bench.questionnaire import Outcome, complete_questionnaire
from bench.server import WORKERS, Server, access_log_statuses
from survey.extensions import db
from survey.models import Answer, Invitation, Response, ResponseStatus
from survey.tokens import invitation_for_token

pytestmark = pytest.mark.load

PARTICIPANTS = 60
CLIENTS = 12
# What happens, in order, each time another sixth of the participants has been acknowledged.
CHAOS = ("worker", "worker", "server", "worker", "server")
DEADLINE_SECONDS = 90  # a bound on the whole load, far above what it needs
BROKEN = (OSError, http.client.HTTPException)  # what a kill does to a request in flight


class Chaos(threading.Thread):
    """Kills workers and the whole server as the load progresses, then stops. While the server
    is down, checks the database as the crash left it."""

    def __init__(self, server: Server, progress, engine) -> None:
        super().__init__(daemon=True)
        self.server, self.progress, self.engine = server, progress, engine
        self.done: list[str] = []
        self.problems: list[str] = []  # found in the database right after a crash
        self.stop = threading.Event()
        self.error: Exception | None = None

    def run(self) -> None:
        rng = random.Random(7)
        step = PARTICIPANTS // (len(CHAOS) + 1)
        try:
            for number, action in enumerate(CHAOS, start=1):
                while self.progress() < number * step:
                    if self.stop.wait(0.05):
                        return
                if action == "worker":
                    self.server.kill_worker(rng)
                else:
                    self.server.kill_all()
                    with self.engine.connect() as connection:
                        self.problems += database_problems(connection)
                    self.server.start()
                self.done.append(action)
        except Exception as error:  # reported by the test
            self.error = error


def _stored(participant_ids: dict[str, int]) -> dict[str, tuple]:
    """token -> (status, {(question, item, value)}) of each participant's pre response."""
    db.session.rollback()  # a fresh snapshot: the server wrote after this session last read
    rows = db.session.execute(
        select(Invitation.participant_id, Response.status, Answer.question, Answer.item)
        .add_columns(Answer.number, Answer.text)
        .join(Response, Response.participant_id == Invitation.participant_id)
        .outerjoin(Answer, Answer.response_id == Response.id)
    ).all()
    by_participant: dict[int, tuple] = {}
    for participant_id, status, question, item, number, text in rows:
        _, answers = by_participant.setdefault(participant_id, (status, set()))
        if question is not None:
            answers.add((question, item, str(number) if number is not None else text))
    return {token: by_participant.get(pid) for token, pid in participant_ids.items()}


def test_nothing_acknowledged_is_lost_when_workers_and_the_server_die(app, make, tmp_path):
    workshop = make.workshop()
    tokens = enrol(workshop, PARTICIPANTS)
    participant_ids = {token: invitation_for_token(token).participant.id for token in tokens}
    server = Server(
        app.config["SQLALCHEMY_DATABASE_URI"], tmp_path / "gunicorn", workers=WORKERS
    ).start()
    outcomes = {token: Outcome(token) for token in tokens}
    broken: list[str] = []
    deadline = time.monotonic() + DEADLINE_SECONDS

    def participant(token: str) -> Outcome:
        rng, outcome = random.Random(token), outcomes[token]
        browser = Browser(server.url, timeout=20)
        while time.monotonic() < deadline:
            try:
                return complete_questionnaire(browser, token, rng, outcome=outcome)
            except BROKEN as error:
                broken.append(type(error).__name__)
                time.sleep(0.2)  # then open the link again, like a person would
            finally:
                browser.close()
        return outcome

    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])  # for the chaos thread
    chaos = Chaos(server, lambda: sum(o.acknowledged for o in outcomes.values()), engine)
    chaos.start()
    try:
        load = run_pool(tokens, participant, threads=CLIENTS)
    finally:
        chaos.stop.set()
        chaos.join(timeout=30)
        server.stop()
        engine.dispose()

    assert load.errors == []  # no page other than what the kills explain (no 5xx, no flow error)
    assert chaos.error is None
    assert chaos.done == list(CHAOS)
    assert chaos.problems == []  # intact right after each crash, before the restart
    assert broken  # the kills hit requests in flight
    assert not [s for s in access_log_statuses(server.access_log) if s >= 500]
    acknowledged = [o for o in outcomes.values() if o.acknowledged]
    # Everyone got through in the end: the load went on after each restart.
    assert all(o.acknowledged or o.finished for o in outcomes.values())
    stored = _stored(participant_ids)
    for outcome in acknowledged:
        status, answers = stored[outcome.token]
        assert status is ResponseStatus.SUBMITTED
        assert answers == outcome.expected_rows()
    for outcome in outcomes.values():
        if outcome.finished:  # the acknowledgement was lost with the server, not the answers
            assert stored[outcome.token][0] is ResponseStatus.SUBMITTED
    with db.engine.connect() as connection:
        assert database_problems(connection) == []
