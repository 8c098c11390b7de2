"""Small structured inputs (JSON, Format-List text) turned into logical lines for the matcher.

Each logical line is (line number in the input, "key: value", phase hint). A provisioningError says
the template was refused at submission, whatever the error itself looks like.
"""

import json
import re
from collections.abc import Iterator
from typing import Any

from aibcheck.taxonomy import Phase

Logical = tuple[int, str, Phase | None]
MAX_DEPTH = 64
_SUBMISSION_KEYS = ("provisioningerror", "provisioningerrormessage", "provisioningerrorcode")
_FORMAT_LIST_ENTRY = re.compile(r"^(\S[^:]*?)\s*: ?(.*)$")


_RUN_SUB_STATE = re.compile(r"runSubState:\s*(\w+)", re.IGNORECASE)
_RUN_STATE = re.compile(r"^(?:LastRunStatus)?RunState:\s*(\w+)", re.IGNORECASE)
# Building covers Packer's whole build (deploy, connect, customize, generalize), as real failures show; it
# names no phase, and neither do Queued and Optimizing.
_SUB_STATE_PHASES = {
    "customizing": Phase.CUSTOMIZE,
    "validating": Phase.VALIDATE,
    "distributing": Phase.DISTRIBUTE,
}


def run_state(lines: list[Logical]) -> str:
    """A status document's lastRunStatus.runState, or "" when it has none."""
    for _, text, _ in lines:
        match = _RUN_STATE.search(text)
        if match:
            return match.group(1)
    return ""


def run_sub_state_phase(lines: list[Logical]) -> Phase | None:
    """The phase a status document's runSubState names (Building and Queued name none precisely)."""
    for _, text, _ in lines:
        match = _RUN_SUB_STATE.search(text)
        if match:
            return _SUB_STATE_PHASES.get(match.group(1).lower())
    return None


def _hint(path: tuple[str, ...]) -> Phase | None:
    if any(part.lower() in _SUBMISSION_KEYS for part in path):
        return Phase.SUBMISSION
    return None


class _LineFinder:
    """Find the input line on which a decoded JSON string value was written."""

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.cursor = 0

    def line_of(self, value: str) -> int:
        for encoded in (json.dumps(value, ensure_ascii=False)[1:-1], json.dumps(value)[1:-1]):
            probe = encoded[:60]
            if not probe:
                continue
            position = self.raw.find(probe, self.cursor)
            if position == -1:
                position = self.raw.find(probe)
            if position != -1:
                self.cursor = position
                return self.raw.count("\n", 0, position) + 1
        return 1


def json_lines(raw: str) -> list[Logical] | None:
    """The logical lines of a JSON document, or None when it is not JSON after all."""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError):
        return None
    finder = _LineFinder(raw)
    return list(_walk(data, (), finder, 0))


def _walk(value: Any, path: tuple[str, ...], finder: _LineFinder, depth: int) -> Iterator[Logical]:
    if depth > MAX_DEPTH:
        return
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, (*path, str(key)), finder, depth + 1)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item, path, finder, depth + 1)
    elif value is not None:
        text = value if isinstance(value, str) else json.dumps(value)
        if isinstance(value, str) and text.lstrip()[:1] in ("{", "["):
            nested = _nested_json(text)
            if nested is not None:  # statusMessage often carries a JSON document as a string
                line = finder.line_of(text)
                for _, inner, hint in _walk(nested, path, finder, depth + 1):
                    yield line, inner, hint or _hint(path)
                return
        key = path[-1] if path else "value"
        line = finder.line_of(text) if isinstance(value, str) else 1
        for part in text.splitlines() or [""]:
            yield line, f"{key}: {part}", _hint(path)


def _nested_json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def format_list_lines(raw: str) -> list[Logical]:
    """`Get-AzImageBuilderTemplate | Format-List` output; wrapped values are joined back together."""
    entries: list[list[Any]] = []  # [line number, key, value, column where values start]
    for number, line in enumerate(raw.splitlines(), start=1):
        match = _FORMAT_LIST_ENTRY.match(line)
        if match and not line[:1].isspace():
            entries.append([number, match.group(1).strip(), match.group(2), match.start(2)])
        elif entries and line.strip():
            column = entries[-1][3]
            indented = line[:column].strip() == "" and len(line) > column
            entries[-1][2] += line[column:] if indented else " " + line.strip()
        elif line.strip():
            entries.append([number, "", line.strip(), 0])
    return [
        (number, f"{key}: {value.strip()}" if key else value.strip(), _hint((key,)))
        for number, key, value, _ in entries
    ]
