"""Watch a run through the template's lastRunStatus until it ends, never leaving the pipeline log silent.

ARM throttles per subscription and principal, and teams run dozens of builds at once, so status reads follow a
schedule: every `base` seconds (--poll-seconds) right after a change, then less often the longer nothing changes,
up to one read every `slowest` x base. Between reads the live log, which reads storage and not ARM, is followed
every `base` seconds, and a log that says the build moved on brings the fast reads back. Every interval is a
multiple of `base`, so a test can compress time and still run the default schedule.
"""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aibcheck.errors import AzureTransient, AzureUnreachable
from aibcheck.i18n import t
from aibcheck.redact import redact

TERMINAL = ("succeeded", "partiallysucceeded", "failed", "canceled")
# The service sometimes reports a generic internal error for a build that is in fact still running.
_TRANSIENT = re.compile(r"internal (?:server )?error", re.IGNORECASE)


@dataclass(frozen=True)
class RunStatus:
    state: str
    sub_state: str
    message: str
    start_time: str
    end_time: str

    @property
    def terminal(self) -> bool:
        return self.state.lower() in TERMINAL

    @property
    def succeeded(self) -> bool:
        return self.state.lower() in ("succeeded", "partiallysucceeded")


@dataclass(frozen=True)
class Schedule:
    base: float = 20.0  # seconds: --poll-seconds
    heartbeat_seconds: float = 300.0
    slowest: float = 9.0  # the longest wait between status reads, in bases (3 minutes at the default)
    # The service has answered status reads with 500s for 20 minutes and more while a build went on; an agent's
    # network can fail for a while too. Failed reads are retried for this many bases (45 minutes by default).
    unreadable: float = 135.0
    transient_tolerance: int = 3  # consecutive "internal error" run states believed before giving up

    def interval(self, quiet_for: float) -> float:
        """Seconds to the next status read when nothing has changed for `quiet_for` seconds."""
        return min(self.slowest * self.base, max(self.base, quiet_for))

    @property
    def unreadable_seconds(self) -> float:
        return self.unreadable * self.base


def status_of(template: Mapping[str, Any] | None) -> RunStatus | None:
    status = ((template or {}).get("properties") or {}).get("lastRunStatus")
    if not status:
        return None
    return RunStatus(
        state=str(status.get("runState") or ""),
        sub_state=str(status.get("runSubState") or ""),
        message=redact(str(status.get("message") or "")),  # printed as the build goes on
        start_time=str(status.get("startTime") or ""),
        end_time=str(status.get("endTime") or ""),
    )


def elapsed(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


class _Watch:
    def __init__(
        self,
        read: Callable[[], Mapping[str, Any] | None],
        say: Callable[[str], None],
        clock: Callable[[], float],
        sleep: Callable[[float], None],
        schedule: Schedule,
        tick: Callable[[], bool] | None,
    ) -> None:
        self.read, self.say, self.clock, self.sleep, self.schedule, self.tick = read, say, clock, sleep, schedule, tick
        self.started = self.last_said = self.quiet_since = clock()
        self.last_seen: tuple[str, str] | None = None
        self.doubted = 0
        self.unreadable_since: float | None = None

    def line(self, text: str) -> None:
        now = self.clock()
        self.say(f"[{elapsed(now - self.started)}] {text}")
        self.last_said = now

    def run(self) -> RunStatus:
        while True:
            status = self.status()
            if status is not None and status.terminal and not self.doubt(status):
                self.line(status.state + (f": {status.message}" if status.message else ""))
                return status
            if status is not None and not status.terminal:
                self.doubted = 0
                self.note(status)
            since = self.unreadable_since if self.unreadable_since is not None else self.quiet_since
            self.wait(self.clock() + self.schedule.interval(self.clock() - since))

    def status(self) -> RunStatus | None:
        """One status read; a failed one is retried on the schedule until the unreadable limit."""
        try:
            status = status_of(self.read())
        except (AzureTransient, AzureUnreachable) as exc:
            now = self.clock()
            self.unreadable_since = now if self.unreadable_since is None else self.unreadable_since
            if now - self.unreadable_since >= self.schedule.unreadable_seconds:
                raise
            self.line(t("progress.unreadable", error=exc.message))
            return None
        self.unreadable_since = None
        return status

    def doubt(self, status: RunStatus) -> bool:
        """Whether to keep watching a run that reports a generic internal error (it often goes on)."""
        if status.state.lower() != "failed" or not _TRANSIENT.search(status.message):
            return False
        if self.doubted + 1 >= self.schedule.transient_tolerance:
            return False
        self.doubted += 1
        self.line(t("progress.internal-error", count=self.doubted, tolerated=self.schedule.transient_tolerance - 1))
        self.quiet_since = self.clock()
        return True

    def note(self, status: RunStatus) -> None:
        if (status.state, status.sub_state) != self.last_seen:
            self.last_seen, self.quiet_since = (status.state, status.sub_state), self.clock()
            self.line(f"{status.state} · {status.sub_state or '-'}" + (f": {status.message}" if status.message else ""))

    def wait(self, due: float) -> None:
        """Until the next status read: the live log every base seconds, and a heartbeat when all is quiet."""
        while (now := self.clock()) < due:
            self.sleep(min(self.schedule.base, due - now))
            if self.tick is not None and self.tick():
                self.quiet_since = self.clock()  # the log says the build moved on: read the status soon
                return
            if self.clock() - self.last_said >= self.schedule.heartbeat_seconds:
                seen = self.last_seen
                if seen:
                    self.line(t("progress.still", where=f"{seen[0]} · {seen[1] or '-'}"))
                else:
                    self.line(t("progress.still-waiting"))


def watch(
    read: Callable[[], Mapping[str, Any] | None],
    say: Callable[[str], None],
    clock: Callable[[], float],
    sleep: Callable[[float], None],
    schedule: Schedule = Schedule(),
    tick: Callable[[], bool] | None = None,
) -> RunStatus:
    """Read the status on the schedule until the run ends; one line per change of state, a heartbeat in between."""
    return _Watch(read, say, clock, sleep, schedule, tick).run()
