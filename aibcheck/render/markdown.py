"""GitHub-flavoured Markdown: the job summary and the pull-request comment use this one renderer."""

from aibcheck.diagnose.model import Diagnosis, Step
from aibcheck.diagnose.verdict import failed_step
from aibcheck.redact import redact
from aibcheck.render.safe import neutralise
from aibcheck.render.timeline import clock, duration
from aibcheck.taxonomy import Category

_ICON = {"ok": "✅", "failed": "❌", "running": "⏳"}


def _cell(text: str) -> str:
    return neutralise(text).replace("|", "\\|").replace("`", "'")


def _fence(lines: list[str]) -> list[str]:
    body = [neutralise(line) for line in lines]
    fence = "```"
    while any(fence in line for line in body):
        fence += "`"
    return [fence + "text", *body, fence]


def _gantt_name(step: Step) -> str:
    return "".join(ch for ch in step.name if ch.isalnum() or ch in " -_.") or "step"


def _gantt(steps: tuple[Step, ...]) -> list[str]:
    timed = [s for s in steps if s.start_time and s.end_time]
    if not timed:
        return []
    out = ["```mermaid", "gantt", "    dateFormat YYYY-MM-DD HH:mm:ss", "    axisFormat %H:%M"]
    section = None
    for step in timed:
        if step.phase.value != section:
            section = step.phase.value
            out.append(f"    section {section}")
        tag = "crit, " if step.status.value == "failed" else ""
        out.append(f"    {_gantt_name(step)} :{tag}{clock(step)}, {clock(step, end=True)}")
    return [*out, "```"]


def render_markdown(diagnosis: Diagnosis, evidence_lines: int | None = None) -> str:
    """The diagnosis as Markdown; evidence_lines bounds the evidence block (never the verdict) for size limits."""
    scan = diagnosis.scan
    verdict = "✅" if diagnosis.category is Category.UNKNOWN and scan.build_finished else "❌"
    out = [
        f"### {verdict} aibcheck: {_cell(diagnosis.title)}",
        "",
        f"**Category** `{diagnosis.category.value}` · **phase** `{diagnosis.phase.value}`"
        + (f" · **customizer** `{_cell(diagnosis.failed_customizer)}`" if diagnosis.failed_customizer else "")
        + f" · **confidence** {diagnosis.confidence.value}",
        "",
        f"**Cause.** {diagnosis.cause}",
        "",
        f"**Fix.** {diagnosis.fix}",
    ]
    if diagnosis.docs:
        out += ["", "Docs: " + " · ".join(f"<{url}>" for url in diagnosis.docs)]
    if scan.steps:
        out += [
            "",
            "#### Timeline",
            "",
            "| step | phase | status | start | duration | lines |",
            "|---|---|---|---|---|---|",
        ]
        for step in scan.steps:
            out.append(
                f"| {_cell(step.name)} | {step.phase.value} | {_ICON[step.status.value]} {step.status.value}"
                f" | {clock(step)} | {duration(step)} | {step.start_line}-{step.end_line or '?'} |"
            )
        out += ["", *_gantt(scan.steps)]
    evidence = [f"{line.number:>7} | {line.text}" for line in diagnosis.evidence]
    failed = failed_step(scan)
    if scan.customizer_output and failed is not None and failed.phase.value in ("customize", "deprovision", "validate"):
        evidence += ["", f"last output of {failed.name}:"]
        evidence += [f"{line.number:>7} | {redact(line.text)}" for line in scan.customizer_output]
    if evidence_lines is not None and len(evidence) > evidence_lines:
        evidence = [*evidence[:evidence_lines], f"… {len(evidence) - evidence_lines} more lines in the build log"]
    if evidence:
        out += ["", "<details><summary>Evidence</summary>", "", *_fence(evidence), "", "</details>"]
    state = "complete log" if scan.complete else "log without the closing export line"
    out += [
        "",
        f"<sub>{scan.kind.value}, {scan.lines} lines, {state if scan.steps else 'no build steps'}</sub>",
    ]
    return "\n".join(out) + "\n"
