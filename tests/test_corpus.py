"""Golden cases: each tests/corpus/<case>/ holds one input and the verdict expected for it."""

import json
from pathlib import Path

import pytest

from aibcheck.diagnose import diagnose_path
from aibcheck.render.json import to_dict

CORPUS = Path(__file__).parent / "corpus"
CASES = sorted(p for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.exists() else []


def _input_of(case: Path) -> Path:
    inputs = [p for p in case.iterdir() if p.name.startswith("input")]
    assert len(inputs) == 1, f"{case.name}: expected exactly one input* file"
    return inputs[0]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_corpus_case(case: Path) -> None:
    expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
    assert {"category", "phase"} <= set(expected), "expected.json names at least category and phase"
    got = to_dict(diagnose_path(str(_input_of(case))))
    assert {key: got.get(key) for key in expected} == expected


def test_corpus_is_not_empty() -> None:
    assert len(CASES) >= 20
