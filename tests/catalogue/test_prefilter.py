"""Keywords must be rare in healthy logs, or the pre-filter stops filtering on gigabyte logs."""

import collections
import io

from synthlog import write_build

from aibcheck.diagnose.matcher import default_matcher

MAX_CANDIDATES = 120  # the markers of a whole build are about 40 lines


def test_a_healthy_chatty_log_yields_few_candidate_lines() -> None:
    buffer = io.StringIO()
    write_build(buffer, "none", 3 * 1024 * 1024)
    data = buffer.getvalue().encode()
    hits = collections.Counter(m.group(0).lower() for m in default_matcher().prefilter.finditer(data))
    assert sum(hits.values()) <= MAX_CANDIDATES, f"keywords too common in a healthy log: {hits.most_common(5)}"
