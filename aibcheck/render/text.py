"""Plain text for a terminal or a CI log; every line is neutralised, so none can act as a runner command."""

from aibcheck.diagnose.model import Diagnosis
from aibcheck.i18n import pad, t
from aibcheck.render.context import BuildContext
from aibcheck.render.safe import neutralise
from aibcheck.render.timeline import clock, duration


def _input_summary(diagnosis: Diagnosis) -> str:
    scan = diagnosis.scan
    state = t("report.log.complete") if scan.complete else t("report.log.cut")
    if scan.kind.value not in ("customization-log", "packer-log"):
        state = t("report.log.not-a-build-log")
    gzip = t("report.input.gzip") if scan.gzip else ""
    return t("report.input", kind=scan.kind.value, lines=scan.lines, gzip=gzip, state=state)


def _facts(diagnosis: Diagnosis, context: BuildContext | None) -> list[str]:
    rows = [
        (t("label.outcome"), t(f"outcome.{diagnosis.outcome.value}")),
        (t("label.category"), diagnosis.category.value),
        (t("label.phase"), diagnosis.phase.value),
        (t("label.customizer"), diagnosis.failed_customizer or "-"),
        (t("label.confidence"), t(f"confidence.{diagnosis.confidence.value}")),
        (t("label.input"), _input_summary(diagnosis)),
        *(context.rows() if context else []),
    ]
    return [f"  {pad(t('text.label', label=label), 11)} {value}" for label, value in rows]


def render_text(diagnosis: Diagnosis, context: BuildContext | None = None) -> str:
    out = [f"aibcheck: {diagnosis.title}", *_facts(diagnosis, context)]
    out += ["", t("text.cause", text=diagnosis.cause), t("text.fix", text=diagnosis.fix)]
    out += [t("text.docs", url=url) for url in diagnosis.docs]
    if diagnosis.timeline:
        out += ["", t("text.timeline")]
        for step in diagnosis.timeline:
            status = pad(t(f"status.{step.status.value}"), 8)
            lines = t("text.lines", start=step.start_line, end=step.end_line or "?")
            out.append(
                f"  {step.phase.value:<11} {step.name[:36]:<36} {status} {clock(step)}  {duration(step):>10}  {lines}"
            )
    if diagnosis.evidence:
        out += ["", t("text.evidence")]
        out += [
            f"  {line.number:>8} | {line.text}" + (f"   (x{line.count})" if line.count > 1 else "")
            for line in diagnosis.evidence
        ]
    if diagnosis.customizer_output and diagnosis.failed_step is not None:
        out += ["", t("text.last-output", name=diagnosis.failed_step.name)]
        out += [f"  {line.number:>8} | {line.text}" for line in diagnosis.customizer_output]
    return "\n".join(neutralise(line) for line in out) + "\n"
