"""The read transaction a dashboard request, the API and the command line work in."""

from __future__ import annotations

from survey.database import begin_read, commit_keeping_loaded


def start_reading() -> None:
    """End the request's transaction, keeping what it loaded, and begin a reader.

    The sign-in check opened the session's transaction, on the command line or once a request
    has begun writing (on SQLite) an IMMEDIATE one that holds the write lock; computing the
    statistics of a large workshop takes a while and must not keep participants' saves
    waiting. Anything added to the session is committed here.
    """
    commit_keeping_loaded()  # the user and workshop stay loaded: no second select
    begin_read()
