"""Writing an instrument document back out, as YAML (the format it is written in) or as an
XLSForm workbook; either reads back into the same document."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import yaml

from survey.instruments.xlsform import xlsform_bytes

#: The formats a definition is written in: name -> (file extension, media type).
FORMATS = {
    "yaml": ("yaml", "application/yaml"),
    "xlsform": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


class _Dumper(yaml.SafeDumper):
    """Texts of several lines as blocks (`|`), as an author writes them."""


def _text(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_Dumper.add_representer(str, _text)


def definition_yaml(definition: Mapping[str, Any], *, heading: str = "") -> str:
    """The document as YAML, keys in the document's order; `heading` becomes a comment."""
    body = yaml.dump(
        dict(definition), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100
    )
    comment = "".join(f"# {line}\n" for line in heading.splitlines())
    return comment + body


def definition_file(definition: Mapping[str, Any], file_format: str, *, heading: str = "") -> bytes:
    """The document in a format of FORMATS, as the bytes of a file (XlsFormLoss when a
    workbook would not hold it exactly)."""
    if file_format == "yaml":
        return definition_yaml(definition, heading=heading).encode("utf-8")
    if file_format == "xlsform":
        return xlsform_bytes(definition)
    raise ValueError(f"unknown format {file_format!r} (formats: {', '.join(FORMATS)})")
