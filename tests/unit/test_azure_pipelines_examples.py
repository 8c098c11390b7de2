"""The Azure Pipelines examples validate against the pipelines schema that check-jsonschema ships.

That schema lists Microsoft's own tasks only; an organisation's schema also lists the tasks of its installed
extensions, so the test adds aibcheck's task to it, built from task/task.json, as the service would.
"""

import copy
import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "azure-pipelines").glob("*.yml"))


@cache
def _schema() -> dict[str, Any]:
    vendored = resources.files("check_jsonschema") / "builtin_schemas" / "vendor" / "azure-pipelines.json"
    schema: dict[str, Any] = json.loads(vendored.read_text(encoding="utf-8"))
    task = json.loads((ROOT / "task" / "task.json").read_text(encoding="utf-8-sig"))
    reference = f"{task['name']}@{task['version']['Major']}"
    inputs = {i["name"]: {"type": "string"} for i in task["inputs"]}
    definition = schema["definitions"]["task"]
    definition["properties"]["task"]["anyOf"].append({"enum": [reference]})
    definition["anyOf"].append(
        {
            "properties": {
                "task": {"pattern": f"^{reference}$"},
                "inputs": {
                    "properties": inputs,
                    "additionalProperties": False,
                    "required": [i["name"] for i in task["inputs"] if i.get("required") and not i.get("defaultValue")],
                },
            },
            "required": ["task"],
        }
    )
    return schema


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_example_validates(example: Path) -> None:
    document = yaml.safe_load(example.read_text(encoding="utf-8"))
    jsonschema.validate(document, _schema())


def test_a_wrong_input_name_is_caught() -> None:
    document = yaml.safe_load(EXAMPLES[0].read_text(encoding="utf-8"))
    broken = copy.deepcopy(document)
    broken["jobs"][0]["steps"][1]["inputs"]["resource-group"] = "rg"  # the task's inputs are camelCase
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, _schema())
