"""One person's browser, over HTTP (the standard library's, so the load tests need nothing beyond
the app's own dependencies) or in-process against a Flask test client: cookies, redirects, a
kept-alive connection, compression as browsers take it, requests for JSON as the questionnaire's
script sends them, timings; and the forms of a page, parsed."""

from __future__ import annotations

import gzip
import http.client
import json
import re
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit


@dataclass
class Timing:
    method: str
    path: str
    status: int
    seconds: float


@dataclass
class Page:
    status: int
    url: str  # path and query of the final URL, after redirects
    body: str

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    def json(self) -> dict:
        """The body as JSON (an answer to a request for JSON)."""
        return json.loads(self.body)


#: What Chromium sends, and what the app answers with (brotli, else gzip).
ACCEPT_ENCODING = "gzip, deflate, br"
JSON_REQUEST = {"Accept": "application/json"}


def _decoded(data: bytes, encoding: str | None) -> bytes:
    if encoding == "br":
        import brotli  # the app's own dependency (Flask-Compress)

        return brotli.decompress(data)
    if encoding == "gzip":
        return gzip.decompress(data)
    return data


class Browser:
    """One person's browser: cookies, redirects and a kept-alive connection; `compressed` asks
    for compressed answers as a real browser does."""

    # Errors of a kept-alive connection that the server closed between two requests (idle
    # timeout, a worker recycled after max_requests): browsers silently retry those once.
    STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)

    def __init__(self, base_url: str, *, timeout: float = 30, compressed: bool = False) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.timeout = timeout
        self.compressed = compressed
        self.cookies: dict[str, str] = {}
        self.timings: list[Timing] = []
        self.retries = 0
        self._connection: http.client.HTTPConnection | None = None
        self._used = False

    def get(self, url: str, *, headers: dict[str, str] | None = None) -> Page:
        return self._follow("GET", url, None, headers)

    def post(
        self,
        url: str,
        fields: Sequence[tuple[str, str]],
        *,
        headers: dict[str, str] | None = None,
        files: dict[str, tuple[str, bytes]] | None = None,
    ) -> Page:
        """POST a form: urlencoded, or multipart with `files` (field -> (filename, bytes))."""
        if not files:
            return self._follow("POST", url, urlencode(list(fields)).encode(), headers)
        body, content_type = _multipart(fields, files)
        return self._follow("POST", url, body, {**(headers or {}), "Content-Type": content_type})

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
        self._connection, self._used = None, False

    def _follow(self, method: str, url: str, body: bytes | None, extra: dict | None) -> Page:
        for _ in range(10):
            status, headers, text = self._request(method, url, body, extra or {})
            location = headers.get("Location")
            if status in (301, 302, 303, 307, 308) and location:
                url = urljoin(url, location)
                if status in (301, 302, 303):
                    method, body = "GET", None
                continue
            parts = urlsplit(url)
            return Page(status, parts.path + (f"?{parts.query}" if parts.query else ""), text)
        raise RuntimeError(f"too many redirects from {url}")

    def _request(self, method: str, url: str, body: bytes | None, extra: dict):
        parts = urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        headers = {"Accept-Language": "en", "User-Agent": "dialogue-survey-bench", **extra}
        if self.compressed:
            headers["Accept-Encoding"] = ACCEPT_ENCODING
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
        for attempt in (1, 2):
            reused = self._used
            if self._connection is None:
                self._connection = http.client.HTTPConnection(
                    self.host, self.port, timeout=self.timeout
                )
            started = time.perf_counter()
            try:
                self._connection.request(method, target, body=body, headers=headers)
                response = self._connection.getresponse()
                data = response.read()
            except self.STALE:
                self.close()
                if attempt == 1 and reused:
                    self.retries += 1
                    continue
                raise
            except Exception:
                self.close()
                raise
            self._used = True
            if response.will_close:
                self.close()
            self.timings.append(
                Timing(method, parts.path, response.status, time.perf_counter() - started)
            )
            self._store_cookies(response.headers.get_all("Set-Cookie") or [])
            data = _decoded(data, response.headers.get("Content-Encoding"))
            return response.status, response.headers, data.decode("utf-8", "replace")
        raise AssertionError("unreachable")

    def _store_cookies(self, lines: Iterable[str]) -> None:
        for line in lines:
            pair, _, attributes = line.partition(";")
            name, _, value = pair.strip().partition("=")
            expired = re.search(r"max-age=0|expires=[^;]*1970", attributes, re.IGNORECASE)
            if expired:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = value


