"""Following a running build's log: groups per customizer, only what people watch, nothing executable."""

import pytest
from test_logs import GrowingLog

from aibcheck.ci.platform import Platform, detect
from aibcheck.errors import LogUnavailable
from aibcheck.logs.live import LiveLog
from aibcheck.logs.location import LogLocation

OP = "[0c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f]"
LOG = (
    f"{OP} PACKER OUT ==> azure-arm:  -> VirtualMachineName         : 'pkrvm7h2kq9x1'\n"
    f'{OP} PACKER ERR 2026/03/04 10:00:00 packer-plugin-azure plugin: Azure request method="GET" debug noise\n'
    f"{OP} PACKER ERR 2026/03/04 10:00:01 [INFO] (telemetry) Starting provisioner shell\n"
    f"{OP} PACKER OUT     azure-arm: ::add-mask::not-a-command\n"
    f"{OP} PACKER OUT     azure-arm: ##vso[task.setvariable variable=x]y\n"
    f"{OP} PACKER OUT     azure-arm: installing nginx\n"
    f"{OP} PACKER ERR 2026/03/04 10:00:09 [INFO] (telemetry) ending shell\n"
    f"{OP} PACKER ERR 2026/03/04 10:00:09 [INFO] (telemetry) Starting provisioner shell\n"
    f"{OP} PACKER OUT     azure-arm: AIBCHECK-KEEP-ALIVE: build VM kept for 15 minutes for inspection\n"
).encode()


def _follow(parts: list[bytes], platform: Platform) -> list[str]:
    lines: list[str] = []
    location = LogLocation("acct", "run/customization.log", "https://acct.blob.core.windows.net/")
    live = LiveLog(GrowingLog(parts), lambda: location, lines.append, platform, "/subscriptions/s/resourceGroups/IT_x")
    for _ in range(len(parts) + 1):
        live.poll()
    live.close()
    return lines


def test_groups_filtering_neutralising_and_keep_alive() -> None:
    cut = LOG.index(b"installing") + 4  # a line cut between two reads
    lines = _follow([LOG[:cut], LOG[cut:]], detect({"GITHUB_ACTIONS": "true"}))
    assert lines[0].startswith("live log: following https://acct.blob.core.windows.net/packerlogs/run/")
    assert lines.count("::group::customizer shell") == 2 and "::endgroup::" in lines
    assert "installing nginx" in lines
    assert not any("debug noise" in line for line in lines), "debug lines are not shown"
    assert not any(line.lstrip().startswith("::add-mask") or "##vso[" in line for line in lines)
    assert "keep-alive: the build VM is paused for inspection. Look at:" in lines
    assert (
        "  build VM: pkrvm7h2kq9x1" in lines
        and "  staging resource group: /subscriptions/s/resourceGroups/IT_x" in lines
    )
    assert lines[-1] != "::group::customizer shell", "the last group is closed"


class Refusing(GrowingLog):
    def size(self, location: LogLocation) -> int:
        raise LogUnavailable("cannot read the build log", "give it the 'Storage Blob Data Reader' role")


def test_a_refused_log_stops_following_once_and_quietly() -> None:
    lines: list[str] = []
    location = LogLocation("acct", "run/customization.log", "https://acct.blob.core.windows.net/")
    live = LiveLog(Refusing([]), lambda: location, lines.append, detect({}), None)
    for _ in range(5):
        live.poll()
    assert sum(line.startswith("live log: stopped") for line in lines) == 1


@pytest.mark.parametrize("env", [{"GITHUB_ACTIONS": "true"}, {"TF_BUILD": "True"}, {}])
def test_not_located_yet_keeps_trying(env: dict[str, str]) -> None:
    platform = detect(env)
    attempts: list[int] = []

    def locate() -> LogLocation:
        attempts.append(1)
        raise LogUnavailable("no customization.log in https://acct.blob.core.windows.net/packerlogs/")

    lines: list[str] = []
    live = LiveLog(GrowingLog([]), locate, lines.append, platform, None)
    for _ in range(3):
        live.poll()
    assert len(attempts) == 3 and not lines
