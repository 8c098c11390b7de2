"""The build log end to end: Azurite (HTTPS, OAuth) as the staging account, the fake ARM, the real SDKs."""

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from synthlog import write_build

from tests.e2e.environment import cloud_of, process_env
from tests.e2e.test_action import outputs
from tests.e2e.test_run import GROUP, LINUX, ROOT, SUB
from tests.fakes.arm import FakeArm, RunScript
from tests.fakes.azurite import Azurite

pytest_plugins = ["tests.fakes.fixtures"]


def _log(failure: str = "customize", size: int = 64 * 1024) -> bytes:
    buffer = io.StringIO()
    write_build(buffer, failure, size)
    return buffer.getvalue().encode()


def aibcheck(
    arm: FakeArm,
    *args: str,
    env: dict[str, str] | None = None,
    stdin: bytes | None = None,
) -> subprocess.CompletedProcess[bytes]:
    environment = process_env(arm, env)
    return subprocess.run(
        [sys.executable, "-m", "aibcheck", *args],
        capture_output=True,
        timeout=120,
        env=environment,
        cwd=ROOT,
        input=stdin,
    )


def run_args(arm: FakeArm, name: str) -> list[str]:
    return [
        "run",
        "--subscription",
        SUB,
        "--resource-group",
        GROUP,
        "--arm-endpoint",
        arm.url,
        "--poll-seconds",
        "0.02",
        "--template",
        str(LINUX),
        "--name",
        name,
    ]


def logs_args(arm: FakeArm, name: str, *extra: str) -> list[str]:
    return [
        "logs",
        "--subscription",
        SUB,
        "--resource-group",
        GROUP,
        "--arm-endpoint",
        arm.url,
        "--template",
        name,
        "--poll-seconds",
        "0.02",
        *extra,
    ]


@pytest.mark.parametrize("form", ["url", "path"])
def test_a_failed_run_log_is_fetched_with_a_token_saved_and_diagnosed(
    arm_storage: FakeArm, tmp_path: Path, form: str
) -> None:
    log = _log()
    arm_storage.set_run_script(RunScript.failure(log_chunks=[log], log_form=form, log_run_id=f"run-{form}"))
    result = aibcheck(arm_storage, *run_args(arm_storage, "broken"), env={"AIBCHECK_LOG_DIR": str(tmp_path)})
    out = result.stdout.decode()
    assert result.returncode == 1, out + result.stderr.decode()
    (saved,) = tmp_path.glob("customization-*.log")
    assert saved.name == f"customization-run-{form}.log", "the run folder named in the message was used"
    assert saved.read_bytes() == log
    assert f"log-path: {saved}" in out
    assert "customizer: powershell" in out, "the verdict comes from the log, which names the customizer"
    assert arm_storage.issued_storage_tokens, "the log was read with a storage token"
    assert not [r for r in arm_storage.requests if r.path.lower().endswith("/listkeys")]


def test_a_refused_token_falls_back_to_an_account_key(arm_storage: FakeArm, tmp_path: Path) -> None:
    arm_storage.refuse_storage_tokens = True
    arm_storage.set_run_script(RunScript.failure(log_chunks=[_log()]))
    result = aibcheck(arm_storage, *run_args(arm_storage, "keyed"), env={"AIBCHECK_LOG_DIR": str(tmp_path)})
    assert result.returncode == 1
    assert [r for r in arm_storage.requests if r.path.lower().endswith("/listkeys")]
    assert list(tmp_path.glob("customization-*.log")), result.stdout.decode()


def test_no_way_in_names_the_role_and_still_reports_the_failure(arm_storage: FakeArm, tmp_path: Path) -> None:
    arm_storage.refuse_storage_tokens = True
    arm_storage.refuse_list_keys = True
    arm_storage.set_run_script(RunScript.failure(log_chunks=[_log()]))
    result = aibcheck(arm_storage, *run_args(arm_storage, "locked"), env={"AIBCHECK_LOG_DIR": str(tmp_path)})
    out = result.stdout.decode()
    assert result.returncode == 1
    assert "could not fetch the build log" in out and "Storage Blob Data Reader" in out
    assert "/providers/Microsoft.Storage/storageAccounts/" in out, "the scope of the missing role is named"
    assert "category:" in out, "the status is still diagnosed"
    assert "template locked kept" in out


