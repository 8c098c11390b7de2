"""Typed, forgiving access to the parts of an imageTemplates resource the checks read.

A template under check may be malformed in any way: every accessor returns an empty value of the right
type rather than raising, and values still written as ARM expressions count as unknown.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from aibcheck.template.changes import DEFAULT_BUILD_TIMEOUT
from aibcheck.template.expressions import is_expression

if TYPE_CHECKING:
    from aibcheck.preflight.scripts import Command

WINDOWS_CUSTOMIZERS = {"powershell", "windowsrestart", "windowsupdate"}


def text(value: Any) -> str:
    """A string value, or "" when it is missing, not a string, or an unresolved expression."""
    return value if isinstance(value, str) and not is_expression(value) else ""


def mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


@dataclass(frozen=True)
class TemplateView:
    resource: Mapping[str, Any]
    job_timeout_minutes: float | None = None
    on_deadline: str = "detach"
    if_exists: str = "fail"
    location_override: str | None = None

    @cached_property
    def commands(self) -> "tuple[Command, ...]":
        """The Shell and PowerShell commands, parsed once for all the checks that read them."""
        from aibcheck.preflight.scripts import parse_commands  # scripts reads this view: imported late

        return tuple(parse_commands(self))

    @property
    def properties(self) -> Mapping[str, Any]:
        return mapping(self.resource.get("properties"))

    @property
    def source(self) -> Mapping[str, Any]:
        return mapping(self.properties.get("source"))

    @property
    def source_type(self) -> str:
        return text(self.source.get("type")).lower()

    def customizers(self) -> list[tuple[int, Mapping[str, Any]]]:
        return [(i, c) for i, c in enumerate(items(self.properties.get("customize"))) if isinstance(c, Mapping)]

    def distributions(self) -> list[tuple[int, Mapping[str, Any]]]:
        return [(i, d) for i, d in enumerate(items(self.properties.get("distribute"))) if isinstance(d, Mapping)]

    @property
    def vm_profile(self) -> Mapping[str, Any]:
        return mapping(self.properties.get("vmProfile"))

    @property
    def vm_size(self) -> str:
        return text(self.vm_profile.get("vmSize"))

    @property
    def subnet_id(self) -> str:
        return text(mapping(self.vm_profile.get("vnetConfig")).get("subnetId"))

    @property
    def location(self) -> str:
        given = self.location_override or text(self.resource.get("location"))
        return given.replace(" ", "").lower()

    @property
    def identity_ids(self) -> list[str]:
        identities = mapping(mapping(self.resource.get("identity")).get("userAssignedIdentities"))
        return [key for key in identities if text(key)]

    @property
    def build_timeout(self) -> tuple[int | None, bool]:
        """(minutes, whether that is the service's default); None when the value is unknown."""
        value = self.properties.get("buildTimeoutInMinutes")
        if value is None or value == 0:
            return DEFAULT_BUILD_TIMEOUT, True
        if isinstance(value, int) and not isinstance(value, bool):
            return value, False
        return None, False

    @property
    def os(self) -> str:
        """'windows' or 'linux' from the source image's names, else from the customizers used."""
        described = " ".join(
            text(self.source.get(k)) for k in ("publisher", "offer", "sku", "imageId", "imageVersionId")
        )
        if "windows" in described.lower():
            return "windows"
        kinds = {text(c.get("type")).lower() for _, c in self.customizers()}
        return "windows" if kinds & WINDOWS_CUSTOMIZERS else "linux"
