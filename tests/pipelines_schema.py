"""The Azure Pipelines schema that check-jsonschema ships, with this project's task added.

That schema lists Microsoft's own tasks only; an organisation's schema also lists the tasks of its installed
extensions, so this adds aibcheck's task to it, built from task/task.json, as the service would: its name and
major version, and exactly its inputs (a misspelt or hyphenated input is an error).
"""

import json
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


@cache
def pipelines_schema() -> dict[str, Any]:
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
