"""A secret that falls inside the words a verdict quotes never reaches an output.

The redactor recognises a secret by its name ("password": ...) or its shape. A hint quotes the words from its
trigger on ("Sysprep ... failed"), so a quote can take a secret's value without its name: such a value is
dropped from the title and cause. Each case runs the real process the way a pipeline does, in every format and
in both CI systems, and reads everything it printed or wrote.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SECRET = "Zq9vK2mPwr7"  # the planted value; it must appear nowhere
LINES = (
    '{"password": "Sysprep ' + SECRET + ' failed"}',
    'az vm create --admin-password "Sysprep ' + SECRET + ' failed"',
    "Pwd=Sysprep " + SECRET + " failed;",
    "Authorization: Bearer Sysprep." + SECRET + " failed",
    "<AdministratorPassword><Value>Sysprep " + SECRET + " failed</Value>",
    '{"clientSecret": "policy ' + SECRET + ' denied"}',
    '{"proxyPassword": "proxy ' + SECRET + ' blocked"}',
    "Server=db;client_secret=Windows Update " + SECRET + " failed;Encrypt=True",
)
CI = {
    "github": {"GITHUB_ACTIONS": "true"},
    "azure-devops": {"TF_BUILD": "True"},
}


@pytest.mark.parametrize("ci", sorted(CI))
@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
@pytest.mark.parametrize("line", LINES, ids=[f"line{n}" for n in range(len(LINES))])
def test_a_secret_inside_the_quoted_words_never_leaks(tmp_path: Path, line: str, fmt: str, ci: str) -> None:
    source = tmp_path / "pasted.txt"
    source.write_text(line + "\n", encoding="utf-8")
    summary = tmp_path / "summary.md"
    env = {
        **os.environ,
        **CI[ci],
        "GITHUB_STEP_SUMMARY": str(summary),
        "AGENT_TEMPDIRECTORY": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "-m", "aibcheck", "diagnose", "--format", fmt, str(source)],
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    written = [p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and p != source]
    for output in (result.stdout, result.stderr, *written):
        assert SECRET.encode() not in output


def test_a_quoted_backtick_opens_no_code_span() -> None:
    from aibcheck.diagnose import diagnose_bytes

    diagnosis = diagnose_bytes(b"Sysprep `whoami` failed\n", "pasted.txt")
    assert diagnosis.signature == "hint-sysprep"
    assert "`" not in diagnosis.title and "`" not in diagnosis.cause
    assert "'whoami'" in diagnosis.title
