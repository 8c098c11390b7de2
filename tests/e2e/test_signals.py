"""The pipeline cancels the step in every phase of a build: real processes, real signals, the runner's escalation.

Each test sends SIGINT where the build is (submission, provisioning, polling, the live log's read, the log
download, the deletion), then SIGTERM 7.5 s later if aibcheck is still there. Exit 130 proves that aibcheck
reported and ended within the grace; the summary and the outputs prove what it reported.
"""

import io
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from synthlog import write_build

from tests.e2e.environment import process_env
from tests.e2e.network import read_until, runner_cancel, silent_server
from tests.e2e.test_action import outputs
from tests.e2e.test_run import GROUP, LINUX, ROOT, SUB, _sent
from tests.fakes.arm import FakeArm, Fault, RunScript
from tests.markdown_check import rendered_text

pytest_plugins = ["tests.fakes.fixtures"]


@pytest.fixture
def arm() -> Iterator[FakeArm]:
    with FakeArm() as server:
        yield server


@dataclass
class Step:
    process: subprocess.Popen[str]
    summary: Path
    output: Path

    def outputs(self) -> dict[str, str]:
        return outputs(self.output)

    def summary_text(self) -> str:
        return rendered_text(self.summary.read_text(encoding="utf-8"))


def start(arm: FakeArm, tmp_path: Path, name: str, *extra: str, poll: str = "0.05") -> Step:
    summary, output = tmp_path / "summary.md", tmp_path / "output.txt"
    summary.write_text("")
    output.write_text("")
    env = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_OUTPUT": str(output),
        "AIBCHECK_LOG_DIR": str(tmp_path / "logs"),
    }
    command = [
        sys.executable, "-m", "aibcheck", "run", "--subscription", SUB, "--resource-group", GROUP,
        "--arm-endpoint", arm.url, "--poll-seconds", poll, "--template", str(LINUX), "--name", name, *extra,
    ]  # fmt: skip
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT, env=process_env(arm, env)
    )
    return Step(process, summary, output)


def long_build(arm: FakeArm, reads: int = 400) -> None:
    arm.set_run_script(RunScript(states=[("Running", "Building", "")] * reads, outcome="Succeeded"))


def assert_not_started(step: Step, out: str) -> None:
    assert step.process.returncode == 130, out
    assert "aibcheck stopped: the pipeline sent SIGINT." in out and "No image build was started." in out
    assert "goes on in Azure" not in out and "aibcheck attach" not in out
    assert step.outputs()["run-state"] == "NotStarted"
    assert step.summary_text().startswith("⏸️ aibcheck: aibcheck stopped: the pipeline sent SIGINT.")


def test_during_submission(arm: FakeArm, tmp_path: Path) -> None:
    arm.add_fault(Fault(method="PUT", delay=20))  # the template is being sent: nothing runs yet
    step = start(arm, tmp_path, "sent", "--no-live-log")
    seen = read_until(step.process, "submitting template sent")
    out = seen + runner_cancel(step.process)
    assert_not_started(step, out)
    assert "was being submitted and may exist" in out
    assert step.outputs()["template-name"] == "sent"


def test_during_the_provisioning_wait(arm: FakeArm, tmp_path: Path) -> None:
    arm.add_fault(Fault(method="GET", path_regex="/operations/", delay=20, times=None))
    step = start(arm, tmp_path, "provisioning", "--no-live-log")
    seen = read_until(step.process, "submitting template provisioning")
    deadline = time.monotonic() + 10
    while not [r for r in arm.requests if "/operations/" in r.path] and time.monotonic() < deadline:
        time.sleep(0.02)  # until the SDK polls the operation, which the fault holds
    out = seen + runner_cancel(step.process)
    assert_not_started(step, out)
    assert step.outputs()["template-id"].endswith("/imageTemplates/provisioning")


def test_while_polling(arm: FakeArm, tmp_path: Path) -> None:
    long_build(arm)
    step = start(arm, tmp_path, "polled", "--no-live-log")
    out = read_until(step.process, "Running · Building") + runner_cancel(step.process)
    assert step.process.returncode == 130, out
    assert "The image build goes on in Azure" in out and "aibcheck attach --template polled" in out
    found = step.outputs()
    assert found["run-state"] == "Detached" and found["staging-resource-group"].startswith(f"/subscriptions/{SUB}/")
    assert step.summary_text().startswith("⏸️ aibcheck: aibcheck stopped: the pipeline sent SIGINT.")
    assert not _sent(arm, "POST", "/cancel")


