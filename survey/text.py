"""Text as people type it, read the same way wherever it is typed."""

import unicodedata


def western_digits(text: str) -> str:
    """Map the decimal digits of any script (Urdu ۰–۹, Arabic-Indic ٠–٩, ...) to 0–9."""
    return "".join(
        str(unicodedata.decimal(ch)) if unicodedata.decimal(ch, None) is not None else ch
        for ch in text
    )
