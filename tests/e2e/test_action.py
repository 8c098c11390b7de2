"""The GitHub Action's own steps, taken from action.yml and run with bash as the runner runs them.

Each step's `run:` script is written to a file and run with `bash --noprofile --norc -eo pipefail` (the runner's
`shell: bash`), with the step's `env:` evaluated the way the runner would: `${{ inputs.x }}` from the inputs
given (or the input's default), `${{ env.X }}` from the job's environment, `${{ steps.setup.outputs.python }}`
from the setup step. The run step talks to the local ARM (and Azurite for the build log) and the local GitHub
API. The setup step is run only against the virtual environment running these tests (AIBCHECK_VENV), never
creating one: its Python check and its reuse of an up-to-date environment.
"""

import io
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator, Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import pytest
import yaml
from synthlog import write_build

from tests.fakes.arm import FakeArm, RunScript
from tests.fakes.github import FakeGitHub
from tests.fakes.proxy import SuffixProxy
from tests.wrapper_table import OUTPUTS

pytest_plugins = ["tests.fakes.fixtures"]

ROOT = Path(__file__).resolve().parents[2]
ACTION: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
SUB, GROUP, REPO, PR = "00000000-0000-0000-0000-00000000abcd", "rg-images", "contoso/images", 7
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
BASH = shutil.which("bash") or "/bin/bash"  # found before a test narrows PATH
_AWAY = ("AZURE_", "GITHUB_", "TF_BUILD", "AIBCHECK_", "RUNNER_", "ACTIONS_")


def _step(step_id: str) -> dict[str, Any]:
    (step,) = [s for s in ACTION["runs"]["steps"] if s.get("id") == step_id]
    return dict(step)


def _evaluate(expression: str, contexts: Mapping[str, Any]) -> str:
    """The expressions action.yml uses: `a.b.c`, joined by `||` (the first non-empty one)."""
    for operand in expression.split("||"):
        value: Any = contexts
        for part in operand.strip().split("."):
            value = value.get(part, "")  # a missing property is empty, as on the runner
            if value == "":
                break
        if value:
            return str(value)
    return ""


def _substitute(text: str, contexts: Mapping[str, Any]) -> str:
    return EXPRESSION.sub(lambda m: _evaluate(m.group(1), contexts), text)


