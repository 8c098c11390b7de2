"""The command line as a user runs it: a real `python -m aibcheck` process."""

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from synthlog import write_build

ROOT = Path(__file__).resolve().parents[2]


def aibcheck(*args: str, stdin: bytes = b"", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "aibcheck", *args],
        input=stdin,
        capture_output=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
    )


@pytest.fixture
def failed_log(tmp_path: Path) -> Path:
    path = tmp_path / "customization.log"
    with path.open("w", encoding="utf-8") as out:
        write_build(out, "customize")
    return path


def test_json_contract_keys(failed_log: Path) -> None:
    result = aibcheck("diagnose", "--format", "json", str(failed_log))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    for key in (
        "category",
        "phase",
        "failed_customizer",
        "confidence",
        "title",
        "cause",
        "fix",
        "docs",
        "evidence",
        "findings",
    ):
        assert key in data
    assert data["failed_customizer"] == "powershell"
    assert data["phase"] == "customize"
    assert data["input"]["complete"] is True
    assert all({"line", "text", "count"} == set(e) for e in data["evidence"])
    assert data["outcome"] == "failed"
    assert all({"category", "phase", "line", "signature"} == set(f) for f in data["findings"])
    lines = [f["line"] for f in data["findings"]]
    assert lines == sorted(lines)


def test_stdin_gzip_and_env_format(failed_log: Path) -> None:
    packed = gzip.compress(failed_log.read_bytes())
    result = aibcheck("diagnose", "-", stdin=packed, env={"AIBCHECK_FORMAT": "json"})
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["input"]["gzip"] is True
    assert data["failed_customizer"] == "powershell"


def test_markdown_has_verdict_timeline_gantt_and_evidence(failed_log: Path) -> None:
    out = aibcheck("diagnose", "--format", "markdown", str(failed_log)).stdout.decode()
    assert out.startswith("### ❌ aibcheck: ")
    assert "| step | phase | status |" in out
    assert "```mermaid\ngantt" in out and ":crit, " in out
    assert "**Evidence**\n\n```text\n" in out


def test_output_file(failed_log: Path, tmp_path: Path) -> None:
    target = tmp_path / "diagnosis.md"
    result = aibcheck("diagnose", str(failed_log), "--format", "markdown", "--output", str(target))
    assert result.returncode == 0 and result.stdout == b""
    assert target.read_text(encoding="utf-8").startswith("### ")


def test_text_is_the_default(failed_log: Path) -> None:
    out = aibcheck("diagnose", str(failed_log)).stdout.decode()
    assert out.startswith("aibcheck: ")
    assert "Timeline:" in out and "Last output of powershell:" in out


def test_bad_format_is_a_usage_error(failed_log: Path) -> None:
    result = aibcheck("diagnose", "--format", "yaml", str(failed_log))
    assert result.returncode == 2
    assert b"expected one of text, json, markdown" in result.stderr


def test_a_bad_variable_points_to_the_help_of_the_command_that_ran(tmp_path: Path) -> None:
    template = str(tmp_path / "t.json")
    for env, args, expected in (
        ({"AIBCHECK_LANG": "xx"}, ("run", "-t", template), "AIBCHECK_LANG='xx': expected one of en, zh-CN (see aibcheck run --help)"),
        ({"AIBCHECK_LANG": "xx"}, ("preflight", template), "(see aibcheck preflight --help)"),
        ({"AIBCHECK_POLL_SECONDS": "0"}, ("run", "-t", template), "expected a number (at least 0.01, at most 3600)"),
    ):
        result = subprocess.run(
            [sys.executable, "-m", "aibcheck", *args],
            capture_output=True, text=True, env={**os.environ, **env}, timeout=60, check=False,
        )  # fmt: skip
        assert result.returncode == 2 and expected in result.stderr, result.stderr


TEMPLATE = str(ROOT / "examples" / "templates" / "ubuntu-web.json")


@pytest.mark.parametrize("variable", ["REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"])
@pytest.mark.parametrize(
    "command", [("run", "--preflight", "off", "-t", TEMPLATE), ("preflight", TEMPLATE), ("attach", "--template", "t")]
)
def test_a_ca_bundle_that_does_not_exist_is_one_line_and_exit_2(
    tmp_path: Path, variable: str, command: tuple[str, ...]
) -> None:
    args = [*command, "-g", "rg", "--subscription", "0"]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIBCHECK_", "AZURE_", "GITHUB_", "TF_BUILD"))}
    result = subprocess.run(
        [sys.executable, "-m", "aibcheck", *args, "--arm-endpoint", "https://127.0.0.1:9"],
        capture_output=True, text=True, env={**env, variable: str(tmp_path / "missing.pem")}, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.strip().splitlines() == [
        f"aibcheck: error: {variable}={tmp_path / 'missing.pem'}: no such file or folder (give the path of a PEM file "
        "with the certificates of your CA, or unset the variable)"
    ]


def test_catalogue_lists_every_signature() -> None:
    result = aibcheck("catalogue", "--format", "json")
    rows = json.loads(result.stdout)
    signatures = list((ROOT / "aibcheck" / "catalogue" / "signatures").glob("*.yaml"))
    assert len(rows) == len(signatures)
    assert aibcheck("catalogue").stdout.decode().rstrip().endswith(f"{len(rows)} signatures")


def test_diagnose_does_not_import_azure(failed_log: Path) -> None:
    code = (
        "import sys; from aibcheck.cli import main; main(['diagnose', sys.argv[1], '-f', 'json']);"
        "bad = [m for m in sys.modules if m.startswith('azure')]; sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code, str(failed_log)], capture_output=True, timeout=60)
    assert result.returncode == 0, result.stderr
