"""The bundled example templates and the API's own example templates pass preflight offline: no error, no warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from aibcheck.preflight import Severity, run_preflight

ROOT = Path(__file__).resolve().parents[2]
API_EXAMPLES = sorted((Path(__file__).parent / "api-examples").glob("*.json"))
BUNDLED = [
    (ROOT / "examples/templates/ubuntu-web.json", None),
    (
        ROOT / "examples/templates/win2022-deployment.json",
        ROOT / "examples/templates/win2022-deployment.parameters.json",
    ),
]


@pytest.mark.parametrize(("template", "parameters"), BUNDLED, ids=lambda p: p.name if p else "")
def test_bundled_examples_pass(template: Path, parameters: Path | None) -> None:
    result = run_preflight(str(template), str(parameters) if parameters else None)
    assert result.findings == (), result.findings


@pytest.mark.parametrize("template", API_EXAMPLES, ids=lambda p: p.name)
def test_api_examples_have_no_error_or_warning(template: Path) -> None:
    result = run_preflight(str(template))
    assert [f for f in result.findings if f.severity is not Severity.NOTICE] == []


def test_every_bundled_template_is_covered() -> None:
    assert {p for p, _ in BUNDLED} == set((ROOT / "examples/templates").glob("*.json")) - {BUNDLED[1][1]}
    assert len(API_EXAMPLES) == 2
