"""The five kinds of input a secret is planted in, each written as few files as the outputs allow.

A plant is tagged [Pnn] so that a test can tell it reached an output (and was masked there). What an output
shows bounds how many plants fit in one file: the last 40 lines of the failed customizer's output, 10
evidence lines, the last 5 output lines of a failure nobody recognises, 2 KiB of a long line.
"""

import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import re2
from synthlog import OPERATION, write_build

from aibcheck.diagnose.matcher import default_matcher
from tests.planted_secrets import PLANTS, Plant

CONTEXTS = ("customizer-output", "error-line", "unknown-failure", "arm-error-json", "pasted-message")
OUTPUT_LINES_PER_LOG = 30  # of the 40 the report keeps, room for the step's own lines
LINE_BUDGET = 1800  # characters of plants on one line: a longer line is cut to 2 KiB

_FAILING = f"{OPERATION} PACKER OUT ==> azure-arm: Start-Process"
_STDOUT_NOTE = f"{OPERATION} PACKER ERR 2026/03/04 10:04:50 packer-provisioner-powershell plugin: [INFO] 96 bytes written for 'stdout'\n"
_UNKNOWN_ERROR = "provisioner returned an unexpected response 0x7f3a"
# Lines that known signatures recognise, each from a different one where possible.
ERROR_LINES = (
    "E: Unable to locate package nginx",
    "/tmp/script_5530.sh: line 12: az: command not found",
    "curl: (22) The requested URL returned error: 404",
    "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 1873 (apt-get)",
    "tar: usr/share/dotnet/x.dll: Cannot write: No space left on device",
    "[ 1234.567890] Out of memory: Killed process 4123 (cc1plus) total-vm:2894520kB, anon-rss:2703212kB",
    "curl: (6) Could not resolve host: packages.contoso.internal",
    "Error downloading 'https://stscripts01.blob.core.windows.net/scripts/setup.sh': 403 This request is not "
    "authorized to perform this operation using this permission. ErrorCode: AuthorizationPermissionMismatch",
    "    + CategoryInfo          : ObjectNotFound: (C:\\BuildArtifacts\\app.msi:String) [Start-Process], "
    "InvalidOperationException",
)
SERVICE_ERRORS = (
    (
        "AuthorizationFailed",
        "The client 'f1d0e6c2-0000-4000-8000-000000000001' with object id "
        "'f1d0e6c2-0000-4000-8000-000000000001' does not have authorization to perform action "
        "'Microsoft.Compute/images/read' over scope '/subscriptions/0000/resourceGroups/rg-src' or the scope is invalid.",
    ),
    (
        "QuotaExceeded",
        "Operation could not be completed as it results in exceeding approved standardDSv2Family Cores "
        "quota. Location: eastus, Current Limit: 10, Current Usage: 8, Additional Required: 4.",
    ),
    ("RequestDisallowedByPolicy", "Resource 'pkrnic4k2ndq0lxz' was disallowed by policy."),
    (
        "SkuNotAvailable",
        "The requested size for resource '/subscriptions/0000/resourceGroups/IT_rg/providers/"
        "Microsoft.Compute/virtualMachines/aibvm1b2c' is currently not available in location 'westeurope' zones '' "
        "for subscription '0000'.",
    ),
    (
        "InvalidTemplateDeployment",
        "The template deployment 'pkrdp4k2ndq0lxz' is not valid according to the validation procedure.",
    ),
    (
        "AuthorizationPermissionMismatch",
        "Error downloading 'https://stscripts01.blob.core.windows.net/scripts/"
        "setup.sh': 403 This request is not authorized to perform this operation using this permission.",
    ),
)


@dataclass(frozen=True)
class Placed:
    marker: str
    plant: Plant

    def lines(self) -> list[str]:
        return [f"[{self.marker}] {self.plant.lines[0]}", *self.plant.lines[1:]]


@dataclass(frozen=True)
class Input:
    name: str
    text: str
    placed: tuple[Placed, ...]


PLACED = tuple(Placed(f"P{index:02d}", plant) for index, plant in enumerate(PLANTS))
ONE_LINE = tuple(placed for placed in PLACED if len(placed.plant.lines) == 1)


def _pack(placed: tuple[Placed, ...], budget: int) -> Iterator[list[Placed]]:
    """One-line plants in groups that fit on one line."""
    group: list[Placed] = []
    for one in placed:
        if group and sum(len(p.lines()[0]) + 3 for p in [*group, one]) > budget:
            yield group
            group = []
        group.append(one)
    if group:
        yield group


def _joined(group: list[Placed]) -> str:
    return " ;; ".join(p.lines()[0] for p in group)


