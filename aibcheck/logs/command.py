"""`aibcheck logs`, and fetching the log of a failed run for `aibcheck run`."""

import os
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

from aibcheck.ci.platform import Platform
from aibcheck.diagnose import Diagnosis
from aibcheck.driver.ports import ImageBuilderPort, LogStorePort
from aibcheck.driver.watch import status_of
from aibcheck.errors import InputError, LogUnavailable
from aibcheck.files import create_new, create_unique
from aibcheck.i18n import t
from aibcheck.logs.fetch import diagnose_chunks, save_and_diagnose
from aibcheck.logs.location import VALIDATION_LOG, LogLocation, from_message
from aibcheck.settings import Settings
from aibcheck.taxonomy import Category

EXPORT_LINE = b"done exporting packer logs"
TAIL_FIRST_BYTES = 8 * 1024 * 1024  # the failure is near the end: an early verdict from the last 8 MiB


def staging_group_of(template: Mapping[str, Any] | None) -> str | None:
    group = ((template or {}).get("properties") or {}).get("exactStagingResourceGroup")
    return str(group) if group else None


def log_directory(settings: Settings, platform: Platform) -> Path:
    """Where fetched logs are kept: --log-dir, else the runner's temp folder, else ./aibcheck-logs."""
    temp = platform.temp_dir()
    folder = Path(settings.log_dir) if settings.log_dir else (temp or Path(".")) / "aibcheck-logs"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(t("logs.folder", folder=folder, reason=exc.strerror), t("logs.folder.hint")) from exc
    return folder


def find_staging_group(store: LogStorePort, template: Mapping[str, Any] | None) -> str | None:
    """The template's exactStagingResourceGroup, else the group the service tagged for it."""
    group = staging_group_of(template)
    if group or not template or not template.get("id"):
        return group
    parts = str(template["id"]).split("/")  # /subscriptions/<s>/resourceGroups/<rg>/providers/.../<name>
    found = store.staging_group_by_tags(parts[-1], parts[4]) if len(parts) > 8 else None
    return str(found) if found else None


def fetch_and_diagnose(
    store: LogStorePort,
    template: Mapping[str, Any] | None,
    message: str,
    folder: Callable[[], Path],
    say: Callable[[str], None],
    saving: Callable[[LogLocation, Path], None] | None = None,
) -> tuple[Diagnosis, LogLocation, Path]:
    """Find the failed run's log, save it under folder and diagnose it in one pass; `saving` hears where first."""
    location = store.locate(from_message(message), find_staging_group(store, template))
    early = early_verdict(store, location)
    say(t("progress.early-verdict", title=early.title, category=early.category.value, phase=early.phase.value))
    path, sink = create_unique(folder(), f"customization-{location.run or 'latest'}", ".log")
    if saving is not None:
        saving(location, path)
    say(t("progress.fetching", url=location.url, path=path))
    diagnosis = save_and_diagnose(store.chunks(location), sink, str(path))
    if _has_validators(template) and location.run:
        diagnosis = _with_validation(store, location, folder(), diagnosis, say)
    return diagnosis, location, path


def _has_validators(template: Mapping[str, Any] | None) -> bool:
    validate = ((template or {}).get("properties") or {}).get("validate") or {}
    return bool(validate.get("inVMValidations"))


def _with_validation(
    store: LogStorePort, location: LogLocation, folder: Path, diagnosis: Diagnosis, say: Callable[[str], None]
) -> Diagnosis:
    """Validators log apart: when the customization log shows no failure, the validation log may."""
    validation = LogLocation(
        location.account, f"{location.run}/{VALIDATION_LOG}", location.blob_endpoint, location.staging_group
    )
    path, sink = create_unique(folder, f"validation-{location.run}", ".log")
    try:
        checked = save_and_diagnose(store.chunks(validation), sink, str(path))
    except LogUnavailable as exc:
        say(t("progress.no-validation-log", reason=exc.message))
        if path.exists() and not path.stat().st_size:
            path.unlink()
        return diagnosis
    say(t("progress.validation-log", path=path))
    if diagnosis.category is Category.UNKNOWN and checked.category is not Category.UNKNOWN:
        return checked
    return diagnosis


