"""Diagnose an AIB failure from whatever form it reached the user in."""

import gzip
import io
import os
import zlib
from collections.abc import Mapping
from dataclasses import replace

from aibcheck.diagnose.detect import detect_kind
from aibcheck.diagnose.document import (
    document_facts,
    format_list_lines,
    json_lines,
    run_state,
    run_sub_state_phase,
)
from aibcheck.diagnose.hints import hint_findings
from aibcheck.diagnose.matcher import LineMatcher, default_matcher
from aibcheck.diagnose.model import Diagnosis, Finding, InputKind, ScanResult
from aibcheck.diagnose.named import facts_of, with_template
from aibcheck.diagnose.plain import tidy
from aibcheck.diagnose.scan import Scanner
from aibcheck.diagnose.source import SNIFF_BYTES, Chain, Source, open_source, with_lf_endings
from aibcheck.diagnose.verdict import decide
from aibcheck.diagnose.wrapped import across_breaks
from aibcheck.errors import InputError
from aibcheck.i18n import t
from aibcheck.taxonomy import Phase

# What a user pastes: a message, or an excerpt of a pipeline's or Packer's output (the service's own log is a file).
_EXCERPTS = (InputKind.MESSAGE, InputKind.PIPELINE_LOG, InputKind.PACKER_LOG)
PASTED_LIMIT = 16 * 1024  # what a user pastes from a page, a chat or a console; logs are files, and larger
DOCUMENT_LIMIT = 2 * 1024 * 1024  # larger JSON or Format-List inputs are scanned as text, in bounded memory

__all__ = ["Diagnosis", "diagnose_bytes", "diagnose_path", "facts_of", "scan_source", "with_template"]


def scan_source(source: Source, matcher: LineMatcher | None = None) -> ScanResult:
    matcher = matcher or default_matcher()
    source = with_lf_endings(source)
    # validation.log holds the validators' steps; only the file's own name says so, not its folder's
    phase = Phase.VALIDATE if "validation" in os.path.basename(source.name).lower() else Phase.CUSTOMIZE
    data = source.stream.read(PASTED_LIMIT + 1)
    # A short text is what a user pastes: tidied of what copying from a page or a chat puts in, whole in memory.
    pasted = tidy(data.decode("utf-8", "replace")) if len(data) <= PASTED_LIMIT else None
    if pasted is not None:
        data = pasted.encode("utf-8")
    kind = detect_kind(data if pasted is not None else source.head)
    if kind in (InputKind.JSON, InputKind.FORMAT_LIST):
        if pasted is None:
            data += source.stream.read(DOCUMENT_LIMIT + 1 - len(data))
        if len(data) <= DOCUMENT_LIMIT:
            document = _document(pasted or data.decode("utf-8", "replace"), kind, source, matcher, phase)
            if document is not None:
                return _with_hints(document, pasted)
        # Too big, or not parseable after all: scan it as text, starting with what was read.
        kind = InputKind.MESSAGE if kind is InputKind.JSON else kind
    scanner = Scanner(matcher, kind, phase)
    scanner.feed_stream(io.BufferedReader(Chain(data, source.stream)))
    scan = scanner.result(source.gzip)
    if pasted is None:
        return scan
    if not scan.steps and kind in _EXCERPTS:
        # An excerpt without build steps is also read across the line breaks a console or a forum put in.
        scan = _joined(scan, across_breaks(pasted, matcher, scan.findings))
    return _with_hints(scan, pasted)


def _with_hints(scan: ScanResult, pasted: str | None) -> ScanResult:
    """A pasted text that no signature explains: what its words point to, as a low-confidence guess."""
    return _joined(scan, hint_findings(pasted, scan.findings)) if pasted is not None else scan


def _joined(scan: ScanResult, extra: list[Finding]) -> ScanResult:
    return replace(scan, findings=tuple(sorted((*scan.findings, *extra), key=lambda f: f.line))) if extra else scan


def _document(text: str, kind: InputKind, source: Source, matcher: LineMatcher, phase: Phase) -> ScanResult | None:
    """A status document (JSON or Format-List) as its logical lines; None when it does not parse."""
    lines = json_lines(text) if kind is InputKind.JSON else format_list_lines(text)
    if lines is None:
        return None
    scanner = Scanner(matcher, kind, phase)
    scanner.feed_lines(lines)
    return replace(
        scanner.result(source.gzip),
        run_sub_state_phase=run_sub_state_phase(lines),
        run_state=run_state(lines),
        facts=document_facts(lines),
    )


def diagnose_bytes(data: bytes, name: str, facts: Mapping[str, str] | None = None) -> Diagnosis:
    """Diagnose text already in memory, e.g. a status document fetched from Azure.

    facts: what is known besides the text (facts_of(template)), to name in the cause and fix.
    """
    source = Source(io.BufferedReader(io.BytesIO(data)), data[:SNIFF_BYTES], name, False)
    return decide(scan_source(source), facts)


def diagnose_path(
    path: str, matcher: LineMatcher | None = None, facts: Mapping[str, str] | None = None
) -> Diagnosis:
    """Read INPUT (a path or -) and diagnose it; InputError for anything that cannot be read."""
    with open_source(path) as source:
        try:
            scan = scan_source(source, matcher)
        except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
            raise InputError(
                t("input.gzip-damaged", name=source.name, error=exc),
                t("input.gzip-damaged.hint"),
            ) from exc
    return decide(scan, facts)
