"""The wrappers and the CLI agree: inputs, the AIBCHECK_* variables they become, and the outputs.

The shared table (tests/wrapper_table.py) is the contract: each input of both wrappers and the environment
variable it becomes, and each output under its two spellings. The CLI is checked by building its parser with
each variable set and reading the parsed value back; action.yml, task/task.json, the launcher and README.md are
read; what aibcheck really writes is checked end to end in tests/e2e/test_action.py and test_task.py.
"""

import json
import re
import tomllib
from collections.abc import Iterator
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from aibcheck.cli import parse_settings
from aibcheck.settings import OPTIONS, Option
from tests.wrapper_table import INPUTS, OUTPUTS, TASK_OUTPUTS, camel

ROOT = Path(__file__).resolve().parents[2]
ACTION = ROOT / "action.yml"
TASK = ROOT / "task" / "task.json"
REQUIREMENTS = ROOT / "requirements-action.txt"

# Inputs of the GitHub Action only, and what they become.
ACTION_ONLY = {
    "mode": "AIBCHECK_MODE",
    "github-token": "AIBCHECK_GITHUB_TOKEN",
    "client-id": "AZURE_CLIENT_ID",
    "tenant-id": "AZURE_TENANT_ID",
    "environment": "AIBCHECK_CLOUD",
}
# Inputs of the Action's own setup, which never reach aibcheck.
ACTION_SETUP = {"cache"}
SHA_PINNED = re.compile(r"[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}")

def _action() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    return data


def _step(action: dict[str, Any], step_id: str) -> dict[str, Any]:
    (step,) = [s for s in action["runs"]["steps"] if s.get("id") == step_id]
    return dict(step)


def test_the_action_has_exactly_the_shared_inputs_and_its_own() -> None:
    assert set(_action()["inputs"]) == set(INPUTS) | set(ACTION_ONLY) | ACTION_SETUP
    assert "timeout-minutes" not in _action()["inputs"], "it would read as the step's own timeout-minutes"


def test_every_input_reaches_aibcheck_only_through_its_variable() -> None:
    action = _action()
    env = _step(action, "aibcheck")["env"]
    wanted = {**{name: var for name, var in INPUTS.items() if var}, **ACTION_ONLY}
    for name, variable in wanted.items():
        expression = re.fullmatch(r"\$\{\{\s*inputs\.([\w-]+)(\s*\|\|\s*env\.(\w+))?\s*\}\}", str(env.get(variable)))
        assert expression, f"{variable} must be set from inputs.{name}"
        assert expression.group(1) == name, f"{variable} comes from inputs.{expression.group(1)}, not inputs.{name}"
        assert expression.group(3) in (None, variable), "a fallback may only keep the job's own value"
    from_inputs = {v for v, e in env.items() if "inputs." in str(e)}
    assert from_inputs == set(wanted.values()), "no input reaches aibcheck under a second name"
    for step in action["runs"]["steps"]:
        assert "${{" not in step.get("run", ""), f"step {step.get('id')}: an expression inside run: is script injection"
        assert step.get("shell") == "bash" if "run" in step else SHA_PINNED.fullmatch(step["uses"]), step["id"]
    assert env["PYTHONSAFEPATH"] == "1", "the user's repository must not shadow aibcheck's modules"


def test_the_remote_actions_are_pinned_by_commit_with_their_version_in_a_comment() -> None:
    text = ACTION.read_text(encoding="utf-8")
    uses = re.findall(r"^\s*uses: (\S+)(.*)$", text, re.MULTILINE)
    assert {u for u, _ in uses} == {
        "actions/cache/restore@27d5ce7f107fe9357f9df03efb73ab90386fccae",
        "actions/cache/save@27d5ce7f107fe9357f9df03efb73ab90386fccae",
    }
    assert all(comment.strip() == "# v5.0.5" for _, comment in uses)
    steps = {s["id"]: s for s in _action()["runs"]["steps"]}
    for step_id in ("restore", "save"):
        assert steps[step_id]["if"].startswith("inputs.cache == 'true'"), "the cache can be turned off"
        assert steps[step_id]["with"] == {
            "path": "${{ steps.probe.outputs.venv }}",
            "key": "${{ steps.probe.outputs.cache-key }}",
        }
    assert "steps.setup.outputs.installed == 'true'" in steps["save"]["if"], "saved only when just installed"
    assert _action()["inputs"]["cache"]["default"] == "true"


def test_the_run_step_execs_the_command_that_mode_chooses() -> None:
    run = _step(_action(), "aibcheck")["run"]
    assert 'exec "$py" -m aibcheck "$mode"' in run and "run | attach)" in run
    assert 'exec "$py" -m aibcheck diagnose "$AIBCHECK_LOG_FILE"' in run
    assert "if:" not in _step(_action(), "aibcheck"), "an if: always() step is not signalled on cancellation"


def test_the_action_is_composite_branded_and_has_the_outputs() -> None:
    action = _action()
    assert action["runs"]["using"] == "composite"
    assert action["branding"]["icon"] and action["branding"]["color"]
    assert action["inputs"]["github-token"]["default"] == "${{ github.token }}"
    assert action["inputs"]["mode"]["default"] == "run"
    assert [o for o in action["inputs"] if action["inputs"][o].get("required")] == []
    assert tuple(action["outputs"]) == OUTPUTS
    for name, output in action["outputs"].items():
        assert output["value"] == f"${{{{ steps.aibcheck.outputs.{name} }}}}"
        assert output["description"]


