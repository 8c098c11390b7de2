"""Preflight at the start of `aibcheck run`: an error stops the submission and is reported where people look."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.test_run import LINUX, ROOT, _sent, aibcheck_run
from tests.fakes.arm import FakeArm, RunScript


@pytest.fixture
def arm() -> Iterator[FakeArm]:
    with FakeArm() as server:
        yield server


def _firewalled(folder: Path) -> tuple[Path, int]:
    """The Linux example with a customizer that turns the firewall on: a preflight error at that line."""
    body = json.loads(LINUX.read_text(encoding="utf-8"))
    body["properties"]["customize"].append({"type": "Shell", "name": "harden", "inline": ["sudo ufw enable"]})
    text = json.dumps(body, indent=2)
    path = folder / "firewalled.json"
    path.write_text(text, encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if "ufw enable" in row)
    return path, line


def _github(folder: Path) -> dict[str, str]:
    for name in ("summary.md", "output.txt"):
        (folder / name).write_text("")
    return {
        "AIBCHECK_PREFLIGHT": "fail",
        "GITHUB_ACTIONS": "true",
        "GITHUB_STEP_SUMMARY": str(folder / "summary.md"),
        "GITHUB_OUTPUT": str(folder / "output.txt"),
        "GITHUB_WORKSPACE": str(folder),
    }


def test_an_error_stops_the_submission_and_is_annotated_at_its_line(arm: FakeArm, tmp_path: Path) -> None:
    template, line = _firewalled(tmp_path)
    result = aibcheck_run(arm, "--template", str(template), "--name", "hardened", env=_github(tmp_path))
    assert result.returncode == 1, result.stdout + result.stderr
    assert not _sent(arm, "PUT"), "nothing was submitted"
    errors = [row for row in result.stdout.splitlines() if row.startswith("::error ")]
    assert any(f"file=firewalled.json,line={line}::" in row and "firewall-blocks-build-connection" in row for row in errors)
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "preflight" in summary and "firewall" in summary
    assert "PreflightFailed" in (tmp_path / "output.txt").read_text(encoding="utf-8")


def test_warn_submits_anyway_and_keeps_the_findings_beside_the_result(arm: FakeArm, tmp_path: Path) -> None:
    arm.set_run_script(RunScript.success())
    template, _ = _firewalled(tmp_path)
    env = {**_github(tmp_path), "AIBCHECK_PREFLIGHT": "warn"}
    result = aibcheck_run(arm, "--template", str(template), "--name", "hardened", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert _sent(arm, "PUT", "/imageTemplates/hardened"), "submitted despite the error"
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert summary.index("✅ aibcheck") < summary.index("firewall"), "the result first, then preflight's findings"


def test_a_dry_run_checks_the_template_alone(arm: FakeArm, tmp_path: Path) -> None:
    template, line = _firewalled(tmp_path)
    result = aibcheck_run(arm, "--dry-run", "--template", str(template), env={"AIBCHECK_PREFLIGHT": "fail"})
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"firewalled.json:{line}: error" in result.stdout
    assert not arm.requests, "a dry run asks nothing of Azure"
    clean = aibcheck_run(arm, "--dry-run", "--template", str(LINUX), env={"AIBCHECK_PREFLIGHT": "fail"})
    assert clean.returncode == 0 and '"properties"' in clean.stdout, clean.stdout + clean.stderr
    assert str(ROOT) in clean.stdout or "ubuntu-web" in clean.stdout
