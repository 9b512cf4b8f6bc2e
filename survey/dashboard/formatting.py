"""Numbers as the dashboards, the report and the command line print them."""

from __future__ import annotations


def number(value: float | None, decimals: int = 2) -> str:
    """A rounded number with a true minus sign, "–" when undefined, never "−0.00"."""
    if value is None:
        return "–"
    text = f"{value:.{decimals}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text.replace("-", "−")


def p_value(value: float | None) -> str:
    """The p phrase as printed: "p = 0.012", "p < 0.001" or "p = –" when undefined."""
    if value is None:
        return "p = –"
    return "p < 0.001" if value < 0.001 else f"p = {value:.3f}"


def suppressed_note(min_cell: int) -> str:
    """What stands in place of a withheld number."""
    return f"suppressed (n < {min_cell})"
