"""Static assets under content-hashed names, cached for a year: CSS, scripts, fonts and the
vendored plotly.js bundle, all served by the app itself (the venue's network may be closed).
Stylesheets and scripts go out without their comment lines and compressed (brotli, else gzip),
prepared once per process: participants download them over weak mobile data."""

import gzip
import hashlib
import mimetypes
import re
from functools import cache
from pathlib import Path

import brotli
from flask import Blueprint, abort, current_app, make_response, request, send_file

bp = Blueprint("assets", __name__)

STATIC = Path(__file__).resolve().parent.parent / "static"
ONE_YEAR = 31_536_000
# Kinds of file worth compressing (fonts in WOFF2 are compressed already).
COMPRESSIBLE = frozenset({".css", ".js", ".svg"})
# Sources whose comment lines and indentation are for the people who read them, not phones.
COMMENTED = frozenset({".css", ".js"})
# Only whole lines are dropped: a comment that starts a line (a block comment to its end, or a
# line comment in a script) is never inside a string, as none of these files write strings
# across lines. plotly.js, someone else's minified file, is served as it is.
_BLOCK_COMMENT = re.compile(r"^[ \t]*/\*.*?\*/[ \t]*\n", re.S | re.M)
_LINE_COMMENT = re.compile(r"^[ \t]*//.*\n", re.M)
# The densest brotli takes seconds on the 1.2 MB plotly.js bundle: files above this size get a
# quicker level, which a worker can afford on the first request for them.
DENSEST_UP_TO = 512 * 1024


def asset_path(name: str) -> Path:
    path = (STATIC / name).resolve()
    if STATIC not in path.parents or not path.is_file():
        raise FileNotFoundError(name)
    return path


@cache
def _digest(path: Path, mtime: float) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def asset_digest(name: str) -> str:
    path = asset_path(name)
    return _digest(path, path.stat().st_mtime)


def hashed_name(name: str) -> str:
    stem, dot, ext = name.rpartition(".")
    return f"{stem}.{asset_digest(name)}{dot}{ext}"


def asset_url(name: str) -> str:
    return f"/assets/{hashed_name(name)}"


@cache
def _served(path: Path, digest: str) -> bytes:
    """The bytes a browser gets: our stylesheets and scripts without comment lines and
    indentation, anything else as it is; once per process and version."""
    data = path.read_bytes()
    if path.suffix not in COMMENTED or path.parent.parent != STATIC:
        return data
    text = _LINE_COMMENT.sub("", _BLOCK_COMMENT.sub("", data.decode()))
    return "".join(line.lstrip() + "\n" for line in text.splitlines() if line.strip()).encode()


@cache
def _compressed(path: Path, digest: str, encoding: str | None) -> bytes:
    """The served file compressed with `encoding` ("br", "gzip" or None: not at all)."""
    data = _served(path, digest)
    if encoding is None:
        return data
    dense = len(data) <= DENSEST_UP_TO
    if encoding == "br":
        return brotli.compress(data, quality=11 if dense else 5)
    return gzip.compress(data, compresslevel=9 if dense else 6, mtime=0)


def _encoding(path: Path) -> str | None:
    """The compression the browser takes (None: none of ours)."""
    return request.accept_encodings.best_match(["br", "gzip"])


@bp.get("/assets/<path:hashed>")
def asset(hashed: str):
    stem, _, ext = hashed.rpartition(".")
    name_stem, _, digest = stem.rpartition(".")
    name = f"{name_stem}.{ext}"
    try:
        if asset_digest(name) != digest:
            abort(404)
        path = asset_path(name)
    except OSError:  # no such file, or a name no file can have (too long for the system)
        abort(404)
    if path.suffix not in COMPRESSIBLE:
        response = send_file(path, max_age=ONE_YEAR, conditional=True)
    else:
        encoding = _encoding(path)
        response = make_response(_compressed(path, digest, encoding))
        response.mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        if encoding is not None:
            response.headers["Content-Encoding"] = encoding
        response.set_etag(f"{digest}-{encoding or 'identity'}")
        response.make_conditional(request)
        response.headers["Vary"] = "Accept-Encoding"
    response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    if current_app.debug:
        response.headers["Cache-Control"] = "no-cache"
    return response


@bp.app_context_processor
def template_helpers() -> dict:
    return {"asset_url": asset_url}
