"""Arbitrary bytes never crash the scanner or the verdict."""

import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aibcheck.diagnose import scan_source
from aibcheck.diagnose.matcher import default_matcher
from aibcheck.diagnose.model import InputKind, ScanResult
from aibcheck.diagnose.scan import Scanner
from aibcheck.diagnose.source import Source
from aibcheck.diagnose.verdict import decide
from aibcheck.render.json import render_json
from aibcheck.render.markdown import render_markdown
from aibcheck.render.text import render_text

FRAGMENTS = st.sampled_from(
    [
        b"(telemetry) Starting provisioner shell\n",
        b"(telemetry) ending shell\n",
        b"QuotaExceeded",
        b"Build 'azure-arm' errored: x\n",
        b"Done exporting Packer logs",
        b"\n",
        b"\r\n",
        b"{",
        b"}",
        b'"',
        b"Script exited with non-zero exit status: 1",
        b"2026/03/04 10:00:00 ",
        b"\xff\xfe",
        b"\x1f\x8b",
        b"LastRunStatusMessage : ",
        b"Waiting for WinRM",
        b"PACKER OUT ",
        b'\\"',
    ]
)
CHUNKS = st.lists(st.one_of(st.binary(max_size=64), FRAGMENTS), max_size=60).map(b"".join)


def _render(result: ScanResult) -> None:
    diagnosis = decide(result)
    render_text(diagnosis)
    render_json(diagnosis)
    render_markdown(diagnosis)


def _render_all(data: bytes) -> None:
    """Through kind detection (as the CLI does), and as a streamed log whatever it looks like."""
    _render(scan_source(Source(io.BufferedReader(io.BytesIO(data)), data[:65536], "fuzz", False)))
    scanner = Scanner(default_matcher(), InputKind.CUSTOMIZATION_LOG)
    scanner.feed_stream(io.BufferedReader(io.BytesIO(data)))
    _render(scanner.result())


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CHUNKS)
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    _render_all(data)


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=4096))
def test_random_binary_never_crashes(data: bytes) -> None:
    _render_all(data)
