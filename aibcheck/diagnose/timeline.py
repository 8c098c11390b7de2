"""Build the timeline of a build (deploy, connect, each customizer, ...) from its marker lines."""

from datetime import datetime

from aibcheck.diagnose.markers import Mark
from aibcheck.diagnose.model import Step, StepStatus
from aibcheck.taxonomy import Phase

_STAGE_STEPS = {
    Mark.DEPLOY: ("deploy", Phase.DEPLOY),
    Mark.CONNECT: ("connect", Phase.CONNECT),
    Mark.CAPTURE: ("capture", Phase.DISTRIBUTE),
    Mark.CLEANUP: ("cleanup", Phase.CLEANUP),
}


_PLAIN_NAMES = {"windows update": "windows-update", "restarting machine": "windows-restart"}
MAX_STEPS = 300  # real builds have tens of steps; an input with more is not a real build log


class Timeline:
    def __init__(self, provisioner_phase: Phase = Phase.CUSTOMIZE) -> None:
        self.steps: list[Step] = []
        self._open: list[Step] = []  # the steps not yet ended, in order (a handful at most)
        self._stages_seen: set[Mark] = set()
        self._telemetry = False  # the log has "(telemetry) Starting provisioner" lines
        self.provisioner_phase = provisioner_phase
        self.errored_line: int | None = None
        self.finished = False
        self.complete = False

    @property
    def open_step(self) -> Step | None:
        return self._open[-1] if self._open else None

    def _start(self, step: Step) -> None:
        if len(self.steps) < MAX_STEPS:
            self.steps.append(step)
            self._open.append(step)

    def mark(self, mark: Mark, name: str, line: int, time: datetime | None) -> None:
        if mark in _STAGE_STEPS:
            self._stage(mark, line, time)
        elif mark is Mark.CONNECTED:
            self._close_named("connect", line, time, StepStatus.OK)
        elif mark is Mark.PROVISIONER_START:
            self._telemetry = True
            self._close_open(line - 1, time, StepStatus.OK)
            self._start(Step(name, self.provisioner_phase, line, time))
        elif mark is Mark.PROVISIONING_WITH:
            self._provisioning_with(_PLAIN_NAMES.get(name.lower(), name.lower()), line, time)
        elif mark is Mark.PROVISIONER_END:
            self._close_named(name, line, time, StepStatus.OK)
        elif mark is Mark.DEPROVISION_SCRIPT:
            step = self.open_step
            if step is not None and step.phase is self.provisioner_phase:
                step.mentions_deprovisioning = True
        elif mark is Mark.PROVISIONER_ERROR:
            self._fail_last_provisioner()
        elif mark is Mark.BUILD_ERRORED and self.errored_line is None:
            self.errored_line = line
            self._close_open(line, time, StepStatus.FAILED)
            self._fail_last_step()
        elif mark is Mark.BUILD_FINISHED:
            self.finished = True
        elif mark is Mark.EXPORTED:
            self.complete = True

    def _provisioning_with(self, name: str, line: int, time: datetime | None) -> None:
        """Packer's own provisioner line starts a step only where no telemetry line already did."""
        if self._telemetry:
            return
        self._close_open(line - 1, time, StepStatus.OK)
        self._start(Step(name, self.provisioner_phase, line, time))

    def _fail_last_provisioner(self) -> None:
        """Packer logs a provisioner's end even when it failed: the last one, if nothing came after it."""
        if self.steps and self.steps[-1].phase is self.provisioner_phase:
            self.steps[-1].status = StepStatus.FAILED

    def _fail_last_step(self) -> None:
        """Packer cleans up before it reports the error: the step before the cleanup is the one that failed."""
        if any(step.status is StepStatus.FAILED for step in self.steps):
            return
        before_cleanup = [step for step in self.steps if step.phase is not Phase.CLEANUP]
        if before_cleanup:
            before_cleanup[-1].status = StepStatus.FAILED

    def _stage(self, mark: Mark, line: int, time: datetime | None) -> None:
        name, phase = _STAGE_STEPS[mark]
        if mark in self._stages_seen:
            return  # each stage happens once; a later mention (a second "Waiting for WinRM") is not a new one
        self._stages_seen.add(mark)
        # A later stage starting means the earlier one got through, except that the cleanup also follows a
        # failure, which Packer reports only after it (see _fail_last_step).
        if mark is Mark.CLEANUP:
            for step in self._open:
                step.closed_by_cleanup = True
        self._close_open(line - 1, time, StepStatus.OK)
        self._start(Step(name, phase, line, time))

    def _close_named(self, name: str, line: int, time: datetime | None, status: StepStatus) -> None:
        for step in reversed(self._open):
            if step.name == name:
                self._close(step, line, time, status)
                return
        last = self.steps[-1] if self.steps else None
        if last is not None and last.name == name and last.status is StepStatus.FAILED:
            last.end_line, last.end_time = line, time or last.end_time  # its own end, after the error line

    def _close_open(self, line: int, time: datetime | None, status: StepStatus) -> None:
        for step in [s for s in self._open if s.phase is not Phase.CLEANUP]:
            self._close(step, max(line, step.start_line), time, status)

    def _close(self, step: Step, line: int, time: datetime | None, status: StepStatus) -> None:
        # A step already known to have failed stays failed when its end line comes.
        step.end_line, step.end_time = line, time
        step.status = StepStatus.FAILED if step.status is StepStatus.FAILED else status
        self._open.remove(step)

    def finish(self, last_line: int, last_time: datetime | None) -> tuple[Step, ...]:
        """Close what is still open where the input ends and name the deprovisioning step."""
        for step in [s for s in self._open if s.phase is Phase.CLEANUP or self.finished]:
            self._close(step, last_line, last_time, StepStatus.OK)
        provisioners = [s for s in self.steps if s.phase is self.provisioner_phase]
        if provisioners and provisioners[-1].mentions_deprovisioning:
            provisioners[-1].phase = Phase.DEPROVISION
        return tuple(self.steps)
