"""After the run: the failure's diagnosis (from its log when the log can be had), the outputs and the report."""

import json
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

from aibcheck.ci.report import Report
from aibcheck.diagnose import Diagnosis, diagnose_bytes, with_template
from aibcheck.driver.context import Outcome, Parts, Progress, build_context, shown_outputs
from aibcheck.errors import AzureAccessError, ExitCode, InputError, LogUnavailable
from aibcheck.i18n import t
from aibcheck.logs.command import fetch_and_diagnose
from aibcheck.logs.location import LogLocation
from aibcheck.render.md import code, inline
from aibcheck.render.text import render_text


def finish(parts: Parts, progress: Progress, outcome: Outcome) -> int:
    """Diagnose a failure, print and report the outcome, and return the exit code."""
    progress.outcome = outcome
    diagnosis = None
    if outcome.diagnosis_input is not None:
        outcome, diagnosis = diagnose_failure(parts, progress, outcome)
    report_outcome(parts, progress.name, outcome, diagnosis)
    return int(outcome.exit_code)


def log_problem(exc: LogUnavailable | AzureAccessError | InputError) -> str:
    return exc.render().removeprefix(t("error.prefix"))


def diagnose_failure(parts: Parts, progress: Progress, outcome: Outcome) -> tuple[Outcome, Diagnosis]:
    """The log's diagnosis when the log can be had, else the status's; a failed download hides nothing."""
    say, name = parts.voice.say, progress.name
    status = json.dumps(outcome.diagnosis_input, indent=2).encode()
    if outcome.outputs.get("run-state") == "SubmissionFailed":
        return outcome, diagnose_bytes(status, "status")  # a refused template has no build log
    last_run = ((outcome.diagnosis_input or {}).get("properties") or {}).get("lastRunStatus") or {}

    def saving(location: LogLocation, path: Path) -> None:  # a stop during the download still names them
        progress.note({"log-url": location.url, "log-path": str(path)})

    template = None
    try:
        template = parts.service.get(parts.group, name)
        message = str(last_run.get("message", ""))
        diagnosis, location, path = fetch_and_diagnose(parts.logs, template, message, parts.log_folder, say, saving)
    except (LogUnavailable, AzureAccessError, InputError) as exc:
        problem = log_problem(exc)
        say(t("build.log-failed", problem=problem))
        say(t("build.kept-with-staging", name=name))
        outcome = outcome.with_outputs({"log-problem": problem.splitlines()[0] if problem else "unknown"})
        return outcome, with_template(diagnose_bytes(status, "status"), template or outcome.diagnosis_input)
    outcome = outcome.with_outputs({"log-path": str(path), "log-url": location.url})
    outcome = replace(outcome, secrets=tuple(parts.logs.secrets))
    progress.outcome = outcome
    if parts.settings.delete == "always":
        say(t("build.deleting-always", name=name))
        parts.service.delete(parts.group, name)
    else:
        say(t("build.kept", name=name, policy=parts.settings.delete))
    return outcome, with_template(diagnosis, template or outcome.diagnosis_input)


def verdict_outputs(diagnosis: Diagnosis) -> dict[str, str]:
    return {
        "category": diagnosis.category.value,
        "phase": diagnosis.phase.value,
        "failed-customizer": diagnosis.failed_customizer or "",
    }


def report_outcome(parts: Parts, name: str, outcome: Outcome, diagnosis: Diagnosis | None) -> None:
    voice = parts.voice
    for key, value in outcome.outputs.items():
        if value and key not in ("run-outputs", "log-problem"):
            voice.say(f"{key}: {value}")
    if diagnosis is not None:
        outcome = outcome.with_outputs(verdict_outputs(diagnosis))
        voice.show("\n" + render_text(diagnosis))
    failed = outcome.exit_code is not ExitCode.OK
    outputs = shown_outputs(outcome.outputs)
    headline = () if diagnosis is not None else success_headline(name, outputs)
    context = build_context(parts.settings, name, outcome.outputs)
    voice.report(
        Report(name, failed, diagnosis, headline, outputs, outcome.secrets, context=context, warning=outcome.warning)
    )


def success_headline(name: str, outputs: Mapping[str, str]) -> list[str]:
    rows = [f"| {key} | {code(value)} |" for key, value in outputs.items() if value and key != "run-outputs"]
    return [t("build.succeeded", name=inline(name)), "", t("build.outputs.header"), "|---|---|", *rows]
