"""Lines that mark where a build is in its life (the timeline), as opposed to failures."""

import re
from dataclasses import dataclass
from enum import StrEnum

from aibcheck.diagnose.plain import plain


class Mark(StrEnum):
    DEPLOY = "deploy"
    CONNECT = "connect"
    CONNECTED = "connected"
    PROVISIONER_START = "provisioner-start"
    PROVISIONER_END = "provisioner-end"
    PROVISIONER_ERROR = "provisioner-error"
    PROVISIONING_WITH = "provisioning-with"  # Packer's own line for a provisioner, for logs without telemetry
    DEPROVISION_SCRIPT = "deprovision-script"
    CAPTURE = "capture"
    CLEANUP = "cleanup"
    BUILD_ERRORED = "build-errored"
    BUILD_FINISHED = "build-finished"
    FINALIZING = "finalizing"
    EXPORTED = "exported"


@dataclass(frozen=True)
class MarkerRule:
    mark: Mark
    keyword: str  # lower-case literal that the pre-filter finds
    pattern: re.Pattern[str]


def _rule(mark: Mark, keyword: str, pattern: str | None = None) -> MarkerRule:
    return MarkerRule(mark, keyword.lower(), re.compile(pattern or re.escape(keyword), re.IGNORECASE))


MARKER_RULES: tuple[MarkerRule, ...] = (
    _rule(
        Mark.PROVISIONER_START,
        "(telemetry) Starting provisioner",
        r"\(telemetry\) Starting provisioner ([\w.-]+)",
    ),
    _rule(Mark.PROVISIONER_END, "(telemetry) ending", r"\(telemetry\) ending ([\w.-]+)"),
    _rule(Mark.PROVISIONER_ERROR, "(telemetry) found error"),
    _rule(Mark.FINALIZING, "(telemetry) Finalizing"),
    _rule(Mark.DEPLOY, "Deploying deployment template"),
    _rule(Mark.DEPLOY, "Validating deployment template"),
    _rule(Mark.DEPLOY, "Running builder"),
    # "Timeout waiting for WinRM" is an error, not the start of the connect stage.
    _rule(Mark.CONNECT, "Waiting for SSH", r"(?<!timeout )Waiting for SSH"),
    _rule(Mark.CONNECT, "Waiting for WinRM", r"(?<!timeout )Waiting for WinRM"),
    _rule(Mark.CONNECTED, "Connected to SSH"),
    _rule(Mark.CONNECTED, "Connected to WinRM"),
    _rule(Mark.CONNECTED, "WinRM connected"),
    _rule(Mark.PROVISIONING_WITH, "Provisioning with shell script", r"Provisioning with (shell) script"),
    _rule(Mark.PROVISIONING_WITH, "Provisioning with Powershell", r"Provisioning with (powershell)"),
    _rule(Mark.PROVISIONING_WITH, "Uploading the Windows update", r"Uploading the (Windows update) elevated script"),
    _rule(Mark.PROVISIONING_WITH, "Restarting Machine", r"==> [\w.-]+: (Restarting Machine)$"),
    _rule(Mark.PROVISIONER_ERROR, "non-zero exit status", r"Script exited with non-zero exit status"),
    _rule(Mark.DEPROVISION_SCRIPT, "DeprovisioningScript"),
    _rule(Mark.CAPTURE, "Querying the machine's properties"),
    _rule(Mark.CAPTURE, "Powering off machine"),
    _rule(Mark.CAPTURE, "Capturing image"),
    _rule(Mark.CAPTURE, "Publishing to Shared Image Gallery"),
    _rule(Mark.CAPTURE, "Taking snapshot of OS disk"),
    _rule(Mark.CLEANUP, "deleting individual resources"),
    _rule(Mark.CLEANUP, "Removing the created Deployment object"),
    _rule(Mark.CLEANUP, "Deleting resource group"),
    _rule(Mark.CLEANUP, "Deleting the temporary OS disk"),
    _rule(Mark.CLEANUP, "The resource group was not created by Packer"),
    # The quote before the word keeps the pre-filter off the many healthy lines that say "finished".
    _rule(Mark.BUILD_ERRORED, "' errored", r"Build '[^']+' errored"),
    _rule(Mark.BUILD_ERRORED, "Provisioning step had errors"),
    _rule(Mark.BUILD_ERRORED, "Cancelling build after receiving"),
    _rule(Mark.BUILD_FINISHED, "' finished", r"Build '[^']+' finished"),
    _rule(Mark.EXPORTED, "Done exporting Packer logs"),
)

MARKER_KEYWORDS: tuple[str, ...] = tuple(sorted({rule.keyword for rule in MARKER_RULES}))


def find_marks(text: str) -> list[tuple[Mark, str]]:
    """The timeline marks in one line, each with its captured name ('' when it has none)."""
    text = plain(text)
    low = text.lower()
    found = []
    for rule in MARKER_RULES:
        if rule.keyword in low:
            match = rule.pattern.search(text)
            if match:
                found.append((rule.mark, match.group(1) if match.groups() else ""))
    return found
