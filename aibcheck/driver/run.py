"""`aibcheck run` and `attach` over ports: submit, run, watch, then finish; a stop reports wherever it lands."""

import json
from collections.abc import Callable, Mapping
from typing import Any

from aibcheck.driver.context import Outcome, Parts, Phase, Progress, template_id
from aibcheck.driver.deadline import Guard, Stopped
from aibcheck.driver.finish import finish
from aibcheck.driver.ports import ProvisioningFailed
from aibcheck.driver.stop import stopped, unreachable
from aibcheck.driver.watch import RunStatus, Schedule, status_of, watch
from aibcheck.errors import AzureTransient, AzureUnreachable, ExitCode, InputError, TemplateConflict
from aibcheck.i18n import t

LiveLogFactory = Callable[[str | None], Any]  # staging group -> a follower with poll(), close() and location


class Driver:
    def __init__(self, parts: Parts, guard: Guard, live_log: LiveLogFactory | None = None) -> None:
        self.parts, self.guard, self.live_log = parts, guard, live_log
        self.settings, self.service, self.say = parts.settings, parts.service, parts.voice.say
        self.group = parts.group
        self.progress = Progress("")
        self.live: Any = None

    # -- the two entry points: everything below them is reported, a stop included -------------------------
    def run(self, name: str, body: dict[str, Any]) -> int:
        return self._reported(name, lambda: self._submit(name, body))

    def attach(self, name: str) -> int:
        return self._reported(name, lambda: self._attach(name))

    def _reported(self, name: str, start: Callable[[], Outcome]) -> int:
        self.progress = Progress(name)
        try:
            outcome = start()
            return finish(self.parts, self.progress, outcome)
        except Stopped as stop:
            return stopped(self.parts, self.progress, stop, self.live)
        except (AzureUnreachable, AzureTransient) as exc:
            if not self.progress.run_exists:
                raise
            raise unreachable(self.parts, self.progress, exc) from exc

    # -- run ---------------------------------------------------------------------------------------------
    def _submit(self, name: str, body: dict[str, Any]) -> Outcome:
        self._make_room(name)
        self._warn_if_too_long(body)
        self.progress.note({"template-name": name})
        self.progress.phase = Phase.SUBMITTING
        self.say(t("progress.submitting", name=name, group=self.group, location=body["location"]))
        self.progress.note({"template-id": template_id(self.settings, name)})
        try:
            template = self.service.create(self.group, name, body)
        except ProvisioningFailed as failed:
            self.say(t("progress.refused"))
            if self.settings.delete != "never":
                self._delete(name, t("progress.delete.failed"))
            self.progress.note({"run-state": "SubmissionFailed"})
            return Outcome(ExitCode.FAILURE, self.progress.outputs, failed.template)
        self._note_template(template, name)
        self.say(t("progress.provisioned", group=self.progress.outputs["staging-resource-group"] or t("progress.none")))
        self.progress.phase = Phase.STARTING
        self.service.run(self.group, name)
        self.progress.run_exists = True
        self.say(t("progress.run-started"))
        return self._follow(name)

    def _attach(self, name: str) -> Outcome:
        """Pick up a build that is running or has ended, and finish it as `run` would."""
        template = self.service.get(self.group, name)
        if template is None:
            raise InputError(t("run.no-template", name=name, group=self.group), t("run.no-template.hint"))
        if status_of(template) is None:
            raise InputError(t("run.never-ran", name=name), t("run.never-ran.hint"))
        self._note_template(template, name)
        self.progress.run_exists = True
        self.say(t("progress.attached", name=name))
        return self._follow(name)

    def _note_template(self, template: Mapping[str, Any], name: str) -> None:
        properties = template.get("properties") or {}
        self.progress.note(
            {
                "template-id": str(template.get("id") or template_id(self.settings, name)),
                "template-name": name,
                "staging-resource-group": str(properties.get("exactStagingResourceGroup") or ""),
            }
        )

    # -- watch -------------------------------------------------------------------------------------------
    def _follow(self, name: str) -> Outcome:
        self.progress.phase = Phase.WATCHING
        staging = self.progress.outputs.get("staging-resource-group") or None
        self.live = self.live_log(staging) if self.live_log else None
        try:
            status = self._watch(name, self.live)
        finally:
            if self.live is not None:
                self.live.close()
        self.progress.phase = Phase.FINISHING
        self.progress.note({"run-state": status.state})
        if not status.succeeded:
            failed = {"properties": {"lastRunStatus": _last_run(status)}}
            return Outcome(ExitCode.FAILURE, self.progress.outputs, failed)
        self.progress.note(self._run_outputs(name))
        warning = self._delete_kept(name, t("progress.delete.succeeded")) if self.settings.delete != "never" else ""
        return Outcome(ExitCode.OK, self.progress.outputs, warning=warning)

    def _watch(self, name: str, live: Any = None) -> RunStatus:
        schedule = Schedule(self.settings.poll_seconds, self.settings.heartbeat_seconds)

        def read() -> dict[str, Any] | None:
            self.guard.check()
            return self.service.read_status(self.group, name)

        def tick() -> bool:
            moved_on = bool(live.poll())
            if live.location is not None:
                self.progress.log_url = live.location.url
            return moved_on

        return watch(read, self.say, self.parts.clock, self.guard.sleep, schedule, tick if live is not None else None)

    # -- around the run ----------------------------------------------------------------------------------
    def _warn_if_too_long(self, body: dict[str, Any]) -> None:
        deadline = self.guard.deadline
        left = deadline.left(self.parts.clock())
        if left is None:
            return
        build = int((body.get("properties") or {}).get("buildTimeoutInMinutes") or 240)
        queueing = 10  # minutes the service commonly takes before and after the build itself
        if (build + queueing) * 60 > left:
            minutes = f"{left / 60:.0f}"
            self.say(t("progress.too-long", build=build, queueing=queueing, left=minutes, deadline=deadline.describe()))

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

    def _delete_kept(self, name: str, why: str) -> str:
        """Delete after a success; an outage then leaves the template behind with a warning, not a failed step."""
        try:
            self._delete(name, why)
        except (AzureUnreachable, AzureTransient) as exc:
            self.say(t("progress.not-deleted", name=name, error=exc.message))
            return t("build.not-deleted", name=name, error=exc.message)
        return ""

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
