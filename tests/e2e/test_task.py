"""The Azure DevOps task: task.json, the Node launcher run as the agent runs it, and the packaged extension.

The launcher runs with `node` in an agent's environment (TF_BUILD, INPUT_*, ENDPOINT_*) against the local ARM
and Azure DevOps fakes; aibcheck runs from this test's own virtual environment (AIBCHECK_VENV).
"""

import json
import os
import re
import shutil
import signal
import stat
import struct
import subprocess
import sys
import time
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest

from tests.fakes.arm import FakeArm, RunScript
from tests.fakes.azdo import FakeAzureDevOps
from tests.fakes.proxy import SuffixProxy
from tests.wrapper_table import INPUTS, TASK_OUTPUTS

ROOT = Path(__file__).resolve().parents[2]
TASK = ROOT / "task"
LAUNCHER = TASK / "launcher.js"
LINUX = ROOT / "examples" / "templates" / "ubuntu-web.json"
SUB, GROUP, PR = "00000000-0000-0000-0000-00000000abcd", "rg-images", 31
CONNECTION = "7a1c9d2e-3b4f-4a5b-8c6d-0e1f2a3b4c5d"
NODE = shutil.which("node")


def camel(name: str) -> str:
    return re.sub(r"-([a-z])", lambda m: m.group(1).upper(), name)


def input_variable(name: str) -> str:
    """What the agent calls an input in the task's environment (task.json's camelCase name, upper-cased)."""
    return "INPUT_" + camel(name).upper()


def task_json() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((TASK / "task.json").read_text(encoding="utf-8"))
    return data


def agent_env(tmp_path: Path, inputs: dict[str, str], **extra: str) -> dict[str, str]:
    """A Node task's environment on an agent: no stray pipeline or Azure variables from this machine."""
    prefixes = ("AZURE", "GITHUB_", "TF_BUILD", "AIBCHECK_", "SYSTEM_", "BUILD_", "AGENT_", "RUNNER_", "INPUT_")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(prefixes) and not k.startswith("ENDPOINT_")}
    return {
        **clean,
        "TF_BUILD": "True",
        "AGENT_TEMPDIRECTORY": str(tmp_path),
        **{input_variable(name): value for name, value in inputs.items()},
        **extra,
    }


