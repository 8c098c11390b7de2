"""The one interface to the CI platform aibcheck runs on: GitHub Actions, Azure DevOps, or a local terminal.

Everything that differs between platforms is a method here; nothing else in aibcheck reads GITHUB_ACTIONS or
TF_BUILD. Adding a platform is one module with a class that satisfies `Platform`, and one line in `detect`.
Methods that produce platform syntax return the line to print (None when the platform has no such thing);
every piece of untrusted text in them has gone through render.safe.neutralise.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal, Protocol

Level = Literal["error", "warning", "notice"]
Result = Literal["Succeeded", "SucceededWithIssues", "Failed"]


@dataclass(frozen=True)
class PullRequest:
    """Where the pull-request comment goes, and the token that may write it."""

    platform: str  # "github" or "azure-devops"
    api: str
    token: str
    repository: str  # owner/repo on GitHub, the repository id on Azure DevOps
    number: str
    project: str = ""


class Platform(Protocol):
    name: str  # "github", "azure-devops" or "local"
    env: Mapping[str, str]
    in_pipeline: bool
    renders_mermaid: bool  # whether its summary page draws Mermaid diagrams

    def group_start(self, title: str) -> str: ...
    def group_end(self) -> str | None: ...
    def annotation(
        self, level: Level, message: str, title: str | None = None, file: str | None = None, line: int | None = None
    ) -> str | None: ...
    def mask(self, value: str) -> str | None: ...
    def publish_summary(self, markdown: str, key: str) -> list[str]: ...
    def publish_outputs(self, outputs: Mapping[str, str]) -> list[str]: ...
    def complete(self, result: Result) -> str | None: ...
    def pull_request(self) -> PullRequest | None: ...
    def job_start(self) -> tuple[datetime | None, str]: ...
    def default_job_minutes(self) -> float | None: ...
    def run_id(self) -> str | None: ...
    def temp_dir(self) -> Path | None: ...
    def workspace(self) -> Path | None: ...
    def input_label(self, name: str) -> str: ...
    def ci_tags(self) -> dict[str, str]: ...


def detect(env: Mapping[str, str]) -> Platform:
    from aibcheck.ci.azdo import AzureDevOps
    from aibcheck.ci.github import GitHub
    from aibcheck.ci.local import Local

    if env.get("GITHUB_ACTIONS") == "true":
        return GitHub(env)
    if env.get("TF_BUILD", "").lower() == "true":
        return AzureDevOps(env)
    return Local(env)


def repo_relative(path: str | None, workspace: Path | None) -> str | None:
    """A path as the platform links it on a diff: relative to the workspace, with forward slashes."""
    if not path or path == "-" or workspace is None:
        return None
    try:
        return Path(path).resolve().relative_to(workspace.resolve()).as_posix()
    except (ValueError, OSError):
        return None
