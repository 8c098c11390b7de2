"""Preflight findings as annotations at the template's file and line, in GitHub Actions and Azure DevOps.

The syntax comes only from aibcheck.ci.commands; the text is redacted and neutralised first.
"""

from collections.abc import Mapping
from pathlib import Path

from aibcheck.ci import commands
from aibcheck.ci.platform import Platform
from aibcheck.preflight.model import Finding, PreflightResult, Severity
from aibcheck.redact import redact
from aibcheck.render.safe import neutralise

PER_LEVEL = 10  # both platforms show about ten annotations of a kind per step


def repository_path(path: str, env: Mapping[str, str]) -> str | None:
    """The template's path inside the checked-out repository, which is what annotations point at."""
    workspace = env.get("GITHUB_WORKSPACE") or env.get("BUILD_SOURCESDIRECTORY")
    if not workspace:
        return None
    try:
        return Path(path).resolve().relative_to(Path(workspace).resolve()).as_posix()
    except ValueError:
        return None


def _annotation(finding: Finding, platform: Platform, file: str | None) -> str | None:
    message = neutralise(redact(f"{finding.message}. Fix: {finding.fix}"))
    title = f"aibcheck preflight: {finding.id}"
    if platform is Platform.GITHUB:
        return commands.github_annotation(finding.severity.value, message, title, file, finding.line)
    if finding.severity is Severity.NOTICE:
        return None  # Azure DevOps issues are errors or warnings; notices stay in the log text
    return commands.azdo_logissue(finding.severity.value, f"{title}: {message}", file, finding.line)


def annotation_lines(result: PreflightResult, platform: Platform, env: Mapping[str, str]) -> list[str]:
    if platform is Platform.LOCAL:
        return []
    file = repository_path(result.template, env)
    lines, left = [], 0
    for severity in Severity:
        found = result.of(severity)
        shown = [_annotation(f, platform, file) for f in found[:PER_LEVEL]]
        lines += [line for line in shown if line]
        left += max(0, len(found) - PER_LEVEL)
    if left:
        rest = f"{left} more preflight findings: see the log"
        note = commands.github_annotation("notice", rest) if platform is Platform.GITHUB else None
        lines += [note or commands.azdo_logissue("warning", rest)]
    return lines
