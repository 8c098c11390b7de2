"""Report a diagnosis where people look: annotations, the job summary, step outputs, the PR comment, the result.

One entry point for the three platforms; their syntax comes only from ci.commands.
"""

import os
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from aibcheck.ci import commands
from aibcheck.ci.outputs import publish
from aibcheck.ci.platform import Platform, detect
from aibcheck.diagnose.model import Diagnosis
from aibcheck.diagnose.verdict import choose_root
from aibcheck.redact import redact
from aibcheck.render.markdown import render_markdown
from aibcheck.render.safe import neutralise
from aibcheck.taxonomy import Category

ANNOTATIONS_PER_LEVEL = 8  # the runner and the agent keep 10 of a kind per step: leave room for others'
SUMMARY_LIMIT = 900 * 1024  # GitHub refuses a step summary over 1 MiB, whole
COMMENT_POLICIES = ("on-failure", "always", "never")


@dataclass(frozen=True)
class Report:
    key: str  # which comment is this one's: the template name, or what was diagnosed
    failed: bool  # the job's outcome
    diagnosis: Diagnosis | None = None
    headline: str = ""  # Markdown for a success that has no diagnosis
    outputs: Mapping[str, str] = field(default_factory=dict)
    secrets: tuple[str, ...] = ()
    input_path: str | None = None  # the diagnosed file, for file/line annotations inside the repository


def markdown_of(report: Report, limit: int = SUMMARY_LIMIT) -> str:
    """The Markdown to show, cut in its evidence (never in its verdict) to fit the limit."""
    if report.diagnosis is None:
        return report.headline
    for lines in (None, 40, 10, 0):
        text = render_markdown(report.diagnosis, lines)
        if len(text.encode()) <= limit:
            return text
    return text.encode()[:limit].decode("utf-8", "ignore")


def _findings_to_annotate(diagnosis: Diagnosis) -> list[tuple[str, str, int]]:
    """(title, message, line): the verdict first, then one per other distinct failure signal."""
    verdict = (
        diagnosis.title,
        f"{diagnosis.cause} Fix: {diagnosis.fix}",
        diagnosis.evidence[0].number if diagnosis.evidence else 0,
    )
    root = choose_root(diagnosis.scan)
    others, seen = [], {root.signature.id if root else diagnosis.signature}
    for finding in diagnosis.findings:
        if finding.signature.id not in seen and finding.signature.role.value == "root":
            seen.add(finding.signature.id)
            title = redact(finding.signature.title_for(finding.groups))
            others.append((title, redact(finding.text.strip()), finding.line))
    return [verdict, *others]


def _repo_file(path: str | None, env: Mapping[str, str]) -> str | None:
    workspace = env.get("GITHUB_WORKSPACE") or env.get("BUILD_SOURCESDIRECTORY")
    if not path or not workspace or path == "-":
        return None
    try:
        return Path(path).resolve().relative_to(Path(workspace).resolve()).as_posix()
    except ValueError:
        return None


def annotations(report: Report, platform: Platform, env: Mapping[str, str]) -> list[str]:
    if report.diagnosis is None or (report.diagnosis.category is Category.UNKNOWN and not report.failed):
        return []
    found = _findings_to_annotate(report.diagnosis)
    file = _repo_file(report.input_path, env)
    lines = []
    for index, (title, message, line) in enumerate(found[: ANNOTATIONS_PER_LEVEL + 1]):
        level = "error" if index == 0 else "warning"
        text = neutralise(redact(message))
        if platform is Platform.GITHUB:
            lines.append(commands.github_annotation(level, text, neutralise(title), file, line or None))
        elif platform is Platform.AZURE_DEVOPS:
            lines.append(commands.azdo_logissue(level, f"{neutralise(title)}: {text}", file, line or None))
    if len(found) > ANNOTATIONS_PER_LEVEL + 1 and platform is not Platform.LOCAL:
        rest = f"{len(found) - ANNOTATIONS_PER_LEVEL - 1} more findings: see the job summary"
        lines.append(
            commands.github_annotation("notice", rest)
            if platform is Platform.GITHUB
            else commands.azdo_logissue("warning", rest)
        )
    return lines


def report(
    data: Report,
    env: Mapping[str, str] = os.environ,
    stdout: TextIO = sys.stdout,
    comment_policy: str = "on-failure",
    summary_file: str | None = None,
) -> None:
    """Report through the platform this runs on; nothing here can fail the step."""
    platform = detect(env)
    mask = commands.github_mask if platform is Platform.GITHUB else commands.azdo_secret
    lines = [mask(secret) for secret in data.secrets] if platform is not Platform.LOCAL else []
    lines += annotations(data, platform, env)
    markdown = markdown_of(data)
    if summary_file:
        Path(summary_file).write_text(markdown, encoding="utf-8")
    if platform is Platform.GITHUB and env.get("GITHUB_STEP_SUMMARY"):
        with open(env["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as handle:
            handle.write(markdown + "\n")
    elif platform is Platform.AZURE_DEVOPS:
        folder = env.get("AGENT_TEMPDIRECTORY") or tempfile.gettempdir()
        path = Path(folder) / f"aibcheck-{_safe_name(data.key)}.md"
        path.write_text(markdown, encoding="utf-8")
        lines.append(commands.azdo_upload_summary(str(path)))
    stdout.writelines(line + "\n" for line in lines)
    publish(data.outputs, env, stdout)
    notice = _comment(data, env, comment_policy, markdown)
    if notice:
        stdout.write(_notice(platform, notice) + "\n")
    if platform is Platform.AZURE_DEVOPS:
        issues = data.diagnosis is not None and data.diagnosis.category is not Category.UNKNOWN
        result = "Failed" if data.failed else "SucceededWithIssues" if issues or notice else "Succeeded"
        stdout.write(commands.azdo_complete(result) + "\n")
    stdout.flush()


def _safe_name(key: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in key)[:80] or "report"


def _notice(platform: Platform, text: str) -> str:
    if platform is Platform.GITHUB:
        return commands.github_annotation("notice", text)
    return f"##[warning]{neutralise(text)}" if platform is Platform.AZURE_DEVOPS else f"aibcheck: {text}"


def _comment(data: Report, env: Mapping[str, str], policy: str, markdown: str) -> str | None:
    """Post or update the comment; a notice to print when that did not work, else None."""
    if policy == "never":
        return None
    from aibcheck.ci.comment import CommentError, pull_request, upsert  # requests is loaded only when needed

    pr = pull_request(env)
    if pr is None:
        return None
    # A success only updates an earlier comment (to say the build is fixed), unless asked to always comment.
    found = data.diagnosis is not None and data.diagnosis.category is not Category.UNKNOWN
    create = data.failed or found or policy == "always"
    try:
        upsert(pr, data.key, markdown, create)
    except CommentError as exc:
        return f"the pull-request comment was not updated: {exc}"
    return None
