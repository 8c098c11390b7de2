"""`aibcheck run` shows a running build's log and the service's messages: planted secrets reach neither."""

from pathlib import Path

from tests.e2e.test_logs import aibcheck, run_args
from tests.fakes.arm import FakeArm, RunScript
from tests.planted_contexts import ONE_LINE, PLACED, build_log, leak_finder, readable_forms

pytest_plugins = ["tests.fakes.fixtures"]


def test_secrets_in_a_running_build_never_reach_the_pipeline(arm_storage: FakeArm, tmp_path: Path) -> None:
    log = build_log([line for placed in PLACED for line in placed.lines()]).encode()
    script = RunScript.failure(log_chunks=[log[: len(log) // 3], log[len(log) // 3 :]])
    messages = ONE_LINE[:12]
    script.states[-1] = ("Running", "Customizing", " ".join(p.lines()[0] for p in messages))
    arm_storage.set_run_script(script)
    summary, outputs = tmp_path / "summary.md", tmp_path / "outputs.txt"
    pipeline = {
        "GITHUB_ACTIONS": "true",
        "AIBCHECK_LOG_DIR": str(tmp_path / "logs"),
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_OUTPUT": str(outputs),
    }
    result = aibcheck(arm_storage, *run_args(arm_storage, "planted"), env=pipeline)
    shown = result.stdout.decode() + result.stderr.decode() + summary.read_text() + outputs.read_text()
    assert result.returncode == 1, shown
    assert "live log: following" in shown
    forms = readable_forms(shown)
    missing = [p.marker for p in PLACED if not any(f"[{p.marker}]" in form for form in forms)]
    assert not missing, f"shown live and in the service's message: {missing}"
    for placed in PLACED:
        finder = leak_finder(placed.plant.secrets)
        for form in forms:
            leak = finder.search(form)
            assert leak is None, f"{placed.plant.kind} ({placed.marker}): {leak.group(0)!r} was shown"
