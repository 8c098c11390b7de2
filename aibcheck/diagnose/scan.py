"""Stream a log through the matcher in bounded memory: findings, timeline and the failed step's output."""

import re
from collections import deque
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import BinaryIO, NamedTuple

from aibcheck.diagnose.markers import Mark, find_marks
from aibcheck.diagnose.matcher import LineMatcher
from aibcheck.diagnose.model import Finding, InputKind, Line, ScanResult
from aibcheck.diagnose.timeline import Timeline
from aibcheck.redact import LineRedactor, redact_excerpt
from aibcheck.taxonomy import Phase

BLOCK_SIZE = 1 << 20
MAX_LINE_WINDOW = 1024  # bytes kept either side of a match in an over-long line
OUTPUT_LINES = 40  # last lines of the failed customizer's own output that are kept
OUTPUT_WINDOW = 64 * 1024  # bytes of a block looked at for that output
FINDINGS_PER_SIGNATURE = 50  # kept at the start and again at the end, per signature (bounds memory)
TAIL_BYTES = 16 * 1024
LOOKBACK = 1024  # bytes searched before a marker line without a timestamp for the latest one

_TIMESTAMP = re.compile(rb"(\d{4})[/-](\d\d)[/-](\d\d)[ T](\d\d):(\d\d):(\d\d)")
# The output of a customizer as Packer shows it: "PACKER OUT     azure-arm: text", "ui error: ==> azure-arm: text".
_OUTPUT = re.compile(r"(?:PACKER (?:OUT|ERR) |\bui(?: error)?: |^)\s*(?:==> |--> )?azure-arm:(?: (.*))?$")


class Block(NamedTuple):
    """data[lo:hi] holds whole lines (or a piece of an over-long one); slicing it out would cost a copy."""

    data: bytes
    lo: int
    hi: int
    first_line: int
    newlines: int


def read_blocks(stream: BinaryIO, block_size: int = BLOCK_SIZE) -> Iterator[Block]:
    """Yield the stream as blocks of whole lines, in bounded memory and without copying each block."""
    line_number = 1
    carry = b""
    while True:
        data = stream.read(block_size)
        if not data:
            if carry:
                yield Block(carry, 0, len(carry), line_number, carry.count(b"\n"))
            return
        lo = 0
        if carry:  # finish the line cut at the end of the previous read
            newline = data.find(b"\n")
            if newline == -1:
                carry += data
                if len(carry) >= block_size:  # a piece of a very long line: scan it, keep no copy
                    yield Block(carry, 0, len(carry), line_number, 0)
                    carry = b""
                continue
            head = carry + data[: newline + 1]
            yield Block(head, 0, len(head), line_number, 1)
            line_number += 1
            carry, lo = b"", newline + 1
        cut = data.rfind(b"\n", lo)
        if cut == -1:
            carry = data[lo:]
            continue
        newlines = data.count(b"\n", lo, cut + 1)
        yield Block(data, lo, cut + 1, line_number, newlines)
        line_number += newlines
        carry = data[cut + 1 :]


def parse_time(raw: bytes) -> datetime | None:
    match = None
    for match in _TIMESTAMP.finditer(raw):  # noqa: B007 - the last one is wanted
        pass
    if match is None:
        return None
    try:
        year, month, day, hour, minute, second = (int(part) for part in match.groups())
        return datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None


class _FindingStore:
    """Every signal in input order, bounded per signature (its first and its last occurrences)."""

    def __init__(self) -> None:
        self._first: dict[str, list[Finding]] = {}
        self._last: dict[str, deque[Finding]] = {}

    def add(self, finding: Finding) -> None:
        key = finding.signature.id
        first = self._first.setdefault(key, [])
        if len(first) < FINDINGS_PER_SIGNATURE:
            first.append(finding)
        else:
            self._last.setdefault(key, deque(maxlen=FINDINGS_PER_SIGNATURE)).append(finding)

    def ordered(self) -> tuple[Finding, ...]:
        everything = [f for group in self._first.values() for f in group]
        everything += [f for group in self._last.values() for f in group]
        return tuple(sorted(everything, key=lambda f: f.line))


