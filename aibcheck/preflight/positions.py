"""Where each value of a JSON or YAML document starts: JSON pointers mapped to 1-based line numbers.

An object member maps to the line of its key, an array item to the line where the item starts, so that a
finding about a whole block points at the line that names it.
"""

import json
import re
from bisect import bisect_right
from collections.abc import Callable
from typing import Any

import yaml

_WS = re.compile(r"[ \t\n\r]*")
_SCALAR = re.compile(r"-?[\w.+-]+")  # numbers, true, false, null, NaN, Infinity: all json.loads accepts
_SafeComposer: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_scanstring: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]


def escape(part: str) -> str:
    """One reference token of a JSON pointer (RFC 6901)."""
    return part.replace("~", "~0").replace("/", "~1")


def pointer(*parts: str | int) -> str:
    return "".join("/" + escape(str(part)) for part in parts)


def parent(path: str) -> str | None:
    return None if not path else path.rsplit("/", 1)[0]


def nearest(lines: dict[str, int], path: str) -> str:
    """The pointer itself when the document has it, else its closest ancestor that it has."""
    current: str | None = path
    while current is not None and current not in lines:
        current = parent(current)
    return current if current is not None else ""


class _JsonLines:
    """Line table of a document json.loads has already accepted (so no error handling is needed here)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.newlines = [m.start() for m in re.finditer("\n", text)]
        self.lines: dict[str, int] = {}

    def line_at(self, position: int) -> int:
        return bisect_right(self.newlines, position - 1) + 1

    def skip(self, position: int) -> int:
        match = _WS.match(self.text, position)
        return match.end() if match else position

    def value(self, position: int, path: str) -> int:
        position = self.skip(position)
        self.lines.setdefault(path, self.line_at(position))
        char = self.text[position]
        if char == "{":
            return self.members(position + 1, path)
        if char == "[":
            return self.items(position + 1, path)
        if char == '"':
            return int(_scanstring(self.text, position + 1)[1])
        match = _SCALAR.match(self.text, position)
        return match.end() if match else position + 1

    def members(self, position: int, path: str) -> int:
        position = self.skip(position)
        if self.text[position] == "}":
            return position + 1
        while True:
            key, end = _scanstring(self.text, position + 1)
            child = path + "/" + escape(key)
            self.lines[child] = self.line_at(position)
            position = self.skip(self.value(self.skip(end) + 1, child))
            if self.text[position] == "}":
                return position + 1
            position = self.skip(position + 1)  # past the comma

    def items(self, position: int, path: str) -> int:
        position = self.skip(position)
        if self.text[position] == "]":
            return position + 1
        index = 0
        while True:
            position = self.skip(self.value(position, f"{path}/{index}"))
            if self.text[position] == "]":
                return position + 1
            position, index = position + 1, index + 1


def json_lines(text: str) -> dict[str, int]:
    """Pointer -> line for a valid JSON text."""
    table = _JsonLines(text)
    table.value(0, "")
    return table.lines


def yaml_lines(text: str) -> dict[str, int]:
    """Pointer -> line for a YAML text (anchors are followed, a recursive alias only once)."""
    lines: dict[str, int] = {}
    root = yaml.compose(text, Loader=_SafeComposer)
    if root is not None:
        _walk_yaml(root, "", lines, set())
    return lines


def _walk_yaml(node: yaml.Node, path: str, lines: dict[str, int], active: set[int]) -> None:
    lines.setdefault(path, node.start_mark.line + 1)
    if id(node) in active:
        return
    active.add(id(node))
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = path + "/" + escape(str(key.value))
            lines[child] = key.start_mark.line + 1
            _walk_yaml(value, child, lines, active)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk_yaml(item, f"{path}/{index}", lines, active)
    active.discard(id(node))
