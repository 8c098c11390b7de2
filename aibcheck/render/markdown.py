"""GitHub-flavoured Markdown: the job summary and the pull-request comment use this one renderer.

It reads a decided Diagnosis and writes every piece of text through render.md, so that what a log line or a
template holds is shown as text and never becomes HTML, a link or a mention. The report is a list of blocks,
so that cutting it to a size limit drops whole blocks from the end and never leaves a fence open. It writes no raw
HTML: a renderer in safe mode (Azure DevOps, cmark-gfm's default) would drop it.
"""

from collections.abc import Sequence
from datetime import datetime

from aibcheck.diagnose.model import Diagnosis, Outcome, Step
from aibcheck.i18n import t
from aibcheck.render.context import BuildContext
from aibcheck.render.md import cell, code, fence, inline, link, prose
from aibcheck.render.timeline import bar, clock, duration

_ICON = {"ok": "✅", "failed": "❌", "running": "⏳"}


def _headline(diagnosis: Diagnosis) -> str:
    icon = {Outcome.SUCCEEDED: "✅", Outcome.FAILED: "❌"}.get(diagnosis.outcome, "❔")
    return f"### {icon} aibcheck: {inline(diagnosis.title)}"


def _verdict(diagnosis: Diagnosis) -> list[str]:
    facts = [t("md.category", value=code(diagnosis.category.value)), t("md.phase", value=code(diagnosis.phase.value))]
    if diagnosis.failed_customizer:
        facts.append(t("md.customizer", value=code(diagnosis.failed_customizer)))
    facts.append(t("md.confidence", value=t(f"confidence.{diagnosis.confidence.value}")))
    out = [_headline(diagnosis), "", " · ".join(facts), "", t("md.cause", text=prose(diagnosis.cause))]
    out += ["", t("md.fix", text=prose(diagnosis.fix))]
    if diagnosis.docs:
        out += ["", t("md.docs", links=" · ".join(link(url, url) for url in diagnosis.docs))]
    return out


def context_block(context: BuildContext) -> list[str]:
    rows = context.rows()
    if not rows:
        return []
    return ["| | |", "|---|---|", *[f"| {label} | {cell(value)} |" for label, value in rows]]


def _timeline_table(steps: Sequence[Step]) -> list[str]:
    out = [t("md.timeline"), "", t("md.timeline.header"), "|---|---|---|---|---|---|"]
    for step in steps:
        status = t(f"status.{step.status.value}")
        out.append(
            f"| {cell(step.name)} | {step.phase.value} | {_ICON[step.status.value]} {status}"
            f" | {clock(step)} | {duration(step)} | {step.start_line}-{step.end_line or '?'} |"
        )
    return out


def _gantt_name(step: Step) -> str:
    return "".join(ch for ch in step.name if ch.isalnum() or ch in " -_.()") or "step"


def _axis(steps: Sequence[Step]) -> tuple[str, str]:
    """An axis format and tick interval whose labels differ from each other for this build's length."""
    starts = [s.start_time for s in steps if s.start_time]
    ends = [s.end_time for s in steps if s.end_time]
    span = (max(ends) - min(starts)).total_seconds() if starts and ends else 0.0
    for limit, tick, fmt in ((600, "1minute", "%H:%M"), (3600, "5minute", "%H:%M"), (4 * 3600, "30minute", "%H:%M")):
        if span <= limit:
            return fmt, tick
    return "%H:%M", "1hour"


def _gantt(steps: Sequence[Step]) -> list[str]:
    timed = [s for s in steps if s.start_time and s.end_time]
    if not timed:
        return []
    fmt, tick = _axis(timed)
    out = ["```mermaid", "gantt", "    dateFormat YYYY-MM-DD HH:mm:ss", f"    axisFormat {fmt}"]
    out.append(f"    tickInterval {tick}")
    section = None
    for step in timed:
        if step.phase.value != section:
            section = step.phase.value
            out.append(f"    section {section}")
        tag = "crit, " if step.status.value == "failed" else ""
        out.append(f"    {_gantt_name(step)} :{tag}{clock(step)}, {clock(step, end=True)}")
    return [*out, "```"]


def _bars(steps: Sequence[Step]) -> list[str]:
    """Where Mermaid is not drawn (the Azure DevOps summary), the timeline's shape as text bars."""
    timed = [s for s in steps if s.start_time and s.end_time]
    if not timed:
        return []
    begin: datetime = min(s.start_time for s in timed if s.start_time)
    end: datetime = max(s.end_time for s in timed if s.end_time)
    width = max(len(s.name) for s in timed)
    return fence([f"{s.name:<{width}} {bar(s, begin, end)} {duration(s)}" for s in timed])


def _short(text: str, limit: int = 400) -> str:
    return text if len(text) <= limit else text[:limit] + " …"


def _evidence(diagnosis: Diagnosis) -> list[str]:
    lines = [
        f"{line.number:>7} | {_short(line.text)}" + (f"   (x{line.count})" if line.count > 1 else "")
        for line in diagnosis.evidence
    ]
    if diagnosis.customizer_output and diagnosis.failed_step is not None:
        lines += ["", t("md.last-output", name=diagnosis.failed_step.name)]
        lines += [f"{line.number:>7} | {_short(line.text)}" for line in diagnosis.customizer_output]
    if not lines:
        return []
    return [f"**{inline(t('md.evidence'))}**", "", *fence(lines)]


def _footer(diagnosis: Diagnosis) -> list[str]:
    scan = diagnosis.scan
    state = t("md.log.complete") if scan.complete else t("md.log.cut")
    state = state if scan.steps else t("md.log.no-steps")
    return [f"*{inline(t('md.footer', kind=scan.kind.value, lines=scan.lines, state=state))}*"]


def markdown_blocks(
    diagnosis: Diagnosis, context: BuildContext | None = None, mermaid: bool = True
) -> list[list[str]]:
    """The report's blocks, most important first: a size limit drops blocks from the end."""
    blocks = [_verdict(diagnosis)]
    if context is not None and context.rows():
        blocks.append(context_block(context))
    if diagnosis.timeline:
        blocks.append([*_timeline_table(diagnosis.timeline), "", *(_gantt if mermaid else _bars)(diagnosis.timeline)])
    blocks += [_evidence(diagnosis), _footer(diagnosis)]
    return [block for block in blocks if block]


def join_blocks(blocks: Sequence[Sequence[str]]) -> str:
    return "\n\n".join("\n".join(block).rstrip("\n") for block in blocks) + "\n"


def fit_blocks(blocks: Sequence[Sequence[str]], limit: int) -> str:
    """The blocks joined, dropping whole blocks from the end (never the verdict) until the text fits in limit bytes."""
    note = [f"*{inline(t('md.cut'))}*"]
    for count in range(len(blocks), 0, -1):
        kept = [*blocks[:count], *([note] if count < len(blocks) else [])]
        text = join_blocks(kept)
        if len(text.encode()) <= limit:
            return text
    # Even the verdict is too long (a limit far below any real one): keep its first lines that fit.
    lines: list[str] = []
    for line in blocks[0] if blocks else []:
        if len(join_blocks([[*lines, line]]).encode()) > limit:
            break
        lines.append(line)
    return join_blocks([lines])


def render_markdown(diagnosis: Diagnosis, context: BuildContext | None = None, mermaid: bool = True) -> str:
    return join_blocks(markdown_blocks(diagnosis, context, mermaid))
