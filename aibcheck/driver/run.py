"""`aibcheck run`: submit, run, watch, report, tidy up."""

import hashlib
import json
import re
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aibcheck.ci.platform import Platform
from aibcheck.driver.deadline import Guard
from aibcheck.driver.ports import ImageBuilderPort, ProvisioningFailed
from aibcheck.driver.watch import RunStatus, WatchOptions, status_of, watch
from aibcheck.errors import ExitCode, InputError, TemplateConflict
from aibcheck.i18n import t
from aibcheck.settings import Settings
from aibcheck.template.changes import add_keep_alive, add_tags
from aibcheck.template.load import load_template

NAME_PATTERN = re.compile(r"^[A-Za-z0-9-_.]{1,64}$")


@dataclass
class Outcome:
    exit_code: ExitCode
    outputs: dict[str, str] = field(default_factory=dict)
    diagnosis_input: dict[str, Any] | None = None  # what to diagnose when the build failed
    secrets: list[str] = field(default_factory=list)  # values to mask in the pipeline log


def unique_suffix(run_id: str | None, resource: Mapping[str, Any]) -> str:
    """The pipeline's run id (and attempt), or a short hash of the template when there is no pipeline."""
    if run_id:
        return run_id
    return hashlib.sha256(json.dumps(resource, sort_keys=True).encode()).hexdigest()[:8]


def prepare(settings: Settings, platform: Platform, say: Callable[[str], None]) -> tuple[str, dict[str, Any]]:
    """The template name and the body to PUT, with every change aibcheck makes announced."""
    template = settings.input or settings.template or ""
    loaded = load_template(template, settings.parameters_file, dict(settings.parameters))
    body = loaded.resource
    if settings.location:
        body["location"] = settings.location
    if not body.get("location"):
        raise InputError(t("run.no-location", template=template), t("run.no-location.hint"))
    properties = body.get("properties") or {}
    missing = [key for key in ("source", "distribute") if not properties.get(key)]
    if missing:
        raise InputError(
            t("run.missing", template=template, fields=t("run.missing.or").join(f"properties.{m}" for m in missing)),
            t("run.missing.hint"),
        )
    if settings.keep_alive_minutes:
        body, notes = add_keep_alive(body, settings.keep_alive_minutes)
        for note in notes:
            say(t("progress.keep-alive", note=note))
    tags = {k: v[:256] for k, v in platform.ci_tags().items() if v}
    body = add_tags(body, {**tags, **settings.tags})
    name = settings.template_name or loaded.name or Path(template).stem
    if settings.if_exists == "unique":
        name = f"{name}-{unique_suffix(platform.run_id(), body)}"
    if not NAME_PATTERN.match(name):
        raise InputError(t("run.bad-name", name=repr(name)), t("run.bad-name.hint"))
    return name, body


def template_id(settings: Settings, name: str) -> str:
    return (
        f"/subscriptions/{settings.subscription}/resourceGroups/{settings.resource_group}"
        f"/providers/Microsoft.VirtualMachineImages/imageTemplates/{name}"
    )


