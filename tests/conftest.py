"""Fixtures: a fresh database per test (SQLite by default, PostgreSQL when TEST_DATABASE_URL is
set), the app, its clients, factories for the model, signing in, counting SQL statements, and
real Chromium for the browser tests (whose helpers are in tests/browser_helpers.py)."""

import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from unittest.mock import patch
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import g, has_app_context
from flask.testing import FlaskClient
from flask_sqlalchemy import SQLAlchemy
from jinja2 import BytecodeCache
from sqlalchemy import Engine, event, text
from werkzeug.routing import Rule

import survey.database
from survey import create_app
from survey.dashboard.refresh import refreshes
from survey.extensions import db, limiter
from survey.models import StaffUser
from tests import factories

POSTGRES = bool(os.environ.get("TEST_DATABASE_URL"))
# The fixtures that open the database under test (tests/test_migrations.py has the second).
DATABASE_FIXTURES = frozenset({"database_url", "empty_database_url"})


def pytest_collection_modifyitems(config, items) -> None:
    """On PostgreSQL, leave out the tests that never open the database under test (the
    statistics against scipy, the instruments' parsing, the files' writers): what they check
    cannot differ from the run on SQLite, which has them all."""
    if not POSTGRES:
        return
    kept = [item for item in items if DATABASE_FIXTURES & set(item.fixturenames)]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[item for item in items if item not in kept])
        items[:] = kept


@pytest.fixture(scope="session", autouse=True)
def _url_builders_compiled_once():
    """Each test builds its own app, and werkzeug compiles two URL builders for each of its
    rules (an AST compiled per rule: 50 ms an app, a tenth of the suite's time). A builder
    depends only on the rule's parts and defaults, so rules alike across the tests' apps share
    it; the apps themselves stay fresh."""
    compile_builder = Rule._compile_builder
    built: dict = {}

    def shared(rule: Rule, append_unknown: bool = True):
        # The rule as written names its converters, which turn the defaults into the URL.
        defaults = repr(sorted((rule.defaults or {}).items()))
        key = (rule.rule, rule.subdomain, rule.host, tuple(rule._trace), defaults, append_unknown)
        if key not in built:
            built[key] = compile_builder(rule, append_unknown)
        return built[key]

    Rule._compile_builder = shared
    yield
    Rule._compile_builder = compile_builder


class _TemplatesCompiledOnce(BytecodeCache):
    """Each test's app has its own Jinja environment, which compiled every template it renders
    afresh. The code compiled from a template depends only on its source, which Jinja checks
    against the code kept, and the tests' apps share one configuration: they share the code,
    not the environments."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


_templates = _TemplatesCompiledOnce()
_engines: dict[tuple, Engine] = {}
_configured: set[Engine] = set()


@contextmanager
def _engine_kept_across_tests() -> Iterator[None]:
    """Each test's app built its own engine, and with it an empty cache of compiled SQL: every
    statement of every test was compiled afresh. The apps of the `app` fixture share one engine
    per database and settings instead, configured (survey.database) by the first of them; each
    test still ends by emptying the tables and closing the engine's connections. With the
    templates' code shared too, the access matrix and the participants' routes (184 tests) take
    about half the time they took."""
    make_engine = SQLAlchemy._make_engine
    configure_engine = survey.database.configure_engine

    def engine_for(extension, bind_key, options, app):
        settings = ("SQLITE_BUSY_TIMEOUT_MS", "SQLITE_BEGIN_OUTSIDE_REQUESTS")
        key = (bind_key, repr(sorted(options.items())), *(app.config[name] for name in settings))
        if key not in _engines:
            _engines[key] = make_engine(extension, bind_key, options, app)
        return _engines[key]

    def configure_once(app) -> None:
        if db.engine not in _configured:
            _configured.add(db.engine)
            configure_engine(app)

    with (
        patch.object(SQLAlchemy, "_make_engine", engine_for),
        patch.object(survey.database, "configure_engine", configure_once),
    ):
        yield


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    """The test database, with the schema built once per session."""
    url = os.environ.get("TEST_DATABASE_URL") or (
        f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    )
    app = create_app("testing", SQLALCHEMY_DATABASE_URI=url)
    with app.app_context():
        db.drop_all()
        if POSTGRES:
            with db.engine.begin() as connection:
                connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.create_all()
        db.engine.dispose()
    return app.config["SQLALCHEMY_DATABASE_URI"]


class FreshGlobalsClient(FlaskClient):
    """A test client whose every request starts with an empty `g`, as in production.

    The `app` fixture keeps one app context pushed for the whole test and Flask reuses it for
    each request, so `g` would otherwise carry Flask-Login's user (skipping the session checks)
    and Flask-WTF's CSRF token from one request into the next.
    """

    def open(self, *args, **kwargs):
        if not has_app_context():
            return super().open(*args, **kwargs)
        vars(g._get_current_object()).clear()
        background = refreshes()
        started = background.started
        response = super().open(*args, **kwargs)
        if response.mimetype in ("text/html", "application/json"):
            # A server closes a response once it has sent it; work registered for after the
            # response (call_on_close) starts then. Pages are read whole first (downloads that
            # stream, CSV and zip, are left for the test to read).
            response.get_data()
            response.close()
        if background.started != started:
            # The request left statistics to compute in a thread: as a worker would, it has
            # finished before the test looks again. The test shares the request's session, whose
            # read snapshot predates what the thread wrote (SQLite would refuse a write from
            # it): end it.
            background.wait()
            db.session.commit()
        return response


@pytest.fixture
def app(database_url, tmp_path):
    with _engine_kept_across_tests():
        app = create_app(
            "testing", SQLALCHEMY_DATABASE_URI=database_url, SURVEY_TEST_TMP=str(tmp_path)
        )
    app.test_client_class = FreshGlobalsClient
    app.jinja_env.bytecode_cache = _templates
    with app.app_context():
        yield app
        # Statistics recomputed after a response run in threads: let them finish first.
        refreshes(app).wait()
        db.session.remove()
        _empty_all_tables()
        db.engine.dispose()
    limiter.reset()


def _empty_all_tables() -> None:
    with db.engine.begin() as connection:
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make(app):
    """Model factories: make.workshop(), make.participant(ws), make.user(), ..."""
    return factories


def mangled(signed: str) -> str:
    """A signed value with one character of its signature changed. Changing the last ones is
    not enough: the last character of base64 carries padding bits that decoding drops, and
    whatever replaces them may be what was there."""
    at = len(signed) - 5
    return signed[:at] + ("B" if signed[at] == "A" else "A") + signed[at + 1 :]


def csrf_token(html: str) -> str:
    """The CSRF token of the first form in a page."""
    match = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def nav_queries(html: str, nav_class: str) -> list[dict[str, list[str]]]:
    """The query of each link of a page's `<nav class="...">` (a long list's pages), in order."""
    nav = re.search(rf'<nav class="{nav_class}".*?</nav>', html, re.S)
    assert nav, f"no {nav_class} navigation in the page"
    return [parse_qs(urlsplit(unescape(h)).query) for h in re.findall(r'href="([^"]+)"', nav[0])]


def page_token(client, url: str) -> str:
    """The CSRF token of the first form in the page at `url`."""
    return csrf_token(client.get(url).get_data(as_text=True))


def sign_in(
    client,
    user: StaffUser | str,
    password: str = factories.PASSWORD,
    *,
    address: str | None = None,
    expect: int | None = 302,
):
    """Sign the test client in through the sign-in page, with its CSRF token, as a staff user
    (or as whatever e-mail address is given), from `address` if given; check that the answer
    has the `expect`ed status (302: signed in; None: no check) and return it."""
    email = user if isinstance(user, str) else user.email
    environ = {"REMOTE_ADDR": address} if address else {}
    page = client.get("/auth/login", environ_base=environ).get_data(as_text=True)
    response = client.post(
        "/auth/login",
        data={"email": email, "password": password, "csrf_token": csrf_token(page)},
        environ_base=environ,
    )
    if expect is not None:
        assert response.status_code == expect, response.get_data(as_text=True)[:2000]
    return response


@dataclass
class StatementCount:
    """What the database was sent inside a `count_statements()` block, by the thread that opened
    it (a request served by the test client runs there; work a request leaves to a background
    thread is not the request's)."""

    statements: list[str] = field(default_factory=list)  # SQL, transaction control left out
    sent: list[str] = field(default_factory=list)  # everything, BEGIN and COMMIT included
    begins: int = 0  # transactions begun
    commits: int = 0  # transactions committed


# Transaction control and connection set-up: not statements of the work being counted.
_NOT_COUNTED = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "PRAGMA")