class Scanner:
    def __init__(self, matcher: LineMatcher, kind: InputKind, provisioner_phase: Phase = Phase.CUSTOMIZE):
        self.matcher = matcher
        self.kind = kind
        self.timeline = Timeline(provisioner_phase)
        self._findings = _FindingStore()
        self._output: deque[Line] = deque(maxlen=OUTPUT_LINES)
        self._capturing = False  # inside a customizer whose output we keep
        self._capture_from = 0  # offset in the current block where capturing resumes
        self._pending = b""  # raw bytes of the running customizer's latest output
        self._pending_last_line = 0
        self._last_time: datetime | None = None
        self._tail = b""
        self.lines = 0

    # -- streaming input ------------------------------------------------------------------------
    def feed_stream(self, stream: BinaryIO) -> None:
        for block in read_blocks(stream):
            self.feed_block(block)

    def feed_block(self, piece: Block) -> None:
        block, lo, hi, first_line, newlines = piece
        self._capture_from = lo
        counted_to, line_number, next_start = lo, first_line, lo
        for match in self.matcher.prefilter.finditer(block, lo, hi):
            position = match.start()
            if position < next_start:
                continue  # this line was handled already
            start = max(lo, block.rfind(b"\n", lo, position) + 1)
            end = block.find(b"\n", position, hi)
            end = hi if end == -1 else end
            line_number += block.count(b"\n", counted_to, start)
            counted_to = start
            raw = block[start:end]
            if len(raw) > 2 * MAX_LINE_WINDOW:  # cut, with secrets masked by what is around the cut
                local = position - start
                raw = redact_excerpt(raw, max(0, local - MAX_LINE_WINDOW), local + MAX_LINE_WINDOW)
            self._line(raw, line_number, block, start, end)
            next_start = end + 1
        last_line = first_line + newlines - (1 if block[hi - 1 : hi] == b"\n" else 0)
        if self._capturing:
            self._keep_output(block, self._capture_from, hi, last_line)
        self.lines = max(self.lines, last_line)
        self._tail = (self._tail + block[max(lo, hi - TAIL_BYTES) : hi])[-TAIL_BYTES:]

    def _line(self, raw: bytes, number: int, block: bytes, start: int, end: int) -> None:
        text = raw.decode("utf-8", "replace").rstrip("\r")
        marks = find_marks(text)
        if marks:  # only the timeline needs a time: look it up for marker lines alone
            time = parse_time(raw) or parse_time(block[max(0, start - LOOKBACK) : start]) or self._last_time
            self._last_time = time
            for mark, name in marks:
                self._on_mark(mark, block, start, end, number)
                self.timeline.mark(mark, name, number, time)
        self._match(text, number, None)

    def _on_mark(self, mark: Mark, block: bytes, start: int, end: int, number: int) -> None:
        if mark is Mark.PROVISIONER_START:
            self._flush_output()
            self._output.clear()
            self._capturing, self._capture_from = True, end + 1
        elif mark in (Mark.PROVISIONER_END, Mark.BUILD_ERRORED) and self._capturing:
            self._keep_output(block, self._capture_from, start, number - 1)
            self._flush_output()
            self._capturing = False

    def _keep_output(self, block: bytes, start: int, end: int, last_line: int) -> None:
        """Remember the raw bytes of a customizer's latest output; lines are parsed only when needed."""
        if end <= start:
            return
        if end - start > OUTPUT_WINDOW:
            start = block.find(b"\n", end - OUTPUT_WINDOW, end) + 1 or end
        region = block[start:end]
        if self._pending and len(region) < OUTPUT_WINDOW:
            region = (self._pending + region)[-OUTPUT_WINDOW:]
            cut = region.find(b"\n") + 1 if len(self._pending) + end - start > OUTPUT_WINDOW else 0
            region = region[cut:]
        self._pending = region
        self._pending_last_line = last_line
        self._capture_from = end

    def _flush_output(self) -> None:
        """Parse the remembered bytes into the customizer's last output lines."""
        region, self._pending = self._pending, b""
        if not region:
            return
        raws = region.rstrip(b"\n").split(b"\n")
        number = self._pending_last_line - len(raws) + 1
        redactor = LineRedactor()  # a private key or a wrapped SAS spans several lines of output
        for raw in raws:
            text = raw.decode("utf-8", "replace").rstrip("\r")
            output = _OUTPUT.search(text)
            if output and output.group(1) and output.group(1).strip():
                self._output.append(Line(number, redactor.feed(output.group(1).rstrip())[: 2 * MAX_LINE_WINDOW]))
            number += 1

    # -- documents (JSON, Format-List, messages): already split into logical lines -----------------
    def feed_lines(self, lines: Iterable[tuple[int, str, Phase | None]]) -> None:
        for number, text, hint in lines:
            self.lines = max(self.lines, number)
            for mark, name in find_marks(text):
                self.timeline.mark(mark, name, number, None)
            self._match(text, number, hint)

    def _match(self, text: str, number: int, hint: Phase | None) -> None:
        for found in self.matcher.match(text):
            self._findings.add(Finding(found.signature, number, text, found.groups, hint))

    def _ends_with_export(self) -> bool:
        lines = self._tail.rstrip().rsplit(b"\n", 1)
        return self.timeline.complete and b"done exporting packer logs" in lines[-1].lower()

    def result(self, gzip: bool = False) -> ScanResult:
        self._flush_output()
        end_time = parse_time(self._tail) or self._last_time
        steps = self.timeline.finish(self.lines, end_time)
        return ScanResult(
            kind=self.kind,
            lines=self.lines,
            findings=self._findings.ordered(),
            steps=steps,
            customizer_output=tuple(self._output),
            complete=self._ends_with_export(),
            build_errored_line=self.timeline.errored_line,
            build_finished=self.timeline.finished,
            end_time=end_time,
            gzip=gzip,
        )
