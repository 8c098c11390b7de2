"""The JSON contract of docs/taxonomy.md: its keys are stable, more may follow."""

import json
from typing import Any

from aibcheck.diagnose.model import Diagnosis, Line, Step

_SEPARATORS = {0x85: "\\u0085", 0x2028: "\\u2028", 0x2029: "\\u2029"}


def _line(line: Line) -> dict[str, Any]:
    return {"line": line.number, "text": line.text, "count": line.count}


def _step(step: Step) -> dict[str, Any]:
    return {
        "name": step.name,
        "phase": step.phase.value,
        "status": step.status.value,
        "start_line": step.start_line,
        "end_line": step.end_line,
        "start": step.start_time.isoformat() if step.start_time else None,
        "end": step.end_time.isoformat() if step.end_time else None,
        "duration_seconds": step.duration_seconds,
    }


def to_dict(diagnosis: Diagnosis) -> dict[str, Any]:
    scan = diagnosis.scan
    return {
        "outcome": diagnosis.outcome.value,
        "category": diagnosis.category.value,
        "phase": diagnosis.phase.value,
        "failed_customizer": diagnosis.failed_customizer,
        "confidence": diagnosis.confidence.value,
        "title": diagnosis.title,
        "cause": diagnosis.cause,
        "fix": diagnosis.fix,
        "docs": list(diagnosis.docs),
        "evidence": [_line(line) for line in diagnosis.evidence],
        "findings": [
            {
                "category": f.signature.category.value,
                "phase": (f.phase_hint or f.signature.phase).value,
                "line": f.line,
                "signature": f.signature.id,
            }
            for f in diagnosis.findings
        ],
        "signature": diagnosis.signature,
        "input": {
            "kind": scan.kind.value,
            "lines": scan.lines,
            "gzip": scan.gzip,
            "complete": scan.complete,
            "build_finished": scan.build_finished,
        },
        "timeline": [_step(s) for s in diagnosis.timeline],
        "failed_step": diagnosis.failed_step.name if diagnosis.failed_step is not None else None,
        "customizer_output": [{"line": o.number, "text": o.text} for o in diagnosis.customizer_output],
    }


def render_json(diagnosis: Diagnosis) -> str:
    # Azure DevOps runs "##vso[" wherever it appears in a printed line; "#" written as \u0023 inside
    # JSON strings parses back to the same text but can never form that sequence.
    text = json.dumps(to_dict(diagnosis), indent=2, ensure_ascii=False)
    # Line and paragraph separators and NEL end a line for tools that split the Unicode way: escaped, as JSON
    # allows for any character.
    text = text.translate(_SEPARATORS)
    return text.replace("##", "#\\u0023") + "\n"
