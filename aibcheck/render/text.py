"""Plain text for a terminal or a CI log."""

from aibcheck.diagnose.model import Diagnosis
from aibcheck.diagnose.verdict import failed_step
from aibcheck.redact import redact
from aibcheck.render.safe import neutralise
from aibcheck.render.timeline import clock, duration


def _input_summary(diagnosis: Diagnosis) -> str:
    scan = diagnosis.scan
    state = "complete" if scan.complete else "no export line at the end (cut off, or still being written)"
    if scan.kind.value not in ("customization-log", "packer-log"):
        state = "not a build log"
    return f"{scan.kind.value}, {scan.lines} lines{', gzip' if scan.gzip else ''}; {state}"


def render_text(diagnosis: Diagnosis) -> str:
    scan = diagnosis.scan
    out = [
        f"aibcheck: {neutralise(diagnosis.title)}",
        f"  category:   {diagnosis.category.value}",
        f"  phase:      {diagnosis.phase.value}",
        f"  customizer: {neutralise(diagnosis.failed_customizer or '-')}",
        f"  confidence: {diagnosis.confidence.value}",
        f"  input:      {_input_summary(diagnosis)}",
        "",
        f"Cause: {diagnosis.cause}",
        f"Fix:   {diagnosis.fix}",
    ]
    out += [f"Docs:  {url}" for url in diagnosis.docs]
    if scan.steps:
        out += ["", "Timeline:"]
        for step in scan.steps:
            out.append(
                f"  {step.phase.value:<11} {neutralise(step.name)[:28]:<28} {step.status.value:<8}"
                f" {clock(step)}  {duration(step):>10}  lines {step.start_line}-{step.end_line or '?'}"
            )
    if diagnosis.evidence:
        out += ["", "Evidence:"]
        out += [f"  {line.number:>8} | {neutralise(line.text)}" for line in diagnosis.evidence]
    failed = failed_step(scan)
    if scan.customizer_output and failed is not None and failed.phase.value in ("customize", "deprovision", "validate"):
        out += ["", f"Last output of {neutralise(failed.name)}:"]
        out += [f"  {line.number:>8} | {neutralise(redact(line.text))}" for line in scan.customizer_output]
    return "\n".join(out) + "\n"
