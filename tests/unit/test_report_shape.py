"""The report's shape: the template's names on the timeline, readable evidence, a timeline each platform draws."""

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

from aibcheck.ci.platform import detect
from aibcheck.ci.report import Report, markdown_of
from aibcheck.diagnose import diagnose_bytes, with_template
from aibcheck.diagnose.model import Step, StepStatus
from aibcheck.diagnose.named import name_steps
from aibcheck.render.safe import neutralise
from aibcheck.taxonomy import Phase

OP = "[3c5e1f0a-8d2b-4e7f-9a61-0b4c2d8e7f15]"


def _step(name: str, phase: Phase = Phase.CUSTOMIZE, minute: int = 0) -> Step:
    start = datetime(2026, 1, 1, 8, minute)
    return Step(name, phase, minute + 1, start, minute + 2, start + timedelta(seconds=50), StepStatus.OK)


def test_timeline_rows_carry_the_template_customizer_names_in_order() -> None:
    steps = [_step("deploy", Phase.DEPLOY), _step("shell", minute=1), _step("file", minute=2), _step("shell", minute=3)]
    named = name_steps(steps, [("shell", "wait-for-cloud-init"), ("file", ""), ("shell", "install-nginx")])
    assert [s.name for s in named] == ["deploy", "wait-for-cloud-init (shell)", "file", "install-nginx (shell)"]
    assert name_steps(steps, []) == tuple(steps)


def test_with_template_names_the_timeline_of_a_real_log() -> None:
    log = (
        f"{OP} PACKER ERR 2026/11/20 08:04:31 [INFO] (telemetry) Starting provisioner shell\n"
        f"{OP} PACKER ERR 2026/11/20 08:05:02 [INFO] (telemetry) ending shell\n"
        f"{OP} PACKER ERR 2026/11/20 08:05:02 [INFO] (telemetry) Starting provisioner powershell\n"
        f"{OP} PACKER ERR ==> azure-arm: Script exited with non-zero exit status: 1. Allowed exit codes are: [0]\n"
    )
    template = {"properties": {"customize": [{"type": "Shell", "name": "prep"}, {"type": "PowerShell", "name": "iis"}]}}
    diagnosis = with_template(diagnose_bytes(log.encode(), "x"), template)
    assert [s.name for s in diagnosis.timeline] == ["prep (shell)", "iis (powershell)"]


def test_evidence_without_prefixes_and_repeats_folded() -> None:
    line = f"{OP} PACKER OUT ==> azure-arm: Image state: IMAGE_STATE_UNDEPLOYABLE\n"
    diagnosis = diagnose_bytes((line * 50).encode(), "x")
    assert [(e.text, e.count) for e in diagnosis.evidence] == [("Image state: IMAGE_STATE_UNDEPLOYABLE", 50)]
    assert "(x50)" in markdown_of(Report("k", True, diagnosis))


def test_azure_devops_gets_bars_where_github_gets_mermaid() -> None:
    log = (
        f"{OP} PACKER ERR 2026/11/20 08:04:31 [INFO] (telemetry) Starting provisioner shell\n"
        f"{OP} PACKER ERR 2026/11/20 08:09:02 [INFO] (telemetry) ending shell\n"
        f"{OP} PACKER ERR 2026/11/20 08:09:02 [INFO] (telemetry) Starting provisioner powershell\n"
        f"{OP} PACKER ERR 2026/11/20 08:19:02 ==> azure-arm: Script exited with non-zero exit status: 1.\n"
        f"{OP} PACKER ERR 2026/11/20 08:19:03 ui error: Build 'azure-arm' errored after 15 minutes\n"
    )
    diagnosis = diagnose_bytes(log.encode(), "x")
    github = markdown_of(Report("k", True, diagnosis), mermaid=detect({"GITHUB_ACTIONS": "true"}).renders_mermaid)
    azdo = markdown_of(Report("k", True, diagnosis), mermaid=detect({"TF_BUILD": "True"}).renders_mermaid)
    assert "```mermaid" in github and "tickInterval 5minute" in github
    assert "```mermaid" not in azdo and "█" in azdo and "▓" in azdo


def test_neutralise_removes_c1_controls_and_bidi_overrides() -> None:
    assert neutralise("a\x9b31mb\u202ec\u2066d\x1b[0m") == "a31mbcd[0m"
    assert neutralise("  ::error::x") == "  : :error::x" and "##vso[" not in neutralise("x ##vso[task.x]")


def test_a_hostile_template_prints_nothing_a_runner_would_execute(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    body = json.loads((root / "examples" / "templates" / "ubuntu-web.json").read_text(encoding="utf-8"))
    body["tags"] = {"x": "##vso[task.complete result=Succeeded]", "y": "##[error]z"}
    body["properties"]["customize"] = [{"type": "Shell", "name": "##vso[task.setvariable variable=a]b", "inline": [
        "echo ::error::planted", "\n::add-mask::x", "##[group]y"]}]  # fmt: skip
    template = tmp_path / "hostile.json"
    template.write_text(json.dumps(body), encoding="utf-8")
    env = {**os.environ, "GITHUB_ACTIONS": "true", "TF_BUILD": ""}
    for argv in (["template", str(template)], ["run", "--dry-run", "-t", str(template)]):
        result = subprocess.run(
            [sys.executable, "-m", "aibcheck", *argv], capture_output=True, text=True, env=env, cwd=root, timeout=60
        )
        assert result.returncode == 0, result.stderr
        for line in (result.stdout + result.stderr).splitlines():
            assert not line.lstrip().startswith("::") and "##vso[" not in line and "##[" not in line, line
        if argv[0] == "template":
            assert json.loads(result.stdout)["tags"]["x"] == "##vso[task.complete result=Succeeded]", "lossless"
