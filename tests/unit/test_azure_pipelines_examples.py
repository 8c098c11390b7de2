"""The Azure Pipelines examples validate against the pipelines schema that check-jsonschema ships, with the
project's task added (tests/pipelines_schema.py)."""

import copy
from pathlib import Path

import jsonschema
import pytest
import yaml

from tests.pipelines_schema import pipelines_schema

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "azure-pipelines").glob("*.yml"))


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_example_validates(example: Path) -> None:
    document = yaml.safe_load(example.read_text(encoding="utf-8"))
    jsonschema.validate(document, pipelines_schema())


def test_a_wrong_input_name_is_caught() -> None:
    document = yaml.safe_load(EXAMPLES[0].read_text(encoding="utf-8"))
    broken = copy.deepcopy(document)
    (step,) = [s for s in broken["jobs"][0]["steps"] if s.get("task") == "AibcheckImageBuilder@0"]
    step["inputs"]["resource-group"] = "rg"  # the task's inputs are camelCase
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, pipelines_schema())
