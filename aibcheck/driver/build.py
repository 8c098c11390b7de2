"""The Azure-facing side of `run` and `attach`: credentials, the deadline, the log, the report."""

import json
import sys
import time
from collections.abc import Mapping
from typing import Any

from aibcheck.ci.platform import Platform
from aibcheck.driver.deadline import Guard, Stopped, make_deadline
from aibcheck.driver.run import Driver, Outcome, write_line
from aibcheck.driver.watch import status_of
from aibcheck.errors import ExitCode
from aibcheck.i18n import t
from aibcheck.render.context import BuildContext
from aibcheck.render.md import code, inline
from aibcheck.settings import Settings


def run_build(settings: Settings, platform: Platform, name: str, body: dict[str, Any] | None) -> int:
    """Run (or, with no body, attach) against Azure, then the log, outputs, the diagnosis and the report."""
    from azure.core.exceptions import AzureError

    from aibcheck.cloud.credential import make_credential
    from aibcheck.cloud.imagebuilder import ImageBuilder
    from aibcheck.errors import AzureAccessError

    env = platform.env
    started = time.monotonic()
    job_started, source = (None, "")
    platform_minutes = platform.default_job_minutes()
    if settings.job_timeout_minutes is not None or platform_minutes is not None:
        job_started, source = platform.job_start()
    deadline = make_deadline(
        settings.job_timeout_minutes, settings.margin_minutes, platform_minutes, started, job_started, source
    )
    guard = Guard(deadline)
    guard.install()
    write_line(t("build.deadline", deadline=guard.deadline.describe()))
    credential = make_credential(env)
    service = ImageBuilder(credential, settings.subscription, settings.endpoint, settings.poll_seconds)
    driver = Driver(settings, service, write_line, _live_log_factory(settings, credential, platform), guard=guard)
    try:
        outcome = driver.execute(name, body) if body is not None else driver.attach(name)
        failed = outcome.diagnosis_input is not None
        diagnosis = _diagnose_failure(settings, name, outcome, service, credential, platform) if failed else None
    except Stopped as stopped:
        return _stopped(settings, platform, name, driver, stopped)
    except AzureError as exc:
        raise AzureAccessError(
            t("build.azure-failed", name=name, error=str(exc).splitlines()[0]),
            t("build.azure-failed.hint", group=settings.resource_group, name=name),
        ) from exc
    finally:
        write_line(t("build.arm-requests", count=service.counter.count))
    _finish(settings, platform, name, outcome, diagnosis)
    return int(outcome.exit_code)


def _context(settings: Settings, name: str, outputs: Mapping[str, str], problem: str = "") -> BuildContext:
    return BuildContext(
        template=name,
        resource_group=settings.resource_group,
        staging_group=outputs.get("staging-resource-group", ""),
        log_path=outputs.get("log-path", ""),
        log_url=outputs.get("log-url", ""),
        log_problem=problem or outputs.get("log-problem", ""),
    )


def _finish(settings: Settings, platform: Platform, name: str, outcome: Outcome, diagnosis: Any) -> None:
    from aibcheck.ci.report import Report, report
    from aibcheck.render.text import render_text

    for key, value in outcome.outputs.items():
        if value and key != "run-outputs":
            write_line(f"{key}: {value}")
    if diagnosis is not None:
        outcome.outputs.update(
            {
                "category": diagnosis.category.value,
                "phase": diagnosis.phase.value,
                "failed-customizer": diagnosis.failed_customizer or "",
            }
        )
        sys.stdout.write("\n" + render_text(diagnosis))
    failed = outcome.exit_code is not ExitCode.OK
    outputs = {k: v for k, v in outcome.outputs.items() if k != "log-problem"}
    headline = () if diagnosis is not None else _success_headline(name, outputs)
    context = _context(settings, name, outcome.outputs)
    data = Report(name, failed, diagnosis, headline, outputs, tuple(outcome.secrets), context=context)
    report(data, platform, sys.stdout, settings.comment, settings.summary_file)


