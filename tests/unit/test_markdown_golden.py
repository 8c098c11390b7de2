"""The Markdown of the summary and the PR comment, against golden files (regenerate with --update-golden)."""

from pathlib import Path

import pytest

from aibcheck.ci.report import Report, markdown_of
from aibcheck.diagnose import diagnose_path

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = ROOT / "tests" / "golden"
CASES = {
    "customization-failed": ROOT / "examples" / "customization-failed.log",
    "az-image-builder-show": ROOT / "examples" / "az-image-builder-show.json",
    "synthetic-deprovision": ROOT / "tests" / "corpus" / "synthetic-deprovision" / "input.log",
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_markdown_matches_golden(name: str, request: pytest.FixtureRequest) -> None:
    text = markdown_of(Report(name, True, diagnose_path(str(CASES[name]))))
    golden = GOLDEN / f"{name}.md"
    if request.config.getoption("--update-golden"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_the_summary_is_cut_in_its_evidence_never_its_verdict() -> None:
    diagnosis = diagnose_path(str(CASES["customization-failed"]))
    whole = markdown_of(Report("x", True, diagnosis))
    cut = markdown_of(Report("x", True, diagnosis), limit=len(whole.encode()) - 200)
    assert len(cut.encode()) <= len(whole.encode()) - 200
    assert cut.splitlines()[0] == whole.splitlines()[0] and "**Fix.**" in cut
