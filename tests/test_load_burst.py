"""Burst: a plenary of 300 participants presses Submit at the same moment, through a real
gunicorn with several workers, on the test database (SQLite, or PostgreSQL in CI's second
pass): every submission is stored exactly once and no participant sees an error.

Each participant's answers are in the database beforehand (as autosave leaves them, review
page next), so the burst is the part that must not fail under contention: opening the
personal link, the review page, the submit and the thank-you page, all at once.
"""

import random

import pytest
from sqlalchemy import func, select

from bench.browser import Browser
from bench.data import database_problems, enrol, prefill
from bench.load import run_pool
from bench.questionnaire import complete_questionnaire
from bench.server import WORKERS, Server, access_log_statuses
from survey.extensions import db
from survey.models import Answer, Response, ResponseStatus

pytestmark = pytest.mark.load

PARTICIPANTS = 300
CONNECTIONS = 100  # browsers in flight at once, all released by one barrier


@pytest.fixture
def server(app, tmp_path):
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    with Server(uri, tmp_path / "gunicorn", workers=WORKERS, preload=True) as running:
        yield running


def _counts(wave_id: int) -> dict:
    db.session.rollback()  # a fresh snapshot: the server wrote after this session last read
    statuses = db.session.execute(
        select(Response.status, func.count(), func.count(func.distinct(Response.participant_id)))
        .where(Response.wave_id == wave_id)
        .group_by(Response.status)
    ).all()
    answers = db.session.scalar(
        select(func.count()).select_from(Answer).join(Response).where(Response.wave_id == wave_id)
    )
    return {"statuses": {s: (n, people) for s, n, people in statuses}, "answers": answers}


def test_300_participants_submit_at_the_same_moment(app, make, server):
    workshop = make.workshop()
    tokens = enrol(workshop, PARTICIPANTS)
    prefill(workshop, "pre")
    wave_id = workshop.wave("pre").id
    before = _counts(wave_id)
    assert before["statuses"] == {ResponseStatus.IN_PROGRESS: (PARTICIPANTS, PARTICIPANTS)}

    def participant(token: str):
        browser = Browser(server.url, timeout=60)
        try:
            return complete_questionnaire(browser, token, random.Random(token))
        finally:
            browser.close()

    burst = run_pool(tokens, participant, threads=CONNECTIONS)

    assert burst.errors == []
    assert sorted(o.token for o in burst.results if o.acknowledged) == sorted(tokens)
    after = _counts(wave_id)
    assert after["statuses"] == {ResponseStatus.SUBMITTED: (PARTICIPANTS, PARTICIPANTS)}
    assert after["answers"] == before["answers"]  # submitting adds and loses nothing
    statuses = access_log_statuses(server.access_log)
    assert not [status for status in statuses if status >= 400], statuses
    with db.engine.connect() as connection:
        assert database_problems(connection) == []