def _stopped(settings: Settings, platform: Platform, name: str, driver: Driver, stopped: Stopped) -> int:
    """Report where the build is before the pipeline's kill, then leave it, cancel it or fail, as configured.

    Signals give about 7.5 s: the outputs, the summary and the annotation come first, a cancel request last.
    """
    from aibcheck.ci.report import Report, report

    action = settings.on_deadline if stopped.signal_number is None else "detach"
    cancel = action == "cancel" or (stopped.signal_number is not None and settings.on_cancel == "cancel-build")
    outputs = {**driver.progress, "run-state": "Cancelling" if cancel else "Detached"}
    started = "template-id" in driver.progress and "staging-resource-group" in driver.progress
    log = driver.live.location.url if driver.live is not None and driver.live.location is not None else ""
    outputs["log-url"] = log
    attach = (
        f"aibcheck attach --template {name} --resource-group {settings.resource_group} "
        f"--subscription {settings.subscription}"
        + (f" --arm-endpoint {settings.endpoint}" if settings.sources.get("arm_endpoint") else "")
    )
    where = {"template": outputs.get("template-id", name), "group": outputs.get("staging-resource-group") or "-"}
    where["log"] = t("build.stopped.log", url=log) if log else ""
    lines = [t("build.stopped", reason=stopped.reason), t("build.cancelling" if cancel else "build.goes-on", **where)]
    if not cancel and started:
        lines.append(t("build.attach-later", command=attach))
    for line in lines:
        write_line(line)
    headline = [f"### ⏸️ aibcheck: {inline(lines[0])}", *[f"\n{inline(line)}" for line in lines[1:]]]
    failed = action in ("cancel", "fail") or stopped.signal_number is not None
    context = _context(settings, name, outputs)
    if stopped.signal_number is not None or not (cancel and started):
        report(
            Report(name, failed, None, headline, outputs, context=context),
            platform,
            sys.stdout,
            settings.comment,
            settings.summary_file,
        )
    if cancel and started:
        write_line(t("build.cancelling-now", name=name))
        driver.service.cancel(settings.resource_group, name)
        if stopped.signal_number is None:  # at the deadline there is time left: see it accepted, read the log
            diagnosis = _diagnose_cancelled(settings, name, driver, platform, outputs)
            report(
                Report(name, True, diagnosis, headline, outputs, context=context),
                platform,
                sys.stdout,
                settings.comment,
                settings.summary_file,
            )
    if stopped.signal_number is not None:
        return stopped.exit_code
    return int(ExitCode.FAILURE if failed else ExitCode.OK)


def _diagnose_cancelled(
    settings: Settings, name: str, driver: Driver, platform: Platform, outputs: dict[str, str]
) -> Any:
    """Wait briefly for the cancel to be accepted, then diagnose the partial log as a pipeline timeout."""
    from dataclasses import replace

    from azure.core.exceptions import AzureError

    from aibcheck.catalogue import catalogue
    from aibcheck.cloud.credential import make_credential
    from aibcheck.cloud.logstore import LogStore
    from aibcheck.errors import LogUnavailable
    from aibcheck.logs.command import fetch_and_diagnose, log_directory
    from aibcheck.render.text import render_text
    from aibcheck.taxonomy import Category

    waited = time.monotonic()
    while time.monotonic() - waited < min(60.0, settings.margin_minutes * 30):
        status = status_of(driver.service.get(settings.resource_group, name))
        if status is None or status.state.lower() in ("canceling", "canceled", "failed", "succeeded"):
            write_line(t("build.service-reports", state=status.state if status else t("build.gone")))
            break
        time.sleep(max(settings.poll_seconds, 0.05))
    try:
        store = LogStore(make_credential(platform.env), settings.subscription, settings.endpoint)
        template = driver.service.get(settings.resource_group, name)
        diagnosis, location, path = fetch_and_diagnose(
            store, template, "", log_directory(settings, platform), write_line
        )
    except (LogUnavailable, AzureError) as exc:
        write_line(t("build.partial-log-failed", error=exc.render() if isinstance(exc, LogUnavailable) else exc))
        return None
    timeout = next(s for s in catalogue() if s.category is Category.PIPELINE_TIMEOUT)
    running = diagnosis.failed_step
    step = t("build.while-running", name=running.name) if running is not None else ""
    diagnosis = replace(
        diagnosis,
        category=Category.PIPELINE_TIMEOUT,
        title=t("build.cancelled-at-deadline") + step,
        cause=timeout.cause,
        fix=timeout.fix,
        docs=timeout.docs,
        signature=timeout.id,
    )
    write_line(t("build.partial-log-saved", path=path))
    outputs.update(
        {
            "category": diagnosis.category.value,
            "phase": diagnosis.phase.value,
            "failed-customizer": diagnosis.failed_customizer or "",
            "log-path": str(path),
            "log-url": location.url,
        }
    )
    sys.stdout.write("\n" + render_text(diagnosis))
    return diagnosis


