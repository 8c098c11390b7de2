"""The one place that builds the object graph for the commands that talk to Azure: run, attach and logs.

Here and only here are the credential, the cloud adapters, the deadline guard, the live log and the reporting put
together; the driver gets them as ports and callables, so that tests can give it others.
"""

import sys
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from aibcheck.ci.platform import Platform
from aibcheck.ci.report import Report, report
from aibcheck.driver.context import Parts, Voice
from aibcheck.driver.deadline import Guard, Stopped, make_deadline
from aibcheck.driver.ports import LogStorePort
from aibcheck.driver.run import Driver, LiveLogFactory
from aibcheck.driver.stop import stop_headline
from aibcheck.driver.submission import prepare
from aibcheck.errors import ExitCode
from aibcheck.i18n import t
from aibcheck.preflight.render import render_markdown
from aibcheck.settings import Settings, require


def write_line(text: str) -> None:
    """One progress line: whatever Azure or the log put in it, redacted and unable to act as a runner command."""
    from aibcheck.redact import redact
    from aibcheck.render.safe import neutralise

    sys.stdout.write(neutralise(redact(text)) + "\n")
    sys.stdout.flush()


def write_text(text: str) -> None:
    """Text that is safe to print as it is: a rendered diagnosis, or a line of the platform's own syntax."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()


def run_command(settings: Settings, platform: Platform) -> int:
    from aibcheck.cli import template_json

    name, body = prepare(settings, platform, write_line)
    guard = None
    if not settings.dry_run:
        require(settings, "subscription", "resource_group")
        guard = _guard(settings, platform)  # from here on, a signal is reported, wherever it lands
    try:
        checked = _preflight(settings, platform, name)
    except Stopped as stop:
        return _stopped_before_azure(settings, platform, name, stop, submitting=True)
    if checked is not None and checked.blocks(settings.preflight):
        return _refused(settings, platform, name, checked)
    if settings.dry_run:
        write_line(t("progress.dry-run", name=name, group=settings.resource_group or t("progress.no-group")))
        sys.stdout.write(template_json(body))
        return int(ExitCode.OK)
    extra = (tuple(render_markdown(checked).splitlines()),) if checked is not None and checked.findings else ()
    return _with_driver(settings, platform, lambda driver: driver.run(name, body), extra, guard, submitting=name)


def _preflight(settings: Settings, platform: Platform, name: str) -> Any:
    """The checks of `aibcheck preflight` before anything is submitted (offline in a dry run), printed and annotated."""
    from aibcheck.preflight import check_template
    from aibcheck.preflight.annotate import annotation_lines
    from aibcheck.preflight.render import render_text

    if settings.preflight == "off":
        return None
    template = settings.template or ""
    write_line(t("preflight.checking.dry-run" if settings.dry_run else "preflight.checking", template=template))
    result = check_template(settings, platform, template, offline=settings.dry_run, name=name)
    write_text(render_text(result))
    for line in annotation_lines(result, platform):
        write_text(line)
    return result


def _refused(settings: Settings, platform: Platform, name: str, checked: Any) -> int:
    """Preflight found an error: nothing is submitted; the findings go where people look, and the step fails."""
    write_line(t("preflight.refused", count=len(checked.errors), name=name))
    outputs = {"run-state": "PreflightFailed", "template-name": name}
    headline = tuple(render_markdown(checked).splitlines())
    _publish(settings, platform, Report(name, True, None, headline, outputs))
    return int(ExitCode.FAILURE)


def _stopped_before_azure(settings: Settings, platform: Platform, name: str, stop: Stopped, submitting: bool) -> int:
    """A signal while signing in, resolving the cloud or checking the template: nothing of the build exists yet."""
    lines = [t("build.stopped", reason=stop.reason), *([t("build.not-started")] if submitting else [])]
    for line in lines:
        write_line(line)
    outputs = {"run-state": "NotStarted", "template-name": name} if submitting else {"template-name": name}
    _publish(settings, platform, Report(name, True, None, tuple(stop_headline(lines)), outputs))
    return stop.exit_code or int(ExitCode.FAILURE)


def _publish(settings: Settings, platform: Platform, data: Report) -> None:
    """The report where people look: standard output, annotations, the job summary, the PR comment."""
    report(data, platform, sys.stdout, settings.comment, settings.summary_file)


def attach_command(settings: Settings, platform: Platform) -> int:
    return _with_driver(settings, platform, lambda driver: driver.attach(settings.template_name or ""))


def logs_command(settings: Settings, platform: Platform) -> int:
    from aibcheck.logs.command import logs_command as fetch_logs
    from aibcheck.logs.command import subscription_of

    if settings.log_url and not settings.subscription:
        settings = replace(settings, subscription=subscription_of(settings.log_url))
    _, service, store = _azure(settings, platform, announce=False)  # standard output is the log itself
    return fetch_logs(settings, service, store)


def _azure(settings: Settings, platform: Platform, announce: bool = True) -> tuple[Any, Any, Any]:
    """The network settings, the credential and both adapters of the command's cloud, sharing one request count."""
    from aibcheck.cloud.clouds import AZURE_CLOUD, describe, resolve
    from aibcheck.cloud.credential import make_credential
    from aibcheck.cloud.imagebuilder import ImageBuilder
    from aibcheck.cloud.logstore import LogStore
    from aibcheck.cloud.network import Network

    network = Network(notice=write_line)
    cloud = resolve(settings.cloud, settings.arm_endpoint, network)
    if announce and cloud != AZURE_CLOUD:
        write_line(describe(cloud))
    credential = make_credential(platform.env, network, cloud)
    service = ImageBuilder(credential, settings.subscription, cloud, network, settings.poll_seconds)
    return network, service, LogStore(credential, settings.subscription, cloud, network)


def _guard(settings: Settings, platform: Platform) -> Guard:
    """The job's deadline, from its real start when the platform tells it; signals stop the watch from now on."""
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
    return guard


def _with_driver(
    settings: Settings,
    platform: Platform,
    act: Callable[[Driver], int],
    extra: tuple[tuple[str, ...], ...] = (),
    guard: Guard | None = None,
    submitting: str | None = None,
) -> int:
    """Compose and run the driver; `submitting` names the template that run is about to submit."""
    from aibcheck.logs.command import log_directory

    guard = guard or _guard(settings, platform)
    try:
        network, service, store = _azure(settings, platform)
    except Stopped as stop:
        name = submitting or settings.template_name or ""
        return _stopped_before_azure(settings, platform, name, stop, submitting is not None)

    def publish(data: Report) -> None:
        _publish(settings, platform, replace(data, extra=(*data.extra, *extra)))  # preflight's warnings stay too

    voice = Voice(write_line, write_text, publish)
    parts = Parts(
        settings, service, store, voice, lambda: log_directory(settings, platform), time.monotonic, time.sleep
    )
    driver = Driver(parts, guard, _live_log(settings, store, platform))
    try:
        return act(driver)
    finally:
        write_line(network.summary())


def _live_log(settings: Settings, store: LogStorePort, platform: Platform) -> LiveLogFactory | None:
    """Following the log is on by default in a pipeline, where nobody else can watch the build."""
    wanted = settings.live_log if settings.live_log is not None else platform.in_pipeline
    if not wanted:
        return None

    def make(staging_group: str | None) -> Any:
        from aibcheck.logs.live import LiveLog

        return LiveLog(
            store, lambda: store.locate(None, staging_group), write_line, platform, staging_group, emit=write_text
        )

    return make
