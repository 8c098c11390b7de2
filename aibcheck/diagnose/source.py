"""Open what the user gave us (a path or standard input), undo gzip and UTF-16, and refuse what is not text."""

import codecs
import gzip
import io
import os
import sys
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, BinaryIO

from aibcheck.errors import InputError
from aibcheck.i18n import t

SNIFF_BYTES = 64 * 1024


@dataclass
class Source:
    stream: BinaryIO  # UTF-8 bytes, with peek() available through head
    head: bytes  # the first bytes, for telling what kind of input this is
    name: str
    gzip: bool


class Chain(io.RawIOBase):
    """The bytes already read, then the rest of the stream."""

    def __init__(self, prefix: bytes, rest: BinaryIO) -> None:
        self._prefix, self._rest = prefix, rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: "bytearray | memoryview") -> int:  # type: ignore[override]
        if self._prefix:
            size = min(len(buffer), len(self._prefix))
            buffer[:size], self._prefix = self._prefix[:size], self._prefix[size:]
            return size
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


class _Utf16ToUtf8(io.RawIOBase):
    """Re-encode a UTF-16 stream (PowerShell 5 writes files so) as UTF-8, piece by piece."""

    def __init__(self, raw: BinaryIO, encoding: str) -> None:
        self._decoder = codecs.getincrementaldecoder(encoding)("replace")
        self._raw = raw
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: "memoryview | bytearray") -> int:  # type: ignore[override]
        while not self._pending:
            data = self._raw.read(SNIFF_BYTES)
            self._pending = self._decoder.decode(data, final=not data).encode("utf-8")
            if not data:
                break
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


class _CrToLf(io.RawIOBase):
    """Lines ended by a carriage return alone (old Mac style, some Windows tools) read as LF-ended lines."""

    def __init__(self, raw: BinaryIO) -> None:
        self._raw = raw

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: "memoryview | bytearray") -> int:  # type: ignore[override]
        data = self._raw.read(len(buffer)).replace(b"\r", b"\n")
        buffer[: len(data)] = data
        return len(data)


def with_lf_endings(source: Source) -> Source:
    """The source with CR-only line endings read as LF (carriage returns and no line feed at all)."""
    if b"\r" not in source.head or b"\n" in source.head:
        return source
    stream = io.BufferedReader(_CrToLf(source.stream))
    return Source(stream, source.head.replace(b"\r", b"\n"), source.name, source.gzip)


def _describe(path: str) -> str:
    return t("input.stdin") if path == "-" else path


def _open_raw(path: str) -> BinaryIO:
    if path == "-":
        return sys.stdin.buffer
    if not os.path.exists(path):
        raise InputError(t("input.no-file", path=path), t("input.no-file.hint"))
    if os.path.isdir(path):
        raise InputError(t("input.directory", path=path, expected=t("input.expected")), t("input.directory.hint"))
    try:
        return open(path, "rb", buffering=SNIFF_BYTES)  # the whole sniff in one peek
    except OSError as exc:
        raise InputError(t("input.unreadable", path=path, reason=exc.strerror), t("input.unreadable.hint")) from exc


def _peek(stream: Any, size: int) -> tuple[BinaryIO, bytes]:
    """The stream and its first size bytes (fewer only at its end), which it still yields.

    A buffered peek stops at the buffer (8 KiB) or at what a pipe has delivered so far: a long run of blank lines
    first, or a writer that pauses, would make a text look empty. So a short peek reads on, and the bytes read
    are served again before the rest.
    """
    buffered = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(stream, buffer_size=size)
    try:
        head = buffered.peek(size)[:size]
        if len(head) >= size:
            return buffered, head
        head = buffered.read(size)
    except (OSError, EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise InputError(t("input.damaged", error=exc), t("input.damaged.hint")) from exc
    return io.BufferedReader(Chain(head, buffered), buffer_size=size), head


def _looks_binary(head: bytes) -> bool:
    if not head:
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13, 27))
    return controls > len(head) // 100


@contextmanager
def open_source(path: str) -> Iterator[Source]:
    """Yield the input as a Source; raise InputError with a clear message for what cannot be read."""
    raw = _open_raw(path)
    try:
        stream, head = _peek(raw, SNIFF_BYTES)
        compressed = head[:2] == b"\x1f\x8b"
        if compressed:
            stream, head = _peek(gzip.GzipFile(fileobj=stream, mode="rb"), SNIFF_BYTES)
        if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
            encoding = "utf-16-le" if head[:2] == b"\xff\xfe" else "utf-16-be"
            stream.read(2)
            stream, head = _peek(_Utf16ToUtf8(stream, encoding), SNIFF_BYTES)
        if head[:3] == codecs.BOM_UTF8:
            stream.read(3)
            stream, head = _peek(stream, SNIFF_BYTES)
        if not head.strip():
            raise InputError(t("input.empty", name=_describe(path), expected=t("input.expected")))
        if _looks_binary(head):
            raise InputError(t("input.binary", name=_describe(path), expected=t("input.expected")))
        yield Source(stream, head, _describe(path), compressed)
    finally:
        if raw is not sys.stdin.buffer:
            raw.close()
