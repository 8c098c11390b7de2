"""ARM requests: the count aibcheck prints is what ARM received, and a build hour stays within the budget.

ARM throttles per subscription and principal, and teams build many images at once: a build hour with the live
log on must cost at most 60 ARM requests. The hour is simulated in compressed time (every duration divided by
200, --poll-seconds 0.1 instead of 20), which the schedule scales from; requests are counted, never time.
"""

import subprocess
import sys
from pathlib import Path

from bench_requests import script

from tests.e2e.environment import process_env
from tests.e2e.test_run import GROUP, LINUX, ROOT, SUB, printed_arm_requests
from tests.fakes.arm import FakeArm, Fault, RunScript

pytest_plugins = ["tests.fakes.fixtures"]
BUDGET = 60  # ARM requests per build hour, live log on
COMPRESSION = 200


def run(arm: FakeArm, name: str, poll: str, tmp_path: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable, "-m", "aibcheck", "run", "--subscription", SUB, "--resource-group", GROUP,
        "--arm-endpoint", arm.url, "--poll-seconds", poll, "--template", str(LINUX), "--name", name, "--live-log",
        *extra,
    ]  # fmt: skip
    env = process_env(arm, {"AIBCHECK_LOG_DIR": str(tmp_path)})
    return subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=ROOT, env=env)


def test_the_printed_count_is_what_arm_received_retries_and_storage_lookups_included(
    arm_storage: FakeArm, tmp_path: Path
) -> None:
    arm_storage.refuse_storage_tokens = True  # the log is read with a key: a listKeys request to ARM
    arm_storage.set_run_script(RunScript.failure(log_chunks=[b"[op] PACKER OUT building\n", b"more\n"]))
    template = r"/imageTemplates/counted$"
    arm_storage.add_fault(Fault(method="GET", path_regex=template, status=429, retry_after=0.1, times=1))
    arm_storage.add_fault(Fault(method="GET", path_regex=template, status=500, times=2))
    arm_storage.add_fault(Fault(method="GET", path_regex=template, drop_connection=True, times=1))
    arm_storage.add_fault(Fault(method="GET", path_regex="/storageAccounts$", status=503, times=1))
    result = run(arm_storage, "counted", "0.02", tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    received = arm_storage.requests
    assert {r.status for r in received} >= {0, 429, 500, 503}, "the retries happened"
    assert any(r.path.lower().endswith("/listkeys") for r in received)
    assert any(r.path.lower().endswith("/storageaccounts") for r in received)
    assert printed_arm_requests(result.stdout) == len(received)


def test_a_build_hour_with_the_live_log_costs_at_most_60_arm_requests(arm_storage: FakeArm, tmp_path: Path) -> None:
    arm_storage.set_run_script(script(COMPRESSION))
    result = run(arm_storage, "hour", f"{20 / COMPRESSION:g}", tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "live log: following" in result.stdout and "Running · Distributing" in result.stdout
    received = arm_storage.requests
    status_reads = [r for r in received if r.method == "GET" and r.path.lower().endswith("/imagetemplates/hour")]
    assert len(received) <= BUDGET, f"{len(received)} ARM requests for one build hour"
    assert len(status_reads) >= 20, "the build was watched all along"
    lookups = [r for r in received if r.path.lower().endswith("/storageaccounts")]
    assert len(lookups) == 1, "the staging account is looked up once"
    assert printed_arm_requests(result.stdout) == len(received)
