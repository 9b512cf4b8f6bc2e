"""The stack's ceiling: a bare Flask endpoint that stores one page's answers in one transaction.

Served by the same gunicorn (`gunicorn -c gunicorn.conf.py bench.bare_app:app`) on the same
database as the real app, it does what a page save must do at the least (one upsert of the
page's answers, one update of the response) and nothing else: no session, CSRF, instrument,
validation, template or redirect. bench_submissions.py compares the real questionnaire with it.

POST /bare/<response id>/<page> with form fields `question` or `question:item` = value.
"""

import os

from flask import Flask, request
from sqlalchemy import create_engine, text, update
from sqlalchemy.dialects import postgresql, sqlite

from survey.database import _configure_sqlite
from survey.models import Answer, Response
from survey.models._types import utcnow


def _engine():
    url = os.environ["DATABASE_URL"]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    engine = create_engine(url, pool_pre_ping=True)
    if engine.dialect.name == "sqlite":
        # The app's own connection set-up: WAL, busy timeout, BEGIN IMMEDIATE for a POST.
        _configure_sqlite(engine, 10_000, "IMMEDIATE")
    return engine


app = Flask(__name__)
engine = _engine()
_insert = (postgresql if engine.dialect.name == "postgresql" else sqlite).insert
ANSWERS = Answer.__table__
RESPONSES = Response.__table__


@app.get("/healthz")
def healthz():
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    return {"status": "ok"}


@app.post("/bare/<int:response_id>/<page>")
def save_page(response_id: int, page: str):
    rows = []
    for name, value in request.form.items(multi=True):
        question, _, item = name.partition(":")
        number = int(value) if value.lstrip("-").isdigit() else None
        rows.append(
            {
                "response_id": response_id,
                "question": question,
                "item": item,
                "number": number,
                "text": None if number is not None else value,
            }
        )
    with engine.begin() as connection:
        if rows:
            statement = _insert(ANSWERS)
            connection.execute(
                statement.on_conflict_do_update(
                    index_elements=["response_id", "question", "item"],
                    set_={"number": statement.excluded.number, "text": statement.excluded.text},
                ),
                rows,
            )
        connection.execute(
            update(RESPONSES)
            .where(RESPONSES.c.id == response_id)
            .values(current_page=page, updated_at=utcnow())
        )
    return "", 204
