"""A workshop's theme codebook: themes with a code, a label, a description and optionally a
parent theme, in the order the coders see them.

The changes are the functions that record themselves in the audit log: create_theme,
update_theme and delete_theme (survey.coding.theme_file records an import as one event).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import func, select

from survey.audit import record
from survey.extensions import db
from survey.models import Theme, Workshop
from survey.models.coding import coding_theme, settled_coding_theme
from survey.text import quantity

#: A theme's code: what the CSV files name it by (a letter or digit first, no spaces).
THEME_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
LABEL_MAX = 200
DESCRIPTION_MAX = 2000


class ThemeError(ValueError):
    """A change of the codebook that cannot be made, with a message for the user."""


@dataclass(frozen=True)
class ThemeEntry:
    """A theme in the codebook's order, with its depth under its parents."""

    theme: Theme
    depth: int


def workshop_themes(workshop: Workshop | int) -> list[Theme]:
    """The workshop's themes, in the codebook's order (one statement)."""
    workshop_id = workshop if isinstance(workshop, int) else workshop.id
    return list(
        db.session.scalars(
            select(Theme).where(Theme.workshop_id == workshop_id).order_by(Theme.position, Theme.id)
        )
    )


def theme_tree(themes: Iterable[Theme]) -> list[ThemeEntry]:
    """The themes with each one's sub-themes right after it, in position order."""
    themes = sorted(themes, key=lambda t: (t.position, t.id))
    ids = {t.id for t in themes}
    children: dict[int | None, list[Theme]] = {}
    for theme in themes:
        parent = theme.parent_id if theme.parent_id in ids else None
        children.setdefault(parent, []).append(theme)
    entries: list[ThemeEntry] = []
    seen: set[int] = set()

    def visit(parent: int | None, depth: int) -> None:
        for theme in children.get(parent, []):
            if theme.id not in seen:
                seen.add(theme.id)
                entries.append(ThemeEntry(theme, depth))
                visit(theme.id, depth + 1)

    visit(None, 0)
    # A theme on a cycle has no root above it: it still shows, at the top.
    entries += [ThemeEntry(t, 0) for t in themes if t.id not in seen]
    return entries


def codebook_codes(themes: Iterable[Theme]) -> tuple[tuple[str, ...], dict[str, str]]:
    """The theme codes in the codebook's order (each theme's sub-themes right after it, as every
    page and file lists them) and each sub-theme's parent code: what the analysis takes
    (ThemeSpec)."""
    entries = theme_tree(themes)
    codes = {entry.theme.id: entry.theme.code for entry in entries}
    parents = {
        entry.theme.code: codes[entry.theme.parent_id]
        for entry in entries
        if entry.theme.parent_id in codes
    }
    return tuple(entry.theme.code for entry in entries), parents


def check_theme(code: str, label: str, description: str) -> str | None:
    """What is wrong with a theme's code, label or description, if anything."""
    if not THEME_CODE.fullmatch(code):
        return (
            f"the code {code!r} must be 1–64 letters, digits, '_', '.' or '-', beginning with "
            "a letter or digit"
        )
    if not label.strip():
        return f"the theme {code} needs a label"
    if len(label) > LABEL_MAX:
        return f"the label of {code} has {len(label)} characters; at most {LABEL_MAX}"
    if len(description) > DESCRIPTION_MAX:
        return f"the description of {code} is longer than {DESCRIPTION_MAX} characters"
    if "\x00" in label + description:
        return f"the theme {code} contains a NUL character"
    return None


def creates_cycle(parents: Mapping[str, str | None], theme: str) -> bool:
    """Whether following the parents from `theme` comes back to it."""
    seen = {theme}
    parent = parents.get(theme)
    while parent is not None:
        if parent in seen:
            return True
        seen.add(parent)
        parent = parents.get(parent)
    return False


def create_theme(
    workshop: Workshop, code: str, label: str, description: str = "", parent: Theme | None = None
) -> Theme:
    """Add a theme at the end of the codebook."""
    themes = workshop_themes(workshop)
    _check(themes, None, code, label, description, parent)
    theme = Theme(
        workshop_id=workshop.id,
        code=code,
        label=label.strip(),
        description=description.strip(),
        parent=parent,
        position=max((t.position for t in themes), default=-1) + 1,
    )
    db.session.add(theme)
    record("theme.create", workshop=workshop, detail={"theme": code})
    return theme


def update_theme(
    theme: Theme, code: str, label: str, description: str = "", parent: Theme | None = None
) -> None:
    """Change a theme's code, label, description or parent."""
    _check(workshop_themes(theme.workshop_id), theme, code, label, description, parent)
    before = theme.code
    theme.code, theme.label, theme.description = code, label.strip(), description.strip()
    theme.parent = parent
    record("theme.update", workshop=theme.workshop, detail={"theme": code, "was": before})


def theme_in_use(theme: Theme) -> int:
    """How many codings (a coder's or a final one) give the theme (one statement)."""
    used = select(func.count()).select_from(coding_theme).where(coding_theme.c.theme_id == theme.id)
    settled = (
        select(func.count())
        .select_from(settled_coding_theme)
        .where(settled_coding_theme.c.theme_id == theme.id)
    )
    return db.session.scalar(select(used.scalar_subquery() + settled.scalar_subquery())) or 0


def delete_theme(theme: Theme) -> None:
    """Remove a theme that no coding gives and no theme has as its parent."""
    if db.session.scalar(select(func.count()).where(Theme.parent_id == theme.id)):
        raise ThemeError(f"{theme.code} has sub-themes: move or delete them first")
    used = theme_in_use(theme)
    if used:
        raise ThemeError(
            f"{theme.code} is given in {quantity(used, 'coding')}: a coding would change its "
            "meaning; change those codings first, or keep the theme"
        )
    record("theme.delete", workshop=theme.workshop, detail={"theme": theme.code})
    db.session.delete(theme)


def _check(
    themes: list[Theme],
    theme: Theme | None,
    code: str,
    label: str,
    description: str,
    parent: Theme | None,
) -> None:
    problem = check_theme(code, label, description)
    if problem:
        raise ThemeError(problem)
    if any(t.code == code and t is not theme for t in themes):
        raise ThemeError(f"a theme {code} exists already")
    if parent is not None:
        if theme is not None and parent.id == theme.id:
            raise ThemeError(f"{code} cannot be its own parent")

        def code_of(t: Theme) -> str:  # under the code it is given, if it is being renamed
            return code if theme is not None and t.id == theme.id else t.code

        parents = {code_of(t): (code_of(t.parent) if t.parent else None) for t in themes}
        parents[code] = parent.code
        if creates_cycle(parents, code):
            raise ThemeError(f"{parent.code} is below {code}: it cannot be its parent")
