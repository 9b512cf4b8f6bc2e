"""What reaches a log: never a personal-link token, however the path is written, and one line
per record, whatever control characters a request carries (so no request can forge a line)."""

import io
import logging
import time
from datetime import timedelta
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from survey.redaction import RedactingFilter, RedactingGunicornLogger, escape_controls, redact


@pytest.fixture
def app_log(app):
    """What the application log writes, through a real handler and formatter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    app.logger.addHandler(handler)
    yield stream
    app.logger.removeHandler(handler)


@pytest.fixture
def gunicorn_log():
    """gunicorn's logger as gunicorn.conf.py sets it up, writing both of its logs to a stream
    (gunicorn's global loggers are put back afterwards)."""
    logs = [logging.getLogger("gunicorn.error"), logging.getLogger("gunicorn.access")]
    saved = [(log.handlers, log.level, log.filters[:]) for log in logs]
    config = Config()
    config.set("accesslog", "-")
    logger = RedactingGunicornLogger(config)
    stream = io.StringIO()
    for log in logs:
        log.handlers = [logging.StreamHandler(stream)]
        log.setLevel(logging.INFO)
    yield logger, stream
    for log, (handlers, level, filters) in zip(logs, saved, strict=True):
        log.handlers, log.filters = handlers, filters
        log.setLevel(level)


def _atoms(environ: dict, headers=()) -> dict:
    """The atoms as the access log's format reads them."""
    environ = {"REQUEST_METHOD": "GET", "SERVER_PROTOCOL": "HTTP/1.1", **environ}
    response = SimpleNamespace(status="404 NOT FOUND", headers=[], sent=0)
    logger = RedactingGunicornLogger(Config())
    atoms = logger.atoms(response, SimpleNamespace(headers=list(headers)), environ, timedelta())
    return logger.atoms_wrapper_class(atoms)


# --------------------------------------------------------------------------- log forging


def test_control_characters_are_escaped():
    assert escape_controls("a\nb\rc\td\x00e\x1b[31mf\x7fg\x85h") == (
        "a\\nb\\rc\\td\\x00e\\x1b[31mf\\x7fg\\x85h"
    )
    assert escape_controls("a\u2028b\u202ec") == "a\\u2028b\\u202ec"
    assert escape_controls("Zoë عائشہ 🤝 \\n") == "Zoë عائشہ 🤝 \\n"


def test_a_path_with_a_line_break_cannot_forge_a_line_in_the_error_log(app, client, app_log):
    @app.get("/fails/<rest>")
    def fails(rest):
        raise RuntimeError("boom")

    forged = "%0d%0aINFO%20signed%20in%20as%20admin%1b[2K"
    assert client.get(f"/fails/{forged}").status_code == 500
    written = app_log.getvalue()
    first, *traceback = written.splitlines()
    assert first == "ERROR unhandled error on /fails/\\r\\nINFO signed in as admin\\x1b[2K"
    assert not any(line.startswith("INFO") for line in traceback)
    assert "\x1b" not in written and "\r" not in written


def test_an_exception_message_cannot_forge_a_line(app, app_log):
    try:
        raise ValueError("bad value\nINFO signed in as admin")
    except ValueError:
        app.logger.exception("failed")
    lines = app_log.getvalue().splitlines()
    assert lines[0] == "ERROR failed"
    assert len(lines) == 2 and lines[1].startswith("Traceback (most recent call last):\\n")
    assert lines[1].endswith("ValueError: bad value\\nINFO signed in as admin")


def test_every_argument_of_a_record_is_escaped(app, app_log):
    app.logger.warning("%s and %r and %d", "one\ntwo", "x", 3)
    app.logger.warning("a message\nof its own")
    assert app_log.getvalue().splitlines() == [
        "WARNING one\\ntwo and 'x' and 3",
        "WARNING a message\\nof its own",
    ]


def test_a_record_whose_arguments_do_not_fit_is_written_not_raised(app, app_log):
    app.logger.warning("%s and %s", "one\ntwo")
    assert app_log.getvalue() == "WARNING '%s and %s' % ('one\\ntwo',)\n"


def test_the_gunicorn_error_log_is_escaped(gunicorn_log):
    logger, stream = gunicorn_log
    logger.error("Error handling request %s", "/x\nINFO forged")
    logger.warning("Invalid request from ip=1.2.3.4: bad\r\nline")
    assert stream.getvalue().splitlines() == [
        "Error handling request /x\\nINFO forged",
        "Invalid request from ip=1.2.3.4: bad\\r\\nline",
    ]


def test_every_gunicorn_access_log_atom_is_escaped():
    atoms = _atoms(
        {"RAW_URI": "/x%0a", "PATH_INFO": "/x\nINFO forged", "HTTP_USER_AGENT": "ua\x1b[2J"},
        headers=[("X-Note", "a\x1bb")],
    )
    assert atoms["U"] == "/x\\nINFO forged"
    assert atoms["a"] == "ua\\x1b[2J" and atoms["{x-note}i"] == "a\\x1bb"


def test_the_gunicorn_access_log_line_is_one_line(gunicorn_log):
    line = _access_line(
        gunicorn_log,
        '"%(U)s" %(s)s "%(a)s"',
        {"RAW_URI": "/x%0aINFO", "PATH_INFO": "/x\nINFO", "HTTP_USER_AGENT": "ua\rforged"},
    )
    assert line == '"/x\\nINFO" 404 "ua\\rforged"\n'


def test_a_quote_in_an_atom_cannot_end_its_field_nor_keep_a_token(gunicorn_log):
    line = _access_line(
        gunicorn_log,
        '"%(r)s" "%(a)s"',
        {"RAW_URI": f'/s/{TOKEN}"x', "HTTP_USER_AGENT": 'ua" forged="1'},
    )
    assert line == '"GET /s/[redacted]\\"x HTTP/1.1" "ua\\" forged=\\"1"\n'


def _access_line(gunicorn_log, log_format: str, environ: dict) -> str:
    """What the access log writes, in this format, for a GET with this environ (a 404)."""
    logger, stream = gunicorn_log
    logger.cfg.set("access_log_format", log_format)
    environ = {"REQUEST_METHOD": "GET", "SERVER_PROTOCOL": "HTTP/1.1", **environ}
    response = SimpleNamespace(status="404 NOT FOUND", headers=[], sent=0)
    logger.access(response, SimpleNamespace(headers=[]), environ, timedelta())
    return stream.getvalue()


def test_the_filter_is_installed_once_per_logger(app):
    from survey import create_app

    create_app("testing", SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])
    for name in (app.logger.name, "gunicorn.error", "werkzeug"):
        filters = logging.getLogger(name).filters
        assert sum(isinstance(f, RedactingFilter) for f in filters) == 1, name


