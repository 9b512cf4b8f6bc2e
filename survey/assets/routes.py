"""Static assets under content-hashed names, cached for a year: CSS, scripts, fonts and the
vendored plotly.js bundle, all served by the app itself (the venue's network may be closed)."""

import hashlib
from functools import cache
from pathlib import Path

from flask import Blueprint, abort, current_app, send_file

bp = Blueprint("assets", __name__)

STATIC = Path(__file__).resolve().parent.parent / "static"
ONE_YEAR = 31_536_000


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
    response = send_file(path, max_age=ONE_YEAR, conditional=True)
    response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    if current_app.debug:
        response.headers["Cache-Control"] = "no-cache"
    return response


@bp.app_context_processor
def template_helpers() -> dict:
    return {"asset_url": asset_url}