def _success_headline(name: str, outputs: Mapping[str, str]) -> list[str]:
    rows = [f"| {key} | {code(value)} |" for key, value in outputs.items() if value and key != "run-outputs"]
    return [t("build.succeeded", name=inline(name)), "", t("build.outputs.header"), "|---|---|", *rows]


def _live_log_factory(settings: Settings, credential: Any, platform: Platform) -> Any:
    """Following the log is on by default in a pipeline, where nobody else can watch the build."""
    wanted = settings.live_log if settings.live_log is not None else platform.in_pipeline
    if not wanted:
        return None

    def make(staging_group: str | None) -> Any:
        from aibcheck.cloud.logstore import LogStore
        from aibcheck.logs.live import LiveLog

        store = LogStore(credential, settings.subscription, settings.endpoint)
        return LiveLog(
            store, lambda: store.locate(None, staging_group), write_line, platform, staging_group, emit=write_command
        )

    return make


def write_command(line: str) -> None:
    """A line of the platform's own syntax, built by ci/: printed as it is."""
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def _diagnose_failure(
    settings: Settings, name: str, outcome: Outcome, service: Any, credential: Any, platform: Platform
) -> Any:
    """The log's diagnosis when the log can be had, else the status's; a failed download hides nothing."""
    from azure.core.exceptions import AzureError

    from aibcheck.cloud.logstore import LogStore
    from aibcheck.diagnose import diagnose_bytes, with_template
    from aibcheck.errors import LogUnavailable
    from aibcheck.logs.command import fetch_and_diagnose, log_directory

    status = json.dumps(outcome.diagnosis_input, indent=2).encode()
    template_body = outcome.diagnosis_input
    if outcome.outputs.get("run-state") == "SubmissionFailed":
        return diagnose_bytes(status, "status")  # a refused template has no build log
    last_run = ((outcome.diagnosis_input or {}).get("properties") or {}).get("lastRunStatus") or {}
    try:
        store = LogStore(credential, settings.subscription, settings.endpoint)
        template = service.get(settings.resource_group, name)
        diagnosis, location, path = fetch_and_diagnose(
            store, template, str(last_run.get("message", "")), log_directory(settings, platform), write_line
        )
    except (LogUnavailable, AzureError) as exc:
        problem = exc.render().removeprefix(t("error.prefix")) if isinstance(exc, LogUnavailable) else str(exc)
        write_line(t("build.log-failed", problem=problem))
        write_line(t("build.kept-with-staging", name=name))
        outcome.outputs["log-problem"] = problem.splitlines()[0] if problem else "unknown"
        return with_template(diagnose_bytes(status, "status"), template_body)
    template_body = template or template_body
    outcome.outputs.update({"log-path": str(path), "log-url": location.url})
    outcome.secrets.extend(store.secrets)
    if settings.delete == "always":
        write_line(t("build.deleting-always", name=name))
        service.delete(settings.resource_group, name)
    else:
        write_line(t("build.kept", name=name, policy=settings.delete))
    return with_template(diagnosis, template_body)
