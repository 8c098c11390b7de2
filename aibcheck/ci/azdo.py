"""Azure DevOps: logging commands, the build summary, output variables, Azure Repos pull requests, the job's start."""

import re
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from aibcheck.ci import commands
from aibcheck.ci.github import parse_time
from aibcheck.ci.platform import Level, PullRequest, Result
from aibcheck.files import create_unique, private_folder
from aibcheck.i18n import t
from aibcheck.render.safe import neutralise

TIMEOUT = 10


def camel(name: str) -> str:
    """`run-state` -> `runState`: output variables must match ^[A-Za-z][A-Za-z0-9]*$ to be read as variables."""
    head, *rest = name.split("-")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


class AzureDevOps:
    name = "azure-devops"
    in_pipeline = True
    renders_mermaid = False  # the build summary tab shows Markdown without Mermaid

    def __init__(self, env: Mapping[str, str]) -> None:
        self.env = env

    def group_start(self, title: str) -> str:
        return f"##[group]{commands.group_title(title)}"

    def group_end(self) -> str | None:
        return "##[endgroup]"

    def annotation(
        self, level: Level, message: str, title: str | None = None, file: str | None = None, line: int | None = None
    ) -> str | None:
        text = neutralise(f"{title}: {message}" if title else message)[: commands.ANNOTATION_LIMIT]
        if level == "notice":  # issues are errors or warnings; a notice is a highlighted log line, not an issue
            return f"##[warning]{text}"
        return commands.azdo_logissue(level, text, file, line)

    def mask(self, value: str) -> str | None:
        return commands.azdo_secret(value)

    def publish_summary(self, markdown: str, key: str) -> list[str]:
        folder = self.temp_dir()
        folder = folder if folder is not None and folder.is_dir() else private_folder(None, "aibcheck-")
        path, handle = create_unique(folder, f"aibcheck-{_safe_name(key)}", ".md")
        with handle:
            handle.write(markdown.encode("utf-8"))
        return [commands.azdo_upload_summary(str(path))]

    def publish_outputs(self, outputs: Mapping[str, str]) -> list[str]:
        return [commands.azdo_output(camel(name), value) for name, value in outputs.items() if value]

    def complete(self, result: Result) -> str | None:
        return commands.azdo_complete(result)

    def pull_request(self) -> PullRequest | None:
        # Azure Repos only: for a GitHub repository built by Azure Pipelines the threads API does not apply.
        env = self.env
        if env.get("BUILD_REASON") != "PullRequest" or env.get("BUILD_REPOSITORY_PROVIDER", "TfsGit") != "TfsGit":
            return None
        token, number = env.get("SYSTEM_ACCESSTOKEN"), env.get("SYSTEM_PULLREQUEST_PULLREQUESTID")
        if token and number and env.get("BUILD_REPOSITORY_ID") and env.get("SYSTEM_COLLECTIONURI"):
            return PullRequest(
                self.name,
                env["SYSTEM_COLLECTIONURI"].rstrip("/"),
                token,
                env["BUILD_REPOSITORY_ID"],
                number,
                env.get("SYSTEM_TEAMPROJECT", ""),
            )
        return None

    def job_start(self) -> tuple[datetime | None, str]:
        import requests

        try:
            return self._job_start(requests)
        except (requests.RequestException, ValueError) as exc:
            return None, t("job-start.unreadable.azdo", error=type(exc).__name__)

    def _job_start(self, requests: Any) -> tuple[datetime | None, str]:
        env = self.env
        needed = ("SYSTEM_COLLECTIONURI", "SYSTEM_TEAMPROJECT", "BUILD_BUILDID", "SYSTEM_JOBID", "SYSTEM_ACCESSTOKEN")
        if not all(env.get(name) for name in needed):
            return None, t("job-start.no-token", token="System.AccessToken")
        url = (
            f"{env['SYSTEM_COLLECTIONURI'].rstrip('/')}/{quote(env['SYSTEM_TEAMPROJECT'])}/_apis/build/builds/"
            f"{quote(env['BUILD_BUILDID'])}/timeline"
        )
        response = requests.get(
            url,
            params={"api-version": "7.1"},
            timeout=TIMEOUT,
            headers={"Authorization": f"Bearer {env['SYSTEM_ACCESSTOKEN']}"},
        )
        if response.status_code != 200:
            return None, t("job-start.http", platform="Azure DevOps", status=response.status_code, hint="")
        job = env["SYSTEM_JOBID"].lower()
        records = [r for r in response.json().get("records", []) if str(r.get("id", "")).lower() == job]
        started = parse_time(records[0].get("startTime")) if records else None
        if started is None:
            return None, t("job-start.unnamed", platform="Azure DevOps")
        return started, t("job-start.reported", platform="Azure DevOps")

    def default_job_minutes(self) -> float | None:
        hosted = self.env.get("AGENT_NAME", "").startswith(("Azure Pipelines", "Hosted Agent"))
        return 60.0 if hosted else None

    def run_id(self) -> str | None:
        run, attempt = self.env.get("BUILD_BUILDID"), self.env.get("SYSTEM_JOBATTEMPT")
        return (f"{run}-{attempt}" if attempt else run) if run else None

    def temp_dir(self) -> Path | None:
        return Path(self.env["AGENT_TEMPDIRECTORY"]) if self.env.get("AGENT_TEMPDIRECTORY") else None

    def workspace(self) -> Path | None:
        return Path(self.env["BUILD_SOURCESDIRECTORY"]) if self.env.get("BUILD_SOURCESDIRECTORY") else None

    def input_label(self, name: str) -> str:
        return camel(name)

    def ci_tags(self) -> dict[str, str]:
        env = self.env
        collection, project = env.get("SYSTEM_COLLECTIONURI", ""), env.get("SYSTEM_TEAMPROJECT", "")
        tags = {
            "aibcheck-repository": env.get("BUILD_REPOSITORY_NAME", ""),
            "aibcheck-commit": env.get("BUILD_SOURCEVERSION", ""),
        }
        if collection and env.get("BUILD_BUILDID"):
            tags["aibcheck-run-url"] = (
                f"{collection.rstrip('/')}/{quote(project)}/_build/results?buildId={env['BUILD_BUILDID']}"
            )
        return tags


def _safe_name(key: str) -> str:
    return re.sub(r"[^\w.-]", "_", key)[:80] or "report"
