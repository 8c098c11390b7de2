"""Pure builders of GitHub workflow commands and Azure DevOps logging commands, with their escaping.

Nothing else in aibcheck writes this syntax. Untrusted text is also passed through render.safe.neutralise
by the callers, so that it cannot carry a command of its own.
"""

import re
import secrets
from collections.abc import Mapping

ANNOTATION_LIMIT = 4000  # the runner cuts annotation messages at 4096 characters
GITHUB_LEVELS = ("error", "warning", "notice")
AZDO_LEVELS = ("error", "warning")
AZDO_RESULTS = ("Succeeded", "SucceededWithIssues", "Failed")


def github_escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def github_escape_property(text: str) -> str:
    return github_escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_command(name: str, properties: Mapping[str, str | int | None], message: str) -> str:
    given = {k: v for k, v in properties.items() if v is not None and v != ""}
    props = ",".join(f"{k}={github_escape_property(str(v))}" for k, v in given.items())
    return f"::{name}{' ' + props if props else ''}::{github_escape_data(message)}"


def github_annotation(
    level: str, message: str, title: str | None = None, file: str | None = None, line: int | None = None
) -> str:
    if level not in GITHUB_LEVELS:
        raise ValueError(f"annotation level {level!r}: expected one of {GITHUB_LEVELS}")
    return github_command(level, {"title": title, "file": file, "line": line if file else None}, message)


def github_mask(value: str) -> str:
    return github_command("add-mask", {}, value)


def github_output_entry(name: str, value: str) -> str:
    """One entry of the GITHUB_OUTPUT file, in the multi-line form with a random delimiter."""
    delimiter = f"aibcheck_{secrets.token_hex(16)}"
    while delimiter in value:
        delimiter = f"aibcheck_{secrets.token_hex(16)}"
    return f"{name}<<{delimiter}\n{value}\n{delimiter}\n"


def group_title(text: str) -> str:
    """A log group's title: plain words only, so that no title can carry syntax of its own."""
    return re.sub(r"[^\w .()'-]", "", text)[:120]


def azdo_escape(text: str) -> str:
    """The agent's escaping for properties and messages ('%' first, as %AZP25)."""
    return text.replace("%", "%AZP25").replace(";", "%3B").replace("\r", "%0D").replace("\n", "%0A").replace("]", "%5D")


def azdo_command(area_action: str, properties: Mapping[str, str | int | bool | None], message: str = "") -> str:
    given = {k: v for k, v in properties.items() if v is not None and v != ""}
    props = ";".join(f"{k}={azdo_escape(str(v).lower() if isinstance(v, bool) else str(v))}" for k, v in given.items())
    return f"##vso[{area_action}{' ' + props if props else ''}]{azdo_escape(message)}"


def azdo_logissue(level: str, message: str, sourcepath: str | None = None, line: int | None = None) -> str:
    if level not in AZDO_LEVELS:
        raise ValueError(f"issue type {level!r}: expected one of {AZDO_LEVELS}")
    return azdo_command(
        "task.logissue", {"type": level, "sourcepath": sourcepath, "linenumber": line if sourcepath else None}, message
    )


def azdo_output(name: str, value: str) -> str:
    return azdo_command("task.setvariable", {"variable": name, "isoutput": True}, value)


def azdo_secret(value: str) -> str:
    return azdo_command("task.setsecret", {}, value)


def azdo_upload_summary(path: str) -> str:
    return azdo_command("task.uploadsummary", {}, path)


def azdo_complete(result: str, message: str = "") -> str:
    if result not in AZDO_RESULTS:
        raise ValueError(f"result {result!r}: expected one of {AZDO_RESULTS}")
    return azdo_command("task.complete", {"result": result}, message)
