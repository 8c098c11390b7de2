"""Keep untrusted text from being read as a workflow or logging command by a CI runner."""

import re

# GitHub reads a line as a command when it starts (after whitespace) with "::"; Azure DevOps finds
# "##vso[" anywhere in a line, and the old "##[" form too.
_AZDO = re.compile(r"##(vso)?\[", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\x1b]")


def neutralise(text: str) -> str:
    """One line of untrusted text that no runner will execute, with control characters removed."""
    text = _CONTROL.sub("", text.replace("\r", " ").replace("\n", " "))
    text = _AZDO.sub(lambda m: "##" + (m.group(1) or "") + " [", text)
    if text.lstrip().startswith("::"):
        text = text.replace("::", ": :", 1)
    return text
