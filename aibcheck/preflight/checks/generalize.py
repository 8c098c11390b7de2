"""Restarts and generalization done by hand inside a script, and changes to the deprovisioning script.

The service restarts Windows VMs only through a WindowsRestart customizer, which waits for the VM to come
back; a script that restarts the VM itself cuts its own connection. Generalizing (Sysprep, waagent
-deprovision) is the service's last step, run from a deprovisioning script it places on the VM; doing it
in a customizer leaves a generalized VM for the rest of the build and for that last step to generalize again.
"""

import re
from collections.abc import Iterator, Mapping
from typing import Any

from aibcheck.i18n import t
from aibcheck.preflight.model import Hit, Severity, quote
from aibcheck.preflight.scripts import Command, script_commands
from aibcheck.preflight.view import TemplateView, text

_SCRIPT_NAMES = ("deprovisioningscript.ps1", "deprovisioningscript.sh")
_REMOVES = {"remove-item", "rm", "del", "erase", "ri", "unlink"}
_WRITES = re.compile(
    r"(set-content|add-content|out-file|new-item|copy-item|move-item|\bcp\b|\bmv\b|\btee\b|sed\s+-i|>)", re.I
)
_SYSPREP_FLAGS = ("/generalize", "/oobe", "/quiet", "/quit")
_SYSPREP_ENDINGS = ("/shutdown", "/reboot")


def _restarts(command: Command) -> bool:
    args, program = command.arguments, command.program
    if program in ("restart-computer", "reboot"):
        return True
    if program in ("shutdown", "shutdown.exe"):
        return any(a in ("-r", "/r", "--reboot") or (a.startswith("-") and "r" in a[1:] and len(a) <= 4) for a in args)
    if program == "systemctl":
        return "reboot" in args
    return program == "init" and args[:1] == ("6",)


def check_reboot(view: TemplateView) -> Iterator[Hit]:
    for command in script_commands(view):
        if _restarts(command):
            kind = "PowerShell" if command.kind == "powershell" else "Shell"
            yield Hit(command.pointer, t("preflight.msg.reboot", command=quote(command.text), kind=kind))


def _generalizes(command: Command) -> str | None:
    if command.program in ("sysprep", "sysprep.exe") and "/generalize" in command.arguments:
        return t("preflight.msg.runs-sysprep")
    if command.program == "waagent" and any(a.startswith("-deprovision") for a in command.arguments):
        return t("preflight.msg.runs-waagent")
    return None


def _script_change(commands: list[Command]) -> tuple[Command, bool] | None:
    """The command that writes (False) or deletes (True) the deprovisioning script, if any."""
    for command in commands:
        if any(name in command.text.lower() for name in _SCRIPT_NAMES):
            if command.program in _REMOVES:
                return command, True
            if _WRITES.search(command.text):
                return command, False
    return None


def _script_customizers(view: TemplateView) -> list[tuple[int, list[Command]]]:
    """The commands of each Shell and PowerShell customizer, customizer by customizer."""
    grouped: dict[int, list[Command]] = {}
    for command in script_commands(view):
        grouped.setdefault(command.customizer, []).append(command)
    return sorted(grouped.items())


def check_generalize(view: TemplateView) -> Iterator[Hit]:
    for _, commands in _script_customizers(view):
        if _script_change(commands) is not None:
            continue  # writing the deprovisioning script: its content is checked by check_deprovision_script
        for command in commands:
            what = _generalizes(command)
            if what:
                yield Hit(command.pointer, t("preflight.msg.generalizes", command=quote(command.text), what=what))


def _script_problems(body: str, windows: bool) -> list[str]:
    """What a rewritten deprovisioning script lacks ("without ...") or has that it must not ("with ...")."""
    lowered = body.lower()
    tool, flags = ("sysprep", _SYSPREP_FLAGS) if windows else ("waagent", ("-deprovision", "-force"))
    if tool not in lowered:
        return [t("preflight.msg.without-call", tool=tool)]
    problems = [t("preflight.msg.without", flag=flag) for flag in flags if flag not in lowered]
    return problems + [t("preflight.msg.with", flag=flag) for flag in _SYSPREP_ENDINGS if windows and flag in lowered]


def check_deprovision_script(view: TemplateView) -> Iterator[Hit]:
    for _, commands in _script_customizers(view):
        change = _script_change(commands)
        if change is None:
            continue
        command, deleted = change
        if deleted:
            yield Hit(command.pointer, t("preflight.msg.deletes-script", command=quote(command.text)))
            continue
        windows = ".ps1" in command.text.lower()
        body = "\n".join(c.text for c in commands)
        problems = _script_problems(body, windows)
        if problems:
            listed = t("preflight.msg.and").join(problems)
            yield Hit(command.pointer, t("preflight.msg.rewrites-script", command=quote(command.text), problems=listed))
    yield from _file_replacements(view)


def _file_replacements(view: TemplateView) -> Iterator[Hit]:
    for index, customizer in view.customizers():
        if text(customizer.get("type")).lower() == "file" and _names_script(customizer):
            yield Hit(
                f"/properties/customize/{index}/destination",
                t("preflight.msg.file-replaces-script"),
                Severity.NOTICE,
            )


def _names_script(customizer: Mapping[str, Any]) -> bool:
    return text(customizer.get("destination")).lower().replace("\\", "/").endswith(_SCRIPT_NAMES)
