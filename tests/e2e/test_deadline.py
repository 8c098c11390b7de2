"""The pipeline's clock and cancel signal: real subprocesses, real signals, the local ARM."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.environment import process_env
from tests.e2e.test_run import GROUP, LINUX, ROOT, SUB, _sent, aibcheck_run
from tests.fakes.arm import FakeArm, RunScript
from tests.markdown_check import rendered_text


@pytest.fixture
def arm() -> Iterator[FakeArm]:
    with FakeArm() as server:
        yield server


GRACE = 7.5  # seconds between the runner's SIGINT and its SIGTERM


def long_build(arm: FakeArm, reads: int = 400) -> None:
    script = RunScript.success()
    arm.set_run_script(
        RunScript(
            states=[("Running", "Building", "")] * reads,
            outcome="Succeeded",
            final_message="",
            run_outputs=script.run_outputs,
        )
    )


def test_at_the_deadline_the_build_is_left_running_and_attach_finishes_it(arm: FakeArm, tmp_path: Path) -> None:
    long_build(arm, reads=120)
    summary, output = tmp_path / "summary.md", tmp_path / "output.txt"
    pipeline = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(output)}
    detached = aibcheck_run(
        arm,
        "--template",
        str(LINUX),
        "--name",
        "long",
        "--no-live-log",
        "--job-timeout-minutes",
        "0.04",
        "--deadline-margin-minutes",
        "0",
        env=pipeline,
    )
    assert detached.returncode == 0, detached.stdout + detached.stderr
    assert "aibcheck stopped: the job's deadline is near." in detached.stdout
    attach = f"aibcheck attach --template long --resource-group {GROUP} --subscription {SUB} --arm-endpoint {arm.url}"
    assert attach in detached.stdout, "the same template, through the same ARM endpoint"
    (warning,) = [line for line in detached.stdout.splitlines() if line.startswith("::warning")]
    assert "left running at the job's deadline" in warning and attach in warning
    assert "may not fit" in detached.stdout, "the warning at submission"
    assert rendered_text(summary.read_text()).startswith("⏸️ aibcheck: aibcheck stopped: the job's deadline is near.")
    assert "Detached" in output.read_text() and "staging-resource-group<<" in output.read_text()
    assert not _sent(arm, "POST", "/cancel") and not _sent(arm, "DELETE")
    attached = subprocess.run(
        [
            sys.executable,
            "-m",
            "aibcheck",
            "attach",
            "--template",
            "long",
            "--resource-group",
            GROUP,
            "--subscription",
            SUB,
            "--arm-endpoint",
            arm.url,
            "--poll-seconds",
            "0.01",
            "--no-live-log",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, **arm.identity_env, "REQUESTS_CA_BUNDLE": arm.ca_path},
    )
    assert attached.returncode == 0, attached.stdout + attached.stderr
    assert "attached to template long" in attached.stdout and "] Succeeded" in attached.stdout
    assert "image-id: /subscriptions/" in attached.stdout
    assert _sent(arm, "DELETE", "/imageTemplates/long"), "finished as run would: deleted on success"


def test_a_detach_on_azure_devops_succeeds_with_issues(arm: FakeArm, tmp_path: Path) -> None:
    long_build(arm, reads=120)
    agent = {"TF_BUILD": "True", "AGENT_TEMPDIRECTORY": str(tmp_path)}
    detached = aibcheck_run(
        arm, "--template", str(LINUX), "--name", "hosted", "--no-live-log", "--job-timeout-minutes", "0.04",
        "--deadline-margin-minutes", "0", env=agent,
    )  # fmt: skip
    assert detached.returncode == 0, detached.stdout + detached.stderr
    assert "##vso[task.complete result=SucceededWithIssues]" in detached.stdout
    assert "##vso[task.logissue type=warning" in detached.stdout
    assert "##vso[task.setvariable variable=runState;isoutput=true]Detached" in detached.stdout


def test_at_the_deadline_the_build_can_be_cancelled(arm: FakeArm) -> None:
    long_build(arm)
    result = aibcheck_run(
        arm,
        "--template",
        str(LINUX),
        "--name",
        "doomed",
        "--no-live-log",
        "--job-timeout-minutes",
        "0.04",
        "--deadline-margin-minutes",
        "0",
        "--on-deadline",
        "cancel",
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert "cancelling the image build of template doomed" in result.stdout
    assert _sent(arm, "POST", "/imageTemplates/doomed/cancel")


def _start(arm: FakeArm, name: str, *extra: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aibcheck",
            "run",
            "--subscription",
            SUB,
            "--resource-group",
            GROUP,
            "--arm-endpoint",
            arm.url,
            "--poll-seconds",
            "0.05",
            "--template",
            str(LINUX),
            "--name",
            name,
            "--no-live-log",
            *extra,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
        env=process_env(arm, env),
    )


def _signal_when(process: subprocess.Popen[str], text: str, number: int) -> str:
    assert process.stdout is not None
    seen = ""
    for line in process.stdout:
        seen += line
        if text in line:
            break
    started = time.monotonic()
    process.send_signal(number)
    rest, _ = process.communicate(timeout=30)
    elapsed = time.monotonic() - started
    assert elapsed < GRACE, f"the report took {elapsed:.1f} s, past the runner's {GRACE} s grace"
    return seen + rest


def test_sigterm_with_cancel_build_cancels_the_image_build(arm: FakeArm) -> None:
    long_build(arm)
    process = _start(arm, "terminated", "--on-cancel", "cancel-build")
    out = _signal_when(process, "Running · Building", signal.SIGTERM)
    assert process.returncode == 143, out
    (cancel,) = _sent(arm, "POST", "/imageTemplates/terminated/cancel")
    assert cancel.status in (200, 202, 204), "the service accepted the cancel before the process ended"