class SilentStorage:
    """A staging account whose blob endpoint accepts connections and never answers."""

    def __init__(self, url: str) -> None:
        self.blob_url, self.account_name, self.account_key = url + "/stalled", "stalled", "a2V5"


def test_while_the_live_log_is_fetching(arm: FakeArm, tmp_path: Path) -> None:
    long_build(arm)
    with silent_server() as blob:
        arm.attach_storage(SilentStorage(blob.url))
        step = start(arm, tmp_path, "followed", "--live-log")
        read_until(step.process, "Running · Building")
        assert blob.connected.wait(30), "the live log reads the staging account"
        time.sleep(0.2)  # the read is under way: the process waits for an answer that never comes
        out = runner_cancel(step.process)
    assert step.process.returncode == 130, out
    assert "aibcheck stopped: the pipeline sent SIGINT." in out and "live log: stopped" not in out
    assert "aibcheck attach --template followed" in out
    assert step.outputs()["run-state"] == "Detached"
    assert step.summary_text().startswith("⏸️ aibcheck: aibcheck stopped: the pipeline sent SIGINT.")


def test_during_the_log_download(arm_storage: FakeArm, tmp_path: Path) -> None:
    buffer = io.StringIO()
    write_build(buffer, "customize", 120 * 1024 * 1024)
    big = buffer.getvalue().encode()
    del buffer
    arm_storage.set_run_script(RunScript.failure(log_chunks=[big[: len(big) // 2], big[len(big) // 2 :]]))
    del big
    step = start(arm_storage, tmp_path, "cut", "--no-live-log", poll="0.02")
    seen = read_until(step.process, "fetching the whole build log")
    time.sleep(0.3)  # let the first pieces arrive
    out = seen + runner_cancel(step.process)
    assert step.process.returncode == 130, out
    assert "The image build had ended (Failed)" in out and "goes on in Azure" not in out
    found = step.outputs()
    assert found["run-state"] == "Failed" and found["log-url"].startswith("https://127.0.0.1:")
    (partial,) = (tmp_path / "logs").glob("customization-*.log")
    assert found["log-path"] == str(partial) and partial.stat().st_size > 0, "what arrived is kept on disk"


def test_during_the_deletion(arm: FakeArm, tmp_path: Path) -> None:
    arm.add_fault(Fault(method="DELETE", delay=20))
    step = start(arm, tmp_path, "built", "--no-live-log")
    out = read_until(step.process, "deleting template built") + runner_cancel(step.process)
    assert step.process.returncode == 130, out
    assert "The image build had ended (Succeeded)" in out and "goes on in Azure" not in out
    found = step.outputs()
    assert found["run-state"] == "Succeeded" and found["image-id"].startswith(f"/subscriptions/{SUB}/")
    assert "aibcheck attach --template built" in out, "the report can be made again"


def test_while_preflight_reads_the_subscription(arm: FakeArm, tmp_path: Path) -> None:
    arm.add_fault(Fault(method="GET", path_regex="/providers", delay=20, times=None))
    step = start(arm, tmp_path, "checked", "--no-live-log", "--preflight", "fail")
    seen = read_until(step.process, "preflight: checking")
    deadline = time.monotonic() + 10
    while not [r for r in arm.requests if "/providers" in r.path] and time.monotonic() < deadline:
        time.sleep(0.02)  # until preflight asks for the providers, which the fault holds
    out = seen + runner_cancel(step.process, signal.SIGTERM)
    assert step.process.returncode == 143, out
    assert "aibcheck stopped: the pipeline sent SIGTERM." in out and "No image build was started." in out
    assert step.outputs() == {"run-state": "NotStarted", "template-name": "checked"}
    assert step.summary_text().startswith("⏸️ aibcheck: aibcheck stopped: the pipeline sent SIGTERM.")
    assert not _sent(arm, "PUT", "/imageTemplates/checked")


def test_while_the_cloud_is_described(arm: FakeArm, tmp_path: Path) -> None:
    with silent_server() as silent:  # an ARM that accepts and never answers, not even TLS
        step = start(arm, tmp_path, "described", "--no-live-log", "--arm-endpoint", silent.url)
        assert silent.connected.wait(30), "aibcheck asks the endpoint for its metadata"
        time.sleep(0.2)
        out = runner_cancel(step.process)
    assert_not_started(step, out)
    assert step.outputs()["template-name"] == "described"