def _multipart(fields, files) -> tuple[bytes, str]:
    """A multipart/form-data body of fields and files, and its Content-Type."""
    boundary = f"bench{uuid.uuid4().hex}"
    parts = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n')
        parts.append(f"{value}\r\n")
    chunks = ["".join(parts).encode()]
    for name, (filename, data) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
        )
        chunks += [head.encode(), data, b"\r\n"]
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


class ClientBrowser(Browser):
    """The same browser speaking to a Flask test client in-process (no server, no network)."""

    def __init__(self, client, *, compressed: bool = False) -> None:
        super().__init__("http://localhost", compressed=compressed)
        self.client = client
        self.pages: list[tuple[str, Page]] = []  # every 200 page received, with its method

    def _request(self, method: str, url: str, body: bytes | None, extra: dict):
        started = time.perf_counter()
        headers = {"Accept-Language": "en", **extra}
        if self.compressed:
            headers["Accept-Encoding"] = ACCEPT_ENCODING
        content_type = headers.pop("Content-Type", "application/x-www-form-urlencoded")
        response = self.client.open(
            url,
            method=method,
            data=body,
            content_type=content_type if body is not None else None,
            headers=headers,
        )
        path = urlsplit(url).path
        self.timings.append(
            Timing(method, path, response.status_code, time.perf_counter() - started)
        )
        encoding = response.headers.get("Content-Encoding")
        text = _decoded(response.get_data(), encoding).decode("utf-8", "replace")
        if response.status_code == 200:
            self.pages.append((method, Page(200, url, text)))
        return response.status_code, response.headers, text


@dataclass
class Field:
    tag: str  # input, select, textarea
    type: str  # input type; "select", "textarea"
    name: str
    value: str = ""
    checked: bool = False
    required: bool = False
    attrs: dict[str, str] = field(default_factory=dict)
    options: list[str] = field(default_factory=list)  # a select's option values


@dataclass
class Form:
    action: str
    method: str
    fields: list[Field] = field(default_factory=list)
    buttons: list[tuple[str, str, str]] = field(default_factory=list)  # name, value, text


class FormParser(HTMLParser):
    """Collects every form of a page with its fields and submit buttons."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._option: str | None = None
        self._textarea: Field | None = None
        self._button: list | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = Form(a.get("action", ""), a.get("method", "get").lower())
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image"):
                if "name" in a:
                    self._form.buttons.append((a["name"], a.get("value", ""), a.get("value", "")))
                return
            if "name" in a and "disabled" not in a:
                self._form.fields.append(
                    Field(
                        "input",
                        kind,
                        a["name"],
                        a.get("value", "on" if kind in ("checkbox", "radio") else ""),
                        "checked" in a,
                        "required" in a,
                        a,
                    )
                )
        elif tag == "button" and a.get("type", "submit").lower() == "submit":
            self._button = [a.get("name", ""), a.get("value", ""), ""]
        elif tag == "select" and "name" in a:
            self._select = Field("select", "select", a["name"], required="required" in a, attrs=a)
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._option = a.get("value")
            if self._option is not None:
                self._select.options.append(self._option)
                if "selected" in a:
                    self._select.value = self._option
        elif tag == "textarea" and "name" in a:
            self._textarea = Field("textarea", "textarea", a["name"], "", False, "required" in a, a)
            self._form.fields.append(self._textarea)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data
        if self._button is not None:
            self._button[2] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "option":
            self._option = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "button" and self._button is not None and self._form is not None:
            self._form.buttons.append((self._button[0], self._button[1], self._button[2].strip()))
            self._button = None


@lru_cache(maxsize=64)
def parse_forms(html: str) -> list[Form]:
    """Every form of a page, with its fields and submit buttons (not to be changed: the forms
    of a page parsed once are shared, as every participant's wave steps are the same page)."""
    parser = FormParser()
    parser.feed(html)
    parser.close()
    return parser.forms
