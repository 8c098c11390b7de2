"""GitHub Actions: workflow commands, the step summary and outputs files, the pull request, the job's start."""

import json
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from aibcheck.ci import commands
from aibcheck.ci.platform import Level, PullRequest, Result
from aibcheck.i18n import t
from aibcheck.render.safe import neutralise

API = "https://api.github.com"
TIMEOUT = 10


class GitHub:
    name = "github"
    in_pipeline = True
    renders_mermaid = True

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env

    def group_start(self, title: str) -> str:
        return f"::group::{commands.group_title(title)}"

    def group_end(self) -> str | None:
        return "::endgroup::"

    def annotation(
        self, level: Level, message: str, title: str | None = None, file: str | None = None, line: int | None = None
    ) -> str | None:
        return commands.github_annotation(
            level, neutralise(message)[: commands.ANNOTATION_LIMIT], neutralise(title) if title else None, file, line
        )

    def mask(self, value: str) -> str | None:
        return commands.github_mask(value)

    def publish_summary(self, markdown: str, key: str) -> list[str]:
        return self._append("GITHUB_STEP_SUMMARY", markdown + "\n")

    def publish_outputs(self, outputs: Mapping[str, str]) -> list[str]:
        values = {name: value for name, value in outputs.items() if value}
        entries = "".join(commands.github_output_entry(name, value) for name, value in values.items())
        return self._append("GITHUB_OUTPUT", entries) if entries else []

    def _append(self, variable: str, text: str) -> list[str]:
        """Append to a file the runner gave; one warning when it cannot be written, so the rest is still reported."""
        path = self.env.get(variable)
        if not path:
            return []
        try:
            with open(path, "a", encoding="utf-8") as handle:
                handle.write(text)
        except OSError as exc:
            warning = t("ci.cannot-append", variable=variable, path=path, reason=exc.strerror or exc)
            return [self.annotation("warning", warning) or warning]
        return []

    def complete(self, result: Result) -> str | None:
        return None  # the exit code is the result

    def token(self) -> str | None:
        return self.env.get("AIBCHECK_GITHUB_TOKEN") or self.env.get("GITHUB_TOKEN") or None

    def api(self) -> str:
        return self.env.get("GITHUB_API_URL", API).rstrip("/")

    def pull_request(self) -> PullRequest | None:
        token, number, repository = self.token(), _pr_number(self.env.get("GITHUB_EVENT_PATH")), self.env.get(
            "GITHUB_REPOSITORY"
        )
        if token and number and repository:
            return PullRequest(self.name, self.api(), token, repository, number)
        return None

    def job_start(self) -> tuple[datetime | None, str]:
        import requests

        try:
            return self._job_start(requests)
        except (requests.RequestException, ValueError) as exc:
            return None, t("job-start.unreadable.github", error=type(exc).__name__)

    def _job_start(self, requests: Any) -> tuple[datetime | None, str]:
        token, repository = self.token(), self.env.get("GITHUB_REPOSITORY")
        if not token or not repository:
            return None, t("job-start.no-token", token="GitHub token")
        headers = {
            "Authorization": f"Bearer {token}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
        }
        job_id, base = self.env.get("AIBCHECK_JOB_ID"), f"{self.api()}/repos/{repository}/actions"
        if job_id:
            response = requests.get(f"{base}/jobs/{job_id}", headers=headers, timeout=TIMEOUT)
            jobs = [response.json()] if response.status_code == 200 else []
        else:
            run, attempt = self.env.get("GITHUB_RUN_ID"), self.env.get("GITHUB_RUN_ATTEMPT", "1")
            response = requests.get(f"{base}/runs/{run}/attempts/{attempt}/jobs", headers=headers, timeout=TIMEOUT)
            listed = response.json().get("jobs", []) if response.status_code == 200 else []
            runner = self.env.get("RUNNER_NAME")
            jobs = [j for j in listed if j.get("status") == "in_progress" and j.get("runner_name") == runner]
        if response.status_code != 200:
            hint = t("job-start.actions-read")
            return None, t("job-start.http", platform="GitHub", status=response.status_code, hint=hint)
        started = parse_time(jobs[0].get("started_at")) if len(jobs) == 1 else None
        if started is None:
            return None, t("job-start.unnamed", platform="GitHub")
        return started, t("job-start.reported", platform="GitHub")

    def default_job_minutes(self) -> float | None:
        return 360.0 if self.env.get("RUNNER_ENVIRONMENT") == "github-hosted" else None

    def run_id(self) -> str | None:
        run = self.env.get("GITHUB_RUN_ID")
        attempt = self.env.get("GITHUB_RUN_ATTEMPT")
        return (f"{run}-{attempt}" if attempt else run) if run else None

    def temp_dir(self) -> Path | None:
        return Path(self.env["RUNNER_TEMP"]) if self.env.get("RUNNER_TEMP") else None

    def workspace(self) -> Path | None:
        return Path(self.env["GITHUB_WORKSPACE"]) if self.env.get("GITHUB_WORKSPACE") else None

    def input_label(self, name: str) -> str:
        return name

    def ci_tags(self) -> dict[str, str]:
        server, repository = self.env.get("GITHUB_SERVER_URL", "https://github.com"), self.env.get(
            "GITHUB_REPOSITORY", ""
        )
        tags = {"aibcheck-repository": repository, "aibcheck-commit": self.env.get("GITHUB_SHA", "")}
        if repository and self.env.get("GITHUB_RUN_ID"):
            tags["aibcheck-run-url"] = f"{server}/{repository}/actions/runs/{self.env['GITHUB_RUN_ID']}"
        return tags


def parse_time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _pr_number(event_path: str | None) -> str | None:
    if not event_path:
        return None
    try:
        with open(event_path, encoding="utf-8") as handle:
            event = json.load(handle)
    except (OSError, ValueError):
        return None
    if not isinstance(event, dict):
        return None
    number = (event.get("pull_request") or {}).get("number") or (
        event.get("number") if "pull_request" in event else None
    )
    return str(number) if number else None