def test_the_development_server_keeps_control_characters_out_of_its_lines(live_server, caplog):
    """It writes the path percent-encoded (and its own colours, which stay)."""
    import urllib.error
    import urllib.request

    with caplog.at_level(logging.INFO, logger="werkzeug"), pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(f"{live_server}/nothing%0aINFO%20forged%1b[2K")
    [line] = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert "GET /nothing%0aINFO%20forged%1b[2K HTTP/1.1" in line and "\n" not in line


# --------------------------------------------------------------------------- tokens

TOKEN = "Secret-Token_123"
CODE = "JoinCode42"


@pytest.mark.parametrize(
    "text",
    [
        f"GET /s/{TOKEN}?lang=ur HTTP/1.1",
        f"GET /%73/{TOKEN} HTTP/1.1",  # the router decodes %73
        f"GET /S/{TOKEN} HTTP/1.1",  # a 404, but the token is still someone's
        f"GET /%53/{TOKEN} HTTP/1.1",
        f"GET /s%2F{TOKEN} HTTP/1.1",  # %2F is a slash once decoded
        f"GET /%2573/{TOKEN} HTTP/1.1",  # encoded twice, as some mail scanners do
        f"GET %252F%252573%252F{TOKEN} HTTP/1.1",
        f"GET /s//{TOKEN} HTTP/1.1",
        f"GET /s/%{TOKEN.encode().hex('%').upper()} HTTP/1.1",  # the token itself encoded
        f"https://venue.example/s/{TOKEN}",
        f"GET /join/{CODE} HTTP/1.1",
        f"GET /JOIN/{CODE} HTTP/1.1",
        f"GET /%6Aoin/{CODE} HTTP/1.1",
        f"GET /privacy?back=%2Fjoin%2F{CODE} HTTP/1.1",
        f"GET /privacy?back=%252Fs%252F{TOKEN}&x=1 HTTP/1.1",
        f"/privacy?back=/s/{TOKEN}",
        f"GET /auth/reset/{TOKEN} HTTP/1.1",  # a staff member's password reset link
        f"GET /auth/%72eset/{TOKEN} HTTP/1.1",
    ],
)
def test_a_token_is_redacted_however_its_path_is_written(text):
    redacted = redact(text)
    assert TOKEN not in redacted and CODE not in redacted
    assert TOKEN.encode().hex() not in redacted.replace("%", "").lower()
    assert "[redacted]" in redacted


CARD = "7K3M-Q9TP-XW4R-2HNB-8D5F-C6JV-3R9A"


@pytest.mark.parametrize(
    "text",
    [
        f"GET /c/{CARD} HTTP/1.1",
        f"GET /C/{CARD.lower()} HTTP/1.1",
        f"GET /%63/{CARD} HTTP/1.1",
        f"GET /c%2F{CARD} HTTP/1.1",
        f"GET /privacy?back=%2Fc%2F{CARD} HTTP/1.1",
        f"https://venue.example/c/{CARD}",
    ],
)
def test_a_card_code_is_redacted_however_its_path_is_written(text):
    redacted = redact(text)
    assert CARD not in redacted.upper() and "Q9TP" not in redacted.upper()
    assert "[redacted]" in redacted


