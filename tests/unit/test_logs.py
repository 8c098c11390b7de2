"""Finding the log in the service's messages, and saving a log while diagnosing it."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from synthlog import write_build

from aibcheck.ci.platform import detect
from aibcheck.logs.command import follow, log_directory
from aibcheck.logs.fetch import save_and_diagnose
from aibcheck.logs.location import LogLocation, from_message
from aibcheck.settings import Settings

OLD = (
    "Failed while waiting for packerizer: ... Image Build log location: "
    "https://f3k9aibstaging01.blob.core.windows.net/packerlogs/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b/customization.log. "
    "OperationId: 7d1e2f3a. Use this operationId to search packer logs."
)
NEW = (
    "During the image build a failure has occurred. Packer build logs are at location /subscriptions/0000/"
    "resourceGroups/IT_rg_tmpl_6589927b/providers/Microsoft.Storage/storageAccounts/abc123def456/blobServices/"
    "default/containers/packerlogs/ef6ba98d-efd3/customization.log. Please navigate to this location ..."
)


def test_both_message_forms() -> None:
    old = from_message(OLD)
    assert old == LogLocation(
        "f3k9aibstaging01",
        "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b/customization.log",
        "https://f3k9aibstaging01.blob.core.windows.net/",
    )
    assert old.run == "0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b"
    new = from_message(NEW)
    assert new is not None and new.account == "abc123def456" and new.blob == "ef6ba98d-efd3/customization.log"
    assert new.staging_group == "/subscriptions/0000/resourceGroups/IT_rg_tmpl_6589927b"
    assert new.url == "https://abc123def456.blob.core.windows.net/packerlogs/ef6ba98d-efd3/customization.log"
    assert from_message("Internal error occurred.") is None


def test_a_chinese_message_names_its_log_too() -> None:
    """The portal's Chinese wording ends the sentence with a full-width stop right after the log's name."""
    url = from_message(
        "映像生成日志位置：https://f3k9aibstaging01.blob.core.chinacloudapi.cn/packerlogs/0f1e2d3c/customization.log。"
        "OperationId：7d1e2f3a。"
    )
    assert url == LogLocation(
        "f3k9aibstaging01", "0f1e2d3c/customization.log", "https://f3k9aibstaging01.blob.core.chinacloudapi.cn/"
    )
    path = from_message(NEW.replace("customization.log. Please", "customization.log。请"))
    assert path is not None and path.blob == "ef6ba98d-efd3/customization.log"


def _chunks(text: bytes, size: int = 4096) -> Iterator[bytes]:
    for start in range(0, len(text), size):
        yield text[start : start + size]


def _log(failure: str) -> bytes:
    import io

    buffer = io.StringIO()
    write_build(buffer, failure, 256 * 1024)
    return buffer.getvalue().encode()


def test_saved_and_diagnosed_in_one_pass(tmp_path: Path) -> None:
    data = _log("customize")
    path = tmp_path / "customization.log"
    diagnosis = save_and_diagnose(_chunks(data), path.open("wb"), str(path))
    assert path.read_bytes() == data
    assert diagnosis.failed_customizer == "powershell" and diagnosis.scan.complete


def test_what_was_received_stays_on_disk_when_the_download_breaks(tmp_path: Path) -> None:
    data = _log("customize")

    def broken() -> Iterator[bytes]:
        yield data[:100_000]
        raise ConnectionError("connection reset")

    path = tmp_path / "partial.log"
    with pytest.raises(ConnectionError):
        save_and_diagnose(broken(), path.open("wb"), str(path))
    assert path.read_bytes() == data[:100_000]


class GrowingLog:
    """A store whose one blob grows between reads, like a log still being written."""

    def __init__(self, parts: list[bytes]) -> None:
        self.parts, self.data = parts, b""
        self.secrets: list[str] = []
        self.ranges: list[tuple[int, int | None]] = []

    def locate(self, found: LogLocation | None, staging_group: str | None, run: str | None = None) -> LogLocation:
        return LogLocation("acct", "run/customization.log", "https://acct.blob.core.windows.net/")

    def staging_group_by_tags(self, template: str, template_group: str) -> str | None:
        return None

    def size(self, location: LogLocation) -> int:
        if self.parts:
            self.data += self.parts.pop(0)
        return len(self.data)

    def chunks(self, location: LogLocation, offset: int = 0, length: int | None = None) -> Iterator[bytes]:
        self.ranges.append((offset, length))
        yield self.data[offset : offset + (length or len(self.data))]


def test_follow_reads_only_the_new_bytes_until_the_export_line(tmp_path: Path) -> None:
    data = _log("customize")
    cut1, cut2 = len(data) // 3, 2 * len(data) // 3
    store = GrowingLog([data[:cut1], b"", data[cut1:cut2], data[cut2:]])
    out = tmp_path / "followed.log"
    with out.open("wb") as handle:
        follow(store, LogLocation("acct", "run/customization.log"), handle, lambda: True, 0, lambda _: None)
    assert out.read_bytes() == data
    assert store.ranges == [(0, cut1), (cut1, cut2 - cut1), (cut2, len(data) - cut2)]


def test_log_directory(tmp_path: Path) -> None:
    github = detect({"GITHUB_ACTIONS": "true", "RUNNER_TEMP": str(tmp_path)})
    assert log_directory(Settings(log_dir=str(tmp_path / "x")), github) == tmp_path / "x"
    assert log_directory(Settings(), github) == tmp_path / "aibcheck-logs"
    assert (tmp_path / "aibcheck-logs").stat().st_mode & 0o777 == 0o700
