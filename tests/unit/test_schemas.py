"""action.yml and the example workflows against the SchemaStore schemas that ship inside check-jsonschema.

No network: the builtin schemas are vendored in the package.
"""

import subprocess
import sys
from pathlib import Path

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


def test_task_json_validates_against_the_task_format() -> None:
    schema = ROOT / "tests" / "schemas" / "task.schema.json"
    task = ROOT / "task" / "task.json"
    result = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--schemafile", str(schema), str(task)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