def test_redaction_keeps_the_rest_of_the_line_as_written():
    assert redact(f"GET /%73/{TOKEN}?lang=ur HTTP/1.1") == "GET /%73/[redacted]?lang=ur HTTP/1.1"
    assert redact(f"back=%2Fjoin%2F{CODE}&lang=fr") == "back=%2Fjoin%2F[redacted]&lang=fr"
    for text in (
        "GET /workshops/demo/groups HTTP/1.1",
        "GET /assets/css/site.css HTTP/1.1",
        "GET /q/pre/trust?q=%2Fs HTTP/1.1",
        "GET /search?q=50%25 HTTP/1.1",
        "GET /c HTTP/1.1",  # the card code's form: no code in its address
        "GET /workshops/demo/cards?participant=P00001 HTTP/1.1",
    ):
        assert redact(text) == text


def test_no_application_log_record_shows_a_token(app, client, app_log):
    problem = f"could not open /S/{TOKEN}"

    @app.get("/fails/<rest>")
    def fails(rest):
        raise RuntimeError(problem)

    app.logger.info("opened %s", f"/%73/{TOKEN}")
    app.logger.info(f"back to /privacy?back=%2Fjoin%2F{CODE}")
    assert client.get(f"/fails/x?back=%2Fs%2F{TOKEN}").status_code == 500
    written = app_log.getvalue()
    assert TOKEN not in written and CODE not in written
    assert written.count("[redacted]") == 3


def test_no_gunicorn_access_log_atom_shows_a_token():
    atoms = _atoms(
        {
            "RAW_URI": f"/privacy?back=%2Fjoin%2F{CODE}",
            "PATH_INFO": "/privacy",
            "QUERY_STRING": f"back=%2Fjoin%2F{CODE}",
            "HTTP_REFERER": f"https://venue.example/%53/{TOKEN}",
        },
        headers=[("Referer", f"https://venue.example/%53/{TOKEN}")],
    )
    line = " ".join(str(atoms[key]) for key in atoms)
    assert TOKEN not in line and CODE not in line
    assert atoms["r"] == "GET /privacy?back=%2Fjoin%2F[redacted] HTTP/1.1"
    assert atoms["q"] == "back=%2Fjoin%2F[redacted]"
    assert atoms["f"] == atoms["{referer}i"] == "https://venue.example/%53/[redacted]"


def test_no_gunicorn_access_log_line_shows_a_token(gunicorn_log):
    logger, stream = gunicorn_log
    environ = {
        "REQUEST_METHOD": "GET",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "RAW_URI": f"/%2573/{TOKEN}",
        "PATH_INFO": f"/%73/{TOKEN}",
        "HTTP_REFERER": f"https://venue.example/join/{CODE}",
    }
    response = SimpleNamespace(status="404 NOT FOUND", headers=[], sent=0)
    logger.access(response, SimpleNamespace(headers=[]), environ, timedelta())
    written = stream.getvalue()
    assert TOKEN not in written and CODE not in written and written.count("[redacted]") == 2


def test_the_development_server_log_shows_no_token(live_server, caplog):
    import urllib.error
    import urllib.request

    paths = [f"/S/{TOKEN}", f"/%2573/{TOKEN}", f"/privacy?back=%2Fjoin%2F{CODE}"]
    with caplog.at_level(logging.INFO, logger="werkzeug"):
        for path in paths:
            try:
                urllib.request.urlopen(f"{live_server}{path}").close()
            except urllib.error.HTTPError as error:
                error.close()
    assert TOKEN not in caplog.text and CODE not in caplog.text
    assert caplog.text.count("[redacted]") == len(paths)


def test_gunicorn_logs_neither_a_token_nor_a_forged_line(app, make, tmp_path):
    """The real server with gunicorn.conf.py: its access and error logs as written."""
    import http.client

    from bench.server import Server
    from tests.respond_helpers import token_of

    token = token_of(make.participant(make.workshop(open_waves=("pre",)), "nato"))
    paths = {
        f"/%73/{token}": 302,
        f"/S/{token}": 404,
        f"/%2573/{token}": 404,
        f"/privacy?back=%2Fs%2F{token}": 200,
        "/nothing%0d%0aGET%20/forged%20200%201": 404,
    }
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    with Server(uri, tmp_path / "gunicorn", workers=1) as server:
        for path, status in paths.items():
            connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
            connection.request("GET", path, headers={"Referer": f"{server.url}/s/{token}"})
            assert connection.getresponse().status == status, path
            connection.close()
        # A worker writes a request's access line after sending the response: wait for the
        # last one before stopping the server.
        deadline = time.monotonic() + 10
        while "GET /nothing" not in server.access_log.read_text() and time.monotonic() < deadline:
            time.sleep(0.05)
    written = server.access_log.read_text() + server.error_log.read_text()
    assert token not in written
    lines = server.access_log.read_text().splitlines()
    assert not any(line.startswith("GET /forged") for line in lines)
    assert "GET /nothing\\r\\nGET /forged 200 1 404" in lines[-1]
