"""The theme codebook as a CSV file (docs/exports.md, "Theme codebook"): `theme, label,
description, parent`, one row per theme, parents before their sub-themes. `survey themes
import|export` and the themes page read and write it; a file to import may leave out
`description` and `parent`.

An import adds the file's new themes and updates those whose code it names; themes it does not
name stay as they are (a theme in use is never dropped by a file). All or nothing: every problem
is reported with its line, and nothing is written unless the whole file is valid.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from survey.audit import record
from survey.coding.tables import TableError, table_lines
from survey.coding.themes import check_theme, creates_cycle, theme_tree, workshop_themes
from survey.exports.csvfile import csv_lines
from survey.exports.import_check import ImportProblem
from survey.extensions import db
from survey.models import StaffUser, Theme, Workshop

THEME_COLUMNS = ("theme", "label", "description", "parent")
#: Columns a codebook may leave out: a theme it adds has none (no description, at the top), a
#: theme it updates keeps its own.
OPTIONAL_COLUMNS = ("description", "parent")
#: More themes than anyone codes with: a longer file is refused at the line past it, before
#: its parents are followed (which takes time growing with the square of a chain's length).
MAX_THEMES = 1000


def theme_rows(themes: list[Theme]) -> Iterator[list[str]]:
    """The codebook's rows: parents before their sub-themes."""
    codes = {t.id: t.code for t in themes}
    for entry in theme_tree(themes):
        theme = entry.theme
        yield [theme.code, theme.label, theme.description, codes.get(theme.parent_id, "")]


def theme_file(workshop: Workshop, *, spreadsheet: bool = False) -> str:
    """The workshop's codebook as CSV text."""
    rows = theme_rows(workshop_themes(workshop))
    return "".join(csv_lines(THEME_COLUMNS, rows, spreadsheet=spreadsheet))


@dataclass
class ThemeImport:
    """What an import of a codebook found and did (or, in a dry run, would do)."""

    problems: list[ImportProblem] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, {len(self.unchanged)} unchanged"
        )


def import_themes(
    workshop: Workshop, data: bytes, *, dry_run: bool = False, actor: StaffUser | None = None
) -> ThemeImport:
    """Check a codebook file and, unless dry_run or anything is wrong, apply it (the caller
    commits; nothing is added when a problem is found)."""
    result = ThemeImport()
    rows: list[tuple[int, str, str, str, str]] = []
    codes: set[str] = set()
    existing = {t.code: t for t in workshop_themes(workshop)}
    try:
        for line in table_lines(data, THEME_COLUMNS, optional=OPTIONAL_COLUMNS):
            if len(rows) == MAX_THEMES:
                result.problems.append(
                    ImportProblem(line.number, f"a codebook holds at most {MAX_THEMES:,} themes")
                )
                return result
            cells = line.cells
            code, label = cells["theme"], cells["label"]
            theme = existing.get(code)
            description = cells.get("description", theme.description if theme else "")
            parent = cells.get("parent", _parent_code(theme) if theme else "")
            problem = check_theme(code, label, description)
            if problem:
                result.problems.append(ImportProblem(line.number, problem))
            elif code in codes:
                result.problems.append(ImportProblem(line.number, f"the theme {code} is repeated"))
            codes.add(code)
            rows.append((line.number, code, label, description, parent))
    except TableError as error:
        result.problems.append(error.problem)
        return result
    if not rows and not result.problems:
        result.problems.append(ImportProblem(1, "the file has a header but no themes"))
    parents = {code: _parent_code(t) or None for code, t in existing.items()}
    parents |= {code: parent or None for _, code, _, _, parent in rows}
    for number, code, _, _, parent in rows:
        if parent and parent not in parents:
            result.problems.append(ImportProblem(number, f"unknown parent theme {parent!r}"))
        elif parent == code:
            result.problems.append(ImportProblem(number, f"{code} cannot be its own parent"))
        elif parent and creates_cycle(parents, code):
            result.problems.append(
                ImportProblem(number, f"{code} would be below itself (its parents form a circle)")
            )
    result.problems.sort()
    if result.problems:
        return result
    for _, code, label, description, parent in rows:
        theme = existing.get(code)
        if theme is None:
            result.added.append(code)
        elif (theme.label, theme.description, _parent_code(theme)) == (label, description, parent):
            result.unchanged.append(code)
        else:
            result.updated.append(code)
    if not dry_run:
        _write(workshop, rows, existing, result, actor)
    return result


def _parent_code(theme: Theme) -> str:
    """The code of the theme's parent, "" for a theme at the top."""
    return theme.parent.code if theme.parent else ""


def _write(workshop, rows, existing, result: ThemeImport, actor) -> None:
    """A file that names every theme orders the codebook (an exported codebook, edited); any
    other keeps the themes' places, its new themes after them in its order, so that the coders'
    keys for the themes they know stay the same."""
    themes = dict(existing)
    for _, code, label, description, _ in rows:
        theme = themes.get(code)
        if theme is None:
            theme = themes[code] = Theme(workshop_id=workshop.id, code=code)
            db.session.add(theme)
        theme.label, theme.description = label, description
    named = [code for _, code, *_ in rows]
    if existing.keys() <= set(named):
        order = named
    else:
        kept = sorted(existing.values(), key=lambda t: t.position)
        order = [t.code for t in kept] + [code for code in named if code not in existing]
    for position, code in enumerate(order):
        themes[code].position = position
    for _, code, _, _, parent in rows:
        themes[code].parent = themes[parent] if parent else None
    record(
        "themes.import",
        workshop=workshop,
        actor=actor,
        detail={"added": len(result.added), "updated": len(result.updated)},
    )
