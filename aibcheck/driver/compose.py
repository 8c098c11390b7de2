"""The one place that builds the object graph for the commands that talk to Azure: run, attach and logs."""

import sys

from aibcheck.ci.platform import Platform
from aibcheck.driver.run import prepare, write_line
from aibcheck.errors import ExitCode
from aibcheck.settings import Settings, require


def run_command(settings: Settings, platform: Platform) -> int:
    from aibcheck.cli import template_json
    from aibcheck.driver.build import run_build

    name, body = prepare(settings, platform, write_line)
    if settings.dry_run:
        write_line(f"dry run: would submit template {name} to {settings.resource_group or '(no resource group)'}:")
        sys.stdout.write(template_json(body))
        return int(ExitCode.OK)
    require(settings, "subscription", "resource_group")
    return run_build(settings, platform, name, body)


def attach_command(settings: Settings, platform: Platform) -> int:
    from aibcheck.driver.build import run_build

    return run_build(settings, platform, settings.template_name or "", None)


def logs_command(settings: Settings, platform: Platform) -> int:
    from aibcheck.cloud.credential import make_credential
    from aibcheck.cloud.imagebuilder import ImageBuilder
    from aibcheck.cloud.logstore import LogStore
    from aibcheck.logs.command import logs_command as fetch_logs

    credential = make_credential(platform.env)
    service = ImageBuilder(credential, settings.subscription, settings.endpoint, settings.poll_seconds)
    store = LogStore(credential, settings.subscription, settings.endpoint)
    return fetch_logs(settings, platform, service, store)


