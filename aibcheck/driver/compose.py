"""The one place that builds the object graph for the commands that talk to Azure: run, attach and logs.

Here and only here are the credential, the cloud adapters, the deadline guard, the live log and the reporting put
together; the driver gets them as ports and callables, so that tests can give it others.
"""

import sys
import time
from collections.abc import Callable
from typing import Any

from aibcheck.ci.platform import Platform
from aibcheck.ci.report import Report, report
from aibcheck.driver.context import Parts, Voice
from aibcheck.driver.deadline import Guard, make_deadline
from aibcheck.driver.ports import LogStorePort
from aibcheck.driver.run import Driver, LiveLogFactory
from aibcheck.driver.submission import prepare
from aibcheck.errors import ExitCode
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
    if settings.dry_run:
        write_line(f"dry run: would submit template {name} to {settings.resource_group or '(no resource group)'}:")
        sys.stdout.write(template_json(body))
        return int(ExitCode.OK)
    require(settings, "subscription", "resource_group")
    return _with_driver(settings, platform, lambda driver: driver.run(name, body))


def attach_command(settings: Settings, platform: Platform) -> int:
    return _with_driver(settings, platform, lambda driver: driver.attach(settings.template_name or ""))


def logs_command(settings: Settings, platform: Platform) -> int:
    from aibcheck.logs.command import logs_command as fetch_logs

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
    write_line(f"deadline: {guard.deadline.describe()}")
    return guard


def _with_driver(settings: Settings, platform: Platform, act: Callable[[Driver], int]) -> int:
    from aibcheck.logs.command import log_directory

    guard = _guard(settings, platform)
    network, service, store = _azure(settings, platform)

    def publish(data: Report) -> None:
        report(data, platform, sys.stdout, settings.comment, settings.summary_file)

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
