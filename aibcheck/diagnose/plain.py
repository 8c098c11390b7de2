"""A log line without the decoration CI systems add around it, for matching only (evidence keeps the line)."""

import re

# Colour and cursor codes (CSI), and terminal titles or links (OSC): Packer colours its output unless told not to.
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")
# The time stamp GitHub Actions and Azure Pipelines put before every line of a downloaded job log.
_CI_STAMP = re.compile(r"\ufeff?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ")


def plain(text: str) -> str:
    if "\x1b" in text:
        text = _ANSI.sub("", text)
    if text[:1].isdigit() or text[:1] == "\ufeff":
        stamp = _CI_STAMP.match(text)
        if stamp:
            text = text[stamp.end() :]
    return text
