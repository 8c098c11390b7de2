"""Every golden case gives the same verdict when a CI system decorates its lines: Packer's colour codes, or the
time stamp GitHub Actions and Azure Pipelines put before each line of a downloaded log."""

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from test_line_endings import CASES, _input, _text, _verdict

from aibcheck.diagnose import diagnose_bytes
from aibcheck.diagnose.detect import detect_kind
from aibcheck.diagnose.model import InputKind


def _colour(line: bytes) -> bytes:
    return b"\x1b[1;32m" + line + b"\x1b[0m" if line.strip() else line


def _stamp(line: bytes) -> bytes:
    return b"2024-05-02T10:11:12.1234567Z " + line


_STAMPED = re.compile(rb"\s*\d{4}-\d\d-\d\dT[\d:.]+Z ")


def _kind(text: bytes) -> InputKind:
    return detect_kind(text[:65536])


def _is_json(text: bytes) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


DECORATIONS: dict[str, Callable[[bytes], bytes]] = {"colour": _colour, "ci-stamp": _stamp}


def _applies(case: Path, decoration: str) -> bool:
    """A JSON document is parsed, not read line by line, and no CI system decorates its inside; a log already
    stamped gets no second stamp; a Format-List inside a CI log is read as that log, line by line."""
    text = _text(_input(case))
    if _is_json(text):
        return False
    return decoration != "ci-stamp" or not (_STAMPED.match(text) or _kind(text) is InputKind.FORMAT_LIST)


PAIRS = [(case, decoration) for decoration in DECORATIONS for case in CASES if _applies(case, decoration)]


@pytest.mark.parametrize(("case", "decoration"), PAIRS, ids=[f"{c.name}-{d}" for c, d in PAIRS])
def test_decorated_lines_do_not_change_the_verdict(case: Path, decoration: str) -> None:
    text = _text(_input(case))
    expected: dict[str, Any] = _verdict(diagnose_bytes(text, case.name))
    decorated = b"\n".join(DECORATIONS[decoration](line) for line in text.split(b"\n"))
    assert _verdict(diagnose_bytes(decorated, case.name)) == expected


def test_most_cases_are_decorated() -> None:
    assert len(PAIRS) >= len(CASES)
