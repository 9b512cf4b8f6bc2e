"""Reading instrument files into plain documents, and reading a document that may be broken.

YAML is read safely and strictly: a repeated key is an error and dates stay text (they would
not survive the JSON copy stored in the database). JSON files are read as JSON.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from survey.instruments.problems import InstrumentError


class _DocumentLoader(yaml.SafeLoader):
    """Safe YAML without silent surprises: a repeated key is an error, dates stay strings, and
    aliases (`*name`) are refused, since a few lines of nested aliases expand to a document
    too large to check."""

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None,
                None,
                f"an alias (*{event.anchor}) is not allowed: write the value out",
                event.start_mark,
            )
        return super().compose_node(parent, index)

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict:
        if isinstance(node, yaml.MappingNode):
            self.flatten_mapping(node)
            seen: set = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=True)
                if not isinstance(key, (str, int, float, bool)):
                    continue  # unhashable keys are refused by SafeLoader itself
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        "while reading a mapping",
                        node.start_mark,
                        f"found the key {key!r} twice",
                        key_node.start_mark,
                    )
                seen.add(key)
        return super().construct_mapping(node, deep=deep)


_DocumentLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parse_document(text: str, source: str, *, json_syntax: bool) -> Any:
    """The document in a file's text; InstrumentError naming the line when it cannot be read."""
    try:
        if json_syntax:
            return json.loads(text, object_pairs_hook=_unique_keys)
        return yaml.load(text, Loader=_DocumentLoader)  # noqa: S506 (a SafeLoader subclass)
    except json.JSONDecodeError as exc:
        problem = f"line {exc.lineno}, column {exc.colno}: {exc.msg}"
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = f"{where}{exc.problem}"
    except (yaml.YAMLError, ValueError) as exc:
        problem = str(exc)
    raise InstrumentError([f"{source}: {problem}"])


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict:
    document: dict = {}
    for key, value in pairs:
        if key in document:
            raise ValueError(f"found the key {key!r} twice")
        document[key] = value
    return document


# A document is checked in full even when its shape is broken (the schema reports the shape),
# so its parts are read through these, which turn a wrong type into an empty value.


def as_dict(value: Any) -> dict:
    """The value if it is a mapping, else an empty one."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list:
    """The value if it is a list, else an empty one."""
    return value if isinstance(value, list) else []


def is_int(value: Any) -> bool:
    """An integer and not a boolean (which Python counts as one)."""
    return isinstance(value, int) and not isinstance(value, bool)
