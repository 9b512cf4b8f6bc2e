"""Security at the door: requests carrying a NUL character are refused, ids in paths are
bounded, and every response gets security headers, with a Content-Security-Policy that allows
no inline script (every script is a file served by the app itself). Where a page is sent back
to after a form (`next=`), only a path of this site is taken (local_path)."""

from urllib.parse import urlsplit

from flask import Flask, g, request
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

from survey.errors import N_

MAX_ID = 2**31 - 1  # the largest value of an id column (PostgreSQL's `integer`)
_ID_DIGITS = len(str(MAX_ID))


def posted_id(value: str | None) -> int | None:
    """A row's id as a form posts it: ASCII digits up to the largest id, else None. The digits
    are counted first: Python refuses to read more than 4,300 of them as a number."""
    if not (value and value.isascii() and value.isdigit() and len(value) <= _ID_DIGITS):
        return None
    number = int(value)
    return number if number <= MAX_ID else None


# Views whose form checks every posted value against what the page offers and shows the
# problem beside the question, keeping the other answers: a NUL in their form is one more
# value they refuse. Their path and query string are still checked at the door.
FORMS_THAT_REFUSE_NUL = frozenset({"respond.save", "respond.preview"})
# What the error page says (translated there, survey.errors).
NUL_REFUSED = N_("The address or the form holds a character that is not allowed.")

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def local_path(target: str | None) -> str | None:
    """`target` if it is a path of this site; None for another host, a scheme, a
    protocol-relative URL, a backslash or a control character (which no redirect may carry)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return None
    parts = urlsplit(target)
    return None if parts.scheme or parts.netloc else target


def relax_style_src(value: str) -> None:
    """Widen style-src for this response (plotly.js writes <style> rules at run time)."""
    g.csp_style_src = value


def content_security_policy() -> str:
    policy = dict(CSP, **({"style-src": g.csp_style_src} if "csp_style_src" in g else {}))
    return "; ".join(f"{k} {v}" for k, v in policy.items())


class IdConverter(IntegerConverter):
    """`<int:...>` in a URL rule: a number past the largest id names no row, so the address is
    not found, rather than an overflow in the query."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False) -> None:
        super().__init__(map, fixed_digits, min, max, signed)


def refuse_nul() -> None:
    """Answer 400 when the path, the query string or a form field holds a NUL character.

    PostgreSQL cannot store or even compare text with a NUL, so one reaching a query is a 500
    there; nobody types one. Uploaded files are not looked at: their parsers report a NUL on
    its line like any other problem of the file.
    """
    values = [request.path, *_keys_and_values(request.args)]
    if request.endpoint not in FORMS_THAT_REFUSE_NUL:
        values += _keys_and_values(request.form)
    if any("\x00" in value for value in values):
        raise BadRequest(NUL_REFUSED)


def _keys_and_values(multidict) -> list[str]:
    return [text for key, value in multidict.items(multi=True) for text in (key, value)]


def register(app: Flask) -> None:
    """Install the checks and headers; before the blueprints, whose rules use the converter."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_nul)

    @app.after_request
    def add_security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", content_security_policy())
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        # Personal links must never leak through Referer.
        headers.setdefault("Referrer-Policy", "no-referrer")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        # Nothing here is for search engines: a personal or join link posted somewhere public
        # must not make its page findable.
        headers.setdefault("X-Robots-Tag", "noindex, nofollow")
        if request.is_secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        if "Cache-Control" not in headers and response.mimetype == "text/html":
            headers["Cache-Control"] = "no-store"
        return response