def early_verdict(store: LogStorePort, location: LogLocation, tail_bytes: int = TAIL_FIRST_BYTES) -> Diagnosis:
    """A verdict from the log's last bytes, before the whole of a long log has arrived.

    Its line numbers count from the start of that tail; the full pass that follows has the real ones.
    """
    size = store.size(location)
    offset = max(0, size - tail_bytes)
    chunks = store.chunks(location, offset, size - offset)
    if offset:
        chunks = _from_next_line(chunks)
    return diagnose_chunks(chunks, f"the last {min(size, tail_bytes) // 1024} KiB of {location.url}")


def _from_next_line(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """Drop the partial line a ranged read starts in."""
    for chunk in chunks:
        newline = chunk.find(b"\n")
        if newline != -1:
            yield chunk[newline + 1 :]
            break
    yield from chunks


def follow(
    store: LogStorePort,
    location: LogLocation,
    out: BinaryIO,
    still_running: Callable[[], bool],
    poll_seconds: float,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Copy the log to out as it grows, by ranged reads from the last offset, until it is complete."""
    offset, tail = 0, b""
    while True:
        size = store.size(location)
        if size > offset:
            for chunk in store.chunks(location, offset, size - offset):
                out.write(chunk)
                tail = (tail + chunk)[-4096:]
            out.flush()
            offset = size
        if EXPORT_LINE in tail.lower():
            return offset
        if not still_running():
            if size == store.size(location):
                return offset  # the run has ended and nothing more arrived: the log is whole
            continue  # the run ended while we slept: read what was written last
        sleep(poll_seconds)


def logs_command(settings: Settings, service: ImageBuilderPort, store: LogStorePort) -> int:
    """`aibcheck logs`: print or save the template's build log, or follow it while the build runs."""
    name, group = settings.template_name or "", settings.resource_group
    if settings.log_url:
        location = _given_location(settings.log_url, store)
    else:
        template = service.get(group, name)
        if template is None:
            raise LogUnavailable(t("run.no-template", name=name, group=group))
        status = status_of(template)
        run = None if settings.run_id in ("", "latest") else settings.run_id
        found = from_message(status.message if status else "")
        location = store.locate(found, find_staging_group(store, template), run)
    print(t("logs.location", url=location.url), file=sys.stderr)
    out = create_new_or_fail(settings.output) if settings.output else os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    with out:
        if settings.follow:

            def running() -> bool:
                current = status_of(service.get(group, name))
                return current is not None and not current.terminal

            follow(store, location, out, running, settings.poll_seconds)
        else:
            for chunk in store.chunks(location):
                out.write(chunk)
    if settings.output:
        print(t("logs.saved", path=settings.output), file=sys.stderr)
    return 0


def _given_location(text: str, store: LogStorePort) -> LogLocation:
    """The log a failure message points at: its blob URL, or its ARM path (whose staging group ARM completes)."""
    found = from_message(text.strip())
    if found is None:
        raise InputError(t("logs.not-a-location", url=text), t("logs.not-a-location.hint"))
    return found if found.blob_endpoint else store.locate(found, None)


def subscription_of(text: str) -> str:
    """The subscription an ARM path names, for a log given by its path alone."""
    found = from_message(text.strip())
    group = found.staging_group if found is not None else None
    return group.split("/")[2] if group else ""


def create_new_or_fail(path: str) -> BinaryIO:
    """The file named with -o, created new: an existing file (or link) is never overwritten."""
    try:
        return create_new(Path(path))
    except FileExistsError:
        raise InputError(t("logs.exists", path=path), t("logs.exists.hint")) from None
    except OSError as exc:
        raise InputError(t("logs.cannot-create", path=path, reason=exc.strerror), t("logs.cannot-create.hint")) from exc
