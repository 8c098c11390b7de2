"""Bad input: one clear line on stderr and a documented exit code, never a traceback."""

import gzip
import json
import subprocess
import sys
from pathlib import Path

from synthlog import write_build
from test_cli import aibcheck


def _fails_cleanly(args: tuple[str, ...], stdin: bytes = b"", expect: bytes = b"") -> None:
    result = aibcheck("diagnose", *args, stdin=stdin)
    assert result.returncode == 2, result
    message = result.stderr.decode()
    assert message.startswith("aibcheck: error: ") and "Traceback" not in message
    assert message.count("\n") == 1
    assert expect in result.stderr


def test_missing_path(tmp_path: Path) -> None:
    _fails_cleanly((str(tmp_path / "nope.log"),), expect=b"no such file")


def test_directory(tmp_path: Path) -> None:
    _fails_cleanly((str(tmp_path),), expect=b"is a directory")


def test_empty_file_and_empty_stdin(tmp_path: Path) -> None:
    empty = tmp_path / "empty.log"
    empty.write_bytes(b"")
    _fails_cleanly((str(empty),), expect=b"is empty")
    _fails_cleanly(("-",), stdin=b"  \n\n", expect=b"standard input is empty")


def test_binary_data(tmp_path: Path) -> None:
    binary = tmp_path / "image.vhd"
    binary.write_bytes(bytes(range(256)) * 64)
    _fails_cleanly((str(binary),), expect=b"binary data")


def test_truncated_gzip(tmp_path: Path) -> None:
    log = tmp_path / "customization.log"
    with log.open("w", encoding="utf-8") as out:
        write_build(out, "customize", 2 * 1024 * 1024)
    packed = gzip.compress(log.read_bytes())
    cut = tmp_path / "customization.log.gz"
    cut.write_bytes(packed[: len(packed) // 2])
    _fails_cleanly((str(cut),), expect=b"gzip")


def test_invalid_utf8_is_diagnosed(tmp_path: Path) -> None:
    log = tmp_path / "latin1.log"
    log.write_bytes(
        b"[x] PACKER OUT     azure-arm: Installation termin\xe9e \xff\xfe\n"
        b"[x] PACKER ERR ==> azure-arm: Script exited with non-zero exit status: 3. Allowed exit codes are: [0]\n"
    )
    result = aibcheck("diagnose", "-f", "json", str(log))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["category"] == "customizer-failed"


def test_single_huge_line_is_scanned_in_bounded_pieces(tmp_path: Path) -> None:
    log = tmp_path / "one-line.log"
    with log.open("wb") as out:
        out.write(b"x" * (30 * 1024 * 1024))
        out.write(b" Code=QuotaExceeded Operation could not be completed as it results in exceeding approved quota ")
        out.write(b"y" * (20 * 1024 * 1024))
    result = aibcheck("diagnose", "-f", "json", str(log))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["category"] == "quota-exceeded"
    assert data["evidence"][0]["line"] == 1
    assert len(data["evidence"][0]["text"]) < 4_000


def test_successful_build_says_so(tmp_path: Path) -> None:
    log = tmp_path / "customization.log"
    with log.open("w", encoding="utf-8") as out:
        write_build(out, "none")
    data = json.loads(aibcheck("diagnose", "-f", "json", str(log)).stdout)
    assert data["outcome"] == "succeeded" and data["category"] == "unknown"
    assert data["phase"] == "unknown" and data["failed_customizer"] is None
    assert "succeeded" in data["title"] or "successfully" in data["title"]
    assert data["input"]["build_finished"] is True


def test_utf16_format_list_from_windows_powershell(tmp_path: Path) -> None:
    text = (
        "\r\nName                 : win2022\r\nProvisioningState    : Succeeded\r\n"
        "LastRunStatusRunState : Failed\r\n"
        "LastRunStatusMessage : Failed in building/customizing image: Operation could not be completed as it\r\n"
        "                       results in exceeding approved standardDSv5Family Cores quota.\r\n"
    )
    path = tmp_path / "template.txt"
    path.write_bytes(b"\xff\xfe" + text.encode("utf-16-le"))
    data = json.loads(aibcheck("diagnose", "-f", "json", str(path)).stdout)
    assert data["input"]["kind"] == "format-list"
    assert data["category"] == "quota-exceeded"
    assert data["evidence"][0]["line"] == 5


def test_blank_lines_longer_than_a_read_buffer_do_not_make_a_text_empty(tmp_path: Path) -> None:
    """The first 64 KiB are read before a text is called empty: a buffer's worth of blank lines is not all."""
    path = tmp_path / "pasted.txt"
    path.write_text("\n" * 5000 + "E: Unable to locate package nginx\n", encoding="utf-8")
    result = aibcheck("diagnose", "--format", "json", str(path))
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    assert json.loads(result.stdout)["category"] != "unknown"


def test_a_pipe_that_pauses_after_a_blank_line_is_read_whole() -> None:
    """A writer that sends a blank line, then the text a moment later, gives a diagnosis, not 'empty'."""
    writer = "import sys, time; sys.stdout.write('\\n'); sys.stdout.flush(); time.sleep(0.5); print('QuotaExceeded')"
    with subprocess.Popen([sys.executable, "-c", writer], stdout=subprocess.PIPE) as source:
        result = subprocess.run(
            [sys.executable, "-m", "aibcheck", "diagnose", "--format", "json", "-"],
            stdin=source.stdout,
            capture_output=True,
            cwd=Path(__file__).resolve().parents[2],
            timeout=120,
        )
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    assert json.loads(result.stdout)["category"] == "quota-exceeded"
