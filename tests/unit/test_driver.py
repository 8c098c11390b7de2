"""The driver over in-memory ports on a scripted clock: every phase, every signal, every deadline action."""

import dataclasses
import io
from pathlib import Path
from typing import Any

import pytest
from memory_azure import GROUP, IMAGE, STAGING, SUB, InMemoryAzure
from synthlog import write_build

from aibcheck.ci.local import Local
from aibcheck.ci.report import Report
from aibcheck.driver.context import Outcome, Parts, Voice
from aibcheck.driver.deadline import Guard, Stopped, make_deadline
from aibcheck.driver.run import Driver
from aibcheck.errors import AzureUnreachable
from aibcheck.logs.live import LiveLog
from aibcheck.settings import Settings

BODY = {
    "location": "westeurope",
    "properties": {
        "source": {"type": "PlatformImage"},
        "distribute": [{"type": "ManagedImage", "runOutputName": "web"}],
        "buildTimeoutInMinutes": 60,
    },
}
BUILD = [("Running", "Queued"), ("Running", "Building")] + [("Running", "Customizing")] * 30


def _log(failure: str) -> bytes:
    buffer = io.StringIO()
    write_build(buffer, failure, 16 * 1024)
    return buffer.getvalue().encode()


class Harness:
    def __init__(self, azure: InMemoryAzure, tmp_path: Path, live: bool = False, **settings: Any) -> None:
        self.azure = azure
        self.said: list[str] = []
        self.shown: list[str] = []
        self.reports: list[Report] = []
        values = {"command": "run", "subscription": SUB, "resource_group": GROUP, "poll_seconds": 20.0, **settings}
        self.settings = Settings(**values)
        voice = Voice(self.said.append, self.shown.append, self._report)
        parts = Parts(self.settings, azure, azure, voice, lambda: tmp_path, self._clock, azure.sleep)
        minutes = self.settings.job_timeout_minutes
        deadline = make_deadline(minutes, self.settings.margin_minutes, None, azure.clock())
        follower = self._live_log if live else None
        self.driver = Driver(parts, Guard(deadline, self._clock, azure.sleep), follower)

    def _clock(self) -> float:
        self.azure._enter("clock")
        return self.azure.clock()

    def _report(self, report: Report) -> None:
        self.azure.calls.append("report")
        self.reports.append(report)

    def _live_log(self, staging: str | None) -> LiveLog:
        return LiveLog(self.azure, lambda: self.azure.locate(None, staging), self.said.append, Local({}), staging)

    def run(self) -> int:
        return self.driver.run("web", dict(BODY))

    @property
    def text(self) -> str:
        return "\n".join(self.said)

    @property
    def last(self) -> Report:
        return self.reports[-1]


def test_a_build_that_succeeds(tmp_path: Path) -> None:
    harness = Harness(InMemoryAzure(BUILD[:4]), tmp_path)
    assert harness.run() == 0
    report = harness.last
    assert not report.failed and report.diagnosis is None and report.headline[0].startswith("### ✅")
    assert report.outputs["run-state"] == "Succeeded" and report.outputs["image-id"] == IMAGE
    assert report.outputs["staging-resource-group"] == STAGING
    assert harness.azure.calls.count("delete") == 1 and len(harness.reports) == 1


def test_a_failed_build_is_diagnosed_from_its_log(tmp_path: Path) -> None:
    harness = Harness(InMemoryAzure(BUILD[:4], "Failed", _log("customize")), tmp_path)
    assert harness.run() == 1
    report = harness.last
    assert report.failed and report.diagnosis is not None
    assert report.outputs["category"] and report.outputs["failed-customizer"] == "powershell"
    assert Path(report.outputs["log-path"]).read_bytes() == harness.azure.log
    assert "delete" not in harness.azure.calls, "kept for inspection"


def test_a_refused_template_is_diagnosed_from_the_service_s_account(tmp_path: Path) -> None:
    azure = InMemoryAzure(BUILD[:4])
    azure.refuse_provisioning = True
    harness = Harness(azure, tmp_path)
    assert harness.run() == 1
    assert harness.last.outputs["run-state"] == "SubmissionFailed" and "run" not in azure.calls
    assert harness.last.outputs["phase"] == "submission"


