"""A terminal, or any CI without a known platform: the text output is the report."""

from collections.abc import Mapping
from datetime import datetime
from pathlib import Path

from aibcheck.ci import commands
from aibcheck.ci.platform import Level, PullRequest, Result
from aibcheck.i18n import t


class Local:
    name = "local"
    in_pipeline = False
    renders_mermaid = True  # a summary file is most often read on GitHub or in an editor that draws Mermaid

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env

    def group_start(self, title: str) -> str:
        return f"--- {commands.group_title(title)}"

    def group_end(self) -> str | None:
        return None

    def annotation(
        self, level: Level, message: str, title: str | None = None, file: str | None = None, line: int | None = None
    ) -> str | None:
        return None

    def mask(self, value: str) -> str | None:
        return None

    def publish_summary(self, markdown: str, key: str) -> list[str]:
        return []

    def publish_outputs(self, outputs: Mapping[str, str]) -> list[str]:
        return []

    def complete(self, result: Result) -> str | None:
        return None

    def pull_request(self) -> PullRequest | None:
        return None

    def job_start(self) -> tuple[datetime | None, str]:
        return None, t("job-start.no-pipeline")

    def default_job_minutes(self) -> float | None:
        return None

    def run_id(self) -> str | None:
        return None

    def temp_dir(self) -> Path | None:
        return None

    def workspace(self) -> Path | None:
        return None

    def input_label(self, name: str) -> str:
        return name

    def ci_tags(self) -> dict[str, str]:
        return {}
