"""The lines that support a verdict, as a reader wants them: without the log's prefixes, redacted, folded."""

import re
from collections.abc import Callable

from aibcheck.catalogue.model import ROLE_RANK
from aibcheck.diagnose.matcher import normalise
from aibcheck.diagnose.model import Finding, Line, ScanResult
from aibcheck.diagnose.plain import plain
from aibcheck.redact import redact

MAX_EVIDENCE = 10

_PREFIX = re.compile(
    r"^\s*(?:\[[0-9a-fA-F-]{8,}\]\s*)?(?:PACKER (?:OUT|ERR)\b\s*)?(?:\d{4}/\d\d/\d\d \d\d:\d\d:\d\d\s+)?"
    r"(?:ui(?: error)?:\s*)?(?:(?:==>|-->)\s*)?(?:azure-arm:\s*)?"
)


def readable(text: str) -> str:
    """A log line without the service's and Packer's prefixes ("[guid] PACKER OUT ==> azure-arm: "), the CI's time
    stamp and colour codes, redacted."""
    stripped = _PREFIX.sub("", plain(text.strip()), count=1)
    return redact(stripped or text.strip())


def fillable(finding: Finding) -> dict[str, str]:
    """The values a match captured, fit to fill a title, cause or fix.

    A value that took in part of a secret is dropped: the redactor sees the secret's name outside the value
    ("password": "Sysprep Hunter2 failed" captured as "Sysprep Hunter2 failed"), so redacting the filled text
    alone would miss it. Backticks become quotes, so that no value opens a code span in Markdown. Done only for
    the findings a verdict shows, never for every match of a scan.
    """
    if not finding.groups:
        return finding.groups
    text = normalise(finding.text)
    clean = redact(text)
    # a text joined from wrapped lines holds spaces where the lines broke: a secret cut there shows only joined
    tight = "".join(redact("".join(text.split())).split())
    return {
        k: v.replace("`", "'")
        for k, v in finding.groups.items()
        if v in clean and "".join(v.split()) in tight and _stays_whole(v)
    }


def _stays_whole(value: str) -> bool:
    """A value that ends in a secret's name (password:) would take the sentence after it into the mask."""
    framed = f"({value})."
    return redact(framed) == framed


def fold(lines: list[Line]) -> tuple[Line, ...]:
    """Identical lines once, with how many there were (50 IMAGE_STATE_UNDEPLOYABLE lines say so once)."""
    folded: dict[str, Line] = {}
    for line in lines:
        seen = folded.get(line.text)
        folded[line.text] = Line(seen.number, seen.text, seen.count + 1) if seen else line
    return tuple(sorted(folded.values(), key=lambda line: line.number))


def _only_a_status(finding: Finding) -> bool:
    """A line that says only which status a script exited with: no evidence beside the line that says why."""
    return set(finding.groups) == {"exit_code"}


def evidence(root: Finding, scan: ScanResult, survived: Callable[[Finding, ScanResult], bool]) -> tuple[Line, ...]:
    """The root's line, and the other lines of its kind that say as much (no bare exit codes under a cause)."""
    rank = ROLE_RANK[root.signature.role]
    related = [
        f
        for f in scan.findings
        if f is not root
        and f.signature.category is root.signature.category
        and ROLE_RANK[f.signature.role] >= rank
        and not (_only_a_status(f) and not _only_a_status(root))
        and not survived(f, scan)
    ]
    folded = fold([Line(f.line, readable(f.text)) for f in sorted([root, *related], key=lambda f: f.line)])
    # The root's own line is always shown, whatever else fits.
    kept = [line for line in folded if line.number == root.line or line.text == readable(root.text)][:1]
    rest = [line for line in folded if line not in kept]
    return tuple(sorted([*kept, *rest[: MAX_EVIDENCE - len(kept)]], key=lambda line: line.number))
