"""Which CI platform we run on, and the few pieces of its syntax the live log needs.

Every piece of untrusted text goes through render.safe.neutralise before it reaches these builders.
"""

import re
from collections.abc import Mapping
from enum import StrEnum


class Platform(StrEnum):
    GITHUB = "github"
    AZURE_DEVOPS = "azure-devops"
    LOCAL = "local"


def detect(env: Mapping[str, str]) -> Platform:
    if env.get("GITHUB_ACTIONS") == "true":
        return Platform.GITHUB
    if env.get("TF_BUILD", "").lower() == "true":
        return Platform.AZURE_DEVOPS
    return Platform.LOCAL


def _title(text: str) -> str:
    return re.sub(r"[^\w .()'-]", "", text)[:120]


def group_start(platform: Platform, title: str) -> str:
    title = _title(title)
    if platform is Platform.GITHUB:
        return f"::group::{title}"
    if platform is Platform.AZURE_DEVOPS:
        return f"##[group]{title}"
    return f"--- {title}"


def group_end(platform: Platform) -> str | None:
    if platform is Platform.GITHUB:
        return "::endgroup::"
    if platform is Platform.AZURE_DEVOPS:
        return "##[endgroup]"
    return None
