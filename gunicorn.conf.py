"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py wsgi:app`."""

import gc
import logging
import multiprocessing
import os
import re
import sys

from gunicorn.config import ControlSocket

bind = os.environ.get("BIND", "0.0.0.0:8000")
# One worker per core and one spare: each worker runs `threads` requests at once, so a core
# never waits for a worker (the "2 × cores + 1" rule is for workers of one request each). Every
# worker is woken by each new connection; with 2 × cores + 1 of them, a burst of 300
# participants waited longer for its saves (p99 0.64–0.76 s against 0.50–0.57 s on two cores,
# docs/benchmarks.md, section 1).
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# A worker holds at most two connections per thread and closes each after its answer, so that
# a burst waits in the system's queue for a worker with room instead of piling up behind the one
# that happened to accept it; phones keep their connections alive to the reverse proxy in front
# (docs/operations.md, "Production"; the figures in docs/benchmarks.md, section 1).
worker_connections = 2 * threads
keepalive = 0
timeout = 60
# The app is imported once, in the master (about 1.7 s of CPU, wsgi.py compiling its templates
# besides), and each worker is forked from it: a worker replacing another after `max_requests`
# serves at once instead of importing it all again, and the workers share the memory. Nothing
# connects to the database or Redis before the fork. New code needs a restart of the master,
# not a HUP (docs/operations.md, "Production").
preload_app = True
graceful_timeout = 30
# A worker is replaced after about 2,000 requests, so that memory it may hold on to is given
# back; replacing one is cheap only with the two hooks below (pre_fork, worker_exit).
max_requests = 2000
max_requests_jitter = 200
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Each worker touches a file on every turn of its loop (the master's liveness check); on a
# disk-backed /tmp (a container's overlay) that costs a tenth of a request's CPU: use memory.
# gunicorn makes the file itself, under a name of its own (mkstemp).
SHARED_MEMORY = "/dev/shm"  # noqa: S108 (see above)
if os.path.isdir(SHARED_MEMORY):
    worker_tmp_dir = SHARED_MEMORY
accesslog = "-"
errorlog = "-"
# Personal links carry a token in the path: this logger writes /s/[redacted] instead, and
# escapes control characters, in the access and error logs (survey.redaction).
logger_class = "survey.redaction.RedactingGunicornLogger"


def on_starting(server) -> None:
    """gunicorn's control socket (`gunicornc`) is one path per user by default, and a server that
    starts takes it over from another on the same host (two servers side by side, an old version
    and a new one): unless `--control-socket` names one, each server's is named after the
    addresses it serves, beside gunicorn's own (e.g. ~/.gunicorn/survey-0.0.0.0_8000.ctl)."""
    settings = server.cfg
    if settings.control_socket == ControlSocket.default:
        name = "survey-" + re.sub(r"[^\w.-]", "_", "+".join(settings.bind)) + ".ctl"
        folder = os.path.dirname(settings.control_socket)
        settings.set("control_socket", os.path.join(folder, name))


def pre_fork(server, worker) -> None:
    """Freeze what the master has built (the app, its templates and catalogues, some 240,000
    objects) before each fork: a worker's collector then never walks them, so the collections
    that took 120-150 ms inside a participant's request take under 10 ms, and no longer write
    to the pages those objects share with the master (docs/benchmarks.md, "Found on the way")."""
    gc.freeze()


def worker_exit(server, worker) -> None:
    """A worker that ends normally (after `max_requests`, or told to stop) has served its last
    request and closed its sockets; tearing its interpreter down would only free, one by one,
    the objects the system frees at once, 0.5 s of CPU per worker replaced, taken from the
    workers still serving. Its logs are flushed and it leaves; an exit with another code (a
    worker that failed to boot) goes on as usual, so that the master sees that code."""
    ending = sys.exc_info()[1]
    if isinstance(ending, SystemExit) and ending.code in (0, None):
        logging.shutdown()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)