def launch(env: dict[str, str], timeout: float = 60, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    assert NODE is not None
    return subprocess.run([NODE, str(LAUNCHER)], capture_output=True, text=True, timeout=timeout, env=env, cwd=cwd)


# A repository's sources directory, the task's working directory, with files that would shadow what Python runs.
TRAPS = {
    "yaml.py": "raise SystemExit('TRAP: the repository yaml.py was imported')\n",
    "venv.py": "raise SystemExit('TRAP: the repository venv.py was run')\n",
    "aibcheck/__init__.py": "",
    "aibcheck/__main__.py": "raise SystemExit('TRAP: the repository aibcheck was run')\n",
}


def sources_with_traps(tmp_path: Path) -> Path:
    sources = tmp_path / "s"
    for name, text in TRAPS.items():
        (sources / name).parent.mkdir(parents=True, exist_ok=True)
        (sources / name).write_text(text, encoding="utf-8")
    return sources


def vso(stdout: str, command: str) -> list[str]:
    return [line for line in stdout.splitlines() if line.startswith(f"##vso[{command}")]


# --- task.json and the manifest -------------------------------------------------------------------------------


def test_task_json_inputs_correspond_to_the_table() -> None:
    task = task_json()
    inputs = {item["name"]: item for item in task["inputs"]}
    assert list(inputs) == [*inputs]  # no duplicates
    assert set(inputs) - {"azureSubscription"} == {camel(name) for name in INPUTS}
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", name) for name in inputs), "the schema's input name pattern"
    assert inputs["azureSubscription"]["type"] == "connectedService:AzureRM"
    groups = {group["name"] for group in task["groups"]}
    assert groups == {"template", "azure", "build", "deadline", "reporting"}
    assert all(item.get("groupName") in groups for item in inputs.values())
    for item in inputs.values():
        if item["type"] == "pickList":
            assert item.get("defaultValue", "") in {*item["options"], ""}, item["name"]
    assert set(inputs["mode"]["options"]) == {"run", "attach", "diagnose"}
    assert [output["name"] for output in task["outputVariables"]] == list(TASK_OUTPUTS)
    assert task["execution"] == {"Node20_1": {"target": "launcher.js"}, "Node24": {"target": "launcher.js"}}
    assert re.fullmatch(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", task["id"])
    assert task["name"] == "AibcheckImageBuilder" and len(task["friendlyName"]) <= 40


def test_the_table_is_the_readme_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, variable in INPUTS.items():
        assert f"| `{name}` | `{variable or '(command)'}` |" in readme or f"| `{name}` | (command) |" in readme, name


def test_versions_move_together() -> None:
    version = "{Major}.{Minor}.{Patch}".format(**task_json()["version"])
    manifest = json.loads((ROOT / "vss-extension.json").read_text(encoding="utf-8"))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert manifest["version"] == version == project["version"]
    (contribution,) = manifest["contributions"]
    assert contribution["type"] == "ms.vss-distributed-task.task" and contribution["properties"]["name"] == "task"
    assert manifest["targets"] == [{"id": "Microsoft.VisualStudio.Services"}]


def png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_package_extension_builds_a_vsix_with_the_task_aibcheck_an_icon_and_an_overview() -> None:
    result = subprocess.run(
        ["bash", str(ROOT / "scripts" / "package-extension"), "--publisher", "contoso-images"],
        capture_output=True,
        text=True,
        timeout=600,  # only a machine without node_modules runs `npm ci` first
        cwd=ROOT,
        env={**os.environ, "PYTHON": sys.executable},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    version = task_json()["version"]
    vsix = ROOT / "dist" / "contoso-images.aibcheck-{Major}.{Minor}.{Patch}.vsix".format(**version)
    assert vsix.is_file()
    with zipfile.ZipFile(vsix) as archive:
        names = set(archive.namelist())
        packed = json.loads(archive.read("task/task.json"))
        manifest = ElementTree.fromstring(archive.read("extension.vsixmanifest"))
        icon = archive.read("extension/icon.png")
        overview = archive.read("extension/overview.md").decode("utf-8")
    assert {"task/task.json", "task/launcher.js", "task/icon.png", "extension.vsixmanifest"} <= names
    assert {"task/aibcheck-src/pyproject.toml", "task/aibcheck-src/aibcheck/__main__.py"} <= names
    assert "task/aibcheck-src/requirements-action.txt" in names, "the hash pins the task installs from"
    assert not [name for name in names if "__pycache__" in name]
    assert packed == task_json()
    ns = {"v": "http://schemas.microsoft.com/developer/vsx-schema/2011"}
    identity = manifest.find("v:Metadata/v:Identity", ns)
    assert identity is not None and identity.get("Publisher") == "contoso-images"
    assets = {a.get("Type"): a.get("Path") for a in manifest.iterfind("v:Assets/v:Asset", ns)}
    # What the Marketplace shows: both must be declared, not only packed.
    assert assets["Microsoft.VisualStudio.Services.Icons.Default"] == "extension/icon.png"
    assert assets["Microsoft.VisualStudio.Services.Content.Details"] == "extension/overview.md"
    assert png_size(icon) == (128, 128)
    assert overview.startswith("# Azure Image Builder (aibcheck)") and "AibcheckImageBuilder@0" in overview


def test_the_icons_are_what_the_script_draws() -> None:
    import draw_icon

    drawn = draw_icon.png(draw_icon.SIZE, [b"".join(draw_icon.pixel(x, y) for x in range(128)) for y in range(128)])
    assert (ROOT / "extension" / "icon.png").read_bytes() == drawn == (TASK / "icon.png").read_bytes()


# --- the launcher with a stand-in Python that records what it was given ----------------------------------------


def stub_venv(tmp_path: Path, exit_code: int = 0) -> tuple[Path, Path]:
    """A directory laid out like a venv whose python writes its argv and environment to a file."""
    venv, record = tmp_path / "venv", tmp_path / "record.json"
    (venv / "bin").mkdir(parents=True)
    python = venv / "bin" / "python"
    python.write_text(
        f"#!{sys.executable}\n"
        "import json, os, sys\n"
        f"json.dump({{'argv': sys.argv[1:], 'env': dict(os.environ)}}, open({str(record)!r}, 'w'))\n"
        f"if {exit_code}: print('aibcheck: error: cannot read x.log', 'expected a file', sep='\\n', file=sys.stderr)\n"
        f"sys.exit({exit_code})\n"
    )
    python.chmod(python.stat().st_mode | stat.S_IXUSR)
    return venv, record


PUBLIC_CLOUD = {
    "environment": "AzureCloud",
    "activeDirectoryAuthority": "https://login.microsoftonline.com/",
    "environmentAuthorityUrl": "https://login.windows.net/",
}
CHINA_CLOUD = {
    "environment": "AzureChinaCloud",
    "activeDirectoryAuthority": "https://login.chinacloudapi.cn/",
    "environmentAuthorityUrl": "https://login.chinacloudapi.cn/",
}


def connection_env(
    scheme: str = "WorkloadIdentityFederation",
    data: dict[str, str] | None = None,
    url: str = "https://management.azure.com/",
    **parameters: str,
) -> dict[str, str]:
    """The endpoint variables the agent sets for an AzureRM connection and for SystemVssConnection.

    As the agent's Handler.AddEndpointsToEnvironment writes them: ENDPOINT_URL_<id>, ENDPOINT_AUTH_<id> (JSON),
    ENDPOINT_AUTH_SCHEME_<id>, ENDPOINT_AUTH_PARAMETER_<id>_<KEY>, ENDPOINT_DATA_<id> (JSON) and
    ENDPOINT_DATA_<id>_<KEY>, each key upper-cased.
    """
    auth_parameters = {"tenantid": "tenant-1", "serviceprincipalid": "client-1", **parameters}
    auth = {"parameters": auth_parameters, "scheme": scheme}
    endpoint_data = {"subscriptionId": "sub-from-connection", **(PUBLIC_CLOUD if data is None else data)}
    return {
        f"ENDPOINT_URL_{CONNECTION}": url,
        f"ENDPOINT_AUTH_{CONNECTION}": json.dumps(auth),
        f"ENDPOINT_AUTH_SCHEME_{CONNECTION}": scheme,
        **{f"ENDPOINT_AUTH_PARAMETER_{CONNECTION}_{k.upper()}": v for k, v in auth_parameters.items()},
        f"ENDPOINT_DATA_{CONNECTION}": json.dumps(endpoint_data),
        **{f"ENDPOINT_DATA_{CONNECTION}_{k.upper()}": v for k, v in endpoint_data.items()},
        "ENDPOINT_AUTH_PARAMETER_SYSTEMVSSCONNECTION_ACCESSTOKEN": "job-access-token",
        "ENDPOINT_AUTH_SYSTEMVSSCONNECTION": json.dumps({"parameters": {"AccessToken": "job-access-token"}}),
        "SYSTEM_OIDCREQUESTURI": "https://dev.azure.com/org/proj/_apis/distributedtask/hubs/build/plans/p/jobs/j/oidctoken",
    }


def test_every_input_becomes_its_variable_and_the_connection_a_pipelines_credential(tmp_path: Path) -> None:
    venv, record = stub_venv(tmp_path)
    values = {name: f"value of {name}" for name in INPUTS if name not in ("mode", "subscription")}
    values["parameters"] = "imageName=web\nversion=1.2.3"
    inputs = {**values, "mode": "run", "subscription": "", "azure-subscription": CONNECTION}
    result = launch(agent_env(tmp_path, inputs, AIBCHECK_VENV=str(venv), **connection_env()))
    assert result.returncode == 0, result.stdout + result.stderr
    assert not vso(result.stdout, "task.complete"), "aibcheck reports the result, not the launcher"
    seen = json.loads(record.read_text())
    assert seen["argv"] == ["-u", "-m", "aibcheck", "run"]
    env = seen["env"]
    for name, value in values.items():
        assert env[INPUTS[name] or ""] == value, name
    assert env["AIBCHECK_SUBSCRIPTION"] == "sub-from-connection", "the connection's subscription by default"
    assert env["AZURESUBSCRIPTION_TENANT_ID"] == "tenant-1"
    assert env["AZURESUBSCRIPTION_CLIENT_ID"] == "client-1"
    assert env["AZURESUBSCRIPTION_SERVICE_CONNECTION_ID"] == CONNECTION
    assert env["SYSTEM_ACCESSTOKEN"] == "job-access-token"
    assert env["SYSTEM_OIDCREQUESTURI"].endswith("/oidctoken"), "the agent's variables pass through"
    assert env["PYTHONUNBUFFERED"] == "1"
    assert env["PYTHONSAFEPATH"] == "1", "the sources directory is the working directory: never first on sys.path"
    assert env["AIBCHECK_ARM_ENDPOINT"] == "value of arm-endpoint", "the armEndpoint input wins over the connection"
    assert env["AIBCHECK_CLOUD"] == "AzureCloud"
    assert env["AZURE_AUTHORITY_HOST"] == "https://login.microsoftonline.com/"


def test_empty_inputs_are_not_passed_and_given_ones_win(tmp_path: Path) -> None:
    venv, record = stub_venv(tmp_path)
    sources = tmp_path / "s"
    inputs = {
        "mode": "attach",
        "name": "win2022",
        "subscription": "sub-given",
        "template": str(sources),  # an empty filePath input: the agent passes the sources directory
        "location": "   ",
        "azure-subscription": CONNECTION,
    }
    env = agent_env(tmp_path, inputs, AIBCHECK_VENV=str(venv), SYSTEM_DEFAULTWORKINGDIRECTORY=f"{sources}/")
    env.update(connection_env())
    env.pop(f"ENDPOINT_AUTH_{CONNECTION}")  # the parameters are read from their own variables too
    env[f"ENDPOINT_AUTH_PARAMETER_{CONNECTION}_TENANTID"] = "tenant-2"
    env[f"ENDPOINT_AUTH_PARAMETER_{CONNECTION}_SERVICEPRINCIPALID"] = "client-2"
    env["SYSTEM_ACCESSTOKEN"] = "mapped-by-the-pipeline"
    result = launch(env)
    assert result.returncode == 0, result.stdout + result.stderr
    seen = json.loads(record.read_text())
    assert seen["argv"][-1] == "attach"
    aibcheck = {k: v for k, v in seen["env"].items() if k.startswith("AIBCHECK_")}
    assert aibcheck == {
        "AIBCHECK_TEMPLATE_NAME": "win2022",
        "AIBCHECK_SUBSCRIPTION": "sub-given",
        "AIBCHECK_VENV": str(venv),
        "AIBCHECK_ARM_ENDPOINT": "https://management.azure.com/",  # the connection's URL
        "AIBCHECK_CLOUD": "AzureCloud",
    }
    assert seen["env"]["AZURESUBSCRIPTION_TENANT_ID"] == "tenant-2"
    assert seen["env"]["AZURESUBSCRIPTION_CLIENT_ID"] == "client-2"
    assert seen["env"]["SYSTEM_ACCESSTOKEN"] == "mapped-by-the-pipeline"


def test_a_service_principal_with_a_secret_goes_to_the_environment_credential(tmp_path: Path) -> None:
    venv, record = stub_venv(tmp_path)
    env = agent_env(tmp_path, {"azure-subscription": CONNECTION}, AIBCHECK_VENV=str(venv))
    env.update(connection_env("ServicePrincipal", authenticationType="spnKey", serviceprincipalkey="s3cret"))
    assert launch(env).returncode == 0
    seen = json.loads(record.read_text())["env"]
    assert (seen["AZURE_TENANT_ID"], seen["AZURE_CLIENT_ID"], seen["AZURE_CLIENT_SECRET"]) == (
        "tenant-1",
        "client-1",
        "s3cret",
    )
    assert "AZURESUBSCRIPTION_CLIENT_ID" not in seen, "AzurePipelinesCredential is for workload identity only"


def test_a_sovereign_cloud_service_principal_talks_to_its_own_cloud(tmp_path: Path) -> None:
    venv, record = stub_venv(tmp_path)
    env = agent_env(tmp_path, {"azure-subscription": CONNECTION}, AIBCHECK_VENV=str(venv))
    env.update(
        connection_env(
            "ServicePrincipal",
            data=CHINA_CLOUD,
            url="https://management.chinacloudapi.cn/",
            authenticationType="spnKey",
            serviceprincipalkey="s3cret",
        )
    )
    env.pop(f"ENDPOINT_DATA_{CONNECTION}")  # the single data variables are enough
    assert launch(env).returncode == 0
    seen = json.loads(record.read_text())["env"]
    assert seen["AIBCHECK_ARM_ENDPOINT"] == "https://management.chinacloudapi.cn/"
    assert seen["AIBCHECK_CLOUD"] == "AzureChinaCloud"
    assert seen["AZURE_AUTHORITY_HOST"] == "https://login.chinacloudapi.cn/"
    assert (seen["AZURE_TENANT_ID"], seen["AZURE_CLIENT_ID"], seen["AZURE_CLIENT_SECRET"]) == (
        "tenant-1",
        "client-1",
        "s3cret",
    )


def test_a_us_government_workload_identity_connection_keeps_its_older_authority_field(tmp_path: Path) -> None:
    venv, record = stub_venv(tmp_path)
    env = agent_env(tmp_path, {"azure-subscription": CONNECTION}, AIBCHECK_VENV=str(venv))
    data = {"environment": "AzureUSGovernment", "environmentAuthorityUrl": "https://login.microsoftonline.us/"}
    env.update(connection_env(data=data, url="https://management.usgovcloudapi.net/"))
    for key in [k for k in env if k.startswith(f"ENDPOINT_DATA_{CONNECTION}_")]:
        del env[key]  # only the JSON form
    assert launch(env).returncode == 0
    seen = json.loads(record.read_text())["env"]
    assert seen["AIBCHECK_ARM_ENDPOINT"] == "https://management.usgovcloudapi.net/"
    assert seen["AIBCHECK_CLOUD"] == "AzureUSGovernment"
    assert seen["AZURE_AUTHORITY_HOST"] == "https://login.microsoftonline.us/"
    assert seen["AZURESUBSCRIPTION_SERVICE_CONNECTION_ID"] == CONNECTION


def test_a_user_assigned_managed_identity_connection_names_its_identity(tmp_path: Path) -> None:
    venv, record = stub_venv(tmp_path)
    env = agent_env(tmp_path, {"azure-subscription": CONNECTION}, AIBCHECK_VENV=str(venv))
    env.update(connection_env("ManagedServiceIdentity", data={**PUBLIC_CLOUD, "msiclientId": "uami-client-id"}))
    assert launch(env).returncode == 0
    seen = json.loads(record.read_text())["env"]
    assert seen["AZURE_CLIENT_ID"] == "uami-client-id", "else azure-identity asks for the system-assigned identity"
    assert "AZURE_CLIENT_SECRET" not in seen and "AZURESUBSCRIPTION_CLIENT_ID" not in seen
    assert seen["AIBCHECK_SUBSCRIPTION"] == "sub-from-connection"


def test_a_system_assigned_managed_identity_sets_no_client_id(tmp_path: Path) -> None:
    venv, record = stub_venv(tmp_path)
    env = agent_env(tmp_path, {"azure-subscription": CONNECTION}, AIBCHECK_VENV=str(venv))
    env.update(connection_env("ManagedServiceIdentity"))
    assert launch(env).returncode == 0
    assert "AZURE_CLIENT_ID" not in json.loads(record.read_text())["env"]


# --- finding Python ---------------------------------------------------------------------------------------------


def fake_pythons(folder: Path, **programs: str) -> Path:
    """Executables on a PATH of their own: "stub" fails like the Microsoft Store's python3.exe, "3.10" is too old,
    "real" is this Python, "py" is this Python behind the Windows launcher's `-3`."""
    folder.mkdir()
    for name, kind in programs.items():
        target = folder / name
        if kind == "real":
            target.symlink_to(sys.executable)
            continue
        body = {
            "stub": 'echo "Python was not found; run without arguments to install from the Microsoft Store." >&2\nexit 49',
            "3.10": 'echo "3.10"',
            "py": f'[ "$1" = -3 ] && shift; exec {sys.executable} "$@"',  # the Windows launcher, `py -3`
        }[kind]
        target.write_text(f"#!/bin/sh\n{body}\n")
        target.chmod(0o755)
    return folder


def find_python(path: Path, platform: str = "") -> subprocess.CompletedProcess[str]:
    assert NODE is not None
    script = (
        "const l = require(process.argv[1]);"
        "try { console.log(JSON.stringify(l.findPython(process.env, process.argv[2] || process.platform))); }"
        "catch (e) { console.log('ERROR ' + e.message); }"
    )
    env = {"PATH": str(path), "HOME": str(path)}
    return subprocess.run([NODE, "-e", script, str(LAUNCHER), platform], capture_output=True, text=True, env=env)


@pytest.mark.parametrize(
    ("programs", "chosen"),
    [
        ({"python3": "stub", "python": "real"}, ["python"]),
        ({"python3": "3.10", "python": "real"}, ["python"]),
        ({"python3": "real", "python": "stub"}, ["python3"]),
    ],
)
def test_the_first_python_that_really_runs_3_11_is_taken(
    tmp_path: Path, programs: dict[str, str], chosen: list[str]
) -> None:
    result = find_python(fake_pythons(tmp_path / "bin", **programs))
    found = json.loads(result.stdout)
    assert found["command"] == chosen and found["version"] == list(sys.version_info[:2])


def test_no_usable_python_is_a_clear_failure(tmp_path: Path) -> None:
    result = find_python(fake_pythons(tmp_path / "bin", python3="3.10", python="stub"))
    assert result.stdout.startswith(
        "ERROR aibcheck needs Python 3.11 or newer on the agent (python3: 3.10; python: not"
    )
    assert "UsePythonVersion@0" in result.stdout


def test_on_windows_the_python_on_path_comes_before_the_launcher(tmp_path: Path) -> None:
    # `py -3` picks the newest installed Python, not the one UsePythonVersion@0 put on PATH.
    result = find_python(fake_pythons(tmp_path / "bin", python="real", py="py"), "win32")
    assert json.loads(result.stdout)["command"] == ["python"]
    result = find_python(fake_pythons(tmp_path / "bin2", python="stub", py="py"), "win32")
    assert json.loads(result.stdout)["command"] == ["py", "-3"]


def test_diagnose_mode_and_an_error_aibcheck_could_not_report(tmp_path: Path) -> None:
    venv, record = stub_venv(tmp_path, exit_code=2)
    inputs = {"mode": "diagnose", "log-file": "logs/customization.log"}
    result = launch(agent_env(tmp_path, inputs, AIBCHECK_VENV=str(venv)))
    assert result.returncode == 0, "the agent takes a non-zero exit for its own failure"
    assert json.loads(record.read_text())["argv"] == ["-u", "-m", "aibcheck", "diagnose", "logs/customization.log"]
    (complete,) = vso(result.stdout, "task.complete")
    assert complete == (
        "##vso[task.complete result=Failed]aibcheck ended with exit code 2: aibcheck: error: cannot read x.log expected a file"
    ), "aibcheck exits 2 on bad input without a ##vso result: the launcher gives one, with aibcheck's own words"
    assert "expected a file" in result.stderr, "aibcheck's error output is relayed"


@pytest.mark.parametrize(
    ("inputs", "extra", "message"),
    [
        ({"mode": "diagnose"}, {}, "mode diagnose needs the logFile input"),
        ({"mode": "build"}, {}, 'unknown mode "build"'),
        ({}, {"AIBCHECK_PYTHON": "/nonexistent/python3"}, "needs Python 3.11 or newer"),
        ({}, {"AIBCHECK_VENV": "/nonexistent/venv"}, "AIBCHECK_VENV=/nonexistent/venv has no"),
    ],
)
def test_the_task_fails_clearly_when_it_cannot_start(
    tmp_path: Path, inputs: dict[str, str], extra: dict[str, str], message: str
) -> None:
    result = launch(agent_env(tmp_path, {"log-file": "", **inputs}, **extra))
    assert result.returncode == 0
    (complete,) = vso(result.stdout, "task.complete")
    assert complete.startswith("##vso[task.complete result=Failed]") and message in complete
    assert any(message in line for line in vso(result.stdout, "task.logissue type=error"))


def test_a_venv_that_cannot_be_made_fails_the_task_and_leaves_nothing_half_made(tmp_path: Path) -> None:
    tools = tmp_path / "tools"
    env = agent_env(
        tmp_path,
        {"mode": "run"},
        AGENT_TOOLSDIRECTORY=str(tools),
        AIBCHECK_PYTHON=sys.executable,
        AIBCHECK_PIP_ARGS="--no-index",  # nothing can be installed: and no test reaches a package index
    )
    result = launch(env, timeout=120, cwd=sources_with_traps(tmp_path))  # `python -m venv` passes over venv.py
    assert result.returncode == 0
    (complete,) = vso(result.stdout, "task.complete")
    assert (
        "could not prepare its Python environment: pip install --require-hashes -r requirements-action.txt failed"
        in complete
    )
    assert "##[group]aibcheck " in result.stdout and "##[endgroup]" in result.stdout
    left = [path.relative_to(tools).as_posix() for path in tools.rglob("*")]
    assert left == ["aibcheck", "aibcheck/0.1.0"], "no half-made venv to be taken for a ready one next time"


# --- the launcher running the real aibcheck against the local ARM and Azure DevOps ----------------------------


@pytest.fixture
def arm() -> Iterator[FakeArm]:
    with FakeArm() as server:
        yield server


@pytest.fixture
def azdo() -> Iterator[FakeAzureDevOps]:
    with FakeAzureDevOps() as server:
        yield server


def this_venv() -> str:
    if not (Path(sys.prefix) / "bin" / "python").exists():
        pytest.skip("the tests do not run in a virtual environment")
    return sys.prefix


def pipeline_env(arm: FakeArm, azdo: FakeAzureDevOps, tmp_path: Path, **inputs: str) -> dict[str, str]:
    defaults = {
        "mode": "run",
        "template": str(LINUX),
        "subscription": SUB,
        "resource-group": GROUP,
        "arm-endpoint": arm.url,
        "poll-seconds": "0.02",
        "live-log": "false",
        "delete-template": "on-success",
        "if-exists": "fail",
        "on-deadline": "detach",
        "on-cancel": "report",
        "preflight": "off",  # the fake subscription is empty: its online checks would refuse the build
    }
    return agent_env(
        tmp_path,
        {**defaults, **{key.replace("_", "-"): value for key, value in inputs.items()}},
        BUILD_REASON="PullRequest",
        BUILD_REPOSITORY_PROVIDER="TfsGit",
        SYSTEM_COLLECTIONURI=azdo.url,
        SYSTEM_TEAMPROJECT=azdo.project,
        BUILD_REPOSITORY_ID=azdo.repository_id,
        SYSTEM_PULLREQUEST_PULLREQUESTID=str(PR),
        SYSTEM_ACCESSTOKEN=azdo.token,
        AIBCHECK_VENV=this_venv(),
        REQUESTS_CA_BUNDLE=arm.ca_path,
        **arm.identity_env,
    )


def outputs(stdout: str) -> dict[str, str]:
    found = {}
    for line in vso(stdout, "task.setvariable"):
        match = re.fullmatch(r"##vso\[task\.setvariable variable=([^;]+);isoutput=true\](.*)", line)
        assert match, line
        found[match.group(1)] = unescape(match.group(2))
    return found


def unescape(value: str) -> str:
    """The agent's decoding of a logging command's value (CommandStringConvertor), '%' last."""
    for escaped, raw in (("%3B", ";"), ("%0D", "\r"), ("%0A", "\n"), ("%5D", "]"), ("%AZP25", "%")):
        value = value.replace(escaped, raw)
    return value


def test_a_successful_build_through_the_task(arm: FakeArm, azdo: FakeAzureDevOps, tmp_path: Path) -> None:
    result = launch(pipeline_env(arm, azdo, tmp_path, name="web", comment="always"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "] Succeeded" in result.stdout
    assert vso(result.stdout, "task.complete")[-1] == "##vso[task.complete result=Succeeded]"
    assert not vso(result.stdout, "task.logissue type=error")
    found = outputs(result.stdout)
    assert found["runState"] == "Succeeded"
    assert found["imageId"].startswith("/subscriptions/") and found["templateId"].endswith("/imageTemplates/web")
    assert found["stagingResourceGroup"].startswith(f"/subscriptions/{SUB}/resourceGroups/IT_")
    assert found["templateName"] == "web" and json.loads(found["runOutputs"])[0]["properties"]["artifactId"]
    assert set(found) <= set(TASK_OUTPUTS), "every output variable is declared in task.json"
    (upload,) = vso(result.stdout, "task.uploadsummary")
    assert Path(upload.split("]", 1)[1]).read_text(encoding="utf-8").startswith("### ✅ aibcheck")
    (thread,) = azdo.threads[PR]
    assert thread["comments"][0]["content"].startswith("### ✅ aibcheck")
    assert any(r.method == "DELETE" and r.path.endswith("/imageTemplates/web") for r in arm.requests)


def test_a_failed_build_through_the_task(arm: FakeArm, azdo: FakeAzureDevOps, tmp_path: Path) -> None:
    arm.set_run_script(RunScript.failure())
    result = launch(pipeline_env(arm, azdo, tmp_path, name="broken"))
    assert result.returncode == 0, "the failure is reported with ##vso, never with the exit code"
    stdout = result.stdout
    assert "category:   log-needed" in stdout  # the fake has no log to fetch: the status names only its place
    errors = vso(stdout, "task.logissue type=error")
    assert errors, stdout
    found = outputs(stdout)
    assert found["runState"] == "Failed" and found["category"] == "log-needed"
    assert found["templateId"].endswith("/imageTemplates/broken")
    assert set(found) <= set(TASK_OUTPUTS), "every output variable is declared in task.json"
    (upload,) = vso(stdout, "task.uploadsummary")
    assert Path(upload.split("]", 1)[1]).read_text(encoding="utf-8").startswith("### ❌ aibcheck")
    assert vso(stdout, "task.complete") == ["##vso[task.complete result=Failed]"], "aibcheck's own verdict only"
    (thread,) = azdo.threads[PR]
    assert thread["comments"][0]["content"].startswith("### ❌ aibcheck")
    assert thread["comments"][0]["author"]["displayName"] == azdo.build_service


def test_the_sources_directory_never_shadows_aibcheck(tmp_path: Path) -> None:
    sources = sources_with_traps(tmp_path)
    shutil.copy(ROOT / "examples" / "customization-failed.log", sources / "customization.log")
    env = agent_env(tmp_path, {"mode": "diagnose", "log-file": "customization.log"}, AIBCHECK_VENV=this_venv())
    env["BUILD_SOURCESDIRECTORY"] = str(sources)
    result = launch(env, cwd=sources)
    assert "TRAP" not in result.stdout + result.stderr
    assert "category:   package-manager-busy" in result.stdout
    assert "##vso[task.setvariable variable=failedCustomizer;isoutput=true]shell" in result.stdout
    # The same Python started there without PYTHONSAFEPATH does fall into the trap.
    python = Path(this_venv()) / "bin" / "python"
    plain = subprocess.run([str(python), "-m", "aibcheck", "--help"], capture_output=True, text=True, cwd=sources)
    assert "TRAP: the repository aibcheck was run" in plain.stderr


def test_a_user_assigned_identity_connection_builds_against_the_connection_s_arm(
    arm: FakeArm, azdo: FakeAzureDevOps, tmp_path: Path
) -> None:
    """No armEndpoint input: the ARM URL comes from ENDPOINT_URL_<id>, the identity from the connection's msiclientId."""
    env = pipeline_env(arm, azdo, tmp_path, name="web", arm_endpoint="", subscription="")
    env[input_variable("azure-subscription")] = CONNECTION
    env.update(
        connection_env("ManagedServiceIdentity", data={**PUBLIC_CLOUD, "msiclientId": "uami-1"}, url=arm.url + "/")
    )  # with the slash the agent gives
    env.update(
        {
            f"ENDPOINT_DATA_{CONNECTION}_SUBSCRIPTIONID": SUB,
            f"ENDPOINT_DATA_{CONNECTION}": json.dumps({"subscriptionId": SUB}),
        }
    )
    result = launch(env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert vso(result.stdout, "task.complete")[-1] == "##vso[task.complete result=Succeeded]"
    assert outputs(result.stdout)["runState"] == "Succeeded"
    assert arm.requests and all(f"/subscriptions/{SUB}/" in r.path for r in arm.requests if "imageTemplates" in r.path)
    assert arm.identity_requests, "aibcheck signed in with the managed identity"
    for request in arm.identity_requests:
        assert request.query.get("client_id") == "uami-1", "the user-assigned identity, never the system one"
    assert {r.query["resource"].rstrip("/") for r in arm.identity_requests} == {arm.url.rstrip("/")}


def test_sigint_to_the_launcher_reaches_aibcheck(arm: FakeArm, azdo: FakeAzureDevOps, tmp_path: Path) -> None:
    arm.set_run_script(RunScript(states=[("Running", "Building", "")] * 400, outcome="Succeeded", final_message=""))
    assert NODE is not None
    node = subprocess.Popen(
        [NODE, str(LAUNCHER)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=ROOT,
        env=pipeline_env(arm, azdo, tmp_path, name="interrupted", poll_seconds="0.05"),
    )
    assert node.stdout is not None
    seen = ""
    for line in node.stdout:
        seen += line
        if "Running · Building" in line:
            break
    started = time.monotonic()
    node.send_signal(signal.SIGINT)  # the agent signals the task's entry process only
    rest, _ = node.communicate(timeout=30)
    out = seen + rest
    assert time.monotonic() - started < 7.5, "within the agent's grace before SIGTERM"
    assert node.returncode == 0, out
    assert "aibcheck stopped: the pipeline sent SIGINT" in out
    assert "aibcheck attach --template interrupted" in out
    assert "aibcheck ended with" not in out, "a cancelled step is the agent's to report"
    assert not any(r.method == "POST" and r.path.endswith("/cancel") for r in arm.requests)


def test_bad_input_fails_the_step_with_aibcheck_s_message(arm: FakeArm, azdo: FakeAzureDevOps, tmp_path: Path) -> None:
    result = launch(pipeline_env(arm, azdo, tmp_path, template=str(tmp_path / "missing.json")))
    assert result.returncode == 0
    (complete,) = vso(result.stdout, "task.complete")
    assert complete.startswith("##vso[task.complete result=Failed]aibcheck ended with exit code 2: ")
    assert "missing.json" in complete
    assert not arm.requests


def sovereign_connection_env(
    arm: FakeArm, azdo: FakeAzureDevOps, tmp_path: Path, proxy: SuffixProxy, scheme: str, data: dict[str, str], url: str,
    **parameters: str,
) -> dict[str, str]:
    """A run through a connection in a national cloud: its URL, environment and authority reach aibcheck, and a
    proxy that refuses every host keeps what aibcheck then sends on this machine."""
    env = pipeline_env(arm, azdo, tmp_path, name="national", arm_endpoint="", subscription="")
    env[input_variable("azure-subscription")] = CONNECTION
    env.update(connection_env(scheme, data=data, url=url, **parameters))
    env.update({"HTTPS_PROXY": proxy.url, "HTTP_PROXY": proxy.url, "NO_PROXY": "127.0.0.1,localhost"})
    return env


def test_an_azure_china_service_principal_signs_in_at_azure_china(
    arm: FakeArm, azdo: FakeAzureDevOps, tmp_path: Path
) -> None:
    with SuffixProxy({}) as nowhere:
        env = sovereign_connection_env(
            arm, azdo, tmp_path, nowhere, "ServicePrincipal", CHINA_CLOUD, "https://management.chinacloudapi.cn/",
            authenticationType="spnKey", serviceprincipalkey="s3cret",
        )  # fmt: skip
        for name in arm.identity_env:
            env.pop(name)  # no managed identity to fall back on
        result = launch(env)
    out = result.stdout + result.stderr
    assert "cloud: AzureChinaCloud: Resource Manager https://management.chinacloudapi.cn, sign-in" in out
    assert "cannot reach the sign-in endpoint https://login.chinacloudapi.cn" in out
    assert set(nowhere.connects) == {"login.chinacloudapi.cn:443"}, "the connection's authority, nothing public"
    assert not arm.requests, "the connection's ARM URL is a known cloud's: its endpoints needed no request"


def test_a_us_government_managed_identity_asks_for_the_us_government_audience(
    arm: FakeArm, azdo: FakeAzureDevOps, tmp_path: Path
) -> None:
    data = {"environment": "AzureUSGovernment", "environmentAuthorityUrl": "https://login.microsoftonline.us/"}
    with SuffixProxy({}) as nowhere:
        env = sovereign_connection_env(
            arm, azdo, tmp_path, nowhere, "ManagedServiceIdentity", data, "https://management.usgovcloudapi.net/"
        )
        result = launch(env)
    out = result.stdout + result.stderr
    assert "cloud: AzureUSGovernment: Resource Manager https://management.usgovcloudapi.net" in out
    assert "cannot reach Azure Resource Manager at https://management.usgovcloudapi.net" in out
    assert {r.query["resource"] for r in arm.identity_requests} == {"https://management.core.usgovcloudapi.net"}
    assert set(nowhere.connects) == {"management.usgovcloudapi.net:443"}
    assert vso(result.stdout, "task.complete")[-1].startswith("##vso[task.complete result=Failed]")


def test_an_azure_stack_connection_builds_with_the_audience_its_arm_publishes(
    arm: FakeArm, azdo: FakeAzureDevOps, tmp_path: Path
) -> None:
    """AzureStack names no endpoints: the connection's ARM URL is read for them, and its audience is not its URL."""
    arm.cloud_name, arm.arm_audience = "AzureStack-User", "https://management.stack.test/5b0e9c2d"
    env = pipeline_env(arm, azdo, tmp_path, name="stacked", arm_endpoint="", subscription="")
    env[input_variable("azure-subscription")] = CONNECTION
    data = {"environment": "AzureStack", "activeDirectoryAuthority": f"{arm.login_url}/", "subscriptionId": SUB}
    env.update(connection_env("ManagedServiceIdentity", data=data, url=arm.url + "/"))
    result = launch(env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert vso(result.stdout, "task.complete")[-1] == "##vso[task.complete result=Succeeded]"
    assert f"cloud: AzureStack-User: Resource Manager {arm.url}, sign-in {arm.login_url}" in result.stdout
    assert {r.query["resource"] for r in arm.identity_requests} == {"https://management.stack.test/5b0e9c2d"}