def test_logs_command_picks_the_newest_run_or_the_one_asked_for(
    arm_storage: FakeArm, azurite: Azurite, tmp_path: Path
) -> None:
    arm_storage.put_template(SUB, GROUP, "several", {"location": "westeurope", "properties": {}}, run_state="Failed")
    logs = {
        run: _log(failure, 8 * 1024)
        for run, failure in [("5b1c-old", "connect"), ("0a9f-newest", "customize"), ("c3d2-middle", "deploy")]
    }
    for run in ("5b1c-old", "c3d2-middle", "0a9f-newest"):  # uploaded in this order: names do not sort by age
        azurite.put_log(run, logs[run])
    latest = aibcheck(arm_storage, *logs_args(arm_storage, "several"))
    assert latest.returncode == 0, latest.stderr
    assert latest.stdout == logs["0a9f-newest"]
    chosen = tmp_path / "chosen.log"
    given = aibcheck(arm_storage, *logs_args(arm_storage, "several", "--run", "5b1c-old", "-o", str(chosen)))
    assert given.returncode == 0 and chosen.read_bytes() == logs["5b1c-old"]
    piped = aibcheck(arm_storage, "diagnose", "-", "--format", "json", stdin=latest.stdout)
    assert b'"failed_customizer": "powershell"' in piped.stdout
    missing = aibcheck(arm_storage, *logs_args(arm_storage, "several", "--run", "nope"))
    assert missing.returncode == 5 and b"no customization.log for run nope" in missing.stderr