@pytest.mark.parametrize(
    ("method", "after", "log", "state"),
    [
        ("get", 1, "", "NotStarted"),  # looking for an old template of the same name
        ("create", 1, "", "NotStarted"),  # sending the template, waiting for it to provision
        ("run", 1, "", "NotStarted"),  # asking for the run
        ("read_status", 2, "", "Detached"),  # a status read
        ("sleep", 3, "", "Detached"),  # between status reads
        ("size", 1, "", "Detached"),  # the live log's read
        ("run_outputs", 1, "", "Succeeded"),  # the run has ended
        ("delete", 1, "", "Succeeded"),  # deleting the built template
        ("chunks", 2, "customize", "Failed"),  # downloading the failed run's log
    ],
)
def test_a_signal_in_every_phase(tmp_path: Path, method: str, after: int, log: str, state: str) -> None:
    azure = InMemoryAzure(BUILD[:6], "Failed" if log else "Succeeded", _log(log) if log else b"")
    azure.stop_in, azure.stop_after = method, after
    harness = Harness(azure, tmp_path, live=method == "size")
    assert harness.run() == 130
    report = harness.last
    assert report.failed and report.headline[0].startswith("### ⏸️") and "the pipeline sent SIGINT" in report.headline[0]
    assert report.outputs["run-state"] == state
    assert ("goes on in Azure" in harness.text) == (state == "Detached"), "only a run that exists goes on"
    assert ("No image build was started" in harness.text) == (state == "NotStarted")
    assert ("aibcheck attach --template web" in harness.text) == (state != "NotStarted")
    assert "cancel" not in azure.calls and len(harness.reports) == 1
    if method == "chunks":
        assert Path(report.outputs["log-path"]).exists() and report.outputs["log-url"].endswith("customization.log")


@pytest.mark.parametrize("where", ["clock", "sleep"])
def test_a_signal_at_any_moment_ends_reported(tmp_path: Path, where: str) -> None:
    calls = _count(tmp_path, where)
    assert calls >= 10
    for after in range(1, calls + 1):
        azure = InMemoryAzure(BUILD[:6])
        azure.stop_in, azure.stop_after = where, after
        harness = Harness(azure, tmp_path / f"{where}-{after}", live=True)
        (tmp_path / f"{where}-{after}").mkdir()
        assert harness.run() == 130, f"stopped at {where} call {after}"
        outputs = harness.last.outputs
        assert harness.last.headline[0].startswith("### ⏸️"), after
        started = "run" in azure.calls[: azure.calls.index("stopped")]
        assert outputs["run-state"] in ("NotStarted", "Detached", "Succeeded"), after
        assert (outputs["run-state"] == "NotStarted") == (not started), (after, azure.calls)


def _count(tmp_path: Path, where: str) -> int:
    azure = InMemoryAzure(BUILD[:6])
    harness = Harness(azure, tmp_path, live=True)
    assert harness.run() == 0
    return azure.calls.count(where)


def test_sigterm_with_cancel_build_reports_first_then_cancels(tmp_path: Path) -> None:
    azure = InMemoryAzure(BUILD)
    azure.stop_in, azure.stop_after, azure.stop_with = "sleep", 4, Stopped("the pipeline sent SIGTERM", 15)
    harness = Harness(azure, tmp_path, on_cancel="cancel-build")
    assert harness.run() == 143
    assert azure.calls.index("report") < azure.calls.index("cancel"), "within the grace the report comes first"
    assert harness.last.outputs["run-state"] == "Cancelling" and "aibcheck attach" not in harness.text


def test_at_the_deadline_detach_warns_and_succeeds(tmp_path: Path) -> None:
    harness = Harness(InMemoryAzure(BUILD), tmp_path, job_timeout_minutes=10.0, margin_minutes=5.0)
    assert harness.run() == 0
    report = harness.last
    assert not report.failed and report.outputs["run-state"] == "Detached"
    assert "left running at the job's deadline" in report.warning and "aibcheck attach --template web" in report.warning
    assert "cancel" not in harness.azure.calls
    assert "may not fit" in harness.text, "warned at submission"
    assert harness.azure.now <= 5 * 60 + 20, "acted at the deadline, not after"