@pytest.fixture
def count_statements(app):
    """`with count_statements() as seen:` counts what the app's engine is sent in the block."""

    @contextmanager
    def counting() -> Iterator[StatementCount]:
        seen = StatementCount()
        counted_thread = threading.get_ident()

        def on_execute(conn, cursor, statement, parameters, context, executemany):
            if threading.get_ident() != counted_thread:
                return
            seen.sent.append(statement)
            if not statement.lstrip().upper().startswith(_NOT_COUNTED):
                seen.statements.append(statement)

        def on_begin(conn):
            if threading.get_ident() == counted_thread:
                seen.begins += 1

        def on_commit(conn):
            if threading.get_ident() == counted_thread:
                seen.commits += 1

        listeners = [
            ("before_cursor_execute", on_execute),
            ("begin", on_begin),
            ("commit", on_commit),
        ]
        for name, listener in listeners:
            event.listen(db.engine, name, listener)
        try:
            yield seen
        finally:
            for name, listener in listeners:
                event.remove(db.engine, name, listener)

    return counting


@pytest.fixture
def live_server(app):
    """The app served on a free local port in a thread; yields its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Real headless Chromium (the system's; never a downloaded browser)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    executable = os.environ.get("SURVEY_CHROMIUM", "/usr/bin/chromium")
    if not os.path.exists(executable):
        pytest.skip(f"no Chromium at {executable}")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def axe_source() -> str:
    """axe-core's script (the accessibility rules), from the file SURVEY_AXE_JS names."""
    axe_js = os.environ.get("SURVEY_AXE_JS")
    if not axe_js:
        pytest.skip("SURVEY_AXE_JS is not set (see .ci/run)")
    path = Path(axe_js)
    assert path.is_file(), f"SURVEY_AXE_JS names {axe_js}, which does not exist"
    return path.read_text()


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies) and page; console errors fail the test."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.console_errors = errors
    yield page
    context.close()


class Inbox:
    """What a real SMTP server (aiosmtpd, on the loopback) received, and the recipients it is
    told to refuse ({address: reply})."""

    def __init__(self) -> None:
        self.messages: list = []
        self.refuse: dict[str, str] = {}

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return self.refuse[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list:
        """The messages delivered to `address`."""
        return [message for recipients, message in self.messages if address in recipients]


def free_port() -> int:
    """A TCP port of the loopback that nothing listens on (at the moment of asking)."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server(app):
    """A real SMTP server started for the test and stopped after it; the app sends to it."""
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, PUBLIC_URL="http://survey.test")
    yield inbox
    controller.stop()
