"""Templates for the preflight tests: clean Linux and Windows templates to change one thing in, a writer for
JSON, YAML and ARM deployment templates, and the line of a text in the written file (found by searching the
file, independently of preflight's own position tables)."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import yaml

from aibcheck.preflight import Finding, PreflightResult, run_preflight

SUB = "00000000-0000-0000-0000-000000000000"
RG = "rg-images"
IDENTITY = (
    f"/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aib-identity"
)
GALLERY = f"/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.Compute/galleries/gal"

LINUX: dict[str, Any] = {
    "location": "westeurope",
    "identity": {"type": "UserAssigned", "userAssignedIdentities": {IDENTITY: {}}},
    "properties": {
        "buildTimeoutInMinutes": 60,
        "vmProfile": {"vmSize": "Standard_D2s_v5", "osDiskSizeGB": 64},
        "source": {
            "type": "PlatformImage",
            "publisher": "Canonical",
            "offer": "0001-com-ubuntu-server-jammy",
            "sku": "22_04-lts-gen2",
            "version": "latest",
        },
        "customize": [
            {"type": "Shell", "name": "wait-for-cloud-init", "inline": ["cloud-init status --wait"]},
            {
                "type": "Shell",
                "name": "install-nginx",
                "inline": ["sudo apt-get update", "sudo apt-get install -y nginx"],
            },
        ],
        "distribute": [
            {
                "type": "SharedImage",
                "galleryImageId": f"{GALLERY}/images/ubuntu-web",
                "runOutputName": "ubuntu-web",
                "targetRegions": [{"name": "westeurope", "replicaCount": 1}],
            }
        ],
    },
}

WINDOWS: dict[str, Any] = {
    "location": "westeurope",
    "identity": {"type": "UserAssigned", "userAssignedIdentities": {IDENTITY: {}}},
    "properties": {
        "buildTimeoutInMinutes": 120,
        "vmProfile": {"vmSize": "Standard_D4s_v5"},
        "source": {
            "type": "PlatformImage",
            "publisher": "MicrosoftWindowsServer",
            "offer": "WindowsServer",
            "sku": "2022-datacenter-g2",
            "version": "latest",
        },
        "customize": [
            {"type": "PowerShell", "name": "iis", "runElevated": True, "inline": ["Install-WindowsFeature Web-Server"]},
            {"type": "WindowsRestart", "restartTimeout": "10m"},
            {"type": "WindowsUpdate", "searchCriteria": "IsInstalled=0", "updateLimit": 40},
        ],
        "distribute": [
            {
                "type": "SharedImage",
                "galleryImageId": f"{GALLERY}/images/win2022",
                "runOutputName": "win2022",
                "targetRegions": [{"name": "westeurope"}],
            }
        ],
    },
}


def linux() -> dict[str, Any]:
    return copy.deepcopy(LINUX)


def windows() -> dict[str, Any]:
    return copy.deepcopy(WINDOWS)


def deployment(resource: dict[str, Any]) -> dict[str, Any]:
    """The resource inside an ARM deployment template, after another resource (so its index is 1)."""
    return {
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "parameters": {"imageTemplateName": {"type": "string", "defaultValue": "tpl"}},
        "resources": [
            {"type": "Microsoft.ManagedIdentity/userAssignedIdentities", "apiVersion": "2023-01-31", "name": "id"},
            {
                "type": "Microsoft.VirtualMachineImages/imageTemplates",
                "apiVersion": "2025-10-01",
                "name": "[parameters('imageTemplateName')]",
                **resource,
            },
        ],
    }


def write(folder: Path, resource: dict[str, Any], fmt: str = "json", *, wrap: bool = False) -> Path:
    """Write the template as JSON or YAML, bare or (wrap) inside a deployment template."""
    document = deployment(resource) if wrap else resource
    path = folder / f"template-{fmt}{'-deployment' if wrap else ''}.{'yaml' if fmt == 'yaml' else 'json'}"
    if fmt == "yaml":
        path.write_text(yaml.safe_dump(document, sort_keys=False, width=1000), encoding="utf-8")
    else:
        path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    return path


def line_of(path: Path, needle: str, occurrence: int = 1) -> int:
    """The 1-based line of the occurrence-th line of the file that contains needle."""
    hits = [number for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line]
    assert len(hits) >= occurrence, f"{needle!r} occurs {len(hits)} times in {path}"
    return hits[occurrence - 1]


def check(folder: Path, resource: dict[str, Any], **options: Any) -> PreflightResult:
    return run_preflight(str(write(folder, resource)), **options)


def of(result: PreflightResult, check_id: str) -> list[Finding]:
    return [f for f in result.findings if f.id == check_id]
