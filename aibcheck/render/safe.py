"""Keep untrusted text from being read as a workflow or logging command by a CI runner, or from hiding itself."""

import re

# GitHub reads a line as a command when it starts (after whitespace) with "::"; Azure DevOps finds
# "##vso[" anywhere in a line, and the old "##[" form too.
_AZDO = re.compile(r"##(vso)?\[", re.IGNORECASE)
# C0 and C1 controls, and the bidirectional overrides and isolates that can make a line read differently
# from what it holds.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")

# Every character some tool ends a line at: CR and LF, and the Unicode line and paragraph separators and NEL.
_LINE_BREAKS = re.compile("[\r\n\u0085\u2028\u2029]")


def neutralise(text: str) -> str:
    """One line of untrusted text that no runner will execute, with control characters removed."""
    text = _CONTROL.sub("", _LINE_BREAKS.sub(" ", text))
    text = _AZDO.sub(lambda m: "##" + (m.group(1) or "") + " [", text)
    if text.lstrip().startswith("::"):
        text = text.replace("::", ": :", 1)
    return text
