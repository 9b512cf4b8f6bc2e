"""Language columns as XLSForm writes them: `label::English (en)`, `hint::Urdu (ur)`.

The code in brackets is what counts; the name before it is for people (XLSForm shows it to
enumerators as the language's name).
"""

from __future__ import annotations

import re

from survey.i18n import language_name
from survey.instruments.schema import LANGUAGE_PATTERN

_LANGUAGE_COLUMN = re.compile(r"^(?P<base>[a-z_]+)::(?P<name>.*?)\s*\((?P<code>[^()]*)\)$")


class LanguageColumnError(ValueError):
    """A language column whose language cannot be told."""


def language_of(header: str, base: str) -> str | None:
    """The language code of a `base::Name (code)` header; None for another column.

    Raises LanguageColumnError when the header is a `base::` column without a usable code.
    """
    if not header.startswith(f"{base}::"):
        return None
    match = _LANGUAGE_COLUMN.match(header)
    if match is None or match["base"] != base:
        raise LanguageColumnError(
            f"write the language of the column {header!r} as Name (code), e.g. {base}::English (en)"
        )
    code = match["code"].strip()
    if not re.fullmatch(LANGUAGE_PATTERN, code):
        raise LanguageColumnError(
            f"{code!r} in the column {header!r} is not a language code such as en, ur or fr"
        )
    return code


def language_label(code: str) -> str:
    """A language as XLSForm names it: "Urdu (ur)"."""
    return f"{language_name(code)} ({code})"


def language_column(base: str, code: str) -> str:
    """The header of `base` in a language: `label::Urdu (ur)`."""
    return f"{base}::{language_label(code)}"


def default_language_code(setting: str) -> str | None:
    """The code in a `default_language` setting ("English (en)" or "en"); None if unclear."""
    text = setting.strip()
    match = re.fullmatch(r".*?\((?P<code>[^()]*)\)", text)
    code = match["code"].strip() if match else text
    return code if re.fullmatch(LANGUAGE_PATTERN, code) else None
