"""The watch loop, on a scripted clock: lines at each change, heartbeats, transient internal errors."""

from typing import Any

from aibcheck.driver.watch import WatchOptions, watch


def _template(state: str, sub: str = "", message: str = "") -> dict[str, Any]:
    return {"properties": {"lastRunStatus": {"runState": state, "runSubState": sub, "message": message}}}


class Script:
    def __init__(self, *states: dict[str, Any] | None) -> None:
        self.states, self.now, self.fetches = list(states), 0.0, 0

    def fetch(self) -> dict[str, Any] | None:
        self.fetches += 1
        return self.states.pop(0) if len(self.states) > 1 else self.states[0]

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def _run(script: Script, **options: Any) -> Any:
    lines: list[str] = []
    result = watch(script.fetch, lines.append, lambda: script.now, script.sleep, WatchOptions(**options))
    return result, lines


def test_one_line_per_change_and_heartbeats() -> None:
    script = Script(
        None,
        _template("Running", "Queued"),
        *[_template("Running", "Building")] * 20,
        _template("Running", "Distributing"),
        _template("Succeeded"),
    )
    status, lines = _run(script, poll_seconds=30, heartbeat_seconds=300)
    assert status.succeeded
    assert lines[0] == "[00:30] Running · Queued"
    assert lines[1] == "[01:00] Running · Building"
    heartbeats = [line for line in lines if "still Running · Building" in line]
    assert len(heartbeats) == 1 and heartbeats[0].startswith("[06:00]")
    assert lines[-2].endswith("Running · Distributing") and lines[-1].endswith("] Succeeded")
    assert script.fetches == 24


def test_transient_internal_errors_are_outlived() -> None:
    internal = _template("Failed", "", "Internal error occurred. This is a generic error.")
    script = Script(
        _template("Running", "Building"),
        internal,
        internal,
        _template("Running", "Customizing"),
        _template("Succeeded"),
    )
    status, lines = _run(script, poll_seconds=1)
    assert status.succeeded
    assert sum("keeps watching" in line for line in lines) == 2


def test_persistent_internal_error_ends_the_watch() -> None:
    internal = _template("Failed", "", "Internal error occurred.")
    status, _ = _run(Script(internal), poll_seconds=1, transient_tolerance=3)
    assert status.state == "Failed" and status.message.startswith("Internal error")


def test_a_real_failure_ends_at_once() -> None:
    status, lines = _run(
        Script(_template("Running", "Building"), _template("Failed", "", "Packer build command has failed")),
        poll_seconds=1,
    )
    assert status.state == "Failed" and "keeps watching" not in "".join(lines)


def test_a_long_unchanged_state_is_read_less_often() -> None:
    script = Script(
        _template("Running", "Building"), *[_template("Running", "Customizing")] * 200, _template("Succeeded")
    )
    status, lines = _run(script, poll_seconds=20, settle_seconds=600, settled_poll_seconds=60)
    assert status.succeeded
    # 600 s at 20 s, then 60 s: the 200 reads of an unchanged state span far more than 200 x 20 s.
    assert script.now > 150 * 60
    heartbeats = [line for line in lines if "still" in line]
    assert heartbeats, "the log is never silent for long"
