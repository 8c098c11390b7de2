"""Azure that cannot be reached: real closed ports, real silent servers, real unknown host names.

ARM and the token endpoint are each refused, silent or unresolvable. aibcheck must end with exit 3 and one line
naming what it could not reach, within a bound that the subprocess timeout enforces: under a minute for a
refused connection or an unknown name, under three minutes for silence. Once a run exists, the line also names
the attach command.
"""

import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.environment import process_env
from tests.e2e.network import closed_port, read_until, silent_server
from tests.e2e.test_action import outputs
from tests.e2e.test_run import GROUP, LINUX, ROOT, SUB
from tests.fakes.arm import FakeArm, Fault, RunScript

REFUSED_BOUND = 60  # seconds: a refused connection or an unknown host is given up in under a minute
SILENT_BOUND = 180  # and silence within three minutes


@pytest.fixture
def arm() -> Iterator[FakeArm]:
    with FakeArm() as server:
        yield server


def command(endpoint: str, name: str, *extra: str) -> list[str]:
    return [
        sys.executable, "-m", "aibcheck", "run", "--subscription", SUB, "--resource-group", GROUP,
        "--arm-endpoint", endpoint, "--poll-seconds", "0.05", "--template", str(LINUX), "--name", name,
        "--no-live-log", *extra,
    ]  # fmt: skip


def start(arm: FakeArm, endpoint: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        command(endpoint, "unreached"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=process_env(arm, env),
    )


def finished(process: subprocess.Popen[str], bound: float) -> tuple[str, str]:
    out, err = process.communicate(timeout=bound)
    return out, err


def assert_unreached(process: subprocess.Popen[str], err: str, what: str) -> None:
    assert process.returncode == 3, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, f"one line, not a traceback:\n{err}"
    assert lines[0].startswith(f"aibcheck: error: cannot reach {what}"), lines[0]
    assert "Attempted credentials" not in err and "Traceback" not in err


def test_arm_refused_or_unknown_is_given_up_in_under_a_minute(arm: FakeArm) -> None:
    refused_port = closed_port()
    refused = start(arm, f"https://127.0.0.1:{refused_port}")
    unknown = start(arm, "https://arm.invalid")
    _, refused_err = finished(refused, REFUSED_BOUND)
    _, unknown_err = finished(unknown, REFUSED_BOUND)
    assert_unreached(refused, refused_err, f"Azure Resource Manager at https://127.0.0.1:{refused_port}")
    assert "(connection refused)" in refused_err
    assert_unreached(unknown, unknown_err, "Azure Resource Manager at https://arm.invalid")
    assert "(the host name does not resolve)" in unknown_err
    assert not arm.requests


def test_token_endpoint_refused_or_unknown_is_given_up_in_under_a_minute(arm: FakeArm) -> None:
    refused_port = closed_port()
    refused = start(arm, arm.url, {"IDENTITY_ENDPOINT": f"http://127.0.0.1:{refused_port}/msi/token"})
    unknown = start(arm, arm.url, {"IDENTITY_ENDPOINT": "http://token.invalid/msi/token"})
    _, refused_err = finished(refused, REFUSED_BOUND)
    _, unknown_err = finished(unknown, REFUSED_BOUND)
    assert_unreached(refused, refused_err, f"the sign-in endpoint http://127.0.0.1:{refused_port}")
    assert "(connection refused)" in refused_err
    assert_unreached(unknown, unknown_err, "the sign-in endpoint http://token.invalid")
    assert "(the host name does not resolve)" in unknown_err
    assert {r.path for r in arm.requests} == {"/metadata/endpoints"}, "nothing but the cloud's metadata without a token"
    assert not [r for r in arm.requests if r.token]


def test_silent_arm_and_token_endpoints_are_given_up_within_three_minutes(arm: FakeArm) -> None:
    # ARM describes its cloud, then takes every request and never answers it.
    arm.add_fault(Fault(method="GET", path_regex="^/subscriptions/", delay=600, times=None))
    with silent_server() as socket_only, silent_server() as token:
        processes = {
            "answers nothing over TCP": start(arm, socket_only.url),
            "takes the request, never answers": start(arm, arm.url),
            "token endpoint silent": start(arm, arm.url, {"IDENTITY_ENDPOINT": f"http://127.0.0.1:{token.port}/x"}),
        }
        started = time.monotonic()
        ended = {case: finished(process, SILENT_BOUND - (time.monotonic() - started)) for case, process in processes.items()}
    assert_unreached(processes["answers nothing over TCP"], ended["answers nothing over TCP"][1],
                     f"Azure Resource Manager at {socket_only.url}")  # fmt: skip
    assert_unreached(processes["takes the request, never answers"], ended["takes the request, never answers"][1],
                     f"Azure Resource Manager at {arm.url}")  # fmt: skip
    assert_unreached(processes["token endpoint silent"], ended["token endpoint silent"][1],
                     f"the sign-in endpoint http://127.0.0.1:{token.port}")  # fmt: skip
    assert all("(no answer in time)" in err for _, err in ended.values())
    assert "no answer from" in ended["takes the request, never answers"][0], "the log says why it waits"
    assert f"no answer from http://127.0.0.1:{token.port} in time" in ended["token endpoint silent"][0]


def test_arm_lost_while_the_build_runs_ends_with_the_attach_command(arm: FakeArm, tmp_path: Path) -> None:
    arm.set_run_script(RunScript(states=[("Running", "Building", "")] * 400, outcome="Succeeded"))
    output, ca = tmp_path / "output.txt", tmp_path / "ca.pem"
    ca.write_bytes(Path(arm.ca_path).read_bytes())  # the fake's own copy goes when it stops
    env = {"GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": str(output), "REQUESTS_CA_BUNDLE": str(ca)}
    process = subprocess.Popen(
        command(arm.url, "orphan"), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
        env=process_env(arm, env),
    )  # fmt: skip
    seen = read_until(process, "Running · Building")
    endpoint = arm.url
    arm.stop()  # ARM now refuses connections; the build would go on in Azure
    out, err = process.communicate(timeout=REFUSED_BOUND)
    out = seen + out
    assert process.returncode == 3, out + err
    assert "reading the status failed" in out and "the build goes on in Azure" in out, "retried before giving up"
    (line,) = [line for line in err.splitlines() if line.startswith("::error")]
    assert f"cannot reach Azure Resource Manager at {endpoint}" in line
    assert f"aibcheck attach --template orphan --resource-group {GROUP} --subscription {SUB} --arm-endpoint {endpoint}" in line
    found = outputs(output)
    assert found["run-state"] == "Detached" and found["template-id"].endswith("/imageTemplates/orphan")
