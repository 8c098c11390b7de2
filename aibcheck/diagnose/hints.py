"""A short pasted text that no signature explains is read once more for hints: broad wordings ("forbidden",
"quota", "sysprep ... failed") that point to a category. A hint is role generic and at most low confidence, and
its texts say that it is a reading of the words, not a diagnosis. It is read only where the signatures found
nothing more than "something failed".

Hints are never read in a log file: a long log holds such words in steps that went fine.
"""

from aibcheck.catalogue import Role
from aibcheck.diagnose.matcher import hint_matcher
from aibcheck.diagnose.model import Finding
from aibcheck.diagnose.wrapped import across_breaks


def hint_findings(text: str, found: tuple[Finding, ...]) -> list[Finding]:
    """The hints in a pasted text; none when a signature already names a cause, or a follow-on failure (a cleanup
    that failed says more than a hint would)."""
    if any(finding.signature.role is not Role.GENERIC for finding in found):
        return []
    matcher = hint_matcher()
    hinted = [
        Finding(match.signature, number, line, match.groups)
        for number, line in enumerate(text.split("\n"), start=1)
        for match in matcher.match(line)
    ]
    return hinted + across_breaks(text, matcher, tuple(hinted))