class Driver:
    def __init__(
        self,
        settings: Settings,
        service: ImageBuilderPort,
        say: Callable[[str], None],
        live_log: Callable[[str | None], Any] | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        guard: Guard | None = None,
    ) -> None:
        self.settings, self.service, self.say, self.clock, self.sleep = settings, service, say, clock, sleep
        self.group = settings.resource_group
        self.live_log = live_log  # makes a follower of the build log from the staging group, if wanted
        self.guard = guard
        self.progress: dict[str, str] = {}  # what is known so far, for a report when stopped early
        self.live: Any = None

    def execute(self, name: str, body: dict[str, Any]) -> Outcome:
        self._make_room(name)
        self._warn_if_too_long(body)
        self.progress.update({"template-name": name, "template-id": template_id(self.settings, name)})
        self.say(t("progress.submitting", name=name, group=self.group, location=body["location"]))
        try:
            template = self.service.create(self.group, name, body)
        except ProvisioningFailed as failed:
            self.say(t("progress.refused"))
            if self.settings.delete != "never":
                self._delete(name, t("progress.delete.failed"))
            return Outcome(ExitCode.FAILURE, {"run-state": "SubmissionFailed"}, failed.template)
        outputs = {
            "template-id": str(template.get("id") or template_id(self.settings, name)),
            "template-name": name,
            "staging-resource-group": str(template.get("properties", {}).get("exactStagingResourceGroup") or ""),
        }
        self.say(t("progress.provisioned", group=outputs["staging-resource-group"] or t("progress.not-reported")))
        self.progress.update(outputs)
        self.service.run(self.group, name)
        self.say(t("progress.run-started"))
        return self._follow(name, outputs)

    def attach(self, name: str) -> Outcome:
        """Pick up a build that is running or has ended, and finish it as `run` would."""
        template = self.service.get(self.group, name)
        if template is None:
            raise InputError(
                t("run.no-template", name=name, group=self.group), t("run.no-template.hint")
            )
        if status_of(template) is None:
            raise InputError(t("run.never-ran", name=name), t("run.never-ran.hint"))
        outputs = {
            "template-id": str(template.get("id") or template_id(self.settings, name)),
            "template-name": name,
            "staging-resource-group": str(template.get("properties", {}).get("exactStagingResourceGroup") or ""),
        }
        self.progress.update(outputs)
        self.say(t("progress.attached", name=name))
        return self._follow(name, outputs)

    def _follow(self, name: str, outputs: dict[str, str]) -> Outcome:
        self.live = self.live_log(outputs["staging-resource-group"] or None) if self.live_log else None
        try:
            status = self._watch(name, self.live.poll if self.live else None)
        finally:
            if self.live is not None:
                self.live.close()
        outputs["run-state"] = status.state
        if status.succeeded:
            outputs.update(self._run_outputs(name))
            if self.settings.delete in ("on-success", "always"):
                self._delete(name, t("progress.delete.succeeded"))
            return Outcome(ExitCode.OK, outputs)
        return Outcome(ExitCode.FAILURE, outputs, {"properties": {"lastRunStatus": _last_run(status)}})

    def _watch(self, name: str, on_poll: Callable[[], None] | None = None) -> RunStatus:
        options = WatchOptions(self.settings.poll_seconds, self.settings.heartbeat_seconds)

        def fetch() -> dict[str, Any] | None:
            if self.guard is not None:
                self.guard.check()
            template = self.service.get(self.group, name)
            if on_poll is not None:
                on_poll()
            return template

        sleep = self.guard.sleep if self.guard is not None else self.sleep
        return watch(fetch, self.say, self.clock, sleep, options)

    def _warn_if_too_long(self, body: dict[str, Any]) -> None:
        left = self.guard.deadline.left(self.clock()) if self.guard is not None else None
        if left is None:
            return
        build = int((body.get("properties") or {}).get("buildTimeoutInMinutes") or 240)
        queueing = 10  # minutes the service commonly takes before and after the build itself
        if (build + queueing) * 60 > left:
            deadline = self.guard.deadline.describe()  # type: ignore[union-attr]
            self.say(t("progress.too-long", build=build, queueing=queueing, left=f"{left / 60:.0f}", deadline=deadline))

    def _make_room(self, name: str) -> None:
        existing = self.service.get(self.group, name)
        if existing is None:
            return
        status = status_of(existing)
        running = status is not None and not status.terminal
        if self.settings.if_exists != "replace":
            raise TemplateConflict(
                t("run.exists", name=name, group=self.group)
                + (t("run.exists.state", state=status.state if status else "") if running else "")
                + t("run.exists.no-update"),
                t("run.exists.hint", group=self.group, name=name),
            )
        if running:
            self.say(t("progress.run-in-progress", name=name, state=status.state if status else ""))
            self._watch(name)
        self._delete(name, "--if-exists replace")

    def _delete(self, name: str, why: str) -> None:
        self.say(t("progress.deleting", name=name, why=why))
        self.service.delete(self.group, name)

    def _run_outputs(self, name: str) -> dict[str, str]:
        outputs = self.service.run_outputs(self.group, name)
        for output in outputs:
            properties = output.get("properties", {})
            artifact = properties.get("artifactId") or properties.get("artifactUri")
            self.say(t("progress.run-output", name=output.get("name"), artifact=artifact))
        first = outputs[0].get("properties", {}) if outputs else {}
        return {
            "image-id": str(first.get("artifactId") or ""),
            "image-uri": str(first.get("artifactUri") or ""),
            "run-outputs": json.dumps(outputs) if outputs else "",
        }


def _last_run(status: RunStatus) -> dict[str, str]:
    return {
        "runState": status.state,
        "runSubState": status.sub_state,
        "message": status.message,
        "startTime": status.start_time,
        "endTime": status.end_time,
    }


def write_line(text: str) -> None:
    """One progress line: whatever Azure or the log put in it, redacted and unable to act as a runner command."""
    from aibcheck.redact import redact
    from aibcheck.render.safe import neutralise

    sys.stdout.write(neutralise(redact(text)) + "\n")
    sys.stdout.flush()
