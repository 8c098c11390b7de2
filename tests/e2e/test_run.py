"""`aibcheck run` end to end: the real process, the real Azure SDKs and azure-identity, a local HTTPS ARM."""

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.environment import process_env
from tests.fakes.arm import FakeArm, Fault, RunScript

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "examples" / "templates" / "ubuntu-web.json"
WINDOWS = ROOT / "examples" / "templates" / "win2022-deployment.json"
WINDOWS_PARAMETERS = ROOT / "examples" / "templates" / "win2022-deployment.parameters.json"
SUB, GROUP = "00000000-0000-0000-0000-00000000abcd", "rg-images"


@pytest.fixture
def arm() -> Iterator[FakeArm]:
    with FakeArm() as server:
        yield server


def aibcheck_run(arm: FakeArm, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = process_env(arm, env)
    command = [
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
        "0.02",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=environment, cwd=ROOT)


def printed_arm_requests(out: str) -> int:
    found = re.search(r"aibcheck sent (\d+) ARM requests and (\d+) storage requests", out)
    assert found, out
    return int(found[1])


def _sent(arm: FakeArm, method: str, suffix: str = "") -> list[Any]:
    return [r for r in arm.requests if r.method == method and r.path.lower().endswith(suffix.lower())]


def test_linux_success(arm: FakeArm) -> None:
    result = aibcheck_run(arm, "--template", str(LINUX), "--name", "ubuntu-web", "--tag", "team=platform")
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "Running · Queued" in out and "Running · Building" in out and "] Succeeded" in out
    assert "run output" in out and "image-id: /subscriptions/" in out
    assert "staging-resource-group: /subscriptions/" in out
    (put,) = _sent(arm, "PUT", "/imageTemplates/ubuntu-web")
    assert put.json["properties"]["distribute"][0]["artifactTags"] == {"team": "platform"}
    assert _sent(arm, "POST", "/run") and _sent(arm, "DELETE", "/imageTemplates/ubuntu-web")
    assert printed_arm_requests(out) == len(arm.requests), "the printed request count is what the server saw"
    metadata, *calls = arm.requests
    assert metadata.path == "/metadata/endpoints" and not metadata.token, "the cloud is read first, unauthenticated"
    assert all(r.token for r in calls)
    assert {r.query.get("resource") for r in arm.identity_requests} == {arm.url}, "the token is for this ARM"


def test_windows_deployment_template_with_keep_alive(arm: FakeArm) -> None:
    result = aibcheck_run(
        arm, "--template", str(WINDOWS), "--parameters-file", str(WINDOWS_PARAMETERS), "--keep-alive-minutes", "20"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    (put,) = _sent(arm, "PUT", "/imageTemplates/win2022-base")
    last = put.json["properties"]["customize"][-1]
    assert last["type"] == "PowerShell" and "Start-Sleep -Seconds 1200" in last["inline"]
    assert put.json["properties"]["buildTimeoutInMinutes"] == 140
    assert "raised buildTimeoutInMinutes from 120 to 140" in result.stdout


def test_customizer_failure_is_diagnosed_and_the_template_kept(arm: FakeArm) -> None:
    arm.set_run_script(RunScript.failure())
    result = aibcheck_run(arm, "--template", str(LINUX), "--name", "broken")
    assert result.returncode == 1, result.stdout + result.stderr
    # no storage account in this test: the run status alone names only the log, so the log is what is needed
    assert "could not fetch the build log" in result.stdout
    assert "category:   log-needed" in result.stdout
    assert "aibcheck logs --template broken --resource-group rg-images | aibcheck diagnose -" in result.stdout
    assert "template broken kept" in result.stdout
    assert not _sent(arm, "DELETE")


def test_submission_failure_is_diagnosed_from_provisioning_error(arm: FakeArm) -> None:
    arm.fail_next_submission(code="BadSourceType", message="Source type 'PlatformImages' is not supported.")
    result = aibcheck_run(arm, "--template", str(LINUX), "--name", "refused")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "phase:      submission" in result.stdout and "category:   invalid-template" in result.stdout
    assert not _sent(arm, "POST", "/run")
    assert _sent(arm, "DELETE", "/imageTemplates/refused")


def test_existing_template_policies(arm: FakeArm) -> None:
    arm.put_template(SUB, GROUP, "ubuntu-web", json.loads(LINUX.read_text()))
    refused = aibcheck_run(arm, "--template", str(LINUX), "--name", "ubuntu-web")
    assert refused.returncode == 4
    assert "--if-exists replace" in refused.stderr and "--if-exists unique" in refused.stderr
    assert not _sent(arm, "PUT")
    replaced = aibcheck_run(arm, "--template", str(LINUX), "--name", "ubuntu-web", "--if-exists", "replace")
    assert replaced.returncode == 0, replaced.stdout + replaced.stderr
    methods = [r.method for r in arm.requests if r.path.lower().endswith("/imagetemplates/ubuntu-web")]
    assert methods.index("DELETE") < methods.index("PUT")
    unique = aibcheck_run(
        arm,
        "--template",
        str(LINUX),
        "--name",
        "ubuntu-web",
        "--if-exists",
        "unique",
        env={"GITHUB_ACTIONS": "true", "GITHUB_RUN_ID": "9876", "GITHUB_RUN_ATTEMPT": "2"},
    )
    assert unique.returncode == 0, unique.stdout + unique.stderr
    assert _sent(arm, "PUT", "/imageTemplates/ubuntu-web-9876-2")


def test_replace_waits_for_a_running_build(arm: FakeArm) -> None:
    arm.put_template(SUB, GROUP, "busy", json.loads(LINUX.read_text()), run_state="Running")
    result = aibcheck_run(arm, "--template", str(LINUX), "--name", "busy", "--if-exists", "replace")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "has a run in progress" in result.stdout


def test_throttling_server_errors_and_a_dropped_connection(arm: FakeArm) -> None:
    template_get = r"/imageTemplates/flaky$"
    arm.add_fault(Fault(method="GET", path_regex=template_get, status=429, retry_after=1, times=1))
    arm.add_fault(Fault(method="GET", path_regex=template_get, status=500, times=2))
    arm.add_fault(Fault(method="GET", path_regex=template_get, drop_connection=True, times=1))
    result = aibcheck_run(arm, "--template", str(LINUX), "--name", "flaky")
    assert result.returncode == 0, result.stdout + result.stderr
    statuses = [r.status for r in arm.requests if r.method == "GET" and r.path.endswith("/flaky")]
    assert 429 in statuses and statuses.count(500) == 2


def test_internal_errors_while_the_build_goes_on(arm: FakeArm) -> None:
    # Two are absorbed by the SDK's own retries; eight outlast them, and the watch must outlive that too.
    arm.set_run_script(RunScript.with_internal_errors(2))
    assert aibcheck_run(arm, "--template", str(LINUX), "--name", "shaky").returncode == 0
    arm.set_run_script(RunScript.with_internal_errors(8))
    result = aibcheck_run(arm, "--template", str(LINUX), "--name", "shakier")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "reading the status failed (Azure Resource Manager answered HTTP 500" in result.stdout and "] Succeeded" in result.stdout
    statuses = [r.status for r in arm.requests if r.path.lower().endswith("/shakier") and r.method == "GET"]
    assert statuses.count(500) == 8


def test_a_run_that_outlives_its_token(arm: FakeArm) -> None:
    arm.token_lifetime = 200  # shorter than azure-core's refresh margin: every request needs a fresh token
    script = RunScript.success()
    arm.set_run_script(
        RunScript(states=script.states * 10, outcome="Succeeded", final_message="", run_outputs=script.run_outputs)
    )
    result = aibcheck_run(arm, "--template", str(LINUX), "--name", "long")
    assert result.returncode == 0, result.stdout + result.stderr
    assert len(set(arm.issued_tokens)) >= 2
    assert all(r.status != 401 for r in arm.requests)


def test_dry_run_sends_nothing(arm: FakeArm) -> None:
    result = aibcheck_run(arm, "--template", str(LINUX), "--dry-run")
    assert result.returncode == 0
    assert '"customize"' in result.stdout and not arm.requests


def test_printed_templates_mask_secrets_and_run_submits_them_as_written(arm: FakeArm, tmp_path: Path) -> None:
    body = json.loads(LINUX.read_text(encoding="utf-8"))
    sig = "Zk9TpL2QwErTyUiOpAsDfGh"
    script = [
        "export ADMIN_PASSWORD='Tr0ub4dor-x9'",
        "curl -u admin:Hq8Vt2Lm9Xz4 https://example.org",
        f"curl -o f 'https://acct.blob.core.windows.net/c/f?sv=2022-11-02&sp=r&sig={sig[:12]}",
        f"{sig[12:]}%3D'",
    ]
    body["properties"]["customize"] = [{"type": "Shell", "name": "secrets", "inline": script}]
    template = tmp_path / "secrets.json"
    template.write_text(json.dumps(body), encoding="utf-8")
    planted = ("Tr0ub4dor-x9", "Hq8Vt2Lm9Xz4", sig[:12], sig[12:])
    printed = subprocess.run(
        [sys.executable, "-m", "aibcheck", "template", str(template)],
        capture_output=True, text=True, env=process_env(arm), timeout=60, check=False,
    )  # fmt: skip
    dry = aibcheck_run(arm, "--template", str(template), "--dry-run")
    for result in (printed, dry):
        assert result.returncode == 0, result.stderr
        assert not [p for p in planted if p in result.stdout + result.stderr]
    assert json.loads(printed.stdout)["properties"]["customize"][0]["inline"][1] == "curl -u admin:*** https://example.org"
    result = aibcheck_run(arm, "--template", str(template), "--name", "secrets")
    assert result.returncode == 0, result.stdout + result.stderr
    (put,) = _sent(arm, "PUT", "/imageTemplates/secrets")
    assert put.json["properties"]["customize"][0]["inline"] == script, "the template itself is sent as written"


def test_refused_credential_is_an_access_error(arm: FakeArm) -> None:
    result = aibcheck_run(arm, "--template", str(LINUX), env={"IDENTITY_HEADER": "wrong"})
    assert result.returncode == 3, result.stdout + result.stderr
    assert "cannot authenticate to Azure" in result.stderr


def test_outputs_and_summary_in_github_actions(arm: FakeArm, tmp_path: Path) -> None:
    summary, output = tmp_path / "summary.md", tmp_path / "output.txt"
    github = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_OUTPUT": str(output),
        "GITHUB_REPOSITORY": "contoso/images",
        "GITHUB_RUN_ID": "77",
        "GITHUB_SHA": "abc123",
    }
    result = aibcheck_run(arm, "--template", str(LINUX), "--name", "gh", "--no-live-log", env=github)
    assert result.returncode == 0, result.stdout + result.stderr
    assert summary.read_text().startswith("### ✅ aibcheck: template gh built")
    entries = output.read_text()
    for name in ("run-state", "image-id", "template-id", "staging-resource-group"):
        assert f"{name}<<aibcheck_" in entries
    (put,) = _sent(arm, "PUT", "/imageTemplates/gh")
    assert put.json["tags"]["aibcheck-run-url"] == "https://github.com/contoso/images/actions/runs/77"
