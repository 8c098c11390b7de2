"""Step outputs: GITHUB_OUTPUT entries and Azure DevOps output variables, escaped."""

from pathlib import Path

import pytest

from aibcheck.ci.commands import azdo_escape, azdo_output, github_output_entry
from aibcheck.ci.platform import detect


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
    github = detect({"GITHUB_ACTIONS": "true", "GITHUB_OUTPUT": str(output)})
    assert github.publish_outputs({"run-state": "Succeeded", "empty": ""}) == []
    assert output.read_text().startswith("run-state<<aibcheck_") and "empty" not in output.read_text()
    lines = detect({"TF_BUILD": "True"}).publish_outputs({"run-state": "Failed", "failed-customizer": "x"})
    assert lines == [azdo_output("runState", "Failed"), azdo_output("failedCustomizer", "x")]
    assert lines[0] == "##vso[task.setvariable variable=runState;isoutput=true]Failed"
