"""Watch a run through the template's lastRunStatus until it ends, never leaving the pipeline log silent."""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from aibcheck.driver.ports import TransientServiceError
from aibcheck.i18n import t

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
class WatchOptions:
    poll_seconds: float = 20.0
    heartbeat_seconds: float = 300.0
    transient_tolerance: int = 3  # consecutive "internal error" failures believed before giving up
    # The service has answered status reads with 500s for 20 minutes and more while a build went on.
    unreadable_seconds: float = 45 * 60
    # A state unchanged this long (a long Windows Update, say) is read less often.
    settle_seconds: float = 600.0
    settled_poll_seconds: float = 60.0

    def interval(self, unchanged_for: float) -> float:
        if unchanged_for >= self.settle_seconds:
            return max(self.poll_seconds, self.settled_poll_seconds)
        return self.poll_seconds


def status_of(template: Mapping[str, Any] | None) -> RunStatus | None:
    status = ((template or {}).get("properties") or {}).get("lastRunStatus")
    if not status:
        return None
    return RunStatus(
        state=str(status.get("runState") or ""),
        sub_state=str(status.get("runSubState") or ""),
        message=str(status.get("message") or ""),
        start_time=str(status.get("startTime") or ""),
        end_time=str(status.get("endTime") or ""),
    )


def elapsed(seconds: float) -> str:
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def watch(
    fetch: Callable[[], Mapping[str, Any] | None],
    say: Callable[[str], None],
    clock: Callable[[], float],
    sleep: Callable[[float], None],
    options: WatchOptions = WatchOptions(),
) -> RunStatus:
    """Poll until the run ends; one line per change of state, a heartbeat in between."""
    started = last_said = last_change = clock()
    last_seen: tuple[str, str] | None = None
    doubted = 0
    unreadable_since: float | None = None
    while True:
        try:
            status = status_of(fetch())
        except TransientServiceError as exc:
            now = clock()
            unreadable_since = now if unreadable_since is None else unreadable_since
            if now - unreadable_since >= options.unreadable_seconds:
                raise
            say(t("progress.unreadable", elapsed=elapsed(now - started), error=exc))
            last_said = now
            sleep(options.poll_seconds)
            continue
        unreadable_since = None
        now = clock()
        if status is not None and status.terminal:
            if (
                status.state.lower() == "failed"
                and _TRANSIENT.search(status.message)
                and doubted + 1 < (options.transient_tolerance)
            ):
                doubted += 1
                tolerated = options.transient_tolerance - 1
                say(t("progress.internal-error", elapsed=elapsed(now - started), count=doubted, tolerated=tolerated))
                last_said = now
                sleep(options.poll_seconds)
                continue
            say(f"[{elapsed(now - started)}] {status.state}" + (f": {status.message}" if status.message else ""))
            return status
        doubted = 0
        if status is not None and (status.state, status.sub_state) != last_seen:
            last_seen, last_change = (status.state, status.sub_state), now
            say(
                f"[{elapsed(now - started)}] {status.state} · {status.sub_state or '-'}"
                + (f": {status.message}" if status.message else "")
            )
            last_said = now
        elif now - last_said >= options.heartbeat_seconds:
            where = f"{last_seen[0]} · {last_seen[1] or '-'}" if last_seen else t("progress.waiting-for-run")
            say(t("progress.still", elapsed=elapsed(now - started), where=where))
            last_said = now
        sleep(options.interval(now - last_change))
