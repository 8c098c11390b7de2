"""The commands of Shell and PowerShell customizers' inline scripts, split into simple commands.

This is not a shell parser: it splits lines at `;`, `&&`, `||` and `|` outside quotes, drops comments, and
strips the wrappers that do not change what runs (`sudo`, `env`, variable assignments). That is enough to
recognise the handful of commands the checks look for, and it never fails on odd input.
"""

import re
import shlex
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from aibcheck.preflight.view import TemplateView, items, text

SCRIPT_CUSTOMIZERS = ("shell", "powershell")
_WRAPPERS = {"sudo", "env", "nohup", "time", "exec", "command", "builtin", "doas"}
_SUDO_OPTIONS_WITH_VALUE = {"-u", "-g", "-h", "-p", "-c", "-r", "-t", "-C", "-D"}
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")


@dataclass(frozen=True)
class Command:
    customizer: int  # index in properties.customize
    item: int  # index in the customizer's inline list
    kind: str  # "shell" or "powershell"
    text: str  # the simple command as written
    words: tuple[str, ...]  # its words, wrappers removed
    piped_from: str = ""  # the program whose output is piped into this one, if any

    @property
    def pointer(self) -> str:
        return f"/properties/customize/{self.customizer}/inline/{self.item}"

    @property
    def program(self) -> str:
        """The program's base name in lower case ('apt-get', 'restart-computer', 'sysprep.exe')."""
        return re.split(r"[\\/]", self.words[0])[-1].lower() if self.words else ""

    @property
    def arguments(self) -> tuple[str, ...]:
        return tuple(word.lower() for word in self.words[1:])


def _segments(line: str) -> Iterator[tuple[str, str]]:
    """(separator before, segment) for each simple command of one line."""
    quote, start, before, i = "", 0, "", 0
    while i < len(line):
        char = line[i]
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char == "#" and (i == 0 or line[i - 1].isspace()):
            break  # a comment runs to the end of the line
        elif line.startswith(("&&", "||"), i) or char in ";|":
            yield before, line[start:i]
            before = line[i : i + 2] if line.startswith(("&&", "||"), i) else char
            i += len(before)
            start = i
            continue
        i += 1
    yield before, line[start:i]


def _words(segment: str, kind: str) -> tuple[str, ...]:
    try:
        words = shlex.split(segment, posix=kind == "shell")
    except ValueError:
        words = segment.split()
    if kind == "powershell":
        words = [w.strip("'\"") for w in words if w != "&"]  # `& 'C:\x.exe' /a` calls C:\x.exe
    return tuple(_unwrap(words))


def _unwrap(words: list[str]) -> list[str]:
    out = list(words)
    while out:
        head = out[0].lower()
        if head in _WRAPPERS or _ASSIGNMENT.match(out[0]):
            out.pop(0)
        elif head.startswith("-") and len(out) > 1:
            takes_value = out[0] in _SUDO_OPTIONS_WITH_VALUE
            del out[: 2 if takes_value else 1]
        else:
            break
    return out


def _inline_lines(value: object) -> Iterator[str]:
    for line in text(value).splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith(("#", "<#", "REM ", "rem ")):
            yield stripped


def customizer_commands(index: int, customizer: Mapping[str, Any], kind: str) -> list[Command]:
    out = []
    inline = items(customizer.get("inline"))
    for item, value in enumerate(inline):
        for line in _inline_lines(value):
            previous = ""
            for separator, segment in _segments(line):
                words = _words(segment.strip(), kind)
                if words:
                    piped = previous if separator == "|" else ""
                    out.append(Command(index, item, kind, segment.strip(), words, piped))
                    previous = re.split(r"[\\/]", words[0])[-1].lower()
    return out


def script_commands(view: TemplateView) -> tuple[Command, ...]:
    """Every simple command of every Shell and PowerShell customizer, in the order they run."""
    return view.commands


def parse_commands(view: TemplateView) -> list[Command]:
    out: list[Command] = []
    for index, customizer in view.customizers():
        kind = text(customizer.get("type")).lower()
        if kind in SCRIPT_CUSTOMIZERS:
            out += customizer_commands(index, customizer, kind)
    return out


def is_script_unknown(customizer: Mapping[str, Any]) -> bool:
    """A Shell or PowerShell customizer whose commands preflight cannot see (a script URI)."""
    return bool(text(customizer.get("scriptUri")))
