"""The watch loop on a scripted clock: lines at each change, heartbeats, the read schedule, failed reads."""

from typing import Any

import pytest

from aibcheck.driver.watch import Schedule, watch
from aibcheck.errors import AzureTransient, AzureUnreachable


def _template(state: str, sub: str = "", message: str = "") -> dict[str, Any]:
    return {"properties": {"lastRunStatus": {"runState": state, "runSubState": sub, "message": message}}}


class Script:
    """Status reads answered from a list; the clock moves only when the watch sleeps."""

    def __init__(self, *states: dict[str, Any] | Exception | None) -> None:
        self.states, self.now = list(states), 0.0
        self.reads: list[float] = []

    def read(self) -> dict[str, Any] | None:
        self.reads.append(self.now)
        state = self.states.pop(0) if len(self.states) > 1 else self.states[0]
        if isinstance(state, Exception):
            raise state
        return state

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def _run(script: Script, tick: Any = None, **options: Any) -> Any:
    lines: list[str] = []
    result = watch(script.read, lines.append, lambda: script.now, script.sleep, Schedule(**options), tick)
    return result, lines


def test_one_line_per_change_and_heartbeats() -> None:
    script = Script(
        None,
        _template("Running", "Queued"),
        *[_template("Running", "Building")] * 20,
        _template("Running", "Distributing"),
        _template("Succeeded"),
    )
    status, lines = _run(script, base=30, heartbeat_seconds=300)
    assert status.succeeded
    assert lines[0] == "[00:30] Running · Queued"
    assert lines[1] == "[01:00] Running · Building"
    heartbeats = [line for line in lines if "still Running · Building" in line]
    assert heartbeats and heartbeats[0].startswith("[06:00]"), "a heartbeat 5 minutes after the last line"
    assert lines[-2].endswith("Running · Distributing") and lines[-1].endswith("] Succeeded")
    assert len(script.reads) == 24


def test_reads_are_fast_after_a_change_and_slow_while_nothing_changes() -> None:
    script = Script(_template("Running", "Customizing"))
    with pytest.raises(StopIteration):
        watch(script.read, lambda _: None, lambda: script.now, _until(script, 3600), Schedule(base=20))
    gaps = [later - earlier for earlier, later in zip(script.reads, script.reads[1:], strict=False)]
    assert gaps[:2] == [20, 20], "right after a change, every base interval"
    assert max(gaps) == 9 * 20 and gaps[-1] == 180, "at most one read every 9 base intervals"
    assert gaps == sorted(gaps), "slower the longer nothing changes"
    assert len(script.reads) <= 30, "a quiet hour costs fewer than 30 status reads"


def _clock(script: Script) -> Any:
    return lambda: script.now


def _until(script: Script, end: float) -> Any:
    def sleep(seconds: float) -> None:
        script.sleep(seconds)
        if script.now >= end:
            raise StopIteration

    return sleep


def test_the_schedule_scales_with_the_base() -> None:
    fast, slow = Script(_template("Running", "Customizing")), Script(_template("Running", "Customizing"))
    for script, base, end in ((fast, 0.2, 36.0), (slow, 20.0, 3600.0)):
        clock = _clock(script)
        with pytest.raises(StopIteration):
            watch(script.read, lambda _: None, clock, _until(script, end), Schedule(base=base))
    assert len(fast.reads) == len(slow.reads), "a compressed hour reads as often as a real one"


def test_a_log_that_moved_on_brings_fast_reads_back() -> None:
    script = Script(*[_template("Running", "Customizing")] * 30, _template("Succeeded"))
    ticks = iter([False] * 100 + [True] + [False] * 10_000)  # the log's export line, about 2000 s in
    seen: list[float] = []

    def tick() -> bool:
        moved_on = next(ticks)
        if moved_on:
            seen.append(script.now)
        return moved_on

    status, _ = _run(script, tick=tick, base=20)
    assert status.succeeded
    gaps = [later - earlier for earlier, later in zip(script.reads, script.reads[1:], strict=False)]
    slow = gaps.index(180)
    cut = next(i for i in range(slow, len(gaps)) if gaps[i] < 180)
    assert script.reads[cut + 1] == seen[0], "read at once when the log shows the build moved on"
    assert gaps[cut + 1 : cut + 3] == [20, 20], "then fast again"


def test_transient_internal_errors_are_outlived() -> None:
    internal = _template("Failed", "", "Internal error occurred. This is a generic error.")
    script = Script(
        _template("Running", "Building"),
        internal,
        internal,
        _template("Running", "Customizing"),
        _template("Succeeded"),
    )
    status, lines = _run(script, base=1)
    assert status.succeeded
    assert sum("keeps watching" in line for line in lines) == 2


def test_persistent_internal_error_ends_the_watch() -> None:
    internal = _template("Failed", "", "Internal error occurred.")
    status, _ = _run(Script(internal), base=1, transient_tolerance=3)
    assert status.state == "Failed" and status.message.startswith("Internal error")


def test_a_real_failure_ends_at_once() -> None:
    status, lines = _run(
        Script(_template("Running", "Building"), _template("Failed", "", "Packer build command has failed")), base=1
    )
    assert status.state == "Failed" and "keeps watching" not in "".join(lines)


def test_failed_reads_are_retried_for_a_bounded_time() -> None:
    outage = AzureUnreachable("cannot reach Azure Resource Manager at https://arm.example (connection refused)")
    recovered = Script(_template("Running", "Building"), *[AzureTransient("HTTP 500")] * 5, _template("Succeeded"))
    status, lines = _run(recovered, base=20)
    assert status.succeeded and sum("the build goes on in Azure" in line for line in lines) == 5
    lost = Script(_template("Running", "Building"), outage)
    with pytest.raises(AzureUnreachable):
        _run(lost, base=20)
    failing = [t for t in lost.reads[1:]]
    assert failing[-1] - failing[0] >= 135 * 20, "45 minutes (135 base intervals) of failed reads"
    assert len(failing) < 30, "and the failed reads slow down like the others"
