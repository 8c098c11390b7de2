"""A stop (the pipeline's signal, the job's deadline) or a lost Azure, reported from wherever it lands.

Signals give about 7.5 s before SIGTERM: the outputs, the summary and the annotation come first, a cancel request
last. What is said depends on what exists: before a run there is nothing to detach from, after the run has ended
there is nothing left to wait for.
"""

from dataclasses import replace
from typing import Any

from aibcheck.catalogue import catalogue
from aibcheck.ci.report import Report
from aibcheck.diagnose import Diagnosis
from aibcheck.driver.context import Parts, Phase, Progress, attach_command, build_context, shown_outputs
from aibcheck.driver.deadline import Stopped
from aibcheck.driver.finish import log_problem, verdict_outputs
from aibcheck.driver.watch import status_of
from aibcheck.errors import AzureAccessError, AzureUnreachable, ExitCode, InputError, LogUnavailable
from aibcheck.i18n import t
from aibcheck.logs.command import fetch_and_diagnose
from aibcheck.render.md import inline
from aibcheck.render.text import render_text
from aibcheck.taxonomy import Category


def stop_headline(lines: list[str]) -> list[str]:
    """The report's headline for a stop: its first line as the heading, the others below it."""
    return [t("build.stopped.headline", line=inline(lines[0])), *[f"\n{inline(line)}" for line in lines[1:]]]


def _say_and_report(parts: Parts, progress: Progress, lines: list[str], outputs: dict[str, str], **report: Any) -> None:
    for line in lines:
        parts.voice.say(line)
    context = build_context(parts.settings, progress.name, outputs)
    parts.voice.report(
        Report(progress.name, headline=stop_headline(lines), outputs=shown_outputs(outputs), context=context, **report)
    )


def stopped(parts: Parts, progress: Progress, stop: Stopped, live: Any) -> int:
    """Report the stop, then leave the build, cancel it or fail, as configured; the exit code."""
    if live is not None and live.location is not None:
        progress.log_url = live.location.url
    if progress.phase is Phase.FINISHING:
        return _after_the_run(parts, progress, stop)
    if not progress.run_exists:
        return _before_the_run(parts, progress, stop)
    return _during_the_run(parts, progress, stop)


def _exit(stop: Stopped, failed: bool) -> int:
    if stop.signal_number is not None:
        return stop.exit_code
    return int(ExitCode.FAILURE if failed else ExitCode.OK)


def _before_the_run(parts: Parts, progress: Progress, stop: Stopped) -> int:
    settings, name = parts.settings, progress.name
    lines = [t("build.stopped", reason=stop.reason), t("build.not-started")]
    if progress.phase is not Phase.PREPARING:
        template = progress.outputs.get("template-id", name)
        lines.append(t("build.may-exist", template=template, group=settings.resource_group, name=name))
    outputs = {**progress.outputs, "run-state": "NotStarted"}
    _say_and_report(parts, progress, lines, outputs, failed=True)
    return _exit(stop, True)


def _after_the_run(parts: Parts, progress: Progress, stop: Stopped) -> int:
    outputs = {**progress.outputs}
    state = outputs.get("run-state", t("build.ended"))
    lines = [
        t("build.stopped", reason=stop.reason),
        t("build.had-ended", state=state),
        t("build.report-again", command=attach_command(parts.settings, progress.name)),
    ]
    _say_and_report(parts, progress, lines, outputs, failed=True)
    return _exit(stop, True)


def _during_the_run(parts: Parts, progress: Progress, stop: Stopped) -> int:
    settings, name = parts.settings, progress.name
    signalled = stop.signal_number is not None
    action = "detach" if signalled else settings.on_deadline
    cancel = action == "cancel" or (signalled and settings.on_cancel == "cancel-build")
    outputs = {**progress.outputs, "run-state": "Cancelling" if cancel else "Detached", "log-url": progress.log_url}
    lines = _where_it_goes_on(parts, progress, stop, cancel)
    failed = action in ("cancel", "fail") or signalled
    if signalled or not cancel:  # in the grace of a signal the report comes first
        attach = attach_command(settings, name)
        warning = "" if failed else t("build.left-running", command=attach)
        _say_and_report(parts, progress, lines, outputs, failed=failed, warning=warning)
    if cancel:
        parts.voice.say(t("build.cancelling-now", name=name))
        parts.service.cancel(parts.group, name)
        if not signalled:  # at the deadline there is time left: see it accepted, read the log
            diagnosis = _diagnose_cancelled(parts, progress, outputs)
            _say_and_report(parts, progress, lines, outputs, failed=True, diagnosis=diagnosis)
    return _exit(stop, failed)


