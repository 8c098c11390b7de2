"""One pull-request comment per template, found again and updated in place (GitHub and Azure DevOps).

Commenting is best effort: no token, a fork's read-only token or an API error give a notice, never a failure.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import requests

GITHUB_LIMIT = 65536
AZDO_LIMIT = 150000
TIMEOUT = 10
AZDO_PROPERTY = "aibcheck.sticky"


class CommentError(Exception):
    """The comment could not be written; the message says why, for a notice."""


@dataclass(frozen=True)
class PullRequest:
    platform: str  # "github" or "azure-devops"
    api: str
    token: str
    repository: str  # owner/repo on GitHub, the repository id on Azure DevOps
    number: str
    project: str = ""


def marker(key: str) -> str:
    return f"<!-- aibcheck:sticky:{key} -->"


def _fit(body: str, limit: int, key: str) -> str:
    tail = f"\n\n{marker(key)}\n"
    if len(body) + len(tail) > limit:
        body = body[: limit - len(tail) - 40] + "\n\n… (cut to fit the comment limit)"
    return body + tail


def pull_request(env: Mapping[str, str]) -> PullRequest | None:
    """The pull request this run belongs to, with a token to comment, or None."""
    if env.get("GITHUB_ACTIONS") == "true":
        token = env.get("AIBCHECK_GITHUB_TOKEN") or env.get("GITHUB_TOKEN")
        number = _github_pr_number(env.get("GITHUB_EVENT_PATH"))
        if token and number and env.get("GITHUB_REPOSITORY"):
            api = env.get("GITHUB_API_URL", "https://api.github.com").rstrip("/")
            return PullRequest("github", api, token, env["GITHUB_REPOSITORY"], number)
        return None
    # Azure Repos only: for a GitHub repository built by Azure Pipelines the threads API does not apply.
    azure_repos = env.get("BUILD_REPOSITORY_PROVIDER", "TfsGit") == "TfsGit"
    if env.get("TF_BUILD", "").lower() == "true" and env.get("BUILD_REASON") == "PullRequest" and azure_repos:
        token, number = env.get("SYSTEM_ACCESSTOKEN"), env.get("SYSTEM_PULLREQUEST_PULLREQUESTID")
        if token and number and env.get("BUILD_REPOSITORY_ID") and env.get("SYSTEM_COLLECTIONURI"):
            return PullRequest(
                "azure-devops",
                env["SYSTEM_COLLECTIONURI"].rstrip("/"),
                token,
                env["BUILD_REPOSITORY_ID"],
                number,
                env.get("SYSTEM_TEAMPROJECT", ""),
            )
    return None


def _github_pr_number(event_path: str | None) -> str | None:
    if not event_path:
        return None
    try:
        with open(event_path, encoding="utf-8") as handle:
            event = json.load(handle)
    except (OSError, ValueError):
        return None
    number = (event.get("pull_request") or {}).get("number") or (
        event.get("number") if "pull_request" in event else None
    )
    return str(number) if number else None


def upsert(pr: PullRequest, key: str, body: str, create: bool) -> str:
    """Update this template's comment, or create it when `create`; returns what was done."""
    try:
        if pr.platform == "github":
            return _github(pr, key, _fit(body, GITHUB_LIMIT, key), create)
        return _azdo(pr, key, _fit(body, AZDO_LIMIT, key), create)
    except requests.RequestException as exc:
        raise CommentError(f"the {pr.platform} API could not be reached: {type(exc).__name__}") from exc


def _check(response: requests.Response, what: str) -> Any:
    if response.status_code == 403:
        raise CommentError(f"{what}: 403, the token may not write pull-request comments (a fork's token is read-only)")
    if response.status_code >= 400:
        raise CommentError(f"{what}: HTTP {response.status_code}")
    return response.json() if response.content else None


def _github(pr: PullRequest, key: str, body: str, create: bool) -> str:
    session = requests.Session()
    session.headers.update(
        {
            "Authorization": f"Bearer {pr.token}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
        }
    )
    url: str | None = f"{pr.api}/repos/{pr.repository}/issues/{pr.number}/comments?per_page=100"
    while url:
        response = session.get(url, timeout=TIMEOUT)
        for comment in _check(response, "listing comments") or []:
            if marker(key) in (comment.get("body") or "") and (comment.get("user") or {}).get("type") == "Bot":
                _check(
                    session.patch(
                        f"{pr.api}/repos/{pr.repository}/issues/comments/{comment['id']}",
                        json={"body": body},
                        timeout=TIMEOUT,
                    ),
                    "updating the comment",
                )
                return "updated"
        url = response.links.get("next", {}).get("url")
    if not create:
        return "none"
    _check(
        session.post(
            f"{pr.api}/repos/{pr.repository}/issues/{pr.number}/comments", json={"body": body}, timeout=TIMEOUT
        ),
        "creating the comment",
    )
    return "created"


def _property(thread: Mapping[str, Any]) -> str | None:
    value = (thread.get("properties") or {}).get(AZDO_PROPERTY)
    if isinstance(value, Mapping):
        value = value.get("$value")
    return str(value) if value is not None else None


def _azdo(pr: PullRequest, key: str, body: str, create: bool) -> str:
    session = requests.Session()
    session.headers.update({"Authorization": f"Bearer {pr.token}", "Content-Type": "application/json"})
    base = f"{pr.api}/{quote(pr.project)}/_apis/git/repositories/{pr.repository}/pullRequests/{pr.number}/threads"
    version = {"api-version": "7.1"}
    threads = _check(session.get(base, params=version, timeout=TIMEOUT), "listing threads") or {}
    for thread in threads.get("value", []):
        if not thread.get("isDeleted") and _property(thread) == key and thread.get("comments"):
            first = thread["comments"][0]
            _check(
                session.patch(
                    f"{base}/{thread['id']}/comments/{first['id']}",
                    params=version,
                    json={"content": body},
                    timeout=TIMEOUT,
                ),
                "updating the comment",
            )
            return "updated"
    if not create:
        return "none"
    thread_body: dict[str, Any] = {
        "comments": [{"parentCommentId": 0, "content": body, "commentType": 1}],
        "status": 1,
        "properties": {AZDO_PROPERTY: {"$type": "System.String", "$value": key}},
    }
    _check(session.post(base, params=version, json=thread_body, timeout=TIMEOUT), "creating the comment")
    return "created"
