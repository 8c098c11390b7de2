"""One pull-request comment per template, found again and updated in place (GitHub and Azure Repos).

Commenting is best effort: no token, a fork's read-only token or an API error give a notice, never a failure.
The comment is only ever one aibcheck wrote: on GitHub a bot's comment with aibcheck's hidden marker, on Azure
Repos a thread with aibcheck's property whose first comment was written by the identity aibcheck runs as.
"""

import re
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote, urlsplit

import requests

from aibcheck.ci.platform import PullRequest
from aibcheck.i18n import t
from aibcheck.render.markdown import fit_blocks

GITHUB_LIMIT = 65536
AZDO_LIMIT = 150000
TIMEOUT = 10
AZDO_PROPERTY = "aibcheck.sticky"


class CommentError(Exception):
    """The comment could not be written; the message says why, for a notice."""


def sticky_key(key: str) -> str:
    """The key as it may stand inside an HTML comment and a thread property."""
    return re.sub(r"[^\w.-]", "_", key)[:120] or "report"


def marker(key: str) -> str:
    return f"<!-- aibcheck:sticky:{sticky_key(key)} -->"


def body_of(blocks: Sequence[Sequence[str]], key: str, limit: int) -> str:
    """The comment: whole blocks that fit, then the hidden marker on its own, always intact."""
    tail = f"\n{marker(key)}\n"
    return fit_blocks(blocks, limit - len(tail.encode())) + tail


def upsert(pr: PullRequest, key: str, blocks: Sequence[Sequence[str]], create: bool) -> str:
    """Update this template's comment, or create it when `create`; returns what was done."""
    try:
        if pr.platform == "github":
            return _github(pr, key, body_of(blocks, key, GITHUB_LIMIT), create)
        return _azdo(pr, key, body_of(blocks, key, AZDO_LIMIT), create)
    except requests.RequestException as exc:
        raise CommentError(t("comment.unreachable", platform=pr.platform, error=type(exc).__name__)) from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise CommentError(t("comment.unexpected", platform=pr.platform, error=type(exc).__name__)) from exc


def _check(response: requests.Response, what: str) -> Any:
    if response.status_code == 403:
        raise CommentError(t("comment.forbidden", what=t(what)))
    if response.status_code >= 400:
        raise CommentError(t("comment.http", what=t(what), status=response.status_code))
    return response.json() if response.content else None


def _same_origin(url: str, api: str) -> bool:
    """A pagination link is followed, with the token, only to the API's own scheme, host and port."""
    a, b = urlsplit(url), urlsplit(api)
    return (a.scheme, a.netloc.lower()) == (b.scheme, b.netloc.lower())


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
        for comment in _check(response, "comment.listing") or []:
            if marker(key) in (comment.get("body") or "") and (comment.get("user") or {}).get("type") == "Bot":
                _check(
                    session.patch(
                        f"{pr.api}/repos/{pr.repository}/issues/comments/{int(comment['id'])}",
                        json={"body": body},
                        timeout=TIMEOUT,
                    ),
                    "comment.updating",
                )
                return "updated"
        following = response.links.get("next", {}).get("url")
        url = following if following and _same_origin(following, pr.api) else None
    if not create:
        return "none"
    _check(
        session.post(
            f"{pr.api}/repos/{pr.repository}/issues/{pr.number}/comments", json={"body": body}, timeout=TIMEOUT
        ),
        "comment.creating",
    )
    return "created"


def _property(thread: Mapping[str, Any]) -> str | None:
    value = (thread.get("properties") or {}).get(AZDO_PROPERTY)
    if isinstance(value, Mapping):
        value = value.get("$value")
    return str(value) if value is not None else None


def _azdo_identity(session: requests.Session, pr: PullRequest) -> str:
    """The id of the identity aibcheck runs as (the build service, for System.AccessToken)."""
    data = _check(session.get(f"{pr.api}/_apis/connectionData", timeout=TIMEOUT), "comment.whoami") or {}
    identity = str((data.get("authenticatedUser") or {}).get("id") or "")
    if not identity:
        raise CommentError(t("comment.no-identity"))
    return identity.lower()


def _azdo(pr: PullRequest, key: str, body: str, create: bool) -> str:
    session = requests.Session()
    session.headers.update({"Authorization": f"Bearer {pr.token}", "Content-Type": "application/json"})
    repository = f"{pr.api}/{quote(pr.project)}/_apis/git/repositories/{quote(pr.repository)}"
    base = f"{repository}/pullRequests/{quote(pr.number)}/threads"
    version = {"api-version": "7.1"}
    me = _azdo_identity(session, pr)
    threads = _check(session.get(base, params=version, timeout=TIMEOUT), "comment.threads") or {}
    for thread in threads.get("value", []):
        comments = thread.get("comments") or []
        if thread.get("isDeleted") or _property(thread) != sticky_key(key) or not comments:
            continue
        first = comments[0]
        if str((first.get("author") or {}).get("id", "")).lower() != me:
            continue  # someone else's thread with our property: never take it over
        _check(
            session.patch(
                f"{base}/{int(thread['id'])}/comments/{int(first['id'])}",
                params=version,
                json={"content": body},
                timeout=TIMEOUT,
            ),
            "comment.updating",
        )
        return "updated"
    if not create:
        return "none"
    thread_body: dict[str, Any] = {
        "comments": [{"parentCommentId": 0, "content": body, "commentType": 1}],
        "status": 1,
        "properties": {AZDO_PROPERTY: {"$type": "System.String", "$value": sticky_key(key)}},
    }
    _check(session.post(base, params=version, json=thread_body, timeout=TIMEOUT), "comment.creating")
    return "created"
