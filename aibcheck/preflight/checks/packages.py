"""Package installs that wait for a "yes", or that start before the VM is ready for them."""

from collections.abc import Iterator

from aibcheck.i18n import t
from aibcheck.preflight.model import Hit, quote
from aibcheck.preflight.scripts import Command, is_script_unknown, script_commands
from aibcheck.preflight.view import TemplateView, text

_APT = ("apt-get", "apt", "aptitude")
_APT_CHANGES = {"install", "upgrade", "dist-upgrade", "full-upgrade", "remove", "purge", "autoremove", "reinstall"}
_RPM = ("yum", "dnf", "microdnf", "tdnf")
_RPM_CHANGES = {"install", "update", "upgrade", "remove", "erase", "groupinstall", "reinstall", "localinstall"}
_ZYPPER_CHANGES = {"install", "in", "remove", "rm", "update", "up", "patch", "dist-upgrade", "dup"}
_APT_OPTIONS_WITH_VALUE = {"-o", "-c", "-t", "--option", "--config-file", "--target-release"}


def _subcommand(command: Command) -> str:
    """The first argument that is not an option (nor an option's value)."""
    arguments = command.arguments
    skip = False
    for word in arguments:
        if skip:
            skip = False
        elif word in _APT_OPTIONS_WITH_VALUE:
            skip = True
        elif not word.startswith("-"):
            return word
    return ""


def _short_flags(command: Command) -> str:
    return "".join(w[1:] for w in command.arguments if w.startswith("-") and not w.startswith("--"))


def _assumes_yes(command: Command) -> bool:
    words = set(command.arguments)
    if command.piped_from == "yes" or words & {"--yes", "--assume-yes", "--assumeyes", "--no-confirm"}:
        return True
    if command.program == "zypper" and words & {"-n", "--non-interactive"}:
        return True
    if "y" in _short_flags(command) or "-qq" in words or "-q=2" in words:
        return True  # apt: quiet level 2 implies -y
    return any("assume-yes=true" in w or "assume-yes=1" in w for w in words)


def changes_packages(command: Command) -> bool:
    sub = _subcommand(command)
    if command.program in _APT:
        return sub in _APT_CHANGES
    if command.program in _RPM:
        return sub in _RPM_CHANGES
    return command.program == "zypper" and sub in _ZYPPER_CHANGES


def installs(command: Command) -> bool:
    return changes_packages(command) and _subcommand(command) in {"install", "in", "groupinstall", "localinstall"}


def check_prompts(view: TemplateView) -> Iterator[Hit]:
    for command in script_commands(view):
        if command.kind == "shell" and changes_packages(command) and not _assumes_yes(command):
            yield Hit(command.pointer, t("preflight.msg.prompts", command=quote(command.text)))


def _waits_for_cloud_init(command: Command) -> bool:
    if command.program == "cloud-init" and "status" in command.arguments:
        return bool({"--wait", "-w"} & set(command.arguments))
    return "/var/lib/cloud/instance/boot-finished" in command.text


def _updates_lists(command: Command) -> bool:
    return command.program in _APT and _subcommand(command) == "update"


def check_boot_readiness(view: TemplateView, wanted: str) -> Iterator[Hit]:
    """The first install that runs before cloud-init was waited for ("cloud-init"), or before the apt
    lists were updated ("update"). A script preflight cannot read may have done either: after one, stay quiet."""
    if view.os != "linux":
        return
    opaque = [i for i, c in view.customizers() if text(c.get("type")).lower() == "shell" and is_script_unknown(c)]
    ready = False
    for command in script_commands(view):
        ready = ready or (_waits_for_cloud_init(command) if wanted == "cloud-init" else _updates_lists(command))
        relevant = wanted == "cloud-init" or command.program in _APT
        if installs(command) and relevant and not ready and not any(i < command.customizer for i in opaque):
            message = t("preflight.msg.runs-before", command=quote(command.text), what=t(_WHAT[wanted]))
            yield Hit(command.pointer, message)
            return


_WHAT = {
    "cloud-init": "preflight.msg.before-cloud-init",
    "update": "preflight.msg.before-update",
}


def check_before_cloud_init(view: TemplateView) -> Iterator[Hit]:
    return check_boot_readiness(view, "cloud-init")


def check_without_update(view: TemplateView) -> Iterator[Hit]:
    return check_boot_readiness(view, "update")
