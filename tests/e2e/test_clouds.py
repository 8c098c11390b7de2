"""A cloud that is not the public one, end to end: `run`, `logs` and `attach` as real processes against a fake ARM
whose token audience is not its URL, whose sign-in endpoint is its own, and whose storage lives under a storage
suffix that is not core.windows.net.

The storage account is Azurite on 127.0.0.1, reached as `https://<account>.blob.core.sovereign.test`: aibcheck builds
that name from the suffix in ARM's metadata (ARM reports no blob endpoint for the account), or takes it as ARM
reports it, and its requests go through `HTTPS_PROXY`, a local CONNECT proxy (tests/fakes/proxy.py) that tunnels
names under that suffix to Azurite and refuses all others. The system's DNS is never asked: `.test` names never
resolve, and a client behind a proxy does not resolve the host it asks the proxy for. A named cloud needs no
request to know its endpoints; with the proxy refusing everything, where aibcheck then tries to go shows which
ARM host and which token audience it chose.
"""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme
from synthlog import write_build

from tests.e2e.environment import process_env
from tests.e2e.test_run import GROUP, LINUX, ROOT, SUB
from tests.fakes.arm import FakeArm, RunScript
from tests.fakes.azurite import Azurite, service_like_account_name
from tests.fakes.proxy import SuffixProxy

pytest_plugins = ["tests.fakes.fixtures"]

SUFFIX = "core.sovereign.test"
AUDIENCE = "https://management.sovereign.test/"


@pytest.fixture(scope="module")
def sovereign_storage(test_ca: trustme.CA) -> Iterator[Azurite]:
    """Azurite whose certificate also names every account under the cloud's blob suffix."""
    names = (f"*.blob.{SUFFIX}",)
    with Azurite(https=True, account_name=service_like_account_name(), ca=test_ca, hostnames=names) as azurite:
        yield azurite


@pytest.fixture
def proxy(sovereign_storage: Azurite) -> Iterator[SuffixProxy]:
    with SuffixProxy({f".blob.{SUFFIX}": ("127.0.0.1", sovereign_storage.port)}) as server:
        yield server


@pytest.fixture
def arm(sovereign_storage: Azurite, test_ca: trustme.CA) -> Iterator[FakeArm]:
    sovereign_storage.clear()
    with FakeArm(ca=test_ca) as server:
        server.cloud_name, server.arm_audience, server.storage_suffix = "SovereignTest", AUDIENCE, SUFFIX
        server.report_blob_endpoint = False  # aibcheck must build the endpoint from the cloud's suffix
        server.attach_storage(sovereign_storage)
        yield server


def _log(failure: str = "customize") -> bytes:
    buffer = io.StringIO()
    write_build(buffer, failure, 32 * 1024)
    return buffer.getvalue().encode()


def aibcheck(arm: FakeArm, proxy: SuffixProxy, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    through = {"HTTPS_PROXY": proxy.url, "HTTP_PROXY": proxy.url, "NO_PROXY": "127.0.0.1,localhost", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "aibcheck", *args], capture_output=True, text=True, timeout=120, cwd=ROOT,
        env=process_env(arm, through),
    )  # fmt: skip


def where(arm: FakeArm, command: str, name: str) -> list[str]:
    # The endpoint wins over the cloud's name, and its metadata is read.
    return [command, "--subscription", SUB, "--resource-group", GROUP, "--cloud", "AzureUSGovernment",
            "--arm-endpoint", arm.url, "--poll-seconds", "0.02"] + (["--template", name] if command != "run" else [])  # fmt: skip


def assert_in_the_sovereign_cloud(arm: FakeArm, proxy: SuffixProxy, account: str) -> None:
    resources = {r.query["resource"].rstrip("/") for r in arm.identity_requests}
    print("RESOURCES", resources, [(r.method, r.path, r.status) for r in arm.requests][:8])
    assert resources == {AUDIENCE.rstrip("/"), f"https://{account}.blob.{SUFFIX}"}, "ARM's audience, never its URL"
    assert arm.requests and 401 not in {r.status for r in arm.requests}, "ARM took every token"
    assert not [r for r in arm.requests if r.path.lower().endswith("/listkeys")], "the storage token was accepted"
    assert proxy.connects and set(proxy.connects) == {f"{account}.blob.{SUFFIX}:443"} and not proxy.refused


