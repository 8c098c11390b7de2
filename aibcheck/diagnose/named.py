"""The diagnosis in the template's own words: its customizers' names on the timeline, its settings as facts."""

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from aibcheck.diagnose.document import template_of_id
from aibcheck.diagnose.model import Diagnosis, Step
from aibcheck.diagnose.verdict import decide
from aibcheck.taxonomy import Phase

_PACKER_NAMES = {
    "shell": "shell",
    "powershell": "powershell",
    "file": "file",
    "windowsrestart": "windows-restart",
    "windowsupdate": "windows-update",
}


def customizers_of(template: Mapping[str, Any] | None) -> list[tuple[str, str]]:
    """(Packer's name for the type, the template's name) for each customizer, in order."""
    entries = ((template or {}).get("properties") or {}).get("customize") or []
    named = []
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, Mapping):
            kind = _PACKER_NAMES.get(str(entry.get("type", "")).lower().replace("-", ""), "")
            named.append((kind, str(entry.get("name") or "")))
    return named


def facts_of(template: Mapping[str, Any] | None) -> dict[str, str]:
    """The template's own settings that a fix can name: {build_timeout}, {vm_size}, {os_disk_gb}, and its
    {template_name} and {resource_group} from its resource id."""
    properties = (template or {}).get("properties")
    if not isinstance(properties, Mapping):
        return {}
    profile = properties.get("vmProfile") or {}
    found = {
        # 0 or unset is the service's default of 240 minutes
        "build_timeout": properties.get("buildTimeoutInMinutes") or 240,
        "vm_size": profile.get("vmSize"),
        "os_disk_gb": profile.get("osDiskSizeGB"),
    }
    facts = {key: str(value) for key, value in found.items() if value not in (None, "", 0)}
    return {**template_of_id(str((template or {}).get("id") or "")), **facts}


def name_steps(steps: Sequence[Step], customizers: Sequence[tuple[str, str]]) -> tuple[Step, ...]:
    """The timeline with the template's customizer names, matched in order by type ("install-iis (powershell)")."""
    if not customizers:
        return tuple(steps)
    named, cursor = [], 0
    for step in steps:
        if step.phase is Phase.CUSTOMIZE and cursor < len(customizers):
            for index in range(cursor, len(customizers)):
                kind, name = customizers[index]
                if kind == step.name:
                    cursor = index + 1
                    if name:
                        step = replace(step, name=f"{name} ({step.name})")
                    break
        named.append(step)
    return tuple(named)


def with_template(diagnosis: Diagnosis, template: Mapping[str, Any] | None) -> Diagnosis:
    """The diagnosis in the template's words: its settings in the texts, its customizers' names on the timeline."""
    facts = facts_of(template)
    if facts:
        diagnosis = decide(diagnosis.scan, facts)
    customizers = customizers_of(template)
    if not customizers:
        return diagnosis
    return replace(diagnosis, timeline=name_steps(diagnosis.timeline, customizers))