def test_at_the_deadline_cancel_diagnoses_the_partial_log(tmp_path: Path) -> None:
    partial = _log("none")
    partial = partial[: partial.index(b"(telemetry) ending windows-update")]
    azure = InMemoryAzure(BUILD, "Failed", partial)
    harness = Harness(azure, tmp_path, job_timeout_minutes=10.0, margin_minutes=5.0, on_deadline="cancel")
    assert harness.run() == 1
    assert "cancel" in azure.calls and len(harness.reports) == 1
    report = harness.last
    assert report.diagnosis is not None and report.diagnosis.category.value == "pipeline-timeout"
    # the job deadline's own cause and fix, not another pipeline-timeout signature's (a lost agent)
    assert report.diagnosis.signature == "pipeline-job-timeout"
    outputs = report.outputs
    assert outputs["run-state"] == "Canceling" and outputs["category"] == "pipeline-timeout"
    assert outputs["failed-customizer"] == "windows-update" and outputs["phase"]
    assert Path(outputs["log-path"]).read_bytes() == partial and outputs["log-url"].endswith("/customization.log")


def test_at_the_deadline_fail_leaves_the_build_and_fails(tmp_path: Path) -> None:
    harness = Harness(InMemoryAzure(BUILD), tmp_path, job_timeout_minutes=10.0, margin_minutes=5.0, on_deadline="fail")
    assert harness.run() == 1
    assert harness.last.failed and harness.last.outputs["run-state"] == "Detached" and not harness.last.warning
    assert "cancel" not in harness.azure.calls


def test_the_deadline_while_waiting_for_an_older_run_starts_nothing(tmp_path: Path) -> None:
    azure = InMemoryAzure(BUILD)
    azure.templates["web"] = {"id": "old", "properties": {"lastRunStatus": {"runState": "Running"}}}
    harness = Harness(azure, tmp_path, if_exists="replace", job_timeout_minutes=10.0, margin_minutes=5.0)
    assert harness.run() == 1
    assert harness.last.outputs["run-state"] == "NotStarted" and "create" not in azure.calls
    assert "goes on in Azure" not in harness.text


def test_azure_lost_during_the_run_ends_with_the_attach_command(tmp_path: Path) -> None:
    azure = InMemoryAzure(BUILD)
    harness = Harness(azure, tmp_path)
    lost = AzureUnreachable("cannot reach Azure Resource Manager at https://arm.example (connection refused)")
    original = azure.read_status

    def read_status(group: str, name: str) -> dict[str, Any] | None:
        if azure.now > 200:
            raise lost
        return original(group, name)

    azure.read_status = read_status  # type: ignore[method-assign]
    with pytest.raises(AzureUnreachable) as raised:
        harness.run()
    assert "aibcheck attach --template web" in raised.value.hint and "goes on in Azure" in raised.value.hint
    assert azure.now - 200 >= 135 * 20, "failed reads were retried for the unreadable limit"
    assert harness.last.outputs["run-state"] == "Detached"


def test_azure_lost_before_the_run_is_the_plain_error(tmp_path: Path) -> None:
    azure = InMemoryAzure(BUILD)
    azure.failing["create"] = AzureUnreachable("cannot reach Azure Resource Manager at https://arm.example (x)")
    with pytest.raises(AzureUnreachable) as raised:
        Harness(azure, tmp_path).run()
    assert "attach" not in raised.value.hint


def test_a_deletion_lost_after_a_success_is_a_warning(tmp_path: Path) -> None:
    azure = InMemoryAzure(BUILD[:3])
    azure.failing["delete"] = AzureUnreachable("cannot reach Azure Resource Manager at https://arm.example (x)")
    harness = Harness(azure, tmp_path)
    assert harness.run() == 0
    assert harness.last.outputs["image-id"] == IMAGE and "could not be deleted" in harness.last.warning


def test_an_outcome_is_immutable() -> None:
    outcome = Outcome(outputs={"run-state": "Succeeded"})
    with pytest.raises(dataclasses.FrozenInstanceError):
        outcome.warning = "x"  # type: ignore[misc]
    assert outcome.with_outputs({"image-id": IMAGE}).outputs == {"run-state": "Succeeded", "image-id": IMAGE}
    assert outcome.outputs == {"run-state": "Succeeded"}
