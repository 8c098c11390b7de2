"""Tell what kind of input we were given from its first bytes, without flags."""

import re

from aibcheck.diagnose.model import InputKind

_AIB_PREFIX = re.compile(rb"PACKER (?:OUT|ERR)\b|PACKER \d{4}/\d\d/\d\d")
_PIPELINE = re.compile(rb"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ", re.MULTILINE)
_PACKER = re.compile(rb"^(?:==> |    )azure-arm: |\bui(?: error)?: |packer-(?:builder|plugin|provisioner)-", re.M)
_FORMAT_LIST = re.compile(
    # PowerShell 7.2 and later colour the property names (an ANSI code before and after the name).
    rb"^\s*(?:\x1b\[[0-9;]*m)?(?:LastRunStatus\w*|ProvisioningState|ProvisioningError\w*|ExactStagingResourceGroup)"
    # Format-List pads every name before " : "; prose such as "provisioningState: 'x'" has no space there.
    rb"(?:[ \t]+(?:\x1b\[[0-9;]*m)?|\x1b\[[0-9;]*m[ \t]+): ",
    re.MULTILINE | re.IGNORECASE,
)


def detect_kind(head: bytes) -> InputKind:
    if _AIB_PREFIX.search(head):
        return InputKind.CUSTOMIZATION_LOG
    if head.lstrip()[:1] in (b"{", b"["):
        return InputKind.JSON
    if _PIPELINE.search(head):
        return InputKind.PIPELINE_LOG
    if _PACKER.search(head):
        return InputKind.PACKER_LOG
    if _FORMAT_LIST.search(head):
        return InputKind.FORMAT_LIST
    return InputKind.MESSAGE
