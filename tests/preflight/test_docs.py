"""docs/preflight.md and the README document every check, with the severity the check table gives it."""

from __future__ import annotations

import re
from pathlib import Path

from aibcheck.preflight import CHECKS

ROOT = Path(__file__).resolve().parents[2]


def test_every_check_has_a_section_in_docs_preflight() -> None:
    text = (ROOT / "docs" / "preflight.md").read_text(encoding="utf-8")
    documented = dict(re.findall(r"^#### `([a-z0-9-]+)` \((error|warning|notice)", text, re.MULTILINE))
    assert documented == {check.id: check.severity.value for check in CHECKS}


def test_every_check_is_in_the_readme_table() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([a-z0-9-]+)` \| (error|warning|notice) \|", text, re.MULTILINE))
    assert rows == {check.id: check.severity.value for check in CHECKS}
    assert "(docs/preflight.md)" in text


def test_every_check_gives_a_reason_and_a_fix() -> None:
    for check in CHECKS:
        assert len(check.reason) > 40 and check.fix, check.id
        assert (check.template is None and check.subscription is None) == (
            check.id in ("unresolved-expression", "online-check-skipped")
        )
