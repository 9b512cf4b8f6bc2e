"""Application settings, read from the environment once, used only via current_app.config."""

import os
from datetime import timedelta


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    # Keys the personal invitation tokens (HMAC). Falls back to SECRET_KEY; rotating it
    # invalidates every link already sent, so production should set it explicitly.
    INVITATION_KEY = os.environ.get("INVITATION_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")  # None: SQLite in the instance folder
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    SQLITE_BUSY_TIMEOUT_MS = _int("SQLITE_BUSY_TIMEOUT_MS", 10_000)
    SQLITE_BEGIN_OUTSIDE_REQUESTS = "IMMEDIATE"  # see survey.database

    WTF_CSRF_TIME_LIMIT = None  # tied to the session instead, so a long page never loses its form
    # Over HTTPS Flask-WTF would also demand a Referer from this host, which browsers never send
    # here (Referrer-Policy: no-referrer, so that no token leaks): every form would fail. The
    # session's token and the SameSite session cookie are the check; HSTS keeps it on HTTPS.
    WTF_CSRF_SSL_STRICT = False
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "0") == "1"
    PERMANENT_SESSION_LIFETIME = timedelta(days=_int("PARTICIPANT_SESSION_DAYS", 30))
    STAFF_IDLE_TIMEOUT = timedelta(minutes=_int("STAFF_IDLE_MINUTES", 30))
    STAFF_ABSOLUTE_TIMEOUT = timedelta(hours=_int("STAFF_ABSOLUTE_HOURS", 12))

    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    # Said by every app: Flask-Limiter's one Limiter keeps the last app's setting as the default
    # of the next, so an app made without limits would leave every later one without them.
    RATELIMIT_ENABLED = True
    # Redis unreachable: count in each process's memory until it answers again, rather than fail
    # the request (survey.counters); and find out within a second (other storages ignore these).
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
    # Failed personal-link and join-code look-ups per address (one budget for both). Beyond it
    # unknown links get 429 while valid links still open (survey.respond.lookups).
    FAILED_LOOKUP_LIMIT = os.environ.get("FAILED_LOOKUP_LIMIT", "20 per 10 minutes")
    # Failed sign-ins, counted per address (any account), per account and address (a hard
    # limit), per account from anywhere (a ceiling past which sign-ins to it only wait): see
    # survey.auth.throttle and docs/operations.md. The pause after each failure from one address:
    # none for the first two, then doubling up to the maximum.
    FAILED_LOGIN_LIMIT = os.environ.get("FAILED_LOGIN_LIMIT", "10 per 15 minutes")
    FAILED_LOGIN_ACCOUNT_LIMIT = os.environ.get("FAILED_LOGIN_ACCOUNT_LIMIT", "10 per 15 minutes")
    FAILED_LOGIN_ACCOUNT_SLOWDOWN = os.environ.get(
        "FAILED_LOGIN_ACCOUNT_SLOWDOWN", "20 per 15 minutes"
    )
    LOGIN_SLOWDOWN_SECONDS = float(os.environ.get("LOGIN_SLOWDOWN_SECONDS", "0.5"))
    LOGIN_SLOWDOWN_MAX_SECONDS = float(os.environ.get("LOGIN_SLOWDOWN_MAX_SECONDS", "4"))
    # Requests for a password reset link per client address, each counted (survey.auth.reset).
    PASSWORD_RESET_LIMIT = os.environ.get("PASSWORD_RESET_LIMIT", "5 per hour")
    # Every staff member must have two-step sign-in on before any staff page opens (they are
    # led to set it up after signing in): docs/operations.md, "Two-step sign-in".
    STAFF_TWO_STEP_REQUIRED = _flag("STAFF_TWO_STEP_REQUIRED")
    ROSTER_MAX_BYTES = _int("ROSTER_MAX_BYTES", 1024 * 1024)
    # Request bodies: uploads (rosters, paper responses) stay well under this; a checked roster
    # travels back in a form field when the organiser confirms its import.
    MAX_CONTENT_LENGTH = _int("MAX_UPLOAD_BYTES", 16 * 1024 * 1024)
    MAX_FORM_MEMORY_SIZE = 2 * ROSTER_MAX_BYTES
    # Number of reverse proxies whose X-Forwarded-For is trusted (0: use the socket address).
    PROXY_COUNT = _int("PROXY_COUNT", 0)

    # Flask-Compress: brotli where the browser takes it (every current one), else gzip, for
    # pages, JSON and the few SVGs; streamed responses (the exports) stay streamed as they are.
    COMPRESS_ALGORITHM = ["br", "gzip"]
    COMPRESS_MIMETYPES = ["text/html", "application/json", "image/svg+xml"]
    COMPRESS_STREAMS = False

    LANGUAGES = ("en", "ur", "fr")
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    DEFAULT_INSTRUMENT = "nato-pakistan-2014"
    # Kept statistics carry every chart drawn, so that no process draws them again
    # (survey.dashboard.refresh); drawing takes about a second per workshop.
    STATS_DRAW_AHEAD = True
    PUBLIC_URL = os.environ.get("PUBLIC_URL")  # base of links on invitations; request host if unset
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")

    # Invitations and reminders go out through this SMTP server (docs/operations.md, "E-mail").
    MAIL_BACKEND = "smtp"  # Flask-Mailman would otherwise keep test messages in memory
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "localhost")
    MAIL_PORT = _int("MAIL_PORT", 25)
    MAIL_USE_TLS = _flag("MAIL_USE_TLS")
    MAIL_USE_SSL = _flag("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER")
    MAIL_TIMEOUT = _int("MAIL_TIMEOUT", 15)  # seconds to wait for the server, per command
    # Messages handed to the server per minute, across batches (relays refuse faster senders).
    MAIL_MAX_PER_MINUTE = _int("MAIL_MAX_PER_MINUTE", 60)
    # No reminder to someone sent a message for the same wave less than this long ago.
    MAIL_REMINDER_GAP_HOURS = _int("MAIL_REMINDER_GAP_HOURS", 12)
    # A batch started from the console stops handing out messages after this long, well within
    # the web server's time-out; the rest wait for the next press of the button.
    MAIL_WEB_BATCH_SECONDS = _int("MAIL_WEB_BATCH_SECONDS", 20)


class DevelopmentConfig(Config):
    """The embedded default: SQLite in the instance folder, a generated secret kept there."""


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "1") == "1"
    PREFERRED_URL_SCHEME = "https"


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105 (tests only)
    INVITATION_KEY = "test-invitation-key"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL")
    RATELIMIT_STORAGE_URI = "memory://"
    SQLITE_BEGIN_OUTSIDE_REQUESTS = "DEFERRED"
    PASSWORD_HASH_FAST = True  # argon2 with minimal cost keeps the suite quick
    # Tests that send start their own SMTP server and set MAIL_PORT; nothing listens here.
    MAIL_SERVER = "127.0.0.1"
    MAIL_PORT = 9
    MAIL_USE_TLS = MAIL_USE_SSL = False
    MAIL_USERNAME = MAIL_PASSWORD = None
    MAIL_DEFAULT_SENDER = "Workshop team <survey@example.org>"
    MAIL_TIMEOUT = 5
    # A second per workshop rendered, for every test; the tests of kept results turn it on.
    STATS_DRAW_AHEAD = False


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "testing": TestConfig,
}
