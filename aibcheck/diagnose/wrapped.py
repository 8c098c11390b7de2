"""A pasted message that a console, a portal or a forum wrapped over several lines still matches: patterns
are tried once more on each run of a few consecutive lines joined back together."""

from collections.abc import Iterator

from aibcheck.diagnose.matcher import LineMatcher
from aibcheck.diagnose.model import Finding
from aibcheck.diagnose.plain import plain

MAX_JOINED = 6  # lines a wrapped sentence is read across
MAX_JOINS = 8  # ways of joining one run, when several of its lines may have been cut mid-word


def across_breaks(text: str, matcher: LineMatcher, found: tuple[Finding, ...]) -> list[Finding]:
    """Findings that only a joined run of lines shows, each at the run's first line, with the joined text."""
    lines = [plain(line).rstrip() for line in text.split("\n")]
    width = max((len(line) for line in lines), default=0)
    seen: dict[int, set[str]] = {}
    for finding in found:
        seen.setdefault(finding.line, set()).add(finding.signature.id)
    extra = []
    for first, joined, last in _runs(lines, width):
        if not matcher.prefilter.search(joined.encode("utf-8", "replace")):
            continue
        known = set().union(*(seen.get(number, set()) for number in range(first, last + 1)))
        for match in matcher.match(joined):
            if match.signature.id not in known:
                known.add(match.signature.id)
                seen.setdefault(first, set()).add(match.signature.id)
                extra.append(Finding(match.signature, first, joined, match.groups))
    return extra


def _runs(lines: list[str], width: int) -> Iterator[tuple[int, str, int]]:
    """(first line number, joined text, last line number) for the run of up to MAX_JOINED non-empty lines
    from each line on; a shorter run's matches are all found in the longer one.

    A shorter line ended at a space; a line at the full width may have been cut mid-word, or ended at a
    space that copying trimmed, so both joins are tried there.
    """
    for start, line in enumerate(lines):
        if not line.strip():
            continue
        joins, end = [line], start
        while end + 1 < min(start + MAX_JOINED, len(lines)) and lines[end + 1].strip():
            end += 1
            glues = ("", " ") if len(lines[end - 1]) >= width else (" ",)
            joins = [joined + glue + lines[end].strip() for joined in joins for glue in glues][:MAX_JOINS]
        if end > start:
            for joined in joins:
                yield start + 1, joined, end + 1