def build_log(output: list[str], unknown: bool = False, arrow: bool = False) -> str:
    """The synthetic Windows build whose last customizer printed `output` just before it failed."""
    buffer = io.StringIO()
    write_build(buffer, "customize")
    text = buffer.getvalue()
    lead = f"{OPERATION} PACKER OUT {'==> ' if arrow else '    '}azure-arm: "
    block = "".join(f"{lead}{line}\n{_STDOUT_NOTE}" for line in output)
    at = text.index(_FAILING)
    if unknown:  # the failure lines go: no signature knows the error
        end = text.index("\n", text.index("Script exited", at)) + 1
        text = text[:at] + block + text[end:]
        return text.replace("Script exited with non-zero exit status: 1. Allowed exit codes are: [0]", _UNKNOWN_ERROR)
    return text[:at] + block + text[at:]


def _customizer_output() -> Iterator[Input]:
    chunk: list[Placed] = []
    for one in PLACED:
        if chunk and sum(len(p.plant.lines) for p in [*chunk, one]) > OUTPUT_LINES_PER_LOG:
            yield Input(f"customizer-{len(chunk)}-{chunk[0].marker}.log", build_log(_lines(chunk)), tuple(chunk))
            chunk = []
        chunk.append(one)
    yield Input(f"customizer-{len(chunk)}-{chunk[0].marker}.log", build_log(_lines(chunk)), tuple(chunk))


def _lines(chunk: list[Placed]) -> list[str]:
    return [line for placed in chunk for line in placed.lines()]


def _error_lines() -> Iterator[Input]:
    groups = list(_pack(ONE_LINE, LINE_BUDGET - 200))
    assert len(groups) <= len(ERROR_LINES), "more error lines are needed for the plants"
    lines = [f"{error} {_joined(group)}" for error, group in zip(ERROR_LINES, groups, strict=False)]
    yield Input("error-lines.log", build_log(lines, arrow=True), ONE_LINE)


def _unknown_failure() -> Iterator[Input]:
    matcher = default_matcher()
    unknown = tuple(p for p in ONE_LINE if not matcher.match(p.lines()[0]))  # a known error would be the verdict
    groups = list(_pack(unknown, LINE_BUDGET))
    for start in range(0, len(groups), 5):  # the verdict shows the last 5 lines of output
        batch = groups[start : start + 5]
        placed = tuple(p for group in batch for p in group)
        yield Input(f"unknown-{start}.log", build_log([_joined(g) for g in batch], unknown=True), placed)


def _arm_error_json() -> Iterator[Input]:
    groups = list(_pack(ONE_LINE, 4 * LINE_BUDGET))
    assert len(groups) <= len(SERVICE_ERRORS), "more service errors are needed for the plants"
    details = [
        {"code": code, "message": f"{message} {_joined(group)}"}
        for (code, message), group in zip(SERVICE_ERRORS, groups, strict=False)
    ]
    body = {
        "id": "/subscriptions/0000/providers/Microsoft.VirtualMachineImages/locations/westeurope/operations/0a1b",
        "status": "Failed",
        "error": {
            "code": "DeploymentFailed",
            "message": "At least one resource deployment operation failed.",
            "details": details,
        },
    }
    yield Input("arm-error.json", json.dumps(body, indent=2), ONE_LINE)


def _pasted_message() -> Iterator[Input]:
    for index, group in enumerate(_pack(ONE_LINE, LINE_BUDGET - 150)):
        text = (
            f'Deployment failed. Code="InvalidTemplateDeployment" Message="The template deployment \'pkrdp01\' is '
            f'not valid according to the validation procedure." {_joined(group)}\n'
        )
        yield Input(f"message-{index}.txt", text, tuple(group))


BUILDERS = {
    "customizer-output": _customizer_output,
    "error-line": _error_lines,
    "unknown-failure": _unknown_failure,
    "arm-error-json": _arm_error_json,
    "pasted-message": _pasted_message,
}


def write_inputs(context: str, folder: Path) -> list[tuple[Path, Input]]:
    written = []
    for one in BUILDERS[context]():
        path = folder / one.name
        path.write_text(one.text, encoding="utf-8")
        written.append((path, one))
    return written


PIECE = 8  # no piece of a secret this long may reach an output
_JSON_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|.)")


def leak_finder(secrets: tuple[str, ...]) -> "re2._Regexp[str]":
    """One RE2 pattern for every 8-character piece of the secrets (the whole secret when shorter)."""
    pieces = {s[i : i + PIECE] for s in secrets for i in range(max(1, len(s) - PIECE + 1))}
    return re2.compile("|".join(re2.escape(piece) for piece in sorted(pieces)))


def readable_forms(text: str) -> list[str]:
    """The text as written, and as read back from JSON, a workflow command, a logging command, a Markdown cell."""
    json_text = _JSON_ESCAPE.sub(lambda m: chr(int(m[1][1:], 16)) if len(m[1]) == 5 else m[1], text)
    github = text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")
    azdo = text.replace("%3B", ";").replace("%0D", "\r").replace("%0A", "\n").replace("%5D", "]").replace("%AZP25", "%")
    return [text, json_text, github, azdo, text.replace("\\|", "|")]
