"""The timeline of a full log: steps, phases, durations, the failed step, complete or cut off."""

import io
from pathlib import Path

import pytest
from synthlog import write_build

from aibcheck.diagnose import diagnose_path
from aibcheck.diagnose.model import StepStatus
from aibcheck.taxonomy import Phase


def _log(tmp_path: Path, failure: str, cut_at: str | None = None) -> str:
    buffer = io.StringIO()
    write_build(buffer, failure)
    text = buffer.getvalue()
    if cut_at is not None:
        text = text[: text.index(cut_at)]
    path = tmp_path / "customization.log"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_successful_build_timeline(tmp_path: Path) -> None:
    diagnosis = diagnose_path(_log(tmp_path, "none"))
    steps = diagnosis.scan.steps
    assert [s.phase for s in steps] == [
        Phase.DEPLOY,
        Phase.CONNECT,
        Phase.CUSTOMIZE,
        Phase.CUSTOMIZE,
        Phase.CUSTOMIZE,
        Phase.CUSTOMIZE,
        Phase.DEPROVISION,
        Phase.DISTRIBUTE,
        Phase.CLEANUP,
    ]
    assert [s.name for s in steps][2:6] == ["powershell", "windows-update", "windows-restart", "powershell"]
    assert all(s.status is StepStatus.OK for s in steps)
    assert all(s.duration_seconds is not None for s in steps)
    starts = [s.start_time for s in steps]
    assert starts == sorted(starts)  # type: ignore[type-var]
    assert all((s.duration_seconds or 0) >= 0 for s in steps)
    assert steps[-1].end_time > steps[0].start_time  # type: ignore[operator]
    assert diagnosis.scan.complete


@pytest.mark.parametrize(
    ("failure", "phase", "failed_step"),
    [
        ("deploy", Phase.DEPLOY, "deploy"),
        ("connect", Phase.CONNECT, "connect"),
        ("customize", Phase.CUSTOMIZE, "powershell"),
        ("deprovision", Phase.DEPROVISION, "powershell"),
        ("distribute", Phase.DISTRIBUTE, "capture"),
    ],
)
def test_failed_step_per_phase(tmp_path: Path, failure: str, phase: Phase, failed_step: str) -> None:
    diagnosis = diagnose_path(_log(tmp_path, failure))
    failed = [s for s in diagnosis.scan.steps if s.status is StepStatus.FAILED]
    assert [(s.name, s.phase) for s in failed] == [(failed_step, phase)]
    assert diagnosis.phase is phase


def test_cut_off_log_is_incomplete_and_names_the_running_customizer(tmp_path: Path) -> None:
    diagnosis = diagnose_path(_log(tmp_path, "none", cut_at="(telemetry) ending windows-update"))
    assert not diagnosis.scan.complete
    running = [s for s in diagnosis.scan.steps if s.status is StepStatus.RUNNING]
    assert [s.name for s in running] == ["windows-update"]
    assert diagnosis.phase is Phase.CUSTOMIZE
    assert "still running" in diagnosis.title


def test_failed_customizer_output_is_bounded_and_its_own(tmp_path: Path) -> None:
    diagnosis = diagnose_path(_log(tmp_path, "customize"))
    output = [line.text for line in diagnosis.scan.customizer_output]
    assert 0 < len(output) <= 40
    assert output[-1].startswith("Script exited with non-zero exit status: 1")
    assert not any("windows-update" in text for text in output)
