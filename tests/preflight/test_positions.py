"""Template source positions: JSON pointers to lines in JSON and YAML, bare and inside deployment templates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aibcheck.errors import InputError
from aibcheck.preflight import run_preflight
from aibcheck.preflight.positions import json_lines, nearest, pointer, yaml_lines
from aibcheck.preflight.source import load_source
from tests.preflight.templates import deployment, line_of, linux, write

JSON_TEXT = """{
  "a/b": {"c~d": [1,
     "two", {"e": null}],
   "empty": {}, "none": []},
  "s": "line\\nbreak \\" quoted",
  "after": true
}
"""


def test_json_pointer_lines_with_escapes_and_odd_layout() -> None:
    lines = json_lines(JSON_TEXT)
    assert lines[""] == 1
    assert lines[pointer("a/b")] == lines["/a~1b"] == 2
    assert lines["/a~1b/c~0d"] == 2
    assert lines["/a~1b/c~0d/0"] == 2
    assert lines["/a~1b/c~0d/1"] == 3
    assert lines["/a~1b/c~0d/2/e"] == 3
    assert lines["/a~1b/empty"] == lines["/a~1b/none"] == 4
    assert lines["/s"] == 5 and lines["/after"] == 6  # an escaped newline inside a string is not a line


YAML_TEXT = """base: &base
  type: Shell
  inline:
    - echo one
customize:
  - *base
  - {type: PowerShell, inline: [dir]}
  - name: "x"
    inline: |
      first
      second
loop: &loop [*loop]
"""


def test_yaml_pointer_lines_block_flow_anchors_and_recursion() -> None:
    lines = yaml_lines(YAML_TEXT)
    assert lines["/base/inline/0"] == 4
    # An alias is the anchored node itself once composed: its values point where the anchor defines them.
    assert lines["/customize/0"] == 1 and lines["/customize/0/inline/0"] == 4
    assert lines["/customize/1/type"] == 7 and lines["/customize/1/inline/0"] == 7
    assert lines["/customize/2/name"] == 8 and lines["/customize/2/inline"] == 9
    assert lines["/loop"] == 12


def test_nearest_falls_back_to_the_closest_ancestor() -> None:
    lines = {"": 1, "/properties": 3, "/properties/customize": 5}
    assert nearest(lines, "/properties/customize/7/inline/2") == "/properties/customize"
    assert nearest(lines, "/identity/type") == ""


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=20,
)


def _leaves(value: Any, path: str = "") -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [leaf for k, v in value.items() for leaf in _leaves(v, path + pointer(k))]
    if isinstance(value, list):
        return [leaf for i, v in enumerate(value) for leaf in _leaves(v, f"{path}/{i}")]
    return [(path, value)]


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_every_leaf_points_at_the_line_that_shows_it(value: Any) -> None:
    text = json.dumps(value, indent=2)
    lines = json_lines(text)
    shown = text.splitlines()
    for path, leaf in _leaves(value):
        if path:  # the root of a scalar document is line 1
            assert json.dumps(leaf) in shown[lines[path] - 1], (path, text)


@pytest.mark.parametrize(("fmt", "wrap"), [("json", False), ("yaml", False), ("json", True), ("yaml", True)])
def test_finding_lines_in_every_form(tmp_path: Path, fmt: str, wrap: bool) -> None:
    t = linux()
    t["properties"]["customize"][1]["inline"].append("sudo reboot")
    path = write(tmp_path, t, fmt, wrap=wrap)
    [finding] = [f for f in run_preflight(str(path)).findings if f.id == "reboot-in-script"]
    assert finding.line == line_of(path, "sudo reboot")
    prefix = "/resources/1" if wrap else ""
    assert finding.path == f"{prefix}/properties/customize/1/inline/2"


def test_deployment_with_symbolic_resources_and_parameters(tmp_path: Path) -> None:
    resource = linux()
    resource["properties"]["vmProfile"]["vmSize"] = "[parameters('size')]"
    template = deployment(resource)
    template["languageVersion"] = "2.0"
    template["parameters"]["size"] = {"type": "string"}
    template["resources"] = {"identity": template["resources"][0], "image": template["resources"][1]}
    path = tmp_path / "main.json"
    path.write_text(json.dumps(template, indent=2), encoding="utf-8")
    unresolved = run_preflight(str(path)).findings
    assert [(f.id, f.path, f.line) for f in unresolved] == [
        ("unresolved-expression", "/resources/image/properties/vmProfile/vmSize", line_of(path, "parameters('size')"))
    ]
    resolved = run_preflight(str(path), parameters={"size": "Standard_D2_v2"}).findings
    assert [(f.id, f.path) for f in resolved] == [
        ("generation-mismatch", "/resources/image/properties/vmProfile/vmSize")
    ]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("", "expected an object"),
        ("[1, 2]", "expected an object"),
        ('{"location": 1', r"neither JSON nor YAML \(line 1: Expecting ',' delimiter\)"),
        ('{"resources": []}', "0 imageTemplates resources"),
        ('{"location": "westus"}', "has no 'properties'"),
    ],
)
def test_unreadable_templates(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=expected):
        load_source(str(path))


def test_missing_and_binary_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_source(str(tmp_path / "absent.json"))
    binary = tmp_path / "image.bin"
    binary.write_bytes(b"\xff\xfe\x00\x01")
    with pytest.raises(InputError, match="cannot be read"):
        load_source(str(binary))
