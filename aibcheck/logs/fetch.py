"""Save a log as it streams in and diagnose it in the same pass: one read, bounded memory."""

import io
from collections.abc import Iterator
from typing import BinaryIO

from aibcheck.diagnose import Diagnosis, scan_source
from aibcheck.diagnose.source import SNIFF_BYTES, Source
from aibcheck.diagnose.verdict import decide


class _Tee(io.RawIOBase):
    """Bytes from an iterator of chunks, each written to a file as it is read."""

    def __init__(self, chunks: Iterator[bytes], sink: BinaryIO) -> None:
        self._chunks, self._sink, self._pending = chunks, sink, b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: "bytearray | memoryview") -> int:  # type: ignore[override]
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._sink.write(chunk)
            self._pending = chunk
        size = min(len(buffer), len(self._pending))
        buffer[:size], self._pending = self._pending[:size], self._pending[size:]
        return size


def save_and_diagnose(chunks: Iterator[bytes], path: str) -> Diagnosis:
    """Write the log to path while the scanner reads it; what was received stays on disk on failure."""
    with open(path, "wb") as sink:
        stream = io.BufferedReader(_Tee(chunks, sink), buffer_size=1 << 20)
        head = stream.peek(SNIFF_BYTES)[:SNIFF_BYTES]
        return decide(scan_source(Source(stream, head, path, False)))
