"""The coding area's CSV downloads: the theme codebook (for every coder) and the codings (for
researchers: the file names participants by their pseudonymous id, like the other exports; each
download is an audit event). Spreadsheet-safe unless ?plain=1 (docs/exports.md)."""

from __future__ import annotations

from flask import make_response, request

from survey.auth.access import workshop_role_required
from survey.coding.coding_file import CODING_COLUMNS, export_codings
from survey.coding.routes import CODERS, bp
from survey.coding.theme_file import theme_file
from survey.database import begin_writing
from survey.exports.csvfile import csv_lines
from survey.extensions import db
from survey.models import Role, Workshop


@bp.get("/themes.csv")
@workshop_role_required(*CODERS)
def themes_csv(workshop: Workshop):
    """The codebook as CSV."""
    plain = _plain()
    text = theme_file(workshop, spreadsheet=not plain)
    return _attachment(text, _filename(workshop, "themes", plain))


@bp.get("/codings.csv")
@workshop_role_required(Role.RESEARCHER)
def codings_csv(workshop: Workshop):
    """Every coder's codings and the final ones."""
    plain = _plain()
    begin_writing()  # the download is recorded
    rows = export_codings(workshop, spreadsheet=not plain)
    db.session.commit()
    text = "".join(csv_lines(CODING_COLUMNS, rows, spreadsheet=not plain))
    response = _attachment(text, _filename(workshop, "codings", plain))
    response.headers["X-Row-Count"] = str(len(rows))
    return response


def _plain() -> bool:
    return request.args.get("plain") == "1"


def _filename(workshop: Workshop, name: str, plain: bool) -> str:
    return f"{workshop.slug}-{name}{'' if plain else '-spreadsheet'}.csv"


def _attachment(text: str, filename: str):
    response = make_response(text.encode("utf-8"))
    response.mimetype = "text/csv"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