def test_the_readme_lists_every_output_under_both_names() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, task_name in zip(OUTPUTS, TASK_OUTPUTS, strict=True):
        assert f"| `{name}` | `{task_name}` |" in readme, name
    assert readme.count("`run-state`") >= 3 and "`runState`" in readme


def test_aibcheck_writes_every_output_of_the_wrappers() -> None:
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "aibcheck").rglob("*.py"))
    for name in OUTPUTS:
        assert f'"{name}"' in source, f"aibcheck never sets the output {name}"


SAMPLES: dict[str, tuple[str, Any]] = {
    "int": ("15", 15),
    "float": ("7.5", 7.5),
    "bool": ("false", False),
    "lines": ("a=1\nb=x y", {"a": "1", "b": "x y"}),
    "url": ("https://management.usgovcloudapi.net/", "https://management.usgovcloudapi.net"),
    "text": ("value-1", "value-1"),
}
POSITIONAL = {"diagnose": ["x.log"], "template": ["t.json"], "preflight": ["t.json"]}


def _variable_cases() -> Iterator[tuple[str, Option, str]]:
    for option in OPTIONS:
        if option.env:
            for command in option.commands:
                yield option.env, option, command


@pytest.mark.parametrize(("variable", "option", "command"), list(_variable_cases()))
def test_the_cli_reads_each_variable(variable: str, option: Option, command: str) -> None:
    value, parsed = (option.choices[-1], option.choices[-1]) if option.kind == "choice" else SAMPLES[option.kind]
    settings = parse_settings([command, *POSITIONAL.get(command, [])], {variable: value})
    assert getattr(settings, option.field) == parsed
    assert settings.named(option.field) == variable, "messages name the variable the value came from"


def test_every_variable_of_the_table_is_read_and_named_alike() -> None:
    variables = {option.env for option in OPTIONS if option.env}
    wrapper = {v for v in INPUTS.values() if v} - {"AIBCHECK_LOG_FILE"}  # the log file is diagnose's argument
    assert wrapper <= variables, f"no option reads {sorted(wrapper - variables)}"
    for option in OPTIONS:
        if option.input:
            assert INPUTS.get(option.input) == option.env, f"the input {option.input} must set {option.env}"
    github = (ROOT / "aibcheck" / "ci" / "github.py").read_text(encoding="utf-8")
    assert 'env.get("AIBCHECK_GITHUB_TOKEN")' in github


def test_the_task_has_the_same_inputs_and_outputs() -> None:
    task = json.loads(TASK.read_text(encoding="utf-8-sig"))
    names = {i["name"] for i in task.get("inputs", [])}
    missing = {camel(name) for name in INPUTS} - names
    assert not missing, f"task.json lacks the inputs {sorted(missing)}"
    assert tuple(o["name"] for o in task["outputVariables"]) == TASK_OUTPUTS
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9]*", name) for name in TASK_OUTPUTS), "readable from a script"


def test_the_task_launcher_maps_each_input_to_its_variable() -> None:
    launcher = TASK.parent / "launcher.js"
    pairs = dict(re.findall(r"\[\s*'([a-z-]+)'\s*,\s*'(AIBCHECK_\w+)'\s*\]", launcher.read_text(encoding="utf-8")))
    assert pairs == {name: variable for name, variable in INPUTS.items() if variable}


PIN = re.compile(r"([A-Za-z0-9._-]+)==([^\s;\\]+)")


def _pins() -> dict[str, tuple[str, str, list[str]]]:
    """requirements-action.txt: name -> (name, version, sha256 hashes), continuation lines joined."""
    text = re.sub(r"\\\n", " ", REQUIREMENTS.read_text(encoding="utf-8"))
    pins: dict[str, tuple[str, str, list[str]]] = {}
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            pin = PIN.match(line)
            assert pin, f"requirements-action.txt: {line[:60]!r} is not pinned with =="
            hashes = re.findall(r"--hash=sha256:([0-9a-f]{64})", line)
            pins[canonicalize_name(pin[1])] = (pin[1], pin[2], hashes)
    return pins


def test_every_pin_has_hashes_for_require_hashes() -> None:
    pins = _pins()
    assert len(pins) >= 20
    for name, (_, _, hashes) in pins.items():
        assert hashes, f"{name} has no --hash: pip install --require-hashes would refuse the file"
    assert "hatchling" in pins, "the build backend, for installing aibcheck without build isolation"


def test_the_action_requirements_pin_the_runtime_dependencies_and_theirs() -> None:
    pins = _pins()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [Requirement(r) for r in project["dependencies"]]
    for name, version, _ in pins.values():
        try:
            installed = distribution(name)
        except PackageNotFoundError:
            continue
        if installed.version == version:
            wanted += [Requirement(r) for r in installed.requires or []]
    for requirement in wanted:
        if requirement.marker and not requirement.marker.evaluate({"extra": ""}):
            continue
        pinned = pins.get(canonicalize_name(requirement.name))
        assert pinned, f"{requirement.name} is needed at run time and is not in requirements-action.txt"
        assert requirement.specifier.contains(pinned[1], prereleases=True), (
            f"{pinned[:2]} does not satisfy {requirement}"
        )
    test_tools = {canonicalize_name(Requirement(r).name) for r in project["optional-dependencies"]["test"]}
    assert not test_tools & set(pins), "only runtime dependencies belong in requirements-action.txt"
