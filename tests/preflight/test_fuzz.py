"""Offline preflight of any template-shaped JSON never fails with anything but its findings."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aibcheck.preflight import run_preflight

scalars = (
    st.none() | st.booleans() | st.integers() | st.text(max_size=12) | st.sampled_from(["[parameters('x')]", "latest"])
)
anything = st.recursive(
    scalars, lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=8), c, max_size=3), max_leaves=12
)
kinds = st.sampled_from(["Shell", "PowerShell", "File", "WindowsUpdate", "WindowsRestart", "shell", "SharedImage", 7])
commands = st.lists(st.text(alphabet=" \t\n;&|#'\"-/\\$@<>`abcdeflnorstuwy0123456789:=[]().", max_size=60), max_size=4)
customizer = st.fixed_dictionaries(
    {"type": kinds},
    optional={"inline": commands | anything, "scriptUri": anything, "destination": anything, "sourceUri": anything},
)
distributor = st.fixed_dictionaries(
    {"type": kinds | st.sampled_from(["ManagedImage", "VHD"])},
    optional={
        "runOutputName": anything,
        "replicationRegions": anything,
        "targetRegions": anything,
        "galleryImageId": anything,
    },
)
template = st.fixed_dictionaries(
    {
        "properties": st.fixed_dictionaries(
            {},
            optional={
                "customize": st.lists(customizer, max_size=4) | anything,
                "distribute": st.lists(distributor, max_size=3) | anything,
                "source": st.dictionaries(st.sampled_from(["type", "sku", "publisher", "imageId"]), anything)
                | anything,
                "vmProfile": st.dictionaries(st.sampled_from(["vmSize", "vnetConfig"]), anything) | anything,
                "buildTimeoutInMinutes": anything,
                "validate": anything,
            },
        )
    },
    optional={"identity": anything, "location": anything},
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(template, st.sampled_from([None, 30.0, 60.0]), st.sampled_from(["detach", "cancel"]))
def test_any_template_gives_findings_not_errors(resource: dict[str, Any], job: float | None, deadline: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.json"
        path.write_text(json.dumps(resource, indent=1), encoding="utf-8")
        result = run_preflight(str(path), job_timeout_minutes=job, on_deadline=deadline)
    lines = json.dumps(resource, indent=1).count("\n") + 1
    assert all(1 <= f.line <= lines and (f.path == "" or f.path.startswith("/")) for f in result.findings)
