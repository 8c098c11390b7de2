"""`aibcheck preflight` as a real process: formats, exit codes 0/1/2/3, pipeline annotations, online through
the real SDK and credential against the fake ARM."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.environment import process_env
from tests.fakes.arm import FakeArm
from tests.preflight.subscription import seed_healthy
from tests.preflight.templates import RG, SUB, line_of, linux, write

ROOT = Path(__file__).resolve().parents[2]
_AWAY = ("AZURE_", "GITHUB_", "TF_BUILD", "AIBCHECK_", "BUILD_", "AGENT_", "RUNNER_", "SYSTEM_")


def preflight(
    *args: str, env: dict[str, str] | None = None, base: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in (base or os.environ).items() if not k.startswith(_AWAY)}
    return subprocess.run(
        [sys.executable, "-m", "aibcheck", "preflight", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**clean, **(env or {})},
        cwd=ROOT,
    )


def rebooting(folder: Path) -> Path:
    t = linux()
    t["properties"]["customize"][1]["inline"].append("sudo reboot")
    return write(folder, t)


def test_clean_template_exits_0() -> None:
    result = preflight("examples/templates/ubuntu-web.json", "--offline")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "preflight: 0 errors, 0 warnings, 0 notices (offline)\n"


def test_errors_exit_1_with_the_json_contract(tmp_path: Path) -> None:
    path = rebooting(tmp_path)
    result = preflight(str(path), "--offline", "--format", "json")
    assert result.returncode == 1, result.stderr
    [finding] = json.loads(result.stdout)["findings"]
    assert finding == {
        "id": "reboot-in-script",
        "severity": "error",
        "file": str(path),
        "line": line_of(path, "sudo reboot"),
        "path": "/properties/customize/1/inline/2",
        "message": "`sudo reboot` restarts the VM from inside a Shell customizer",
        "fix": finding["fix"],
    }


def test_markdown_and_output_file(tmp_path: Path) -> None:
    out = tmp_path / "preflight.md"
    result = preflight(str(rebooting(tmp_path)), "--offline", "-f", "markdown", "-o", str(out))
    assert result.returncode == 1 and result.stdout == ""
    assert out.read_text(encoding="utf-8").startswith("### ❌ aibcheck preflight: 1 error")


def test_deployment_template_with_parameters_from_flags_and_environment() -> None:
    example = "examples/templates/win2022-deployment.json"
    parameters = "examples/templates/win2022-deployment.parameters.json"
    assert preflight(example, "--offline", "--parameters", parameters).stdout.startswith(
        "preflight: 0 errors, 0 warnings, 0 notices"
    )
    from_env = preflight(
        example, "--offline", env={"AIBCHECK_PARAMETERS_FILE": parameters, "AIBCHECK_PARAMETERS": "location=eastus"}
    )
    assert from_env.returncode == 0 and "0 notices" in from_env.stdout


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["missing.json", "--offline"], "no such file"),
        (["README.md", "--offline"], "is neither JSON nor YAML (line "),
        ([".gitignore", "--offline"], "expected an object"),
        (["examples/templates/ubuntu-web.json"], "online preflight needs a subscription"),
        (["examples/templates/ubuntu-web.json", "--offline", "--on-deadline", "later"], "--on-deadline='later': expected one of detach, cancel, fail"),
        (["examples/templates/ubuntu-web.json", "--offline", "--parameter", "novalue"], "expected NAME=VALUE"),
    ],
)
def test_unusable_input_exits_2_with_one_line(args: list[str], expected: str) -> None:
    result = preflight(*args)
    assert result.returncode == 2, result
    assert expected in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_github_annotations_at_file_and_line(tmp_path: Path) -> None:
    path = rebooting(tmp_path)
    env = {"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(tmp_path)}
    text = preflight(str(path), "--offline", env=env)
    line = line_of(path, "sudo reboot")
    assert text.stdout.startswith(
        f"::error title=aibcheck preflight%3A reboot-in-script,file={path.name},line={line}::"
    )
    as_json = preflight(str(path), "--offline", "-f", "json", env=env)
    assert json.loads(as_json.stdout)["findings"] and as_json.stderr.startswith("::error ")  # the JSON stays clean


def test_azure_devops_annotations_at_file_and_line(tmp_path: Path) -> None:
    path = rebooting(tmp_path)
    env = {"TF_BUILD": "True", "BUILD_SOURCESDIRECTORY": str(tmp_path)}
    result = preflight(str(path), "--offline", env=env)
    expected = f"##vso[task.logissue type=error;sourcepath={path.name};linenumber={line_of(path, 'sudo reboot')}]"
    assert result.stdout.startswith(expected)


def test_job_timeout_of_hosted_agents_comes_from_the_environment(tmp_path: Path) -> None:
    env = {"TF_BUILD": "True", "AGENT_NAME": "Azure Pipelines 3", "AIBCHECK_ON_DEADLINE": "cancel"}
    result = preflight(str(write(tmp_path, linux())), "--offline", env=env)  # 60 minutes + queueing > 60
    assert result.returncode == 0 and "[build-outlives-job]" in result.stdout


@pytest.fixture
def arm() -> Iterator[FakeArm]:
    with FakeArm() as server:
        seed_healthy(server)
        yield server


def test_online_against_the_fake_arm(arm: FakeArm, tmp_path: Path) -> None:
    env = process_env(arm, {"NO_PROXY": "127.0.0.1"})
    args = ["--subscription", SUB, "-g", RG, "--arm-endpoint", arm.url, "-f", "json"]
    clean = preflight(str(write(tmp_path, linux())), *args, base=env)
    assert clean.returncode == 0 and json.loads(clean.stdout) == {"findings": []}, clean.stderr
    arm.put_template(SUB, RG, "template-json", linux())
    exists = preflight(str(write(tmp_path, linux())), *args, base=env)
    assert exists.returncode == 1 and [f["id"] for f in json.loads(exists.stdout)["findings"]] == ["template-exists"]
    replace = preflight(str(write(tmp_path, linux())), *args, "--if-exists", "replace", base=env)
    assert replace.returncode == 0 and json.loads(replace.stdout)["findings"][0]["severity"] == "notice"


def test_online_reads_ask_for_the_audience_the_cloud_s_arm_publishes(arm: FakeArm, tmp_path: Path) -> None:
    arm.arm_audience = "https://management.sovereign.test/"  # ARM refuses tokens for anything else
    env = process_env(arm, {"NO_PROXY": "127.0.0.1"})
    args = ["--subscription", SUB, "-g", RG, "--cloud", "AzureChinaCloud", "--arm-endpoint", arm.url, "-f", "json"]
    result = preflight(str(write(tmp_path, linux())), *args, base=env)
    assert result.returncode == 0 and json.loads(result.stdout) == {"findings": []}, result.stderr
    assert {r.query["resource"] for r in arm.identity_requests} == {"https://management.sovereign.test"}
    assert [r.path for r in arm.requests].count("/metadata/endpoints") == 1


def test_unreachable_azure_exits_3(arm: FakeArm, tmp_path: Path) -> None:
    env = process_env(arm, {"NO_PROXY": "127.0.0.1"})
    closed = "https://127.0.0.1:9"  # discard port: nothing listens
    result = preflight(str(write(tmp_path, linux())), "--subscription", SUB, "--arm-endpoint", closed, base=env)
    assert result.returncode == 3, result
    assert "cannot reach Azure" in result.stderr and "Traceback" not in result.stderr
