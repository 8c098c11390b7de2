"""Inputs built to break a diagnosis: every one ends with exit 0 or 2 and at most one line, never a traceback.

Each runs the real process; the subprocess timeout is a hang guard for inputs that used to take minutes or
never finish (quadratic regexes and lookups), not a measurement.
"""

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
HANG_GUARD = 120


def _run(
    path: Path, *extra: str, env: dict[str, str] | None = None, stdout: Any = subprocess.PIPE
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "aibcheck", "diagnose", str(path), *extra],
        stdout=stdout,
        stderr=subprocess.PIPE,
        timeout=HANG_GUARD,
        env={**os.environ, **(env or {})},
        cwd=ROOT,
    )


def _clean_exit(result: subprocess.CompletedProcess[bytes], code: int = 0) -> None:
    assert result.returncode == code, result.stderr.decode(errors="replace")
    assert b"Traceback" not in result.stderr and len(result.stderr.decode().strip().splitlines()) <= 1


def _json(tmp: Path, data: str) -> Path:
    path = tmp / "status.json"
    path.write_text(data, encoding="utf-8")
    return path


def test_json_nested_in_a_json_string(tmp_path: Path) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    _clean_exit(_run(_json(tmp_path, json.dumps({"properties": {"lastRunStatus": {"message": deep}}}))))


def test_json_nested_deeply_itself(tmp_path: Path) -> None:
    _clean_exit(_run(_json(tmp_path, '{"a": ' * 50_000 + "1" + "}" * 50_000)))


def test_a_lone_surrogate(tmp_path: Path) -> None:
    data = '{"properties": {"lastRunStatus": {"runState": "Failed", "message": "\\ud800 PackerBuildFailed \\udfff"}}}'
    result = _run(_json(tmp_path, data), "--format", "json")
    _clean_exit(result)
    assert json.loads(result.stdout)["outcome"] == "failed"


def test_corrupt_deflate_data_at_the_start(tmp_path: Path) -> None:
    packed = bytearray(gzip.compress(b"PACKER OUT ==> azure-arm: Running builder\n" * 2000))
    packed[20:60] = b"\xff" * 40
    path = tmp_path / "customization.log.gz"
    path.write_bytes(bytes(packed))
    result = _run(path)
    _clean_exit(result, 2)
    assert b"damaged" in result.stderr


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_a_console_that_is_not_utf8(tmp_path: Path, fmt: str) -> None:
    log = tmp_path / "x.log"
    log.write_text("PACKER OUT     azure-arm: 安装失败 ✗ 💥\nScript exited with non-zero exit status: 1\n", encoding="utf-8")
    _clean_exit(_run(log, "--format", fmt, env={"PYTHONIOENCODING": "cp1252"}))


def test_standard_output_on_a_full_disk() -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("this system has no /dev/full to stand for a full disk")
    with open("/dev/full", "wb") as full:
        result = _run(ROOT / "examples" / "customization-failed.log", stdout=full)
    assert result.returncode == 2 and b"cannot write the output" in result.stderr
    assert b"Traceback" not in result.stderr and b"Exception ignored" not in result.stderr


def test_standard_output_closed() -> None:
    result = subprocess.run(
        f"{sys.executable} -m aibcheck diagnose examples/customization-failed.log >&-",
        shell=True,
        capture_output=False,
        stderr=subprocess.PIPE,
        timeout=HANG_GUARD,
        cwd=ROOT,
    )
    assert result.returncode == 2 and b"standard output is closed" in result.stderr


def test_format_list_built_to_backtrack(tmp_path: Path) -> None:
    lines = ["LastRunStatusRunState : Failed", "LastRunStatusMessage : " + " " * 128_000 + "x"]
    lines += ["x" + " " * 128_000 + "y"]  # no colon: the old entry regex tried every split, quadratically
    lines += [" " * 40 + "wrapped " * 200 for _ in range(200)]
    path = tmp_path / "show.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    _clean_exit(_run(path))


def test_a_large_pretty_printed_status_document(tmp_path: Path) -> None:
    body = {"properties": {f"key{i}": {"message": f"value/{i} Internal error occurred"} for i in range(40_000)}}
    # "\/" is valid JSON for "/": the decoded values are not found as written, which sent every lookup back
    # to the start of the document.
    path = _json(tmp_path, json.dumps(body, indent=2).replace("/", "\\/"))
    assert path.stat().st_size > 1_800_000
    _clean_exit(_run(path, "--format", "json"))
