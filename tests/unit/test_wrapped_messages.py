"""A message pasted from a console, a portal or a forum arrives hard-wrapped; every golden case that is such a
short excerpt keeps its verdict when wrapped at 60 or 80 columns."""

import textwrap
from pathlib import Path

import pytest
from test_line_endings import CASES, _input, _text

from aibcheck.diagnose import PASTED_LIMIT, diagnose_bytes
from aibcheck.diagnose.detect import detect_kind
from aibcheck.diagnose.model import InputKind

EXCERPTS = (InputKind.MESSAGE, InputKind.PIPELINE_LOG, InputKind.PACKER_LOG)


def _wrap(text: str, width: int) -> str:
    lines = (textwrap.wrap(line, width, break_on_hyphens=False) or [""] for line in text.split("\n"))
    return "\n".join(piece for pieces in lines for piece in pieces)


def _short_excerpt(case: Path) -> bool:
    """A text short enough to paste, of a kind a person pastes, with no build steps: a log with steps is a file,
    never wrapped by whoever wrote it."""
    data = _text(_input(case))
    if len(data) > PASTED_LIMIT or detect_kind(data) not in EXCERPTS:
        return False
    return not diagnose_bytes(data, case.name).scan.steps


EXCERPT_CASES = [case for case in CASES if _short_excerpt(case)]


@pytest.mark.parametrize("width", [60, 80])
@pytest.mark.parametrize("case", EXCERPT_CASES, ids=[c.name for c in EXCERPT_CASES])
def test_a_wrapped_excerpt_keeps_its_verdict(case: Path, width: int) -> None:
    data = _text(_input(case))
    original = diagnose_bytes(data, case.name)
    wrapped = diagnose_bytes(_wrap(data.decode("utf-8"), width).encode("utf-8"), case.name)
    assert (wrapped.category, wrapped.phase) == (original.category, original.phase)


def test_there_are_excerpts_to_wrap() -> None:
    assert len(EXCERPT_CASES) >= 50


def test_a_line_cut_mid_word_at_the_full_width_is_joined_without_a_space() -> None:
    message = (
        "ERROR: Operation failed with status: 'Bad Request'. Details: 'ImageTemplate.properties.distribute[0]': Miss\n"
        "ing field 'runOutputName'"
    )
    diagnosis = diagnose_bytes(message.encode(), "message.txt")
    assert (diagnosis.category.value, diagnosis.signature) == ("invalid-template", "invalid-template-validation")

