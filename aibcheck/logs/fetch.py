"""Save a log as it streams in and diagnose it in the same pass: one read, bounded memory."""

import io
import queue
import threading
from collections.abc import Iterator
from typing import BinaryIO

from aibcheck.diagnose import Diagnosis, scan_source
from aibcheck.diagnose.source import SNIFF_BYTES, Source
from aibcheck.diagnose.verdict import decide


def _written(chunks: Iterator[bytes], sink: BinaryIO) -> Iterator[bytes]:
    for chunk in chunks:
        sink.write(chunk)
        yield chunk


class _Chunks(io.RawIOBase):
    """Bytes from an iterator of chunks, as a stream."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks, self._pending = chunks, b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: "bytearray | memoryview") -> int:  # type: ignore[override]
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._pending = chunk
        size = min(len(buffer), len(self._pending))
        buffer[:size], self._pending = self._pending[:size], self._pending[size:]
        return size


def diagnose_chunks(chunks: Iterator[bytes], name: str) -> Diagnosis:
    """Diagnose a stream of chunks without keeping them (line numbers count from the first chunk)."""
    stream = io.BufferedReader(_Chunks(chunks), buffer_size=1 << 20)
    head = stream.peek(SNIFF_BYTES)[:SNIFF_BYTES]
    return decide(scan_source(Source(stream, head, name, False)))


def prefetched(chunks: Iterator[bytes], depth: int = 4) -> Iterator[bytes]:
    """The same chunks, downloaded by a thread a few ahead of the scan, so network and scanning overlap.

    At most `depth` chunks wait in memory; an error in the download is raised here, in order.
    """
    waiting: queue.Queue[tuple[bytes | None, BaseException | None]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def download() -> None:
        try:
            for chunk in chunks:
                while not stop.is_set():
                    try:
                        waiting.put((chunk, None), timeout=0.5)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
            waiting.put((None, None))
        except BaseException as exc:  # handed to the reader, which raises it
            waiting.put((None, exc))

    worker = threading.Thread(target=download, name="aibcheck-log-download", daemon=True)
    worker.start()
    try:
        while True:
            chunk, error = waiting.get()
            if error is not None:
                raise error
            if chunk is None:
                return
            yield chunk
    finally:
        stop.set()


def save_and_diagnose(chunks: Iterator[bytes], sink: BinaryIO, name: str) -> Diagnosis:
    """Write the log to sink while the scanner reads it; what was received stays on disk on failure."""
    with sink:
        return diagnose_chunks(_written(prefetched(chunks), sink), name)