def test_follow_a_log_that_grows_while_the_build_runs(arm_storage: FakeArm) -> None:
    log = _log(size=32 * 1024)
    thirds: list[str | bytes] = [log[: len(log) // 3], log[len(log) // 3 : 2 * len(log) // 3], log[2 * len(log) // 3 :]]
    arm_storage.set_run_script(RunScript.failure(log_chunks=thirds))
    arm_storage.put_template(SUB, GROUP, "growing", {"location": "westeurope", "properties": {}}, run_state="Running")
    result = aibcheck(arm_storage, *logs_args(arm_storage, "growing", "--follow"))
    assert result.returncode == 0, result.stderr
    assert result.stdout == log


def test_the_log_is_followed_live_in_a_pipeline_with_keep_alive(arm_storage: FakeArm, tmp_path: Path) -> None:
    log = _log(size=16 * 1024).replace(
        b"(telemetry) ending powershell\n",
        b"(telemetry) ending powershell\n[op] PACKER OUT     azure-arm: AIBCHECK-KEEP-ALIVE: build VM kept\n",
        1,
    )
    parts: list[str | bytes] = [log[: len(log) // 2], log[len(log) // 2 :]]
    arm_storage.set_run_script(RunScript.failure(log_chunks=parts))
    pipeline = {"GITHUB_ACTIONS": "true", "AIBCHECK_LOG_DIR": str(tmp_path)}
    result = aibcheck(arm_storage, *run_args(arm_storage, "watched"), env=pipeline)
    out = result.stdout.decode()
    assert result.returncode == 1, out
    assert "live log: following https://127.0.0.1:" in out
    assert "::group::customizer powershell" in out and "::endgroup::" in out
    assert "Installing IIS" in out, "the customizers' output is shown while the build runs"
    assert "keep-alive: the build VM is paused for inspection" in out
    assert out.index("live log: following") < out.index("early verdict from the end of the log")
    quiet = aibcheck(arm_storage, *run_args(arm_storage, "unwatched"), "--no-live-log", env=pipeline)
    assert "live log" not in quiet.stdout.decode()


def test_the_staging_group_is_found_by_its_tags_when_the_template_does_not_name_it(
    arm_storage: FakeArm, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aibcheck.cloud.credential import make_credential
    from aibcheck.cloud.logstore import LogStore
    from aibcheck.cloud.network import Network
    from aibcheck.logs.command import find_staging_group

    monkeypatch.setenv("REQUESTS_CA_BUNDLE", arm_storage.ca_path)
    stored = arm_storage.put_template(SUB, GROUP, "tagged", {"location": "westeurope", "properties": {}})
    network = Network()
    store = LogStore(make_credential(os.environ, network, cloud_of(arm_storage)), SUB, cloud_of(arm_storage), network)
    without = {"id": stored["id"], "properties": {"exactStagingResourceGroup": ""}}
    assert find_staging_group(store, without) == stored["properties"]["exactStagingResourceGroup"]
    assert store.staging_group_by_tags("no-such-template", GROUP) is None


def test_a_validator_failure_is_read_from_validation_log(
    arm_storage: FakeArm, azurite: Azurite, tmp_path: Path
) -> None:
    template = json.loads(LINUX.read_text(encoding="utf-8"))
    template["properties"]["validate"] = {
        "inVMValidations": [{"type": "Shell", "name": "nginx-serves", "inline": ["curl -fsS localhost"]}]
    }
    path = tmp_path / "validated.json"
    path.write_text(json.dumps(template), encoding="utf-8")
    validation = (
        "[v1] PACKER ERR 2026/03/04 11:00:00 [INFO] (telemetry) Starting provisioner shell\n"
        "[v1] PACKER OUT     azure-arm: curl: (7) Failed to connect to localhost port 80: Connection refused\n"
        "[v1] PACKER ERR ==> azure-arm: Script exited with non-zero exit status: 7. Allowed exit codes are: [0]\n"
        "[v1] PACKER ERR 2026/03/04 11:00:05 [INFO] (telemetry) ending shell\n"
        "[v1] PACKER OUT Build 'azure-arm' errored after 5 seconds: Script exited with non-zero exit status: 7.\n"
    )
    azurite.put_log("0d1c2b3a-run", validation, name="validation.log")
    arm_storage.set_run_script(RunScript.failure(log_run_id="0d1c2b3a-run", log_chunks=[_log("none")]))
    args = run_args(arm_storage, "validated")
    args[args.index("--template") + 1] = str(path)
    result = aibcheck(arm_storage, *args, env={"AIBCHECK_LOG_DIR": str(tmp_path)})
    out = result.stdout.decode()
    assert result.returncode == 1, out
    assert (tmp_path / "validation-0d1c2b3a-run.log").read_text(encoding="utf-8") == validation
    assert "phase:      validate" in out and "customizer: shell" in out


def test_cancelled_at_the_deadline_the_partial_log_is_diagnosed(arm_storage: FakeArm, tmp_path: Path) -> None:
    partial = _log("none", 16 * 1024)
    partial = partial[: partial.index(b"(telemetry) ending windows-update")]  # the build is in Windows Update
    script = RunScript.failure(log_chunks=[partial])
    arm_storage.set_run_script(
        RunScript(
            states=[("Running", "Building", "")] * 400,
            outcome="Failed",
            final_message=script.final_message,
            log_chunks=[partial],
        )
    )
    args = [
        *run_args(arm_storage, "slow"),
        "--job-timeout-minutes",
        "0.05",
        "--deadline-margin-minutes",
        "0",
        "--on-deadline",
        "cancel",
        "--no-live-log",
    ]
    output = tmp_path / "output.txt"
    pipeline = {"AIBCHECK_LOG_DIR": str(tmp_path), "GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": str(output)}
    result = aibcheck(arm_storage, *args, env=pipeline)
    out = result.stdout.decode()
    assert result.returncode == 1, out
    assert "cancelling the image build of template slow" in out
    assert (
        "category:   pipeline-timeout" in out
        and "Cancelled at the job's deadline while windows-update was running" in out
    )
    (saved,) = tmp_path.glob("customization-*.log")
    found = outputs(output)
    assert found["run-state"] in ("Canceling", "Canceled"), "the state the service reported after the cancel"
    assert found["category"] == "pipeline-timeout" and found["phase"] and found["failed-customizer"] == "windows-update"
    assert found["log-path"] == str(saved) and found["log-url"].endswith(f"/packerlogs/{saved.stem.split('-', 1)[1]}/customization.log")


def test_a_log_fetched_by_the_location_a_failure_message_gives(arm_storage: FakeArm, azurite: Azurite) -> None:
    """`aibcheck logs --url` takes the log's ARM path as the message wrote it: no template, group or subscription."""
    arm_storage.put_template(SUB, GROUP, "gone", {"location": "westeurope", "properties": {}}, run_state="Failed")
    log = _log("customize", 8 * 1024)
    azurite.put_log("7e1d-run", log)
    path = arm_storage.log_location("7e1d-run", "path")
    fetched = aibcheck(arm_storage, "logs", "--url", path, "--arm-endpoint", arm_storage.url)
    assert fetched.returncode == 0, fetched.stderr
    assert fetched.stdout == log
    assert any(f"/subscriptions/{SUB}/" in r.path for r in arm_storage.requests), "the path's own subscription"
    piped = aibcheck(arm_storage, "diagnose", "-", "--format", "json", stdin=fetched.stdout)
    assert json.loads(piped.stdout)["failed_customizer"] == "powershell"
    wrong = aibcheck(arm_storage, "logs", "--url", "https://example.com/nothing.txt", "--arm-endpoint", arm_storage.url)
    assert wrong.returncode == 2 and b"is not a build log's location" in wrong.stderr
    follow = aibcheck(arm_storage, "logs", "--url", path, "--follow")
    assert follow.returncode == 2 and b"--follow needs --template" in follow.stderr