def run_step(
    step_id: str,
    inputs: Mapping[str, str],
    job_env: Mapping[str, str],
    tmp_path: Path,
    python: str = sys.executable,
    steps: Mapping[str, Mapping[str, str]] | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run one step of the action as the runner would: its env evaluated, its script through bash."""
    github = {"token": job_env.get("GITHUB_TOKEN_FOR_DEFAULT", ""), "action_path": str(ROOT)}
    contexts: dict[str, Any] = {
        "github": github,
        "env": dict(job_env),
        "steps": {"setup": {"outputs": {"python": python}}, **{k: {"outputs": v} for k, v in (steps or {}).items()}},
    }
    declared = ACTION["inputs"]
    unknown = set(inputs) - set(declared)
    assert not unknown, f"not inputs of the action: {unknown}"
    contexts["inputs"] = {
        name: inputs[name] if name in inputs else _substitute(str(spec.get("default", "")), contexts)
        for name, spec in declared.items()
    }
    step = _step(step_id)
    assert step["shell"] == "bash"
    script = tmp_path / f"step-{step_id}.sh"
    script.write_text(step["run"], encoding="utf-8")
    env = {**job_env, **{k: _substitute(str(v), contexts) for k, v in step.get("env", {}).items()}}
    env.pop("GITHUB_TOKEN_FOR_DEFAULT", None)
    return subprocess.run(
        [BASH, "--noprofile", "--norc", "-eo", "pipefail", str(script)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=ROOT,
    )


def job_env(tmp_path: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """A GitHub Actions job on a pull request; GITHUB_OUTPUT and GITHUB_STEP_SUMMARY are empty files."""
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"number": PR, "pull_request": {"number": PR, "head": {"sha": "abc123"}}}))
    for name in ("summary.md", "output.txt"):
        (tmp_path / name).write_text("")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(_AWAY)}
    return {
        **clean,
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_REPOSITORY": REPO,
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_RUN_ID": "4242",
        "GITHUB_RUN_ATTEMPT": "1",
        "GITHUB_SHA": "abc123",
        "GITHUB_WORKSPACE": str(ROOT),
        "GITHUB_ACTION_PATH": str(ROOT),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "GITHUB_OUTPUT": str(tmp_path / "output.txt"),
        "RUNNER_TEMP": str(tmp_path),
        "RUNNER_OS": "Linux",
        **(extra or {}),
    }


def outputs(path: Path) -> dict[str, str]:
    """GITHUB_OUTPUT entries, both forms (`name=value` and `name<<DELIMITER`)."""
    lines, found = path.read_text(encoding="utf-8").splitlines(), {}
    while lines:
        line = lines.pop(0)
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            end = lines.index(delimiter)
            found[name], lines = "\n".join(lines[:end]), lines[end + 1 :]
        else:
            name, _, value = line.partition("=")
            found[name] = value
    return found


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    with FakeGitHub() as server:
        yield server


@pytest.fixture
def arm() -> Iterator[FakeArm]:
    with FakeArm() as server:
        yield server


def _azure(arm: FakeArm, github: FakeGitHub, tmp_path: Path) -> dict[str, str]:
    return job_env(
        tmp_path,
        {
            **arm.identity_env,
            "REQUESTS_CA_BUNDLE": arm.ca_path,
            "NO_PROXY": "127.0.0.1,localhost",
            "GITHUB_API_URL": github.url,
            "GITHUB_TOKEN_FOR_DEFAULT": github.token,  # what `${{ github.token }}`, the input's default, gives
            "AIBCHECK_LOG_DIR": str(tmp_path / "logs"),
        },
    )


def _run_inputs(arm: FakeArm, name: str) -> dict[str, str]:
    return {
        "template": "examples/templates/ubuntu-web.json",
        "subscription": SUB,
        "resource-group": GROUP,
        "name": name,
        "arm-endpoint": arm.url,
        "poll-seconds": "0.02",
        "preflight": "off",  # the fake subscription is empty: its online checks would refuse the build
        "tags": "team=platform\nowner=images",
        "comment": "always",
        # Empty, as in a workflow that does not set them: aibcheck's defaults must apply (an empty
        # AIBCHECK_POLL_SECONDS or AIBCHECK_DEADLINE_MARGIN_MINUTES would not even parse).
        "location": "",
        "deadline-margin-minutes": "",
        "if-exists": "",
        "keep-alive-minutes": "",
        "client-id": "",
        "tenant-id": "",
    }


# What aibcheck writes to GITHUB_OUTPUT after a build that succeeds (a managed image, or a VHD), and one that
# fails with its log fetched.
WRITTEN_ON_SUCCESS = {"run-state", "image-id", "run-outputs", "template-id", "template-name", "staging-resource-group"}
WRITTEN_FOR_A_VHD = WRITTEN_ON_SUCCESS - {"image-id"} | {"image-uri"}
WRITTEN_ON_FAILURE = {
    "run-state",
    "category",
    "phase",
    "failed-customizer",
    "log-path",
    "log-url",
    "template-id",
    "template-name",
    "staging-resource-group",
}


def test_what_aibcheck_writes_is_what_the_action_declares() -> None:
    """The two builds below write these; together they are every output of action.yml (and of the table)."""
    declared = tuple(yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))["outputs"])
    assert WRITTEN_ON_SUCCESS | WRITTEN_FOR_A_VHD | WRITTEN_ON_FAILURE == set(OUTPUTS) == set(declared)


def _bot_comments(github: FakeGitHub) -> list[dict[str, Any]]:
    return [c for c in github.comments_for(REPO, PR) if c["user"]["type"] == "Bot"]


def test_a_build_that_succeeds(arm: FakeArm, github: FakeGitHub, tmp_path: Path) -> None:
    result = run_step("aibcheck", _run_inputs(arm, "ubuntu-web"), _azure(arm, github, tmp_path), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "] Succeeded" in result.stdout and "::error" not in result.stdout
    (put,) = [r for r in arm.requests if r.method == "PUT"]
    assert put.path.endswith("/imageTemplates/ubuntu-web")
    tags = put.json["properties"]["distribute"][0]["artifactTags"]
    assert tags["team"] == "platform" and tags["owner"] == "images", "a multi-line input arrives line by line"
    found = outputs(tmp_path / "output.txt")
    assert found["run-state"] == "Succeeded"
    assert found["image-id"].startswith(f"/subscriptions/{SUB}/")
    assert found["template-id"].endswith("/imageTemplates/ubuntu-web")
    assert found["staging-resource-group"].startswith(f"/subscriptions/{SUB}/resourceGroups/IT_")
    assert set(found) == WRITTEN_ON_SUCCESS
    assert found["template-name"] == "ubuntu-web"
    run_outputs = json.loads(found["run-outputs"])
    assert len(run_outputs) == 2 and run_outputs[0]["properties"]["artifactId"] == found["image-id"]
    assert "aibcheck" in (tmp_path / "summary.md").read_text(encoding="utf-8")
    (comment,) = _bot_comments(github)
    assert "<!-- aibcheck:sticky:ubuntu-web -->" in comment["body"] and comment["body"].startswith("### ✅")
    assert all(r.headers.get("authorization") == f"Bearer {github.token}" for r in github.requests)


def test_a_vhd_build_gives_its_uri(arm: FakeArm, github: FakeGitHub, tmp_path: Path) -> None:
    vhd = "https://imagesvhds.blob.core.windows.net/vhds/ubuntu-web.vhd"
    arm.set_run_script(RunScript.success(run_outputs=[{"name": "ubuntuVhd", "artifactUri": vhd}]))
    inputs = {**_run_inputs(arm, "ubuntu-vhd"), "comment": "never"}
    result = run_step("aibcheck", inputs, _azure(arm, github, tmp_path), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    found = outputs(tmp_path / "output.txt")
    assert set(found) == WRITTEN_FOR_A_VHD
    assert found["image-uri"] == vhd and json.loads(found["run-outputs"])[0]["name"] == "ubuntuVhd"


def _failed_log() -> bytes:
    buffer = io.StringIO()
    write_build(buffer, "customize", 32 * 1024)
    return buffer.getvalue().encode()


def test_a_build_that_fails(arm_storage: FakeArm, github: FakeGitHub, tmp_path: Path) -> None:
    log = _failed_log()
    arm_storage.set_run_script(RunScript.failure(log_chunks=[log], log_run_id="0b5e-run"))
    github.add_comment(REPO, PR, "a human comment")
    inputs = {**_run_inputs(arm_storage, "broken"), "comment": "", "live-log": "false"}
    result = run_step("aibcheck", inputs, _azure(arm_storage, github, tmp_path), tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    errors = [line for line in result.stdout.splitlines() if line.startswith("::error")]
    assert len(errors) == 1 and "title=" in errors[0]
    assert "::group::" not in result.stdout, "live-log: false"
    found = outputs(tmp_path / "output.txt")
    assert found["run-state"] == "Failed"
    assert found["phase"] == "customize" and found["category"] and found["failed-customizer"] == "powershell"
    assert Path(found["log-path"]).read_bytes() == log
    assert Path(found["log-path"]).parent == tmp_path / "logs"
    assert found["template-id"].endswith("/imageTemplates/broken") and found["staging-resource-group"]
    assert set(found) == WRITTEN_ON_FAILURE
    assert found["log-url"].endswith("/customization.log") and "sig=" not in found["log-url"]
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert summary.startswith("### ❌ aibcheck")
    (comment,) = _bot_comments(github)  # comment: "" is on-failure, aibcheck's default
    assert comment["body"].startswith("### ❌ aibcheck") and "<!-- aibcheck:sticky:broken -->" in comment["body"]


def test_the_china_environment_input_takes_aibcheck_to_azure_china(
    arm: FakeArm, github: FakeGitHub, tmp_path: Path
) -> None:
    """azure/login's name of the cloud reaches Python and picks Azure China's ARM and token audience; a proxy that
    refuses every host keeps the request on this machine and shows where it went."""
    inputs = {**_run_inputs(arm, "china"), "arm-endpoint": "", "environment": "azurechinacloud", "live-log": "false"}
    with SuffixProxy({}) as nowhere:
        env = {**_azure(arm, github, tmp_path), "HTTPS_PROXY": nowhere.url, "HTTP_PROXY": nowhere.url}
        result = run_step("aibcheck", inputs, env, tmp_path)
    assert result.returncode == 3, result.stdout + result.stderr
    assert "cloud: AzureChinaCloud: Resource Manager https://management.chinacloudapi.cn" in result.stdout
    assert "cannot reach Azure Resource Manager at https://management.chinacloudapi.cn" in result.stdout + result.stderr
    assert {r.query["resource"] for r in arm.identity_requests} == {"https://management.chinacloudapi.cn"}
    assert set(nowhere.connects) == {"management.chinacloudapi.cn:443"} and not arm.requests


def test_the_arm_endpoint_input_wins_over_the_environment_input(
    arm: FakeArm, github: FakeGitHub, tmp_path: Path
) -> None:
    arm.cloud_name, arm.arm_audience = "StackTest", "https://management.stack.test/"
    inputs = {**_run_inputs(arm, "stack"), "environment": "azureusgovernment", "live-log": "false"}
    result = run_step("aibcheck", inputs, _azure(arm, github, tmp_path), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"cloud: StackTest: Resource Manager {arm.url}, sign-in {arm.login_url}" in result.stdout
    assert arm.requests[0].path == "/metadata/endpoints", "the endpoint's own metadata is read"
    assert {r.query["resource"] for r in arm.identity_requests} == {"https://management.stack.test"}


# ---- the run step's plumbing, with a stand-in for Python that records what it was given ---------------------------

RECORDER = """#!{python}
import json, os, sys
keep = [k for k in os.environ if k.startswith("AIBCHECK_") or k in ("AZURE_CLIENT_ID", "AZURE_TENANT_ID", "PYTHONSAFEPATH")]
with open(os.environ["RECORD"], "w") as out:
    json.dump({{"argv": sys.argv[1:], "ppid": os.getppid(), "env": {{k: os.environ[k] for k in keep}}}}, out)
"""


def record(tmp_path: Path, inputs: Mapping[str, str], extra: Mapping[str, str] | None = None) -> dict[str, Any]:
    recorder = tmp_path / "python"
    recorder.write_text(RECORDER.format(python=sys.executable))
    recorder.chmod(0o755)
    env = job_env(tmp_path, {"RECORD": str(tmp_path / "record.json"), **(extra or {})})
    result = run_step("aibcheck", inputs, env, tmp_path, python=str(recorder))
    assert result.returncode == 0, result.stdout + result.stderr
    data: dict[str, Any] = json.loads((tmp_path / "record.json").read_text())
    return data


def test_inputs_arrive_as_variables_empty_ones_not_at_all_and_python_is_execd(tmp_path: Path) -> None:
    hostile = '$(touch pwned) `touch pwned` "; touch pwned; "'
    seen = record(
        tmp_path,
        {"template": hostile, "tags": "a=1\nb=2", "location": "", "poll-seconds": "", "client-id": "app-id"},
        {"AZURE_TENANT_ID": "tenant-from-the-job", "AIBCHECK_LOG_DIR": ""},
    )
    assert seen["argv"] == ["-m", "aibcheck", "run"]
    assert seen["ppid"] == os.getpid(), "the shell execs Python, so the runner's signals reach it"
    assert seen["env"]["AIBCHECK_TEMPLATE"] == hostile and not (ROOT / "pwned").exists()
    assert seen["env"]["AIBCHECK_TAGS"] == "a=1\nb=2"
    assert seen["env"]["AZURE_CLIENT_ID"] == "app-id"
    assert seen["env"]["AZURE_TENANT_ID"] == "tenant-from-the-job", "an empty input keeps the job's own value"
    assert seen["env"]["AIBCHECK_CLOUD"] == "AzureCloud", "the environment input's default, azurecloud"
    assert seen["env"]["PYTHONSAFEPATH"] == "1", "the workspace never comes first on sys.path"
    assert set(seen["env"]) == {
        "AIBCHECK_TEMPLATE",
        "AIBCHECK_TAGS",
        "AIBCHECK_CLOUD",
        "AZURE_CLIENT_ID",
        "AZURE_TENANT_ID",
        "PYTHONSAFEPATH",
    }


@pytest.mark.parametrize(
    ("environment", "cloud"),
    [("azurechinacloud", "AzureChinaCloud"), ("AzureUSGovernment", "AzureUSGovernment"), ("AZURECLOUD", "AzureCloud")],
)
def test_the_environment_input_names_the_cloud(tmp_path: Path, environment: str, cloud: str) -> None:
    assert record(tmp_path, {"environment": environment})["env"]["AIBCHECK_CLOUD"] == cloud


def test_an_unknown_environment_is_an_error_annotation(tmp_path: Path) -> None:
    inputs = {"environment": "azurestack\n::warning::injected"}
    result = run_step("aibcheck", inputs, job_env(tmp_path), tmp_path, python="/nonexistent/python")
    assert result.returncode == 2
    assert result.stdout == (
        "::error title=aibcheck::The environment input must be azurecloud, azurechinacloud or azureusgovernment.\n"
    ), "the value itself is never echoed into a workflow command"


@pytest.mark.parametrize(
    ("inputs", "argv"),
    [
        ({"mode": "attach", "name": "win2022"}, ["attach"]),
        ({"mode": "diagnose", "log-file": "logs/customization.log"}, ["diagnose", "logs/customization.log"]),
        ({"mode": "diagnose", "log-file": "-"}, ["diagnose", "-"]),
    ],
)
def test_mode_chooses_the_command(tmp_path: Path, inputs: dict[str, str], argv: list[str]) -> None:
    assert record(tmp_path, inputs)["argv"] == ["-m", "aibcheck", *argv]


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        ({"mode": "diagnose"}, "::error title=aibcheck::mode diagnose needs the log-file input"),
        ({"mode": "$(touch pwned)"}, "::error title=aibcheck::The mode input must be run, attach or diagnose."),
    ],
)
def test_a_bad_mode_is_an_error_annotation(tmp_path: Path, inputs: dict[str, str], message: str) -> None:
    result = run_step("aibcheck", inputs, job_env(tmp_path), tmp_path, python="/nonexistent/python")
    assert result.returncode == 2 and result.stdout.startswith(message)
    assert not (ROOT / "pwned").exists()


# ---- finding Python, and the setup step -------------------------------------------------------------------------


def fake_pythons(folder: Path, **programs: str) -> Path:
    """Executables on a PATH of their own: "stub" fails like the Microsoft Store's python3.exe on a self-hosted
    Windows runner, "3.10" is a Python too old, "real" is this Python."""
    folder.mkdir()
    for name, kind in programs.items():
        target = folder / name
        if kind == "real":
            target.symlink_to(sys.executable)
            continue
        body = {
            "stub": 'echo "Python was not found; run without arguments to install from the Microsoft Store." >&2\nexit 49',
            "3.10": 'case "$2" in *version_info*) exit 1 ;; *python_version*) echo 3.10.12 ;; esac',
        }[kind]
        target.write_text(f"#!/bin/sh\n{body}\n")
        target.chmod(0o755)
    return folder


def probe(tmp_path: Path, path: Path | str, **extra: str) -> subprocess.CompletedProcess[str]:
    return run_step("probe", {}, job_env(tmp_path, {"PATH": f"{path}:/usr/bin:/bin", **extra}), tmp_path)


@pytest.mark.parametrize(
    ("programs", "chosen"),
    [
        ({"python3": "stub", "python": "real"}, "python"),
        ({"python3": "3.10", "python": "real"}, "python"),
        ({"python3": "real", "python": "stub"}, "python3"),
    ],
)
def test_the_first_python_that_really_runs_3_11_is_taken(tmp_path: Path, programs: dict[str, str], chosen: str) -> None:
    folder = fake_pythons(tmp_path / "bin", **programs)
    result = probe(tmp_path, folder)
    assert result.returncode == 0, result.stdout + result.stderr
    found = outputs(tmp_path / "output.txt")
    assert found["python"] == str(folder / chosen)
    assert found["venv"] == f"{ROOT}/.venv"
    assert re.fullmatch(r"aibcheck-venv-Linux-[\w]+-py3\.\d+\.\d+\w*-[0-9a-f]{32}", found["cache-key"])


def test_setup_refuses_an_old_python_and_a_stub(tmp_path: Path) -> None:
    result = probe(tmp_path, fake_pythons(tmp_path / "bin", python3="3.10", python="stub"))
    assert result.returncode == 1
    assert result.stdout == (
        "::error title=aibcheck::aibcheck needs Python 3.11 or newer, and none was found (python3 is 3.10.12; "
        "python does not run). Add actions/setup-python (python-version: '3.12') before this step.\n"
    )
    assert outputs(tmp_path / "output.txt") == {}


def test_setup_without_python(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = run_step("probe", {}, job_env(tmp_path, {"PATH": str(tmp_path / "empty")}), tmp_path)
    assert result.returncode == 1 and result.stdout.startswith("::error title=aibcheck::No Python on the runner.")


def test_the_cache_key_follows_the_python_and_what_the_environment_is_made_of(tmp_path: Path) -> None:
    folder = fake_pythons(tmp_path / "bin", python3="real")
    keys = []
    for _ in range(2):
        (tmp_path / "output.txt").write_text("")
        assert probe(tmp_path, folder).returncode == 0
        keys.append(outputs(tmp_path / "output.txt")["cache-key"])
    assert keys[0] == keys[1], "the same Python and the same files: the same key"
    assert keys[0].split("-")[4] == "py" + ".".join(map(str, sys.version_info[:3]))
    (tmp_path / "output.txt").write_text("")
    assert probe(tmp_path, folder, AIBCHECK_VENV=str(tmp_path / "mine")).returncode == 0
    found = outputs(tmp_path / "output.txt")
    assert found["venv"] == str(tmp_path / "mine") and "cache-key" not in found, "the job's own venv is not cached"


def test_the_cache_key_changes_with_the_pins(tmp_path: Path) -> None:
    action = tmp_path / "action"
    shutil.copytree(ROOT / "aibcheck", action / "aibcheck", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "requirements-action.txt"):
        shutil.copy(ROOT / name, action / name)
    folder = fake_pythons(tmp_path / "bin", python3="real")
    keys = []
    for change in ("", "\n# another pin\n"):
        with open(action / "requirements-action.txt", "a", encoding="utf-8") as handle:
            handle.write(change)
        (tmp_path / "output.txt").write_text("")
        env = job_env(tmp_path, {"PATH": f"{folder}:/usr/bin:/bin", "GITHUB_ACTION_PATH": str(action)})
        assert run_step("probe", {}, env, tmp_path).returncode == 0
        keys.append(outputs(tmp_path / "output.txt")["cache-key"])
    assert keys[0] != keys[1]


def _pins_match() -> bool:
    try:
        project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
        if version("aibcheck") != project["version"]:
            return False
        for line in (ROOT / "requirements-action.txt").read_text(encoding="utf-8").splitlines():
            pin = re.match(r"([A-Za-z0-9._-]+)==([^\s;\\]+)", line)
            if pin and version(pin[1]) != pin[2]:
                return False
    except PackageNotFoundError:
        return False
    return True


def test_setup_reuses_an_environment_that_is_up_to_date(tmp_path: Path) -> None:
    assert _pins_match(), "scripts/test installs requirements-action.txt: the test environment holds exactly those pins"
    # Any install would fail (no index): the step must not try one.
    env = job_env(tmp_path, {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(tmp_path)})
    steps = {"probe": {"python": sys.executable, "venv": sys.prefix}}
    for _ in range(2):
        result = run_step("setup", {}, env, tmp_path, steps=steps)
        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stdout.strip() == f"aibcheck: reusing the environment in {sys.prefix}"
    python = os.path.join(sys.prefix, "bin", "python")
    assert (tmp_path / "output.txt").read_text() == f"python={python}\n" * 2, "installed=true only after an install"


def test_setup_installs_only_what_the_hashes_allow(tmp_path: Path) -> None:
    """A venv that is not up to date gets an install with --require-hashes: a wheel whose hash is not pinned
    is refused before anything runs (here, the only wheel on offer is a stand-in for one of the pins)."""
    wheels = tmp_path / "wheels"
    wheels.mkdir()
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(tmp_path / "venv")], check=True, capture_output=True
    )
    # pip from this environment, as the venv has none: the stand-in python runs the venv's with this pip on its path.
    pip_path = next(p for p in sys.path if p.endswith("site-packages"))
    wrapper = tmp_path / "python"
    wrapper.write_text(f'#!/bin/sh\nPYTHONPATH={pip_path} exec {tmp_path}/venv/bin/python "$@"\n')
    wrapper.chmod(0o755)
    env = job_env(tmp_path, {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(wheels)})
    steps = {"probe": {"python": str(wrapper), "venv": str(tmp_path / "venv")}}
    result = run_step("setup", {}, env, tmp_path, steps=steps)
    assert result.returncode != 0
    assert "installing aibcheck and its pinned requirements" in result.stdout
    assert "installed=true" not in (tmp_path / "output.txt").read_text()
