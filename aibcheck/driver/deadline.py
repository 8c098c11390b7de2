"""The pipeline's clock and its cancel signal: one stop condition for the watch.

The runner and the agent send SIGINT, then SIGTERM 7.5 s later, then kill the process 2.5 s after that.
The first signal raises Stopped where the program is (a blocking call included), so that aibcheck can
report within that grace; a second signal ends the process at once. Python runs signal handlers in the main
thread only: the threads that work for it (the SDK's long-running-operation poller, the log download's
prefetcher) never see Stopped, and the main thread gets it wherever it waits for them.
"""

import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from types import FrameType

from aibcheck.i18n import t

ON_DEADLINE = ("detach", "cancel", "fail")
ON_CANCEL = ("report", "cancel-build")


class Stopped(BaseException):
    """The deadline came, or the pipeline asked aibcheck to stop.

    A BaseException, like KeyboardInterrupt, so that no `except Exception` on the way can swallow it.
    """

    def __init__(self, reason: str, signal_number: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.signal_number = signal_number

    @property
    def exit_code(self) -> int:
        return 128 + self.signal_number if self.signal_number else 0


@dataclass(frozen=True)
class Deadline:
    at: float | None  # time.monotonic() value at which to act; None: no deadline known
    job_minutes: float | None
    margin_minutes: float
    start: str  # what the job's start was taken from

    def left(self, now: float) -> float | None:
        return None if self.at is None else self.at - now

    def describe(self) -> str:
        if self.at is None:
            return t("deadline.none")
        return t("deadline.describe", job=f"{self.job_minutes:g}", start=self.start, margin=f"{self.margin_minutes:g}")


def make_deadline(
    job_minutes: float | None,
    margin_minutes: float,
    platform_minutes: float | None,
    started: float,
    job_started: datetime | None = None,
    source: str = "",
) -> Deadline:
    """The moment to act; from the job's real start when the platform gave it, else from aibcheck's own."""
    minutes = job_minutes if job_minutes is not None else platform_minutes
    if not minutes:
        return Deadline(None, None, margin_minutes, "")
    if job_started is not None:
        already = max(0.0, (datetime.now(UTC) - job_started.astimezone(UTC)).total_seconds())
        return Deadline(started - already + (minutes - margin_minutes) * 60, minutes, margin_minutes, source)
    start = t("deadline.own-start") + (t("deadline.source", source=source) if source else "")
    return Deadline(started + (minutes - margin_minutes) * 60, minutes, margin_minutes, start)


class Guard:
    """Raises Stopped on the first SIGINT or SIGTERM, and when the deadline passes (checked by the watch)."""

    def __init__(
        self,
        deadline: Deadline,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.deadline, self.clock, self._sleep = deadline, clock, sleep
        self.stopped: Stopped | None = None

    def install(self) -> None:
        for number in (signal.SIGINT, signal.SIGTERM):
            signal.signal(number, self._on_signal)

    def _on_signal(self, number: int, frame: FrameType | None) -> None:
        if self.stopped is not None:
            os._exit(128 + number)  # the second signal: the runner's kill is near, stop now
        self.stopped = Stopped(t("deadline.signal", signal=signal.Signals(number).name), number)
        raise self.stopped

    def check(self) -> None:
        left = self.deadline.left(self.clock())
        if left is not None and left <= 0 and self.stopped is None:
            self.stopped = Stopped(t("deadline.near"))
            raise self.stopped

    def sleep(self, seconds: float) -> None:
        """Sleep, but never past the deadline."""
        left = self.deadline.left(self.clock())
        self._sleep(max(0.0, min(seconds, left)) if left is not None else seconds)
        self.check()
