"""A WSGI app for tests/test_load_workers.py, served by gunicorn as gunicorn.conf.py sets it up:
every answer is the process id of the worker that gave it; /sleep?seconds=N first holds its
thread for N seconds."""

import os
import time
from urllib.parse import parse_qs


def app(environ, start_response):
    if environ["PATH_INFO"] == "/sleep":
        query = parse_qs(environ.get("QUERY_STRING", ""))
        time.sleep(float(query.get("seconds", ["1"])[0]))
    body = str(os.getpid()).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
