"""When the pipeline's job started, from the platform's API when a token allows it.

GitHub: the job's `started_at` (the job id from AIBCHECK_JOB_ID, e.g. `${{ job.check_run_id }}`, else the
in-progress job of this run attempt on this runner); Azure DevOps: the build timeline record of SYSTEM_JOBID.
"""

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from urllib.parse import quote

TIMEOUT = 10


def _parse(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def job_start(env: Mapping[str, str]) -> tuple[datetime | None, str]:
    """(the job's start, what it was taken from); (None, why) when the platform cannot say."""
    import requests

    try:
        if env.get("GITHUB_ACTIONS") == "true":
            return _github(env, requests)
        if env.get("TF_BUILD", "").lower() == "true":
            return _azdo(env, requests)
    except requests.RequestException as exc:
        return None, f"the platform's API could not be reached ({type(exc).__name__})"
    return None, "no pipeline"


def _github(env: Mapping[str, str], requests: Any) -> tuple[datetime | None, str]:
    token = env.get("AIBCHECK_GITHUB_TOKEN") or env.get("GITHUB_TOKEN")
    repository, api = env.get("GITHUB_REPOSITORY"), env.get("GITHUB_API_URL", "https://api.github.com").rstrip("/")
    if not token or not repository:
        return None, "no GitHub token to read the job's start"
    headers = {
        "Authorization": f"Bearer {token}",
        "Accept": "application/vnd.github+json",
        "X-GitHub-Api-Version": "2022-11-28",
    }
    job_id = env.get("AIBCHECK_JOB_ID")
    if job_id:
        response = requests.get(f"{api}/repos/{repository}/actions/jobs/{job_id}", headers=headers, timeout=TIMEOUT)
        jobs = [response.json()] if response.status_code == 200 else []
    else:
        run, attempt = env.get("GITHUB_RUN_ID"), env.get("GITHUB_RUN_ATTEMPT", "1")
        response = requests.get(
            f"{api}/repos/{repository}/actions/runs/{run}/attempts/{attempt}/jobs", headers=headers, timeout=TIMEOUT
        )
        listed = response.json().get("jobs", []) if response.status_code == 200 else []
        jobs = [
            j for j in listed if j.get("status") == "in_progress" and j.get("runner_name") == env.get("RUNNER_NAME")
        ]
    if response.status_code != 200:
        return None, f"GitHub did not give the job's start (HTTP {response.status_code}; it needs actions: read)"
    started = _parse(jobs[0].get("started_at")) if len(jobs) == 1 else None
    return (started, "the job's start reported by GitHub") if started else (None, "GitHub did not name this job")


def _azdo(env: Mapping[str, str], requests: Any) -> tuple[datetime | None, str]:
    needed = ("SYSTEM_COLLECTIONURI", "SYSTEM_TEAMPROJECT", "BUILD_BUILDID", "SYSTEM_JOBID", "SYSTEM_ACCESSTOKEN")
    if not all(env.get(name) for name in needed):
        return None, "no System.AccessToken to read the job's start"
    url = (
        f"{env['SYSTEM_COLLECTIONURI'].rstrip('/')}/{quote(env['SYSTEM_TEAMPROJECT'])}/_apis/build/builds/"
        f"{env['BUILD_BUILDID']}/timeline"
    )
    response = requests.get(
        url,
        params={"api-version": "7.1"},
        timeout=TIMEOUT,
        headers={"Authorization": f"Bearer {env['SYSTEM_ACCESSTOKEN']}"},
    )
    if response.status_code != 200:
        return None, f"Azure DevOps did not give the job's start (HTTP {response.status_code})"
    records = [
        r for r in response.json().get("records", []) if str(r.get("id", "")).lower() == env["SYSTEM_JOBID"].lower()
    ]
    started = _parse(records[0].get("startTime")) if records else None
    return (
        (started, "the job's start reported by Azure DevOps")
        if started
        else (None, "Azure DevOps did not name this job")
    )
