"""Step outputs: GITHUB_OUTPUT entries and Azure DevOps output variables, escaped."""

import io
from pathlib import Path

import pytest

from aibcheck.ci.commands import azdo_escape, azdo_output
from aibcheck.ci.outputs import azdo_name, github_output_entry, publish
from tests.wrapper_table import OUTPUTS, TASK_OUTPUTS


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [("a;b", "a%3Bb"), ("x]y", "x%5Dy"), ("50%", "50%AZP25"), ("l1\nl2\r", "l1%0Al2%0D"), ("%3B", "%AZP253B")],
)
def test_azdo_escape(raw: str, escaped: str) -> None:
    assert azdo_escape(raw) == escaped


def test_github_entry_uses_a_delimiter_absent_from_the_value() -> None:
    entry = github_output_entry("image-id", "line1\nline2")
    header, body = entry.split("\n", 1)
    name, delimiter = header.split("<<")
    assert name == "image-id" and delimiter.startswith("aibcheck_")
    assert body == f"line1\nline2\n{delimiter}\n"


def test_publish_per_platform(tmp_path: Path) -> None:
    output = tmp_path / "out"
    publish({"run-state": "Succeeded", "empty": ""}, {"GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": str(output)})
    assert output.read_text().startswith("run-state<<aibcheck_") and "empty" not in output.read_text()
    stdout = io.StringIO()
    publish({"run-state": "Failed", "failed-customizer": "shell", "phase": "customize"}, {"TF_BUILD": "True"}, stdout)
    assert stdout.getvalue() == (
        "##vso[task.setvariable variable=runState;isoutput=true]Failed\n"
        "##vso[task.setvariable variable=failedCustomizer;isoutput=true]shell\n"
        "##vso[task.setvariable variable=phase;isoutput=true]customize\n"
    )
    assert output.read_text().count("<<aibcheck_") == 1, "GitHub keeps the hyphenated names"


def test_every_output_has_the_task_s_camel_case_name() -> None:
    assert tuple(azdo_name(name) for name in OUTPUTS) == TASK_OUTPUTS
    assert TASK_OUTPUTS[:3] == ("runState", "category", "phase")
    assert "stagingResourceGroup" in TASK_OUTPUTS and "failedCustomizer" in TASK_OUTPUTS
    assert azdo_name("staging-resource-group") == "stagingResourceGroup"
    assert azdo_output(azdo_name("log-url"), "https://x/y;z") == (
        "##vso[task.setvariable variable=logUrl;isoutput=true]https://x/y%3Bz"
    )
