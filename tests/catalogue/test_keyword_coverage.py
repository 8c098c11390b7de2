"""Every line a pattern matches holds one of its signature's keywords, or the pre-filter never shows it the line.

Examples only prove the lines someone wrote down; here Hypothesis writes lines from each pattern itself
(its own regex engine, so the few lines RE2 reads differently are left out).
"""

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aibcheck.catalogue import catalogue
from aibcheck.catalogue.loader import compile_pattern

PATTERNS = [(s.id, i, p, tuple(k.lower() for k in s.keywords)) for s in catalogue() for i, p in enumerate(s.patterns)]


@pytest.mark.parametrize(("signature", "index", "pattern", "keywords"), PATTERNS, ids=[f"{s}-{i}" for s, i, _, _ in PATTERNS])
def test_every_match_holds_a_keyword(signature: str, index: int, pattern: str, keywords: tuple[str, ...]) -> None:
    compiled = compile_pattern(pattern)

    @settings(max_examples=25, derandomize=True, database=None, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.from_regex(re.compile(pattern, re.IGNORECASE), fullmatch=True))
    def check(line: str) -> None:
        if compiled.search(line):
            assert any(keyword in line.lower() for keyword in keywords), f"no keyword in a matching line: {line!r}"

    check()
