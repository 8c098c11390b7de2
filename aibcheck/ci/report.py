"""Report a diagnosis where people look: annotations, the job summary, step outputs, the PR comment, the result.

One entry point, written once against the Platform interface: no platform is named here. The diagnosis arrives
decided and redacted; this module only arranges it.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TextIO

from aibcheck.ci.platform import Platform, Result, repo_relative
from aibcheck.diagnose.model import Diagnosis, Outcome
from aibcheck.files import replace_text
from aibcheck.i18n import t
from aibcheck.render.context import BuildContext
from aibcheck.render.markdown import context_block, fit_blocks, markdown_blocks

ANNOTATIONS_PER_LEVEL = 8  # the runner and the agent keep 10 of a kind per step: leave room for others'
SUMMARY_LIMIT = 900 * 1024  # GitHub refuses a step summary over 1 MiB, whole


@dataclass(frozen=True)
class Report:
    key: str  # which comment is this one's: the template name, or what was diagnosed
    failed: bool  # the job's outcome
    diagnosis: Diagnosis | None = None
    headline: Sequence[str] = ()  # Markdown lines for a report without a diagnosis (a success, a detach)
    outputs: Mapping[str, str] = field(default_factory=dict)
    secrets: tuple[str, ...] = ()
    input_path: str | None = None  # the diagnosed file, for file/line annotations inside the repository
    context: BuildContext | None = None
    warning: str = ""  # something the pipeline must show although nothing failed (a detached build)
    extra: tuple[tuple[str, ...], ...] = ()  # more Markdown blocks after the report's own (preflight's findings)


def blocks_of(report: Report, mermaid: bool = True) -> list[list[str]]:
    if report.diagnosis is not None:
        blocks = markdown_blocks(report.diagnosis, report.context, mermaid)
        blocks = [list(report.headline), *blocks] if report.headline else blocks
    else:
        context = context_block(report.context) if report.context is not None else []
        blocks = [list(report.headline), *([context] if context else [])]
    return blocks + [list(block) for block in report.extra if block]


def markdown_of(report: Report, limit: int = SUMMARY_LIMIT, mermaid: bool = True) -> str:
    """The Markdown to show, cut at a block boundary (never in its verdict) to fit the limit."""
    return fit_blocks(blocks_of(report, mermaid), limit)


def annotations(report: Report, platform: Platform) -> list[str]:
    diagnosis = report.diagnosis
    lines = [platform.annotation("warning", report.warning, "aibcheck")] if report.warning else []
    if diagnosis is None or diagnosis.outcome is Outcome.SUCCEEDED:
        return [line for line in lines if line]
    if diagnosis.category.value == "unknown" and not report.failed and diagnosis.outcome is not Outcome.FAILED:
        return [line for line in lines if line]
    file = repo_relative(report.input_path, platform.workspace())
    first = diagnosis.evidence[0].number if diagnosis.evidence else None
    message = t("annotation.error", cause=diagnosis.cause, fix=diagnosis.fix)
    lines.append(platform.annotation("error", message, diagnosis.title, file, first))
    for other in diagnosis.others[:ANNOTATIONS_PER_LEVEL]:
        lines.append(platform.annotation("warning", other.text, other.title, file, other.line))
    if len(diagnosis.others) > ANNOTATIONS_PER_LEVEL:
        rest = len(diagnosis.others) - ANNOTATIONS_PER_LEVEL
        lines.append(platform.annotation("notice", t("annotation.more", count=rest)))
    return [line for line in lines if line]


def report(
    data: Report,
    platform: Platform,
    stream: TextIO,
    comment_policy: str = "on-failure",
    summary_file: str | None = None,
) -> None:
    """Report through the platform this runs on; nothing here can fail the step.

    `stream` is where the platform's commands go: standard output, or standard error when standard output
    carries a document (--format json) that must stay one document.
    """
    lines = [line for line in (platform.mask(secret) for secret in data.secrets) if line]
    lines += annotations(data, platform)
    markdown = markdown_of(data, mermaid=platform.renders_mermaid)
    if summary_file:
        replace_text(summary_file, markdown_of(data), t("file.summary"))
    lines += platform.publish_summary(markdown, data.key)
    lines += platform.publish_outputs(data.outputs)
    notice = _comment(data, platform, comment_policy)
    if notice:
        lines.append(platform.annotation("notice", notice) or f"aibcheck: {notice}")
    complete = platform.complete(_result(data, bool(notice)))
    if complete:
        lines.append(complete)
    stream.writelines(line + "\n" for line in lines)
    stream.flush()


def _result(data: Report, noticed: bool) -> Result:
    if data.failed:
        return "Failed"
    found = data.diagnosis is not None and data.diagnosis.category.value != "unknown"
    return "SucceededWithIssues" if found or noticed or data.warning else "Succeeded"


def _comment(data: Report, platform: Platform, policy: str) -> str | None:
    """Post or update the comment; a notice to print when that did not work, else None."""
    if policy == "never":
        return None
    pr = platform.pull_request()
    if pr is None:
        return None
    from aibcheck.ci.comment import CommentError, upsert  # requests is loaded only when needed

    # A success only updates an earlier comment (to say the build is fixed), unless asked to always comment.
    found = data.diagnosis is not None and data.diagnosis.category.value != "unknown"
    create = data.failed or found or policy == "always"
    try:
        upsert(pr, data.key, blocks_of(data, mermaid=pr.platform == "github"), create)
    except CommentError as exc:
        return t("comment.not-updated", reason=exc)
    return None
