"""The answers to a save sent in the background by the questionnaire's script: JSON with a
status the script acts on (docs/background-saves.md), for the same POST that a browser without
JavaScript answers with a page. The views choose with `wants_json`."""

from __future__ import annotations

import json

from flask import Response as HttpResponse
from flask import g, request

from survey.respond.identity import SCRIPTS_ANSWER

#: Every status a background save can get, and what the script does with it.
STATUSES = {
    "saved": "stored (or already stored): forget the save",
    "stale": "the response holds newer answers of the page: show them, forget the save",
    "invalid": "an answer needs a change: show the page again with the messages",
    "consent": "consent must come first: send it, then this save again",
    "submitted": "the response has been submitted: go to `next` (or show `page`, its content)",
    "incomplete": "submit: a step still needs answers: show `next`",
    "closed": "the wave accepts no answers now: say so, keep nothing",
    "not-saved": "this page may not write (another link on this device): say so, keep it",
    "session-ended": "nobody is signed in and the page's ticket did not help: say so, keep it",
}


def wants_json() -> bool:
    """Whether the request was sent by the page's script (it asks for JSON, not a page)."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def reply(status: str, http_status: int = 200, **fields) -> HttpResponse:
    """A JSON answer to a background save: `status` (one of STATUSES) and its fields."""
    assert status in STATUSES, status
    g.setdefault(SCRIPTS_ANSWER, True)  # the page's own requests renew the session cookie
    # Compact, and Urdu as UTF-8 rather than \u escapes (a third of the steps' bytes); lazy
    # translations (form messages) as their text.
    body = json.dumps(
        {"status": status, **fields}, ensure_ascii=False, separators=(",", ":"), default=str
    )
    response = HttpResponse(body, status=http_status, mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    return response
