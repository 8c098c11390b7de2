"""Untrusted text cannot become a GitHub workflow command or an Azure DevOps logging command."""

import json
from pathlib import Path

import pytest
from test_cli import aibcheck

from aibcheck.render.safe import neutralise


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("::set-output name=x::y", ": :set-output name=x::y"),
        ("   ::error::boom", "   : :error::boom"),
        ("text ##vso[task.setvariable variable=x]1", "text ##vso [task.setvariable variable=x]1"),
        ("##VSO[task.complete result=Failed]", "##VSO [task.complete result=Failed]"),
        ("##[error]fake", "## [error]fake"),
        ("a\nb\rc", "a b c"),
        ("x\u2028::error::y\u2029z\u0085w", "x ::error::y z w"),
        ("esc\x1b[31mred", "esc[31mred"),
        ("plain a::b", "plain a::b"),
    ],
)
def test_neutralise(raw: str, expected: str) -> None:
    assert neutralise(raw) == expected


@pytest.mark.parametrize("fmt", ["text", "markdown", "json"])
def test_log_lines_never_print_as_commands(tmp_path: Path, fmt: str) -> None:
    log = tmp_path / "customization.log"
    log.write_text(
        "[op] PACKER ERR 2026/03/04 10:00:00 [INFO] (telemetry) Starting provisioner shell\n"
        "[op] PACKER OUT     azure-arm: ::add-mask::nothing\n"
        "::stop-commands::abc\n"
        "[op] PACKER OUT     azure-arm: ##vso[task.setvariable variable=PATH]/evil\n"
        "[op] PACKER ERR ==> azure-arm: Script exited with non-zero exit status: 1. ##vso[task.complete result=Succeeded]\n"
        "[op] PACKER ERR 2026/03/04 10:01:00 [INFO] (telemetry) ending shell\n",
        encoding="utf-8",
    )
    out = aibcheck("diagnose", "--format", fmt, str(log)).stdout.decode()
    assert "##vso[" not in out.lower()
    assert not any(line.lstrip().startswith("::") for line in out.splitlines())
    if fmt == "json":  # JSON stays lossless: the text parses back to what the log said
        texts = [o["text"] for o in json.loads(out)["customizer_output"]]
        assert "##vso[task.setvariable variable=PATH]/evil" in texts


def test_json_output_escapes_the_unicode_line_breaks(tmp_path: Path) -> None:
    """A tool that splits lines the Unicode way sees no line starting with a command in the JSON either."""
    message = tmp_path / "message.txt"
    message.write_text("E: Could not get lock /var/lib/dpkg/lock x\u2028::error::y\u0085::warning::z\n", encoding="utf-8")
    out = aibcheck("diagnose", "--format", "json", str(message)).stdout.decode()
    assert not any(line.lstrip().startswith("::") for line in out.splitlines())
    assert "x\u2028::error::y\u0085::warning::z" in json.loads(out)["evidence"][0]["text"]