def _where_it_goes_on(parts: Parts, progress: Progress, stop: Stopped, cancel: bool) -> list[str]:
    outputs, log = progress.outputs, progress.log_url
    where = {
        "template": outputs.get("template-id", progress.name),
        "group": outputs.get("staging-resource-group") or "-",
        "log": t("build.stopped.log", url=log) if log else "",
    }
    lines = [t("build.stopped", reason=stop.reason), t("build.cancelling" if cancel else "build.goes-on", **where)]
    if not cancel:
        lines.append(t("build.attach-later", command=attach_command(parts.settings, progress.name)))
    return lines


def _wait_for_cancel(parts: Parts, name: str, outputs: dict[str, str]) -> None:
    """Read the status until the service shows the cancel (or the run ended), for a short while."""
    base = parts.settings.poll_seconds
    started = parts.clock()
    while True:  # a few status reads, a minute at most: the margin before the job's end is for the log
        status = status_of(parts.service.get(parts.group, name))
        if status is None or status.state.lower() in ("canceling", "canceled", "failed", "succeeded"):
            parts.voice.say(t("build.service-reports", state=status.state if status else t("build.gone")))
            if status is not None:
                outputs["run-state"] = status.state
            return
        if parts.clock() - started >= min(60.0, 3 * base):
            return
        parts.sleep(base)


def _diagnose_cancelled(parts: Parts, progress: Progress, outputs: dict[str, str]) -> Diagnosis | None:
    """Diagnose the partial log of a build cancelled at the deadline as a pipeline timeout."""
    name, say = progress.name, parts.voice.say
    try:
        _wait_for_cancel(parts, name, outputs)
        template = parts.service.get(parts.group, name)
        diagnosis, location, path = fetch_and_diagnose(parts.logs, template, "", parts.log_folder, say)
    except (LogUnavailable, AzureAccessError, InputError) as exc:
        problem = log_problem(exc)
        say(t("build.partial-log-failed", error=problem))
        outputs["log-problem"] = problem.splitlines()[0] if problem else "unknown"
        return None
    # the job-deadline text by its id: other signatures share the pipeline-timeout category (a lost agent)
    timeout = next(s for s in catalogue() if s.id == "pipeline-job-timeout")
    running = diagnosis.failed_step
    step = t("build.while-running", name=running.name) if running is not None else ""
    names = {"template": name, "template_group": parts.group}
    diagnosis = replace(
        diagnosis,
        category=Category.PIPELINE_TIMEOUT,
        title=t("build.cancelled-at-deadline") + step,
        failed_customizer=diagnosis.failed_customizer or (running.name if running is not None else None),
        cause=timeout.cause_for(names),
        fix=timeout.fix_for(names),
        docs=timeout.docs,
        signature=timeout.id,
    )
    say(t("build.partial-log-saved", path=path))
    outputs.update({**verdict_outputs(diagnosis), "log-path": str(path), "log-url": location.url})
    parts.voice.show("\n" + render_text(diagnosis))
    return diagnosis


def unreachable(parts: Parts, progress: Progress, exc: AzureAccessError) -> AzureUnreachable:
    """Azure could not be reached (or kept failing) once the run existed: report, and name the attach command."""
    attach = attach_command(parts.settings, progress.name)
    outputs = {**progress.outputs, "log-url": progress.log_url or progress.outputs.get("log-url", "")}
    if progress.phase is not Phase.FINISHING:
        outputs["run-state"] = "Detached"
    lines = [t("build.lost-azure", error=exc.message), t("build.pick-up-later", command=attach)]
    _say_and_report(parts, progress, lines, outputs, failed=True)
    return AzureUnreachable(exc.message, t("build.goes-on.hint", command=attach))
