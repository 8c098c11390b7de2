"""Files aibcheck writes: created new, readable by the owner only, never through a symbolic link.

Build logs and summaries can hold what a redaction missed, and a temporary folder is shared: a file is created
exclusively (O_EXCL) with mode 0600 and O_NOFOLLOW, so a planted link can neither redirect the write nor
expose the content. A file the user named is replaced by renaming a new file over it, never written through;
what is not a file (/dev/null, /dev/stdout, a pipe) is written into, never replaced.
"""

import os
import re
import stat
import tempfile
from pathlib import Path
from typing import BinaryIO

from aibcheck.errors import InputError
from aibcheck.i18n import t

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
MODE = 0o600
# The process's own streams by name: written into even when the shell redirected them to a file.
_OWN_STREAM = re.compile(r"/dev/(?:stdout|stderr|fd/\d+)|/proc/self/fd/\d+")


def create_new(path: Path) -> BinaryIO:
    """Open a file that did not exist, for writing; FileExistsError when it (or a link by that name) does."""
    return os.fdopen(os.open(path, _FLAGS, MODE), "wb")


def create_unique(folder: Path, stem: str, suffix: str) -> tuple[Path, BinaryIO]:
    """A new file `stem[-N]suffix` in folder: an earlier file of that name is kept, not overwritten."""
    for attempt in range(1000):
        path = folder / f"{stem}{f'-{attempt}' if attempt else ''}{suffix}"
        try:
            return path, create_new(path)
        except FileExistsError:
            continue
    raise InputError(t("file.too-many", folder=folder, name=f"{stem}*{suffix}"), t("file.too-many.hint"))


def private_folder(base: Path | None, prefix: str) -> Path:
    """A new folder only the owner can enter, under base (or the system's temp folder)."""
    return Path(tempfile.mkdtemp(prefix=prefix, dir=base))


def replace_text(path: str, text: str, what: str) -> None:
    """Write text to a file the user named: a new file renamed over it, so a link there is replaced, not followed."""
    target = Path(path)
    try:
        if not path.strip():
            raise InputError(t("file.no-name", what=what), t("file.directory.hint", what=what))
        if target.is_dir():
            raise InputError(t("file.directory", what=what, path=path), t("file.directory.hint", what=what))
        if _written_in_place(target):
            _write_in_place(target, text)
            return
        folder = target.parent if str(target.parent) else Path(".")
        descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=".aibcheck-")  # 0600, O_EXCL
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(text.encode("utf-8"))
            os.replace(temporary, target)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError(
            t("file.cannot-write", what=what, path=path, reason=reason), t("file.cannot-write.hint", what=what)
        ) from exc


def _written_in_place(target: Path) -> bool:
    """A character device or a pipe (/dev/null, /dev/stdout), or /dev/stdout redirected to a file: never replaced.

    OSError for a block device: a report is never written over a disk.
    """
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return False
    if stat.S_ISBLK(mode):
        raise OSError(0, t("file.block-device"))
    if stat.S_ISCHR(mode) or stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
        return True
    return _OWN_STREAM.fullmatch(str(target)) is not None


def _write_in_place(target: Path, text: str) -> None:
    descriptor = os.open(target, os.O_WRONLY | os.O_APPEND | getattr(os, "O_BINARY", 0))
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(text.encode("utf-8"))
