"""Firewall and remote-access changes that cut the service's own connection to the build VM.

The service reaches the build VM over SSH (port 22) on Linux and WinRM over HTTPS (port 5986) on Windows,
and opens a new connection for every customizer. A rule that blocks that port, or a firewall switched on
without a rule that allows it, lets the current customizer finish and then leaves the build waiting for a
connection that never comes until the build is cancelled.
"""

from collections.abc import Iterator

from aibcheck.i18n import t
from aibcheck.preflight.model import Hit, Severity, quote
from aibcheck.preflight.scripts import Command, script_commands
from aibcheck.preflight.view import TemplateView

_SSH_WORDS = {"22", "22/tcp", "ssh", "ssh/tcp", "openssh"}
_SSH_UNITS = {"ssh", "sshd", "ssh.service", "sshd.service", "ssh.socket"}
_IPTABLES = {"iptables", "iptables-legacy", "iptables-nft"}


def _after(command: Command, option: str) -> str | None:
    """The value of `-Option value`, `-Option:value` or `option=value` (lower case), else None."""
    args = command.arguments
    for i, word in enumerate(args):
        if word == option:
            return args[i + 1] if i + 1 < len(args) else ""
        if word.startswith((option + ":", option + "=")):
            return word[len(option) + 1 :]
    return None


def _ports(value: str | None) -> set[str]:
    return set((value or "").replace(" ", "").split(","))


def _allows_connection(command: Command) -> bool:
    args, program = command.arguments, command.program
    if program == "ufw" and args[:1] and args[0] in ("allow", "limit"):
        return bool(_SSH_WORDS & set(args)) or _after(command, "port") == "22"
    if program in _IPTABLES:
        return _after(command, "--dport") in ("22", "ssh") and _after(command, "-j") == "accept"
    if program == "new-netfirewallrule":
        return "5986" in _ports(_after(command, "-localport")) and _after(command, "-action") != "block"
    if program == "enable-netfirewallrule":
        return any("winrm" in word or "remote management" in word for word in args)
    if program == "netsh" and "add" in args and "rule" in args:
        return "localport=5986" in args and "action=allow" in args
    return False


def _blocks(command: Command) -> str | None:
    """Why this command blocks the build's connection for certain, or None."""
    args, program, original = command.arguments, command.program, command.words[1:]
    if program in _IPTABLES:
        dropped = _after(command, "-j") in ("drop", "reject")
        if dropped and (_after(command, "--dport") in ("22", "ssh") or "22" in _ports(_after(command, "--dports"))):
            return t("preflight.msg.fw.drops-ssh")
        if any(w == "-P" for w in original) and "input" in args and args[-1:] in (("drop",), ("reject",)):
            return t("preflight.msg.fw.drops-all")
    if program == "firewall-cmd" and any(
        w.startswith(("--remove-service=ssh", "--remove-port=22/")) or w == "--panic-on" for w in args
    ):
        return t("preflight.msg.fw.closes-ssh")
    stopping = {"stop", "mask"} & set(args) or ("disable" in args and "--now" in args)
    if program in ("systemctl", "service") and _SSH_UNITS & set(args) and stopping:
        return t("preflight.msg.fw.stops-ssh")
    if program == "new-netfirewallrule" and _after(command, "-action") == "block":
        return t("preflight.msg.fw.blocks-winrm") if "5986" in _ports(_after(command, "-localport")) else None
    if program == "set-netfirewallprofile" and _after(command, "-allowinboundrules") in ("false", "0", "$false"):
        return t("preflight.msg.fw.ignores-rules")
    if program == "netsh" and "advfirewall" in args:
        if any("blockinboundalways" in word for word in args):
            return t("preflight.msg.fw.blocks-all")
        if "action=block" in args and "localport=5986" in args:
            return t("preflight.msg.fw.blocks-winrm")
    if program == "stop-service" and "winrm" in args:
        return t("preflight.msg.fw.stops-winrm")
    if program == "winrm" and "delete" in args:
        return t("preflight.msg.fw.deletes-listener")
    return None


def _enables(command: Command) -> str | None:
    """Why this command may block the connection unless an allow rule exists, or None."""
    args, program = command.arguments, command.program
    if program == "ufw" and "enable" in args:
        return t("preflight.msg.fw.ufw")
    if program == "set-netfirewallprofile" and _after(command, "-enabled") in ("true", "1", "$true"):
        return t("preflight.msg.fw.windows-on")
    if program == "netsh" and "advfirewall" in args:
        if "state" in args and args[-1:] == ("on",):
            return t("preflight.msg.fw.windows-on")
        if "reset" in args:
            return t("preflight.msg.fw.reset")
    return None


def check_firewall(view: TemplateView) -> Iterator[Hit]:
    commands = script_commands(view)
    allowed_from = min((c.customizer for c in commands if _allows_connection(c)), default=None)
    for command in commands:
        blocked = _blocks(command)
        if blocked:
            yield Hit(command.pointer, t("preflight.msg.fw.blocked", command=quote(command.text), what=blocked))
            continue
        enabled = _enables(command)
        if enabled and (allowed_from is None or allowed_from > command.customizer):
            port = "5986 (WinRM)" if command.kind == "powershell" else "22 (SSH)"
            # ufw's default deny is certain; a Windows firewall is usually on already, with WinRM allowed.
            severity = Severity.ERROR if command.program == "ufw" else Severity.WARNING
            message = t("preflight.msg.fw.enabled", command=quote(command.text), what=enabled, port=port)
            yield Hit(command.pointer, message, severity)
