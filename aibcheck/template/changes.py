"""Changes aibcheck makes to a template before submitting it: the keep-alive customizer and tags."""

import copy
from collections.abc import Mapping
from typing import Any

from aibcheck.errors import InputError
from aibcheck.i18n import t

KEEP_ALIVE_MARKER = "AIBCHECK-KEEP-ALIVE"
KEEP_ALIVE_NAME = "aibcheck-keep-alive"
DEFAULT_BUILD_TIMEOUT = 240  # minutes, when the template leaves buildTimeoutInMinutes at 0
MAX_BUILD_TIMEOUT = 960
_WINDOWS_CUSTOMIZERS = {"powershell", "windowsrestart", "windowsupdate"}


def target_os(resource: Mapping[str, Any]) -> str:
    """'windows' or 'linux', from the source image, else from the customizers it uses."""
    source = resource.get("properties", {}).get("source", {})
    described = " ".join(str(source.get(k, "")) for k in ("publisher", "offer", "sku", "imageId", "imageVersionId"))
    if "windows" in described.lower():
        return "windows"
    kinds = {str(c.get("type", "")).lower() for c in resource.get("properties", {}).get("customize", [])}
    return "windows" if kinds & _WINDOWS_CUSTOMIZERS else "linux"


def add_keep_alive(resource: Mapping[str, Any], minutes: int) -> tuple[dict[str, Any], list[str]]:
    """A copy that sleeps `minutes` at the end of customization, and notes saying what changed."""
    changed = copy.deepcopy(dict(resource))
    properties = changed.setdefault("properties", {})
    message = f"{KEEP_ALIVE_MARKER}: build VM kept for {minutes} minutes for inspection"
    if target_os(changed) == "windows":
        customizer = {
            "type": "PowerShell",
            "name": KEEP_ALIVE_NAME,
            "inline": [f"Write-Output '{message}'", f"Start-Sleep -Seconds {minutes * 60}"],
        }
    else:
        customizer = {
            "type": "Shell",
            "name": KEEP_ALIVE_NAME,
            "inline": [f"echo '{message}'", f"sleep {minutes * 60}"],
        }
    before = int(properties.get("buildTimeoutInMinutes") or 0)
    if (before or DEFAULT_BUILD_TIMEOUT) + minutes > MAX_BUILD_TIMEOUT:
        room = MAX_BUILD_TIMEOUT - (before or DEFAULT_BUILD_TIMEOUT)
        raise InputError(
            t(
                "template.keep-alive",
                minutes=minutes,
                before=before or t("template.keep-alive.default", minutes=DEFAULT_BUILD_TIMEOUT),
                maximum=MAX_BUILD_TIMEOUT,
            ),
            t("template.keep-alive.hint", room=max(room, 0)),
            input_name="keep-alive-minutes",
        )
    properties["customize"] = [*properties.get("customize", []), customizer]
    after = (before or DEFAULT_BUILD_TIMEOUT) + minutes
    properties["buildTimeoutInMinutes"] = after
    was = before or t("template.keep-alive.default", minutes=DEFAULT_BUILD_TIMEOUT)
    notes = [
        t("progress.keep-alive.added", type=customizer["type"], name=KEEP_ALIVE_NAME, minutes=minutes),
        t("progress.keep-alive.raised", before=was, after=after)
        + (t("progress.keep-alive.maximum") if after == MAX_BUILD_TIMEOUT else ""),
    ]
    return changed, notes


def add_tags(resource: Mapping[str, Any], tags: Mapping[str, str]) -> dict[str, Any]:
    """Stamp tags on the template, on every distributed artifact and on the staging resources."""
    changed = copy.deepcopy(dict(resource))
    if not tags:
        return changed
    changed["tags"] = {**changed.get("tags", {}), **tags}
    properties = changed.setdefault("properties", {})
    for target in properties.get("distribute", []):
        target["artifactTags"] = {**target.get("artifactTags", {}), **tags}
    properties["managedResourceTags"] = {**properties.get("managedResourceTags", {}), **tags}
    return changed
