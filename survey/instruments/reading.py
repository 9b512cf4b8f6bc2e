"""Reading instrument files into plain documents, and reading a document that may be broken.

YAML is read safely and strictly: a repeated key is an error and dates stay text (they would
not survive the JSON copy stored in the database). JSON files are read as JSON. Either is refused
when nested deeper than any questionnaire needs (MAX_NESTING), before anything walks it.
"""

from __future__ import annotations

import json
from typing import Any

import yaml

from survey.instruments.problems import InstrumentError

# Lists and mappings inside each other: the shipped questionnaire needs 8 levels. Deeper
# documents are refused, since each later step (checks, copies) walks them recursively.
MAX_NESTING = 32
TOO_DEEP = f"lists and mappings are nested more than {MAX_NESTING} levels deep"


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
            document = json.loads(text, object_pairs_hook=_unique_keys)
        else:
            document = yaml.load(text, Loader=_DocumentLoader)  # noqa: S506 (a SafeLoader subclass)
        if not nested_too_deep(document):
            return document
        problem = TOO_DEEP
    except json.JSONDecodeError as exc:
        problem = f"line {exc.lineno}, column {exc.colno}: {exc.msg}"
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = f"{where}{exc.problem}"
    except (yaml.YAMLError, ValueError) as exc:
        problem = str(exc)
    except RecursionError:
        problem = TOO_DEEP
    raise InstrumentError([f"{source}: {problem}"])


def json_value(text: str) -> Any:
    """The JSON value written in `text` (a workbook's cell); ValueError saying what is wrong."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON: {exc}") from None
    except RecursionError:
        raise ValueError(TOO_DEEP) from None
    if nested_too_deep(value):
        raise ValueError(TOO_DEEP)
    return value


def nested_too_deep(value: Any) -> bool:
    """Whether lists and mappings in `value` go more than MAX_NESTING levels deep (walked
    without recursion)."""
    level = [value]
    for _ in range(MAX_NESTING):
        level = [
            child
            for item in level
            if isinstance(item, (dict, list))
            for child in (item.values() if isinstance(item, dict) else item)
        ]
        if not level:
            return False
    return any(isinstance(item, (dict, list)) for item in level)


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
