"""Every golden case gives the same verdict whatever its line endings: LF, CR-only or CRLF."""

import gzip
from pathlib import Path
from typing import Any

import pytest

from aibcheck.diagnose import diagnose_bytes, diagnose_path
from aibcheck.render.json import to_dict

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
CASES = sorted(p for p in CORPUS.iterdir() if p.is_dir())
KEYS = ("outcome", "category", "phase", "failed_customizer", "signature", "confidence")


def _input(case: Path) -> Path:
    return next(p for p in case.iterdir() if p.name.startswith("input"))


def _text(path: Path) -> bytes:
    """The input as UTF-8 text with LF endings."""
    data = path.read_bytes()
    data = gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        data = data.decode("utf-16").encode("utf-8")
    return data.replace(b"\r\n", b"\n")


def _verdict(diagnosis: Any) -> dict[str, Any]:
    got = to_dict(diagnosis)
    return {key: got[key] for key in KEYS} | {"evidence": [e["line"] for e in got["evidence"]]}


@pytest.mark.parametrize("ending", [b"\r", b"\r\n"], ids=["cr", "crlf"])
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_line_endings_do_not_change_the_verdict(case: Path, ending: bytes, tmp_path: Path) -> None:
    text = _text(_input(case))
    expected = _verdict(diagnose_bytes(text, case.name))
    converted = text.replace(b"\n", ending)
    path = tmp_path / _input(case).name
    path.write_bytes(converted)
    assert _verdict(diagnose_path(str(path))) == expected
    assert _verdict(diagnose_bytes(converted, case.name)) == expected
