"""Text as people type it and as their spreadsheets save it, read the same way wherever it
is typed."""

import unicodedata


def western_digits(text: str) -> str:
    """Map the decimal digits of any script (Urdu ۰–۹, Arabic-Indic ٠–٩, ...) to 0–9."""
    return "".join(
        str(unicodedata.decimal(ch)) if unicodedata.decimal(ch, None) is not None else ch
        for ch in text
    )


def csv_delimiter(text: str) -> str:
    """Comma, or the semicolon (Excel in French and other locales) or tab the header uses."""
    header = text.split("\n", 1)[0]
    return max((",", ";", "\t"), key=lambda d: (header.count(d), d == ","))
