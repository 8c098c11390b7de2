"""action.yml and the example workflows against the SchemaStore schemas that ship inside check-jsonschema.

No network: the builtin schemas are vendored in the package.
"""

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORKFLOWS = sorted((ROOT / "examples" / "github").glob("*.yml"))


def check(schema: str, *files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def test_action_yml_is_valid_action_metadata() -> None:
    result = check("vendor.github-actions", ROOT / "action.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_example_workflows_are_valid_and_every_job_has_a_timeout() -> None:
    assert len(WORKFLOWS) >= 3
    for schema in ("vendor.github-workflows", "custom.github-workflows-require-timeout"):
        result = check(schema, *WORKFLOWS)
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_catches_a_broken_action(tmp_path: Path) -> None:
    broken = tmp_path / "action.yml"
    text = (ROOT / "action.yml").read_text(encoding="utf-8")
    broken.write_text(text.replace("      shell: bash\n", "", 1), encoding="utf-8")  # a composite run without shell
    assert check("vendor.github-actions", broken).returncode != 0


TASK_SCHEMA = ROOT / "tests" / "schemas" / "azure-pipelines-task.schema.json"


def check_task(task: Path) -> subprocess.CompletedProcess[str]:
    """The official task.json schema (vendored from azure-pipelines-task-lib); its regexes need Python's flavour."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--regex-variant",
            "python",
            "--schemafile",
            str(TASK_SCHEMA),
            str(task),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_task_json_validates_against_the_official_task_schema() -> None:
    result = check_task(ROOT / "task" / "task.json")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t["outputVariables"][0].update(name="run-state"), "does not match '^[A-Za-z][A-Za-z0-9]*$'"),
        (lambda t: t.update(minimumAgentVersion="latest"), "minimumAgentVersion"),
        (lambda t: t["execution"].update(Process={"target": "x"}), "Additional properties are not allowed"),
    ],
)
def test_the_official_schema_catches_what_the_agent_refuses(
    tmp_path: Path, change: Callable[[dict[str, Any]], None], message: str
) -> None:
    task = json.loads((ROOT / "task" / "task.json").read_text(encoding="utf-8"))
    change(task)
    broken = tmp_path / "task.json"
    broken.write_text(json.dumps(task), encoding="utf-8")
    result = check_task(broken)
    assert result.returncode == 1 and message in result.stdout, result.stdout + result.stderr


def test_task_json_declares_the_agent_its_handlers_need() -> None:
    task = json.loads((ROOT / "task" / "task.json").read_text(encoding="utf-8"))
    # Node20_1 is the handler every agent from 3.232.1 runs; Node24 is taken only where the agent enables it
    # (AGENT_USE_NODE24_WITH_HANDLER_DATA), else the same launcher runs under Node20_1.
    assert set(task["execution"]) == {"Node20_1", "Node24"}
    assert task["minimumAgentVersion"] == "3.232.1"