@pytest.mark.parametrize("reported", [False, True], ids=["built-from-the-suffix", "reported-by-arm"])
def test_a_failed_build_s_log_is_read_under_the_cloud_s_storage_suffix(
    arm: FakeArm, proxy: SuffixProxy, tmp_path: Path, reported: bool
) -> None:
    if reported:  # ARM names the account's endpoint, and the message the log's URL, under the suffix
        arm.report_blob_endpoint, arm.blob_host_suffix = True, SUFFIX
    log, run = _log(), f"run-{reported}"
    arm.set_run_script(RunScript.failure(log_chunks=[log], log_form="url" if reported else "path", log_run_id=run))
    args = [*where(arm, "run", "broken"), "--template", str(LINUX), "--name", "broken"]
    result = aibcheck(arm, proxy, *args, env={"AIBCHECK_LOG_DIR": str(tmp_path)})
    assert result.returncode == 1, result.stdout + result.stderr
    account = str(arm.storage_account_name)
    sign_in = arm.login_url
    assert f"cloud: SovereignTest: Resource Manager {arm.url}, sign-in {sign_in}, storage *.blob.{SUFFIX}" in result.stdout
    assert f"https://{account}.blob.{SUFFIX}/packerlogs/{run}/customization.log" in result.stdout
    assert (tmp_path / f"customization-{run}.log").read_bytes() == log
    assert "customizer: powershell" in result.stdout, "diagnosed from the log itself"
    assert_in_the_sovereign_cloud(arm, proxy, account)


def test_logs_reads_under_the_cloud_s_storage_suffix(
    arm: FakeArm, proxy: SuffixProxy, sovereign_storage: Azurite
) -> None:
    run, log = "0a9f-sovereign", _log("deploy")
    arm.set_run_script(RunScript.failure(log_form="path", log_run_id=run))
    arm.put_template(SUB, GROUP, "stored", {"location": "westeurope", "properties": {}}, run_state="Failed")
    sovereign_storage.put_log(run, log)
    result = subprocess.run(
        [sys.executable, "-m", "aibcheck", *where(arm, "logs", "stored")], capture_output=True, timeout=120, cwd=ROOT,
        env=process_env(arm, {"HTTPS_PROXY": proxy.url, "NO_PROXY": "127.0.0.1,localhost"}),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout == log, "standard output is the log and nothing else"
    assert_in_the_sovereign_cloud(arm, proxy, str(arm.storage_account_name))


def test_attach_follows_a_build_in_the_sovereign_cloud(arm: FakeArm, proxy: SuffixProxy, tmp_path: Path) -> None:
    log = _log()
    arm.set_run_script(RunScript.failure(log_chunks=[log[: len(log) // 2], log[len(log) // 2 :]], log_form="path"))
    arm.put_template(SUB, GROUP, "running", {"location": "westeurope", "properties": {}}, run_state="Running")
    result = aibcheck(arm, proxy, *where(arm, "attach", "running"), env={"AIBCHECK_LOG_DIR": str(tmp_path)})
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Running · Building" in result.stdout or "Running · Customizing" in result.stdout
    (saved,) = tmp_path.glob("customization-*.log")
    assert saved.read_bytes() == log
    assert_in_the_sovereign_cloud(arm, proxy, str(arm.storage_account_name))


@pytest.mark.parametrize(
    ("cloud", "host", "resource"),
    [
        ("azurechinacloud", "management.chinacloudapi.cn", "https://management.chinacloudapi.cn"),
        ("AzureUSGovernment", "management.usgovcloudapi.net", "https://management.core.usgovcloudapi.net"),
    ],
)
def test_a_named_cloud_goes_to_its_own_arm_with_its_audience(
    arm: FakeArm, cloud: str, host: str, resource: str
) -> None:
    with SuffixProxy({}) as nowhere:  # refuses every host: nothing leaves this machine
        args = ["run", "--subscription", SUB, "--resource-group", GROUP, "--template", str(LINUX), "--cloud", cloud]
        result = aibcheck(arm, nowhere, *args)
    assert result.returncode == 3, result.stdout + result.stderr
    assert result.stderr.startswith(f"aibcheck: error: cannot reach Azure Resource Manager at https://{host} ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert {r.query["resource"] for r in arm.identity_requests} == {resource}, "the cloud's ARM audience"
    assert set(nowhere.connects) == {f"{host}:443"}, "no request before ARM itself: the endpoints were known"
    assert not arm.requests
