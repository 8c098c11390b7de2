"""Where a user points --output and the runner's files: what is not a file (a pipe, /dev/stdout) is written into,
never replaced by a file; a path that cannot be written is one line and exit 2; a runner file that cannot be
written is one warning, and the rest of the report still reaches the job."""

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "customization-failed.log"


def _env(extra: dict[str, str] | None = None) -> dict[str, str]:
    away = ("AZURE_", "GITHUB_", "TF_BUILD", "AIBCHECK_", "SYSTEM_")
    return {**{k: v for k, v in os.environ.items() if not k.startswith(away)}, **(extra or {})}


def _diagnose(
    *args: str, env: dict[str, str] | None = None, stdout: int | IO[bytes] = subprocess.PIPE
) -> subprocess.CompletedProcess[bytes]:
    command = [sys.executable, "-m", "aibcheck", "diagnose", str(EXAMPLE), *args]
    return subprocess.run(command, stdout=stdout, stderr=subprocess.PIPE, env=_env(env), timeout=60, check=False)


def test_a_pipe_is_written_into_and_stays_a_pipe(tmp_path: Path) -> None:
    fifo = tmp_path / "report.pipe"
    os.mkfifo(fifo)
    link = tmp_path / "report.json"
    link.symlink_to(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    done = _diagnose("--format", "json", "--output", str(link))
    reader.join(timeout=60)
    assert done.returncode == 0, done.stderr.decode()
    assert stat.S_ISFIFO(fifo.lstat().st_mode) and link.is_symlink()
    assert json.loads(received[0])["category"] == "package-manager-busy"


def test_dev_stdout_is_the_process_s_own_stream_even_when_redirected_to_a_file(tmp_path: Path) -> None:
    piped = _diagnose("--format", "json", "--output", "/dev/stdout")
    assert piped.returncode == 0 and json.loads(piped.stdout)["outcome"] == "failed"
    target = tmp_path / "out.json"
    with target.open("wb") as handle:
        redirected = _diagnose("--format", "json", "--output", "/dev/stdout", stdout=handle)
    assert redirected.returncode == 0, redirected.stderr.decode()
    assert json.loads(target.read_bytes())["outcome"] == "failed"


def test_an_output_path_that_cannot_be_written_is_one_line_and_exit_2(tmp_path: Path) -> None:
    for path, expected in (
        ("y" * 300, "File name too long"),
        ("", "--output needs a file name"),
        (str(tmp_path), "is a directory"),
        (str(tmp_path / "missing" / "x.md"), "cannot write --output"),
    ):
        done = _diagnose("--output", path)
        lines = done.stderr.decode().strip().splitlines()
        assert done.returncode == 2 and len(lines) == 1 and expected in lines[0], (path[:20], done.stderr.decode())


def test_runner_files_that_cannot_be_written_warn_and_the_report_goes_on(tmp_path: Path) -> None:
    blocked = tmp_path / "a-directory"
    blocked.mkdir()
    env = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(blocked), "GITHUB_OUTPUT": str(tmp_path / "no" / "o")}
    done = _diagnose(env=env)
    out = done.stdout.decode()
    assert done.returncode == 0, done.stderr.decode()
    assert f"::warning::cannot write GITHUB_STEP_SUMMARY ({blocked})" in out
    assert "::warning::cannot write GITHUB_OUTPUT" in out
    assert "::error title=The package manager was locked" in out, "the diagnosis' own annotation still comes"
    assert "Traceback" not in out + done.stderr.decode()
