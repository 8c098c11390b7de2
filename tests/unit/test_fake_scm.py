"""Tests of the SCM fakes (tests/fakes/github.py and tests/fakes/azdo.py) with ``requests``."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests

from tests.fakes.azdo import MAX_COMMENT_CHARS, FakeAzureDevOps
from tests.fakes.github import BOT_LOGIN, DEFAULT_RUN_ID, MAX_BODY_CHARS, FakeGitHub

REPO = "octo-org/image-repo"
PR = 17
API = {"api-version": "7.1"}


@pytest.fixture
def gh() -> Iterator[FakeGitHub]:
    with FakeGitHub() as fake:
        yield fake


@pytest.fixture
def ado() -> Iterator[FakeAzureDevOps]:
    with FakeAzureDevOps() as fake:
        yield fake


def _gh_session(gh: FakeGitHub, scheme: str = "Bearer") -> requests.Session:
    s = requests.Session()
    s.headers.update(
        {
            "Authorization": f"{scheme} {gh.token}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
        }
    )
    return s


def _ado_session(ado: FakeAzureDevOps) -> requests.Session:
    s = requests.Session()
    s.headers["Authorization"] = f"Bearer {ado.token}"
    return s


# --------------------------------------------------------------------------------------------------------------------
# GitHub


def test_github_url_and_auth_schemes(gh: FakeGitHub) -> None:
    assert gh.url.startswith("http://127.0.0.1:")
    gh.add_comment(REPO, PR, "hello")
    for scheme in ("Bearer", "token"):
        r = _gh_session(gh, scheme).get(f"{gh.url}/repos/{REPO}/issues/{PR}/comments")
        assert r.status_code == 200
        assert [c["body"] for c in r.json()] == ["hello"]
    rec = gh.requests[-1]
    assert rec.method == "GET"
    assert rec.path == f"/repos/{REPO}/issues/{PR}/comments"
    assert rec.headers["accept"] == "application/vnd.github+json"
    assert rec.headers["x-github-api-version"] == "2022-11-28"
    assert rec.status == 200


def test_github_pagination_follows_link(gh: FakeGitHub) -> None:
    seeded = [gh.add_comment(REPO, PR, f"c{i}", login=f"user{i % 3}") for i in range(7)]
    gh.add_comment(REPO, PR + 1, "other PR")
    gh.add_comment("someone/else", PR, "other repo")
    s = _gh_session(gh)
    url: str | None = f"{gh.url}/repos/{REPO}/issues/{PR}/comments?per_page=3&page=1"
    bodies: list[str] = []
    ids: list[int] = []
    pages = 0
    last_url = ""
    while url:
        r = s.get(url)
        assert r.status_code == 200
        assert url.startswith(gh.url)
        page = r.json()
        assert len(page) <= 3
        bodies += [c["body"] for c in page]
        ids += [c["id"] for c in page]
        pages += 1
        if pages == 1:
            assert set(r.links) == {"next", "last"}
            last_url = r.links["last"]["url"]
        url = r.links.get("next", {}).get("url")
    assert pages == 3
    assert bodies == [f"c{i}" for i in range(7)]
    assert ids == sorted(ids) == [c["id"] for c in seeded]
    assert "page=3" in last_url and "per_page=3" in last_url
    # the links use /repositories/{id}/..., like the real API
    assert f"/repositories/{gh.repository_id(REPO)}/issues/{PR}/comments" in last_url
    # last page: prev and first only
    r = s.get(last_url)
    assert set(r.links) == {"prev", "first"}
    # a single page has no Link header
    r = s.get(f"{gh.url}/repos/{REPO}/issues/{PR}/comments", params={"per_page": 100})
    assert "Link" not in r.headers and len(r.json()) == 7


def test_github_per_page_clamped_and_link_style(gh: FakeGitHub) -> None:
    for i in range(105):
        gh.add_comment(REPO, PR, f"c{i}")
    s = _gh_session(gh)
    r = s.get(f"{gh.url}/repos/{REPO}/issues/{PR}/comments", params={"per_page": 500})
    assert len(r.json()) == 100
    r = s.get(f"{gh.url}/repos/{REPO}/issues/{PR}/comments")
    assert len(r.json()) == 30  # the API's default
    gh.links_use_repository_id = False
    r = s.get(f"{gh.url}/repos/{REPO}/issues/{PR}/comments", params={"per_page": 100})
    assert r.links["next"]["url"].startswith(f"{gh.url}/repos/{REPO}/issues/{PR}/comments?")
    assert len(s.get(r.links["next"]["url"]).json()) == 5


def test_github_create_update_delete(gh: FakeGitHub) -> None:
    s = _gh_session(gh)
    r = s.post(f"{gh.url}/repos/{REPO}/issues/{PR}/comments", json={"body": "first <!-- aibcheck:sticky:x -->"})
    assert r.status_code == 201
    c = r.json()
    assert c["user"]["login"] == BOT_LOGIN and c["user"]["type"] == "Bot"
    assert c["html_url"] == f"https://github.com/{REPO}/pull/{PR}#issuecomment-{c['id']}"
    assert c["created_at"] == c["updated_at"]
    assert r.headers["Location"] == c["url"]
    r = s.patch(f"{gh.url}/repos/{REPO}/issues/comments/{c['id']}", json={"body": "second"})
    assert r.status_code == 200
    assert r.json()["body"] == "second"
    assert r.json()["updated_at"] > c["created_at"]
    assert gh.comments[PR][0]["body"] == "second"
    assert gh.requests[-1].json == {"body": "second"}
    assert s.patch(f"{gh.url}/repos/{REPO}/issues/comments/999", json={"body": "x"}).status_code == 404
    assert s.patch(f"{gh.url}/repos/other/repo/issues/comments/{c['id']}", json={"body": "x"}).status_code == 404
    r = s.delete(f"{gh.url}/repos/{REPO}/issues/comments/{c['id']}")
    assert r.status_code == 204 and r.content == b""
    assert gh.comments == {}
    assert s.delete(f"{gh.url}/repos/{REPO}/issues/comments/{c['id']}").status_code == 404


def test_github_read_only(gh: FakeGitHub) -> None:
    seeded = gh.add_comment(REPO, PR, "mine", login=BOT_LOGIN, type="Bot")
    gh.read_only = True
    s = _gh_session(gh)
    for r in (
        s.post(f"{gh.url}/repos/{REPO}/issues/{PR}/comments", json={"body": "x"}),
        s.patch(f"{gh.url}/repos/{REPO}/issues/comments/{seeded['id']}", json={"body": "x"}),
        s.delete(f"{gh.url}/repos/{REPO}/issues/comments/{seeded['id']}"),
    ):
        assert r.status_code == 403
        assert r.json()["message"] == "Resource not accessible by integration"
        assert r.json()["documentation_url"].startswith("https://docs.github.com/rest/issues/comments")
    assert s.get(f"{gh.url}/repos/{REPO}/issues/{PR}/comments").status_code == 200
    assert gh.comments[PR][0]["body"] == "mine"


def test_github_bad_token(gh: FakeGitHub) -> None:
    r = requests.get(f"{gh.url}/repos/{REPO}/issues/{PR}/comments", headers={"Authorization": "Bearer nope"})
    assert r.status_code == 401
    assert r.json()["message"] == "Bad credentials"
    r = requests.get(f"{gh.url}/repos/{REPO}/issues/{PR}/comments")
    assert r.status_code == 401
    assert r.json()["message"] == "Requires authentication"
    assert [rec.status for rec in gh.requests] == [401, 401]


def test_github_fail_next(gh: FakeGitHub) -> None:
    s = _gh_session(gh)
    gh.fail_next(502, times=2)
    gh.fail_next(503)
    statuses = [s.get(f"{gh.url}/repos/{REPO}/issues/{PR}/comments").status_code for _ in range(4)]
    assert statuses == [502, 502, 503, 200]
    # faults come before auth
    gh.fail_next()
    assert requests.get(f"{gh.url}/repos/{REPO}/issues/{PR}/comments").status_code == 502


def test_github_body_limits(gh: FakeGitHub) -> None:
    s = _gh_session(gh)
    url = f"{gh.url}/repos/{REPO}/issues/{PR}/comments"
    assert s.post(url, json={"body": "é" * MAX_BODY_CHARS}).status_code == 201  # characters, not bytes
    r = s.post(url, json={"body": "x" * (MAX_BODY_CHARS + 1)})
    assert r.status_code == 422
    assert r.json()["message"] == "Validation Failed"
    assert r.json()["errors"][0]["message"] == "Body is too long (maximum is 65536 characters)"
    cid = gh.comments[PR][0]["id"]
    r = s.patch(f"{gh.url}/repos/{REPO}/issues/comments/{cid}", json={"body": "x" * (MAX_BODY_CHARS + 1)})
    assert r.status_code == 422
    assert s.post(url, json={"nobody": 1}).status_code == 422
    assert s.post(url, data=b"{not json", headers={"Content-Type": "application/json"}).status_code == 400
    assert len(gh.comments[PR]) == 1


def test_github_api_version_and_unknown_route(gh: FakeGitHub) -> None:
    s = _gh_session(gh)
    r = s.get(f"{gh.url}/repos/{REPO}/issues/{PR}/comments", headers={"X-GitHub-Api-Version": "1999-01-01"})
    assert r.status_code == 400
    assert s.get(f"{gh.url}/user").status_code == 404


def test_github_thread_safety(gh: FakeGitHub) -> None:
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            s = _gh_session(gh)
            for i in range(10):
                r = s.post(f"{gh.url}/repos/{REPO}/issues/{PR}/comments", json={"body": f"{n}-{i}"})
                assert r.status_code == 201
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    ids = [c["id"] for c in gh.comments[PR]]
    assert len(ids) == len(set(ids)) == 80


# --------------------------------------------------------------------------------------------------------------------
# Azure DevOps


def test_ado_url_and_list(ado: FakeAzureDevOps) -> None:
    assert ado.url.startswith("http://127.0.0.1:") and ado.url.endswith("/org/")
    assert ado.project == "proj"
    ado.add_thread(5, "old sticky", {"aibcheck.sticky": "tpl-1"}, deleted=True)
    ado.add_thread(5, "by a human", author="Jane Doe")
    ado.add_thread(6, "another PR")
    r = _ado_session(ado).get(
        f"{ado.url}proj/_apis/git/repositories/{ado.repository_id}/pullRequests/5/threads", params=API
    )
    assert r.status_code == 200
    body = r.json()
    assert body["count"] == 2
    first, second = body["value"]
    assert first["isDeleted"] is True and first["comments"][0]["isDeleted"] is True
    assert first["properties"] == {"aibcheck.sticky": {"$type": "System.String", "$value": "tpl-1"}}
    assert first["comments"][0]["author"]["displayName"] == "proj Build Service (org)"
    assert second["comments"][0]["author"]["displayName"] == "Jane Doe"
    assert second["status"] == "active" and second["comments"][0]["commentType"] == "text"
    rec = ado.requests[-1]
    assert rec.query == {"api-version": "7.1"} and rec.status == 200
    assert rec.headers["authorization"] == f"Bearer {ado.token}"


def test_ado_create_update_flow(ado: FakeAzureDevOps) -> None:
    s = _ado_session(ado)
    base = ado.threads_url(9)
    post: dict[str, Any] = {
        "comments": [{"parentCommentId": 0, "content": "report v1", "commentType": 1}],
        "status": 1,
        "properties": {"aibcheck.sticky": {"$type": "System.String", "$value": "tpl-1"}},
    }
    r = s.post(base, params=API, json=post)
    assert r.status_code == 201
    t = r.json()
    assert t["status"] == "active" and t["isDeleted"] is False
    assert t["comments"][0]["content"] == "report v1"
    assert t["comments"][0]["author"]["displayName"] == "proj Build Service (org)"
    assert t["properties"]["aibcheck.sticky"]["$value"] == "tpl-1"
    cid = t["comments"][0]["id"]
    r = s.patch(f"{base}/{t['id']}/comments/{cid}", params=API, json={"content": "report v2"})
    assert r.status_code == 200 and r.json()["content"] == "report v2"
    r = s.patch(f"{base}/{t['id']}", params=API, json={"status": "closed"})
    assert r.status_code == 200 and r.json()["status"] == "closed"
    snap = ado.threads[9][0]
    assert snap["comments"][0]["content"] == "report v2" and snap["status"] == "closed"
    assert s.patch(f"{base}/99999", params=API, json={"status": 1}).status_code == 404
    assert s.patch(f"{base}/{t['id']}/comments/42", params=API, json={"content": "x"}).status_code == 404
    assert s.post(base, params=API, json={**post, "status": 99}).status_code == 400


def test_ado_envelope_vs_flat_properties(ado: FakeAzureDevOps) -> None:
    ado.add_thread(3, "a", {"aibcheck.sticky": {"$type": "System.String", "$value": "tpl"}, "n": 7})
    s = _ado_session(ado)
    url = ado.threads_url(3)
    props = s.get(url, params=API).json()["value"][0]["properties"]
    assert props == {
        "aibcheck.sticky": {"$type": "System.String", "$value": "tpl"},
        "n": {"$type": "System.Int32", "$value": 7},
    }
    ado.envelope_properties = False
    props = s.get(url, params=API).json()["value"][0]["properties"]
    assert props == {"aibcheck.sticky": "tpl", "n": 7}
    # a flat property posted comes back in the current form
    r = s.post(url, params=API, json={"comments": [{"content": "b"}], "properties": {"aibcheck.sticky": "x"}})
    assert r.json()["properties"] == {"aibcheck.sticky": "x"}
    ado.envelope_properties = True
    assert ado.threads[3][1]["properties"] == {"aibcheck.sticky": {"$type": "System.String", "$value": "x"}}


def test_ado_read_only(ado: FakeAzureDevOps) -> None:
    t = ado.add_thread(4, "mine")
    ado.read_only = True
    s = _ado_session(ado)
    base = ado.threads_url(4)
    for r in (
        s.post(base, params=API, json={"comments": [{"content": "x"}]}),
        s.patch(f"{base}/{t['id']}/comments/1", params=API, json={"content": "x"}),
        s.patch(f"{base}/{t['id']}", params=API, json={"status": 4}),
    ):
        assert r.status_code == 403
        assert r.json()["message"].startswith("TF401027: You need the Git 'PullRequestContribute' permission")
        assert r.json()["typeKey"] == "GitNeedsPermissionException"
    assert s.get(base, params=API).status_code == 200
    assert ado.threads[4][0]["comments"][0]["content"] == "mine"


def test_ado_bad_token_and_api_version(ado: FakeAzureDevOps) -> None:
    url = ado.threads_url(1)
    r = requests.get(url, params=API, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401
    assert "Bearer" in r.headers["WWW-Authenticate"]
    assert requests.get(url, params=API).status_code == 401
    s = _ado_session(ado)
    r = s.get(url)
    assert r.status_code == 400 and r.json()["typeKey"] == "VssVersionNotSpecifiedException"
    assert s.get(url, params={"api-version": "6.0"}).status_code == 400
    assert s.get(url, headers={"Accept": "application/json; api-version=7.1"}).status_code == 200


def test_ado_fail_next(ado: FakeAzureDevOps) -> None:
    s = _ado_session(ado)
    ado.fail_next(503, times=2)
    ado.fail_next()
    statuses = [s.get(ado.threads_url(1), params=API).status_code for _ in range(4)]
    assert statuses == [503, 503, 500, 200]
    assert [r.status for r in ado.requests] == statuses


def test_ado_comment_length_limit(ado: FakeAzureDevOps) -> None:
    s = _ado_session(ado)
    base = ado.threads_url(2)
    r = s.post(base, params=API, json={"comments": [{"content": "x" * (MAX_COMMENT_CHARS + 1)}], "status": 1})
    assert r.status_code == 400
    assert r.json()["message"].startswith("A discussion comment cannot be longer than 150000 characters.")
    assert ado.threads == {}
    r = s.post(base, params=API, json={"comments": [{"content": "x" * MAX_COMMENT_CHARS}], "status": 1})
    assert r.status_code == 201
    tid = r.json()["id"]
    r = s.patch(f"{base}/{tid}/comments/1", params=API, json={"content": "y" * (MAX_COMMENT_CHARS + 1)})
    assert r.status_code == 400


def test_ado_project_encoding_and_unknown_repo() -> None:
    with FakeAzureDevOps(project="My Project", organization="contoso") as ado:
        assert ado.url.endswith("/contoso/")
        s = _ado_session(ado)
        url = ado.threads_url(1)
        assert "/My%20Project/" in url
        r = s.post(url, params=API, json={"comments": [{"content": "hi"}], "status": "active"})
        assert r.status_code == 201
        assert r.json()["comments"][0]["author"]["displayName"] == "My Project Build Service (contoso)"
        rec = ado.requests[-1]
        assert rec.raw_path.startswith("/contoso/My%20Project/") and rec.path.startswith("/contoso/My Project/")
        # by repository name and by project id too
        by_name = f"{ado.url}{ado.project_id}/_apis/git/repositories/{ado.repository_name}/pullRequests/1/threads"
        assert s.get(by_name, params=API).json()["count"] == 1
        other = (
            f"{ado.url}My%20Project/_apis/git/repositories/{'0' * 8}-0000-0000-0000-{'0' * 12}/pullRequests/1/threads"
        )
        r = s.get(other, params=API)
        assert r.status_code == 404 and r.json()["typeKey"] == "GitRepositoryNotFoundException"
        r = s.get(f"{ado.url}nope/_apis/git/repositories/{ado.repository_id}/pullRequests/1/threads", params=API)
        assert r.status_code == 404


def test_ado_thread_create_status_configurable(ado: FakeAzureDevOps) -> None:
    ado.thread_create_status = 200
    r = _ado_session(ado).post(ado.threads_url(1), params=API, json={"comments": [{"content": "x"}]})
    assert r.status_code == 200
    body: dict[str, Any] = r.json()
    assert body["status"] == "unknown"


def test_ado_reply_and_delete_comment(ado: FakeAzureDevOps) -> None:
    t = ado.add_thread(8, "root", author="Jane Doe")
    s = _ado_session(ado)
    base = f"{ado.threads_url(8)}/{t['id']}/comments"
    r = s.post(base, params=API, json={"parentCommentId": 1, "content": "reply", "commentType": "text"})
    assert r.status_code == 200 and r.json()["id"] == 2 and r.json()["parentCommentId"] == 1
    assert s.get(base, params=API).json()["count"] == 2
    for cid in (1, 2):
        assert s.delete(f"{base}/{cid}", params=API).status_code == 200
    snap = ado.threads[8][0]
    assert snap["isDeleted"] is True and all(c["isDeleted"] for c in snap["comments"])


# --------------------------------------------------------------------------------------------------------------------
# Job start time: GitHub workflow jobs and Azure DevOps build timeline


def test_github_get_job(gh: FakeGitHub) -> None:
    started = datetime(2026, 11, 27, 7, 0, 5, 123456, tzinfo=UTC)
    seeded = gh.set_job(REPO, 41_000_000_001, started, run_id=123, run_attempt=2)
    assert seeded["started_at"] == "2026-11-27T07:00:05Z"
    s = _gh_session(gh)
    r = s.get(f"{gh.url}/repos/{REPO}/actions/jobs/41000000001")
    assert r.status_code == 200
    job = r.json()
    assert job == seeded
    assert job["id"] == 41_000_000_001 and job["run_id"] == 123 and job["run_attempt"] == 2
    assert job["status"] == "in_progress" and job["conclusion"] is None
    assert job["runner_name"] == "GitHub Actions 2"
    assert datetime.fromisoformat(job["started_at"].replace("Z", "+00:00")) == started.replace(microsecond=0)
    assert job["url"] == f"{gh.url}/repos/{REPO}/actions/jobs/41000000001"
    # repository name is case-insensitive; a string started_at is shown as given; set_job replaces
    gh.set_job(REPO, 41_000_000_001, "2026-11-27T08:00:00Z", status="completed")
    r = s.get(f"{gh.url}/repos/{REPO.upper()}/actions/jobs/41000000001")
    assert r.json()["started_at"] == "2026-11-27T08:00:00Z"
    assert r.json()["run_id"] == DEFAULT_RUN_ID and r.json()["conclusion"] == "success"
    # unknown job, or a job of another repository
    for url in (f"{gh.url}/repos/{REPO}/actions/jobs/1", f"{gh.url}/repos/someone/else/actions/jobs/41000000001"):
        r = s.get(url)
        assert r.status_code == 404 and r.json()["message"] == "Not Found"
    with pytest.raises(ValueError):
        gh.set_job(REPO, 1, started, status="running")


def test_github_list_attempt_jobs(gh: FakeGitHub) -> None:
    t0 = datetime(2026, 11, 27, 7, 0, 0, tzinfo=UTC)
    gh.set_job(REPO, 11, t0, run_id=500, run_attempt=1, runner_name="GitHub Actions 1", status="completed")
    gh.set_job(REPO, 21, t0 + timedelta(minutes=9), run_id=500, run_attempt=2, runner_name="GitHub Actions 7")
    gh.set_job(REPO, 22, t0, run_id=500, run_attempt=2, runner_name=None, status="queued")
    gh.set_job(REPO, 31, t0, run_id=501, run_attempt=2)
    s = _gh_session(gh)
    r = s.get(f"{gh.url}/repos/{REPO}/actions/runs/500/attempts/2/jobs")
    assert r.status_code == 200
    body = r.json()
    assert body["total_count"] == 2
    assert [j["id"] for j in body["jobs"]] == [21, 22]
    mine = [
        j for j in body["jobs"] if j["runner_name"] == "GitHub Actions 7" and j["status"] in ("in_progress", "queued")
    ]
    assert len(mine) == 1 and mine[0]["started_at"] == "2026-11-27T07:09:00Z"
    assert body["jobs"][1]["runner_name"] is None
    assert "Link" not in r.headers
    # paged like the other lists
    r = s.get(f"{gh.url}/repos/{REPO}/actions/runs/500/attempts/2/jobs", params={"per_page": 1})
    assert r.json()["total_count"] == 2 and [j["id"] for j in r.json()["jobs"]] == [21]
    assert 'rel="next"' in r.headers["Link"]
    nxt = r.links["next"]["url"]
    assert [j["id"] for j in s.get(nxt).json()["jobs"]] == [22]
    # an attempt or run with no jobs
    assert s.get(f"{gh.url}/repos/{REPO}/actions/runs/500/attempts/3/jobs").status_code == 404
    assert s.get(f"{gh.url}/repos/{REPO}/actions/runs/999/attempts/1/jobs").status_code == 404


def test_github_actions_auth_and_permissions(gh: FakeGitHub) -> None:
    gh.set_job(REPO, 77, "2026-11-27T07:00:00Z", run_id=9)
    job_url = f"{gh.url}/repos/{REPO}/actions/jobs/77"
    list_url = f"{gh.url}/repos/{REPO}/actions/runs/9/attempts/1/jobs"
    for url in (job_url, list_url):
        r = requests.get(url)
        assert r.status_code == 401 and r.json()["message"] == "Requires authentication"
        r = requests.get(url, headers={"Authorization": "Bearer nope"})
        assert r.status_code == 401 and r.json()["message"] == "Bad credentials"
    s = _gh_session(gh)
    gh.read_only = True  # only writes are refused
    assert s.get(job_url).status_code == 200
    assert s.get(list_url).status_code == 200
    gh.forbid_actions = True
    for url in (job_url, list_url, f"{gh.url}/repos/{REPO}/actions/jobs/1"):
        r = s.get(url)
        assert r.status_code == 403
        assert r.json()["message"] == "Resource not accessible by integration"
    # other routes are not affected by forbid_actions
    assert s.get(f"{gh.url}/repos/{REPO}/issues/{PR}/comments").status_code == 200
    gh.forbid_actions = False
    assert s.post(job_url, json={}).status_code == 404
    gh.fail_next(502)
    assert s.get(job_url).status_code == 502
    assert s.get(job_url).status_code == 200


def test_ado_timeline(ado: FakeAzureDevOps) -> None:
    job_id = "12f1170f-54f2-53f3-20dd-22fc7dff55f9"
    records: list[dict[str, Any]] = [
        {"id": "b2a3c2b5-0000-4000-8000-000000000001", "type": "Stage", "name": "__default", "state": "inProgress"},
        {
            "id": job_id,
            "parentId": "b2a3c2b5-0000-4000-8000-000000000002",
            "type": "Job",
            "name": "build",
            "startTime": "2026-11-27T07:00:00.123Z",
            "state": "inProgress",
        },
    ]
    seeded = ado.set_timeline(4242, records)
    s = _ado_session(ado)
    url = ado.timeline_url(4242)
    assert url == f"{ado.url}proj/_apis/build/builds/4242/timeline"
    r = s.get(url, params=API)
    assert r.status_code == 200
    body = r.json()
    assert body == seeded
    assert set(body) >= {"records", "id", "changeId", "lastChangedOn", "url"}
    job = next(rec for rec in body["records"] if rec["id"] == job_id)
    assert job["type"] == "Job" and job["name"] == "build" and job["state"] == "inProgress"
    assert job["startTime"] == "2026-11-27T07:00:00.123Z"
    assert job["finishTime"] is None and job["result"] is None and job["order"] == 2
    assert datetime.fromisoformat(job["startTime"].replace("Z", "+00:00")) == datetime(
        2026, 11, 27, 7, 0, 0, 123000, tzinfo=UTC
    )
    # by project id, with the timeline id, and with the version in Accept
    by_id = f"{ado.url}{ado.project_id}/_apis/build/builds/4242/timeline/{body['id']}"
    assert s.get(by_id, params=API).json()["records"] == body["records"]
    r = s.get(url, headers={"Accept": "application/json; api-version=7.1"})
    assert r.status_code == 200
    # replacing keeps the timeline id and bumps changeId
    again = ado.set_timeline(4242, records[1:])
    assert again["id"] == body["id"] and again["changeId"] == body["changeId"] + 1
    assert [rec["id"] for rec in s.get(url, params=API).json()["records"]] == [job_id]
    # unknown build
    r = s.get(ado.timeline_url(1), params=API)
    assert r.status_code == 404 and r.json()["typeKey"] == "BuildNotFoundException"


def test_ado_timeline_auth_version_and_faults(ado: FakeAzureDevOps) -> None:
    ado.set_timeline(7, [{"id": "j", "type": "Job", "name": "build", "startTime": None, "state": "pending"}])
    url = ado.timeline_url(7)
    r = requests.get(url, params=API, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401 and "TF400813" in r.json()["message"]
    assert requests.get(url, params=API).status_code == 401
    s = _ado_session(ado)
    r = s.get(url)
    assert r.status_code == 400 and r.json()["typeKey"] == "VssVersionNotSpecifiedException"
    assert s.get(url, params={"api-version": "6.0"}).status_code == 400
    ado.read_only = True  # GET is not a write
    assert s.get(url, params=API).status_code == 200
    assert s.post(url, params=API, json={}).status_code == 405
    ado.fail_next(503)
    r = s.get(url, params=API)
    assert r.status_code == 503 and r.headers["Retry-After"] == "1"
    assert s.get(url, params=API).status_code == 200
    assert s.get(f"{ado.url}nope/_apis/build/builds/7/timeline", params=API).status_code == 404
    r = s.get(f"{ado.url}proj/_apis/build/builds/7/timeline/{'0' * 8}-0000-0000-0000-{'0' * 12}", params=API)
    assert r.status_code == 404
