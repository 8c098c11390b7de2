"""Time and size: a build VM too small for Windows Update, a build that can outlive the pipeline job."""

from collections.abc import Iterator

from aibcheck.i18n import t
from aibcheck.preflight.model import Hit, quote
from aibcheck.preflight.sizes import parse_size
from aibcheck.preflight.view import TemplateView, text

MIN_VCPUS = 2
MIN_MEMORY_GIB = 4.0
MANY_CUSTOMIZERS = 5  # with the service's default size, this many steps plus Windows Update is a long, tight build
QUEUE_MINUTES = 10  # what a build can wait in the service's queue before its timeout starts to count


def _windows_update(view: TemplateView) -> int | None:
    for index, customizer in view.customizers():
        if text(customizer.get("type")).lower() == "windowsupdate":
            return index
    return None


def small_for_windows_update(vcpus: int | None, memory_gib: float | None) -> str | None:
    """Why a size with these resources is too small for Windows Update, or None."""
    if vcpus is not None and vcpus < MIN_VCPUS:
        return t("preflight.msg.vcpus", count=vcpus)
    if memory_gib is not None and memory_gib < MIN_MEMORY_GIB:
        return t("preflight.msg.memory", gib=f"{memory_gib:g}")
    return None


def check_windows_update_size(view: TemplateView) -> Iterator[Hit]:
    index = _windows_update(view)
    if index is None:
        return
    if view.vm_size:
        size = parse_size(view.vm_size)
        small = small_for_windows_update(size.vcpus, size.memory_gib) if size else None
        if small:
            yield Hit(
                "/properties/vmProfile/vmSize", t("preflight.msg.update-small", size=quote(view.vm_size), small=small)
            )
        return
    if view.vm_profile.get("vmSize"):
        return  # an expression preflight could not resolve
    customizers = len(view.customizers())
    if customizers >= MANY_CUSTOMIZERS:
        yield Hit(
            f"/properties/customize/{index}/type",
            t("preflight.msg.update-default-size", others=customizers - 1),
        )


def check_build_outlives_job(view: TemplateView) -> Iterator[Hit]:
    job = view.job_timeout_minutes
    minutes, default = view.build_timeout
    if job is None or minutes is None or view.on_deadline == "detach" or minutes + QUEUE_MINUTES <= job:
        return
    pointer = "/properties" if default else "/properties/buildTimeoutInMinutes"
    told = t("preflight.msg.default-minutes" if default else "preflight.msg.minutes", minutes=minutes)
    yield Hit(pointer, t("preflight.msg.outlives", told=told, job=f"{job:g}", action=view.on_deadline))
