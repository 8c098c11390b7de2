"""Follow a running build's log into the pipeline log, one collapsible group per customizer.

Only what a person wants to watch is shown: Packer's own progress lines and the customizers' output, not
the debug lines. Every line is untrusted and is neutralised so that no runner reads it as a command.
"""

import re
from collections.abc import Callable

from aibcheck.ci.platform import Platform
from aibcheck.driver.ports import LogStorePort
from aibcheck.errors import AzureAccessError, AzureTransient, AzureUnreachable, LogUnavailable
from aibcheck.i18n import t
from aibcheck.logs.location import BLOB_READER, LogLocation
from aibcheck.redact import LineRedactor
from aibcheck.render.safe import neutralise
from aibcheck.template.changes import KEEP_ALIVE_MARKER

_SHOWN = re.compile(r"(?:PACKER OUT |\bui(?: error)?: )\s*(==> |--> )?(?:azure-arm: ?)?(.*)$")
_STARTING = re.compile(r"\(telemetry\) Starting provisioner ([\w.-]+)")
_ENDING = re.compile(r"\(telemetry\) ending ([\w.-]+)")
_VM_NAME = re.compile(r"VirtualMachineName\s*:\s*'([^']+)'")
EXPORT_LINE = "done exporting packer logs"  # Packer has ended: the run's state changes next
MAX_LINE = 2000  # characters of one shown line


class LiveLog:
    def __init__(
        self,
        store: LogStorePort,
        locate: Callable[[], LogLocation],
        say: Callable[[str], None],
        platform: Platform,
        staging_group: str | None,
        emit: Callable[[str], None] | None = None,
    ) -> None:
        self.store, self._locate, self.say, self.platform = store, locate, say, platform
        self.emit = emit or say  # prints the platform's own group lines, which say() would neutralise
        self.staging_group = staging_group
        self.location: LogLocation | None = None
        self.offset = 0
        self._partial = b""
        self._group: str | None = None
        self._vm_name: str | None = None
        self._disabled = False
        self._unreachable = False
        self.ended = False  # the log ends with Packer's export line
        self._redactor = LineRedactor()  # customizer output is shown: its secrets are not
        self.shown = 0

    def poll(self) -> bool:
        """Show what the log gained since the last poll; True the first time the log shows the build moved on.

        Never raises an error (the build matters more than its live log); a stop (Stopped) goes through.
        """
        if self._disabled:
            return False
        ended = self.ended
        try:
            self._read()
            self._unreachable = False
        except (AzureUnreachable, AzureTransient) as exc:  # storage not answering: try again at the next poll
            if not self._unreachable:
                self.say(t("progress.live.no-answer", why=neutralise(exc.message)[:300]))
            self._unreachable = True
        except LogUnavailable as exc:
            if self.location is not None or BLOB_READER in exc.hint:  # refused: asking again will not help
                self._stop(exc.render())
        except AzureAccessError as exc:
            self._stop(exc.render())
        except Exception as exc:  # the watch and the build matter more than the live log
            self._stop(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        return self.ended and not ended

    def _read(self) -> None:
        if self.location is None:
            self.location = self._locate()
            self.say(t("progress.live.following", url=self.location.url))
        size = self.store.size(self.location)
        if size > self.offset:
            for chunk in self.store.chunks(self.location, self.offset, size - self.offset):
                self._take(chunk)
            self.offset = size

    def _stop(self, why: str) -> None:
        self._disabled = True
        self.say(t("progress.live.stopped", why=neutralise(why)[:300]))

    def _take(self, chunk: bytes) -> None:
        data = self._partial + chunk
        lines = data.split(b"\n")
        self._partial = lines.pop()
        if len(self._partial) > 64 * 1024:  # an endless line: show its start, drop the rest
            lines.append(self._partial[: 16 * MAX_LINE])  # redacted whole, then cut to MAX_LINE
            self._partial = b""
        for raw in lines:
            self._line(raw.decode("utf-8", "replace").rstrip("\r"))

    def _line(self, text: str) -> None:
        if EXPORT_LINE in text.lower():
            self.ended = True
        starting, ending = _STARTING.search(text), _ENDING.search(text)
        if starting:
            self._open(t("progress.live.customizer", name=starting.group(1)))
        elif ending and self._group:
            self._close()
        vm = _VM_NAME.search(text)
        if vm:
            self._vm_name = vm.group(1)
        shown = _SHOWN.search(text)
        if shown and shown.group(2).strip():  # "==> " marks Packer's own steps; the builder's name is dropped
            self.say(neutralise((shown.group(1) or "") + self._redactor.feed(shown.group(2))[:MAX_LINE]))
            self.shown += 1
        if KEEP_ALIVE_MARKER in text:
            self._keep_alive()

    def _open(self, title: str) -> None:
        self._close()
        self._group = title
        self.emit(self.platform.group_start(title))

    def _close(self) -> None:
        if self._group is not None:
            end = self.platform.group_end()
            if end:
                self.emit(end)
            self._group = None

    def _keep_alive(self) -> None:
        self._close()
        self.say(t("progress.live.paused"))
        self.say(t("progress.live.group", group=self.staging_group or t("progress.not-reported")))
        self.say(t("progress.live.vm", vm=self._vm_name or t("progress.live.see-group")))
        if self.location is not None:
            self.say(t("progress.live.log", url=self.location.url))

    def close(self) -> None:
        if self._partial:
            self._line(self._partial.decode("utf-8", "replace"))
            self._partial = b""
        self._close()
