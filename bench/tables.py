"""The plain-text tables the benchmarks print their figures in."""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """A plain-text table with right-aligned figures."""
    rows = [list(row) for row in rows]
    cells = [[str(h) for h in headers]] + [[_cell(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    # Text to the left, figures to the right.
    left = [not rows or isinstance(rows[0][i], str) for i in range(len(headers))]
    lines = []
    for n, row in enumerate(cells):
        padded = (
            c.ljust(w) if n == 0 or flush_left else c.rjust(w)
            for c, w, flush_left in zip(row, widths, left, strict=True)
        )
        lines.append("  ".join(padded))
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _cell(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.1f}" if abs(value) >= 100 else f"{value:.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)
