"""Plain text for a terminal or a CI log; every line is neutralised, so none can act as a runner command."""

from aibcheck.diagnose.model import Diagnosis
from aibcheck.render.context import BuildContext
from aibcheck.render.safe import neutralise
from aibcheck.render.timeline import clock, duration


def _input_summary(diagnosis: Diagnosis) -> str:
    scan = diagnosis.scan
    state = "complete" if scan.complete else "no export line at the end (cut off, or still being written)"
    if scan.kind.value not in ("customization-log", "packer-log"):
        state = "not a build log"
    return f"{scan.kind.value}, {scan.lines} lines{', gzip' if scan.gzip else ''}; {state}"


def render_text(diagnosis: Diagnosis, context: BuildContext | None = None) -> str:
    out = [
        f"aibcheck: {diagnosis.title}",
        f"  outcome:    {diagnosis.outcome.value}",
        f"  category:   {diagnosis.category.value}",
        f"  phase:      {diagnosis.phase.value}",
        f"  customizer: {diagnosis.failed_customizer or '-'}",
        f"  confidence: {diagnosis.confidence.value}",
        f"  input:      {_input_summary(diagnosis)}",
    ]
    out += [f"  {label + ':':<11} {value}" for label, value in (context.rows() if context else [])]
    out += ["", f"Cause: {diagnosis.cause}", f"Fix:   {diagnosis.fix}"]
    out += [f"Docs:  {url}" for url in diagnosis.docs]
    if diagnosis.timeline:
        out += ["", "Timeline:"]
        for step in diagnosis.timeline:
            out.append(
                f"  {step.phase.value:<11} {step.name[:36]:<36} {step.status.value:<8}"
                f" {clock(step)}  {duration(step):>10}  lines {step.start_line}-{step.end_line or '?'}"
            )
    if diagnosis.evidence:
        out += ["", "Evidence:"]
        out += [
            f"  {line.number:>8} | {line.text}" + (f"   (x{line.count})" if line.count > 1 else "")
            for line in diagnosis.evidence
        ]
    if diagnosis.customizer_output and diagnosis.failed_step is not None:
        out += ["", f"Last output of {diagnosis.failed_step.name}:"]
        out += [f"  {line.number:>8} | {line.text}" for line in diagnosis.customizer_output]
    return "\n".join(neutralise(line) for line in out) + "\n"
