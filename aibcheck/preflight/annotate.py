"""Preflight findings as annotations at the template's file and line, through the CI platform interface.

The text is redacted first; the platform neutralises it and builds its own syntax.
"""

from aibcheck.ci.platform import Platform, repo_relative
from aibcheck.i18n import t
from aibcheck.preflight.model import Finding, PreflightResult, Severity
from aibcheck.redact import redact

PER_LEVEL = 8  # both platforms keep ten annotations of a kind per step: leave room for others'


def _annotation(finding: Finding, platform: Platform, file: str | None) -> str | None:
    message = redact(t("preflight.annotation", message=finding.message, fix=finding.fix))
    return platform.annotation(finding.severity.value, message, f"aibcheck preflight: {finding.id}", file, finding.line)


def annotation_lines(result: PreflightResult, platform: Platform) -> list[str]:
    file = repo_relative(result.template, platform.workspace())
    lines, left = [], 0
    for severity in Severity:
        found = result.of(severity)
        shown = [_annotation(f, platform, file) for f in found[:PER_LEVEL]]
        lines += [line for line in shown if line]
        left += max(0, len(found) - PER_LEVEL)
    if left:
        note = platform.annotation("notice", t("preflight.annotation.more", count=left))
        lines += [note] if note else []
    return lines
