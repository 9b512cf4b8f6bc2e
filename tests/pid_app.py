"""A WSGI app for tests/test_load_workers.py, served by gunicorn as gunicorn.conf.py sets it up:
every answer is the process id of the worker that gave it; /sleep?seconds=N first holds its
thread for N seconds. With PID_APP_TEARDOWNS set, each process whose interpreter is torn down
at its exit (its `atexit` handlers run) writes its id on a line of that file."""

import atexit
import os
import time
from pathlib import Path
from urllib.parse import parse_qs

TEARDOWNS = os.environ.get("PID_APP_TEARDOWNS")


def _torn_down() -> None:
    with Path(TEARDOWNS).open("a") as teardowns:
        teardowns.write(f"{os.getpid()}\n")


if TEARDOWNS:
    atexit.register(_torn_down)  # in the master, which preloads this; every worker inherits it


def app(environ, start_response):
    if environ["PATH_INFO"] == "/sleep":
        query = parse_qs(environ.get("QUERY_STRING", ""))
        time.sleep(float(query.get("seconds", ["1"])[0]))
    body = str(os.getpid()).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
