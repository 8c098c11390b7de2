"""Small structured inputs (JSON, Format-List text) turned into logical lines for the matcher.

Each logical line is (line number in the input, "key: value", phase hint). A provisioningError says
the template was refused at submission, whatever the error itself looks like.
"""

import json
import re
from collections.abc import Iterator
from typing import Any

from aibcheck.diagnose.plain import plain
from aibcheck.taxonomy import Phase

Logical = tuple[int, str, Phase | None]
MAX_DEPTH = 64
_SUBMISSION_KEYS = ("provisioningerror", "provisioningerrormessage", "provisioningerrorcode")


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


_FACT_KEYS = {
    "buildtimeoutinminutes": "build_timeout",
    "buildtimeoutinminute": "build_timeout",  # Get-AzImageBuilderTemplate's name for it
    "vmsize": "vm_size",
    "vmprofilevmsize": "vm_size",
    "osdisksizegb": "os_disk_gb",
    "vmprofileosdisksizegb": "os_disk_gb",
}


_TEMPLATE_ID = re.compile(
    r"/resourceGroups/(?P<group>[^/\s]+)/providers/Microsoft\.VirtualMachineImages/imageTemplates/(?P<name>[^/\s\"',]+)",
    re.IGNORECASE,
)


def template_of_id(text: str) -> dict[str, str]:
    """{template_name} and {resource_group} from an image template's resource id, if the text holds one."""
    found = _TEMPLATE_ID.search(text)
    return {"template_name": found["name"], "resource_group": found["group"]} if found else {}


def document_facts(lines: list[Logical]) -> dict[str, str]:
    """The template's own settings when the document is the template (az image builder show, Format-List)."""
    facts: dict[str, str] = {}
    for _, text, _ in lines:
        if "template_name" not in facts:
            facts.update(template_of_id(text))
        key, _, value = text.partition(": ")
        name = _FACT_KEYS.get(key.strip().lower())
        value = value.strip()
        if name and name not in facts and re.fullmatch(r"[\w.-]{1,64}", value):
            facts[name] = "240" if name == "build_timeout" and value == "0" else value
    if "build_timeout" in facts and not facts["build_timeout"].isdigit():
        del facts["build_timeout"]  # an ARM expression, not a value
    return facts


def _hint(path: tuple[str, ...]) -> Phase | None:
    if any(part.lower() in _SUBMISSION_KEYS for part in path):
        return Phase.SUBMISSION
    return None


class _LineFinder:
    """Find the input line on which a decoded JSON string value was written, moving forward only.

    Values come in document order, so each search starts where the last one ended; a value not found
    (its encoded form differs, as in a JSON string holding JSON) takes the current line. Linear overall.
    """

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.cursor = 0
        self.line = 1

    def line_of(self, value: str) -> int:
        for encoded in (json.dumps(value, ensure_ascii=False)[1:-1], json.dumps(value)[1:-1]):
            probe = encoded[:60]
            if not probe:
                continue
            position = self.raw.find(probe, self.cursor)
            if position != -1:
                self.line += self.raw.count("\n", self.cursor, position)
                self.cursor = position
                return self.line
        return self.line


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
            yield from _walk(item, (*path, _clean(str(key))), finder, depth + 1)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item, path, finder, depth + 1)
    elif value is not None:
        text = _clean(value) if isinstance(value, str) else json.dumps(value)
        if isinstance(value, str) and text.lstrip()[:1] in ("{", "["):
            nested = _nested_json(text)
            if nested is not None:  # statusMessage often carries a JSON document as a string
                line = finder.line_of(text)
                for _, inner, hint in _walk(nested, path, finder, depth + 1):
                    yield line, inner, hint or _hint(path)
                return
        key = path[-1] if path else "value"
        line = finder.line_of(text) if isinstance(value, str) else finder.line
        for part in text.splitlines() or [""]:
            yield line, f"{key}: {part}", _hint(path)


def _nested_json(text: str) -> Any:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _clean(text: str) -> str:
    """JSON can carry lone surrogates ("\\ud800"), which no UTF-8 consumer accepts: they become U+FFFD."""
    return text if text.isascii() else _SURROGATE.sub("\ufffd", text)


def _entry(line: str) -> tuple[str, int] | None:
    """A Format-List "Key : value" line: the key and the column where its value starts (no regex: linear)."""
    if not line or line[0].isspace():
        return None
    colon = line.find(":")
    if colon <= 0:
        return None
    return line[:colon].strip(), colon + 1 + (line[colon + 1 : colon + 2] == " ")


def _wrap_width(lines: list[str], wrapped: list[int]) -> int:
    """The console width the output was wrapped at: the longest wrapped line (or line, with one sample)."""
    samples = [len(lines[i].rstrip()) for i in wrapped] if len(wrapped) > 1 else [len(x.rstrip()) for x in lines]
    return max(samples, default=0)


def _joiner(previous: str, width: int) -> str:
    """PowerShell wraps values at word boundaries and cuts only words longer than a line: a line that
    stops short of the width ended at a space (which copying often trims), a full one mid-word."""
    if previous[-1:].isspace() or len(previous.rstrip()) >= width:
        return ""
    return " "


def format_list_lines(raw: str) -> list[Logical]:
    """`Get-AzImageBuilderTemplate | Format-List` output; wrapped values are joined back together."""
    physical = [plain(line) for line in raw.splitlines()]
    kinds = [_entry(line) for line in physical]
    wrapped = [i - 1 for i, line in enumerate(physical) if i and kinds[i] is None and line.strip()]
    width = _wrap_width(physical, [i for i in wrapped if physical[i].strip()])
    entries: list[tuple[int, str, list[str], int]] = []  # line number, key, value parts, column of the value
    for index, line in enumerate(physical):
        entry = kinds[index]
        if entry is not None:
            entries.append((index + 1, entry[0], [line[entry[1] :]], entry[1]))
        elif entries and line.strip():
            column = entries[-1][3]
            indented = line[:column].strip() == "" and len(line) > column
            piece = line[column:] if indented else line.strip()
            entries[-1][2].append(_joiner(physical[index - 1], width) + piece)
        elif line.strip():
            entries.append((index + 1, "", [line.strip()], 0))
    lines = []
    for number, key, parts, _ in entries:
        value = "".join(parts).strip()
        lines.append((number, f"{key}: {value}" if key else value, _hint((key,))))
    return lines
