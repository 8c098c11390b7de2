"""Online checks of the build VM's size: offered, not restricted, within quota, able to run the image."""

from collections.abc import Iterator, Mapping
from typing import Any

from aibcheck.i18n import t
from aibcheck.preflight.checks.resources import small_for_windows_update
from aibcheck.preflight.checks.structure import size_mismatch
from aibcheck.preflight.checks.subscription import capability
from aibcheck.preflight.model import Hit, quote
from aibcheck.preflight.online import Facts, region
from aibcheck.preflight.view import TemplateView, mapping, text

SIZE = "/properties/vmProfile/vmSize"


def _number(value: str) -> float | None:
    try:
        return float(value)
    except ValueError:
        return None


def _restriction(sku: Mapping[str, Any], location: str) -> str | None:
    for item in sku.get("restrictions") or []:
        if not isinstance(item, Mapping) or str(item.get("type", "")).lower() != "location":
            continue
        if location in {region(str(v)) for v in item.get("values") or []}:
            return str(item.get("reasonCode") or "restricted")
    return None


def check_vm_size(view: TemplateView, facts: Facts) -> Iterator[Hit]:
    if not view.vm_size or not view.location:
        return
    sku = facts.sku()
    if sku is None:
        yield Hit(SIZE, t("preflight.msg.size-not-offered", size=quote(view.vm_size), location=quote(view.location)))
        return
    reason = _restriction(sku, view.location)
    if reason:
        where = {"size": quote(view.vm_size), "location": quote(view.location)}
        yield Hit(SIZE, t("preflight.msg.size-restricted", **where, reason=quote(reason)))


def _room(usages: list[dict[str, Any]], name: str) -> tuple[float, str] | None:
    """(vCPUs left, the quota's display name) for the usage named `name`, if listed."""
    for usage in usages:
        names = mapping(usage.get("name"))
        if str(names.get("value", "")).lower() == name.lower():
            left = float(usage.get("limit", 0)) - float(usage.get("currentValue", 0))
            return left, str(names.get("localizedValue") or name)
    return None


def check_quota(view: TemplateView, facts: Facts) -> Iterator[Hit]:
    sku = facts.sku() if view.vm_size and view.location else None
    vcpus = _number(capability(sku, "vCPUs")) if sku else None
    if sku is None or vcpus is None:
        return
    usages = facts.usages()
    for name in (text(sku.get("family")), "cores"):
        room = _room(usages, name) if name else None
        if room is not None and room[0] < vcpus:
            left, label = room
            where = {"quota": quote(label), "location": quote(view.location), "left": f"{max(left, 0):g}"}
            yield Hit(SIZE, t("preflight.msg.quota", size=quote(view.vm_size), vcpus=f"{vcpus:g}", **where))
            return


def check_generation_online(view: TemplateView, facts: Facts) -> Iterator[Hit]:
    source = facts.source()
    sku = facts.sku() if view.vm_size and view.location else None
    if source is None or not source.found or not source.generation or sku is None:
        return
    boots = {g.strip().upper() for g in capability(sku, "HyperVGenerations").split(",") if g.strip()}
    problem = size_mismatch(view.vm_size, source.generation.upper(), boots) if boots else None
    if problem:
        yield Hit(SIZE, problem)


def check_windows_update_size_online(view: TemplateView, facts: Facts) -> Iterator[Hit]:
    uses_update = any(text(c.get("type")).lower() == "windowsupdate" for _, c in view.customizers())
    sku = facts.sku() if uses_update and view.vm_size and view.location else None
    if sku is None:
        return
    vcpus, memory = _number(capability(sku, "vCPUs")), _number(capability(sku, "MemoryGB"))
    small = small_for_windows_update(int(vcpus) if vcpus is not None else None, memory)
    if small:
        yield Hit(SIZE, t("preflight.msg.update-small", size=quote(view.vm_size), small=small))
