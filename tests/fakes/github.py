"""A local fake of the GitHub REST API for the sticky PR comment (issue comments) and the job start time (Actions
workflow jobs), plain http on 127.0.0.1.

Standard library only (``http.server``, ``ThreadingHTTPServer``). Point the product at it with
``GITHUB_API_URL=<fake.url>``. See ``tests/fakes/README.md`` (section "SCM fakes") for the behaviour and the choices.

The HTTP plumbing here (``Recorded``, ``_JsonFake``) is shared with ``tests/fakes/azdo.py``.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import json
import re
import secrets
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, ClassVar
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

__all__ = [
    "API_VERSION",
    "BOT_LOGIN",
    "DEFAULT_RUN_ID",
    "JOB_STATUSES",
    "MAX_BODY_CHARS",
    "FakeGitHub",
    "Recorded",
]

API_VERSION = "2022-11-28"
BOT_LOGIN = "github-actions[bot]"
BOT_USER_ID = 41898282  # the real id of github-actions[bot]
MAX_BODY_CHARS = 65536
DOCS = "https://docs.github.com/rest/issues/comments"
JOBS_DOCS = "https://docs.github.com/rest/actions/workflow-jobs"
DEFAULT_RUN_ID = 17_000_000_001  # run id of a job set without one
JOB_STATUSES = ("queued", "in_progress", "completed", "waiting", "requested", "pending")


# --------------------------------------------------------------------------------------------------------------------
# Shared plumbing (also used by tests/fakes/azdo.py)


@dataclass
class Recorded:
    """One request as the fake received it.

    ``path`` is percent-decoded and has no query; ``raw_path`` is the path exactly as sent (no query).
    ``headers`` keys are lower-case. ``json`` is the parsed body (None when empty or not JSON).
    ``status`` is 0 until answered.
    """

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    json: Any
    status: int = 0
    raw_path: str = ""


class _Reply(Exception):
    """Raised (or returned) by the dispatchers to send an answer."""

    def __init__(self, status: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}


@dataclass
class _Request:
    method: str
    path: str  # decoded
    raw_path: str
    query: dict[str, str]
    headers: dict[str, str]
    json: Any
    bad_json: bool
    host: str


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    block_on_close = False

    def __init__(self, fake: _JsonFake) -> None:
        self.fake = fake
        self._conns: set[socket.socket] = set()
        self._conns_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        with self._conns_lock:
            self._conns.add(request)
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._conns_lock:
                self._conns.discard(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # quiet: a client that went away is not an error of the fake

    def close_all(self) -> None:
        with self._conns_lock:
            conns = list(self._conns)
        for c in conns:
            with contextlib.suppress(OSError):
                c.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    sys_version = ""
    timeout = 30
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def version_string(self) -> str:
        return self.server.fake.server_header

    def _handle(self) -> None:
        fake = self.server.fake
        split = urlsplit(self.path)
        headers = {k.lower(): v for k, v in self.headers.items()}
        length = int(headers.get("content-length") or 0)
        raw = self.rfile.read(length) if length > 0 else b""
        body: Any = None
        bad_json = False
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                bad_json = True
        req = _Request(
            method=self.command,
            path=unquote(split.path),
            raw_path=split.path,
            query=dict(parse_qsl(split.query, keep_blank_values=True)),
            headers=headers,
            json=body,
            bad_json=bad_json,
            host=headers.get("host", ""),
        )
        rec = Recorded(req.method, req.path, req.query, headers, body, 0, req.raw_path)
        reply = fake._answer(req, rec)
        self._send(reply)

    def _send(self, reply: _Reply) -> None:
        payload = b""
        if reply.body is not None and reply.status not in (204, 304):
            payload = json.dumps(reply.body, indent=2).encode()
        phrase = self.responses.get(reply.status, ("",))[0]
        lines = [
            f"{self.protocol_version} {reply.status} {phrase}",
            f"Server: {self.version_string()}",
            f"Date: {self.date_time_string()}",
        ]
        if payload:
            lines.append("Content-Type: application/json; charset=utf-8")
        lines += [f"{k}: {v}" for k, v in reply.headers.items()]
        lines.append(f"Content-Length: {len(payload)}")
        if self.close_connection:
            lines.append("Connection: close")
        # one write: no Nagle / delayed-ACK stall between the head and the body
        self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + payload)

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_HEAD = _handle


class _JsonFake:
    """Base of the fakes: lifecycle, recording, fault injection and one lock around all state."""

    server_header: ClassVar[str] = "FakeScm/1.0"

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.requests: list[Recorded] = []
        self._failures: list[int] = []
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.port = 0

    # ---- lifecycle ------------------------------------------------------------------------------------------------

    def start(self) -> _JsonFake:
        if self._server is not None:
            return self
        self._server = _Server(self)
        self.port = self._server.port
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
            name=f"{type(self).__name__}-{self.port}",
        )
        self._thread.start()
        self._started()
        return self

    def _started(self) -> None:
        """Hook: the port is known."""

    def stop(self) -> None:
        srv, self._server = self._server, None
        if srv is None:
            return
        srv.shutdown()
        srv.close_all()
        srv.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    # ---- faults -----------------------------------------------------------------------------------------------------

    def fail_next(self, status: int = 500, times: int = 1) -> None:
        """The next ``times`` requests (any route, before auth) answer ``status`` with the service's error body."""
        with self._lock:
            self._failures.extend([status] * times)

    # ---- plumbing ---------------------------------------------------------------------------------------------------

    def _answer(self, req: _Request, rec: Recorded) -> _Reply:
        with self._lock:
            self.requests.append(rec)
            try:
                reply = self._fault(self._failures.pop(0)) if self._failures else self._dispatch(req)
            except _Reply as r:
                reply = r
            except Exception as exc:  # a bug in the fake: answer 500 rather than hang the client
                reply = _Reply(500, {"message": f"fake bug: {type(exc).__name__}: {exc}"})
            reply.headers = {**self._common_headers(req), **reply.headers}
            rec.status = reply.status
            return reply

    def _dispatch(self, req: _Request) -> _Reply:
        raise NotImplementedError

    def _fault(self, status: int) -> _Reply:
        raise NotImplementedError

    def _common_headers(self, req: _Request) -> dict[str, str]:
        return {}


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


# --------------------------------------------------------------------------------------------------------------------
# GitHub


_REPO = r"/repos/(?P<owner>[^/]+)/(?P<repo>[^/]+)"
_ROUTES: list[tuple[str, re.Pattern[str]]] = [
    ("issue_comments", re.compile(_REPO + r"/issues/(?P<number>\d+)/comments/?$", re.I)),
    ("comment", re.compile(_REPO + r"/issues/comments/(?P<id>\d+)/?$", re.I)),
    ("issue_comments_by_id", re.compile(r"/repositories/(?P<rid>\d+)/issues/(?P<number>\d+)/comments/?$", re.I)),
    ("comment_by_id", re.compile(r"/repositories/(?P<rid>\d+)/issues/comments/(?P<id>\d+)/?$", re.I)),
    ("job", re.compile(_REPO + r"/actions/jobs/(?P<job>\d+)/?$", re.I)),
    ("attempt_jobs", re.compile(_REPO + r"/actions/runs/(?P<run>\d+)/attempts/(?P<attempt>\d+)/jobs/?$", re.I)),
]

_FAULT_MESSAGES = {
    500: "Server Error",
    502: "Server Error",
    503: "Service Unavailable",
    504: "We couldn't respond to your request in time. Sorry about that. Please try resubmitting your request and "
    "contact us if the problem persists.",
}


@dataclass
class _Comment:
    id: int
    repo_key: str  # "owner/repo" lower-cased
    repo_name: str  # "owner/repo" as first seen
    number: int
    body: str
    login: str
    type: str
    created_at: str
    updated_at: str


@dataclass
class _Job:
    id: int
    repo_key: str  # "owner/repo" lower-cased
    run_id: int
    run_attempt: int
    runner_name: str | None
    status: str
    created_at: str
    started_at: str


def _iso_z(value: datetime | str) -> str:
    """A datetime (naive = UTC) -> ``YYYY-MM-DDTHH:MM:SSZ`` (whole seconds, like the API); a string is kept as is."""
    if isinstance(value, str):
        return value
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class FakeGitHub(_JsonFake):
    """Fake GitHub REST API (issue comments, workflow jobs) on ``http://127.0.0.1:PORT``. Use as a context manager."""

    server_header: ClassVar[str] = "GitHub.com"

    def __init__(self, token: str | None = None) -> None:
        super().__init__()
        self.token: str = token if token is not None else "ghs_" + secrets.token_urlsafe(27)
        self.read_only = False
        # True: the Actions routes answer 403 "Resource not accessible by integration" (token without actions: read)
        self.forbid_actions = False
        self.per_page_max = 100
        self.per_page_default = 30
        # Link headers point at /repositories/{id}/... as the real API's do; False: /repos/{owner}/{repo}/...
        self.links_use_repository_id = True
        # Where Link headers point: this server (None), or another origin, as a hostile or broken proxy might
        self.link_origin: str | None = None
        # X-GitHub-Api-Version values accepted (absent is accepted too)
        self.api_versions: set[str] = {API_VERSION}
        self.url = ""
        self._comments: dict[int, _Comment] = {}
        self._jobs: dict[tuple[str, int], _Job] = {}
        self._next_id = 2_000_000_001
        self._repo_ids: dict[str, int] = {}
        self._repo_names: dict[str, str] = {}
        self._clock = _now()

    def __enter__(self) -> FakeGitHub:
        self.start()
        return self

    def _started(self) -> None:
        self.url = f"http://127.0.0.1:{self.port}"

    def fail_next(self, status: int = 502, times: int = 1) -> None:
        """The next ``times`` requests (any route, before auth) answer ``status`` (JSON ``{"message", ...}``)."""
        super().fail_next(status, times)

    # ---- public state ---------------------------------------------------------------------------------------------

    @property
    def comments(self) -> dict[int, list[dict[str, Any]]]:
        """Snapshot: issue/PR number -> its comments as the list API shows them (ascending id), all repos merged."""
        with self._lock:
            out: dict[int, list[dict[str, Any]]] = {}
            for c in sorted(self._comments.values(), key=lambda c: c.id):
                out.setdefault(c.number, []).append(self._render(c))
            return out

    def comments_for(self, repo: str, number: int) -> list[dict[str, Any]]:
        """Snapshot of one repository's issue/PR comments (ascending id)."""
        key = repo.lower()
        with self._lock:
            return [
                self._render(c)
                for c in sorted(self._comments.values(), key=lambda c: c.id)
                if c.repo_key == key and c.number == number
            ]

    def add_comment(
        self, repo: str, number: int, body: str, login: str = "someone", type: str = "User"
    ) -> dict[str, Any]:
        """Pre-seed a comment on ``repo`` ("owner/name") PR ``number``; returns it as the API shows it."""
        if repo.count("/") != 1:
            raise ValueError(f"repo must be 'owner/name', not {repo!r}")
        with self._lock:
            return self._render(self._create(repo, number, body, login, type))

    def set_job(
        self,
        repo: str,
        job_id: int,
        started_at: datetime | str,
        *,
        run_id: int | None = None,
        run_attempt: int = 1,
        runner_name: str | None = "GitHub Actions 2",
        status: str = "in_progress",
    ) -> dict[str, Any]:
        """Create or replace workflow job ``job_id`` of ``repo`` ("owner/name"); returns it as the API shows it.

        ``started_at``: a datetime (naive = UTC; shown as ``YYYY-MM-DDTHH:MM:SSZ``) or a string shown as given.
        ``run_id`` defaults to ``DEFAULT_RUN_ID``. ``status`` is one of ``JOB_STATUSES``.
        """
        if repo.count("/") != 1:
            raise ValueError(f"repo must be 'owner/name', not {repo!r}")
        if status not in JOB_STATUSES:
            raise ValueError(f"status must be one of {JOB_STATUSES}, not {status!r}")
        if run_attempt < 1:
            raise ValueError(f"run_attempt must be >= 1, not {run_attempt!r}")
        started = _iso_z(started_at)
        created = _iso_z(started_at - timedelta(seconds=4)) if isinstance(started_at, datetime) else started
        with self._lock:
            self._repo_id(repo)
            key = repo.lower()
            job = _Job(
                int(job_id),
                key,
                DEFAULT_RUN_ID if run_id is None else int(run_id),
                int(run_attempt),
                runner_name,
                status,
                created,
                started,
            )
            self._jobs[(key, job.id)] = job
            return self._render_job(job)

    def repository_id(self, repo: str) -> int:
        """The numeric id the fake gives ``owner/name`` (used in Link headers)."""
        with self._lock:
            return self._repo_id(repo)

    # ---- internals ------------------------------------------------------------------------------------------------

    def _repo_id(self, repo: str) -> int:
        key = repo.lower()
        if key not in self._repo_ids:
            self._repo_ids[key] = 700_000_001 + len(self._repo_ids)
            self._repo_names[key] = repo
        return self._repo_ids[key]

    def _tick(self) -> str:
        """Strictly increasing timestamps (whole seconds, like the API), close to the wall clock."""
        now = _now()
        self._clock = now if now > self._clock else self._clock + timedelta(seconds=1)
        return self._clock.strftime("%Y-%m-%dT%H:%M:%SZ")

    def _create(self, repo: str, number: int, body: str, login: str, type: str) -> _Comment:
        self._repo_id(repo)
        key = repo.lower()
        stamp = self._tick()
        c = _Comment(self._next_id, key, self._repo_names[key], number, body, login, type, stamp, stamp)
        self._next_id += 1
        self._comments[c.id] = c
        return c

    def _user(self, login: str, type: str) -> dict[str, Any]:
        if login == BOT_LOGIN:
            uid = BOT_USER_ID
        else:
            uid = 10_000 + int.from_bytes(login.encode()[:6].ljust(6, b"\0"), "big") % 90_000_000
        kind = "Bot" if type == "Bot" else "User"
        node = base64.b64encode(f"04:{kind}{uid}".encode()).decode()
        return {
            "login": login,
            "id": uid,
            "node_id": node,
            "avatar_url": f"https://avatars.githubusercontent.com/u/{uid}?v=4",
            "url": f"{self.url}/users/{login}",
            "html_url": f"https://github.com/{login}"
            if type != "Bot"
            else f"https://github.com/apps/{login.removesuffix('[bot]')}",
            "type": type,
            "user_view_type": "public",
            "site_admin": False,
        }

    def _render(self, c: _Comment) -> dict[str, Any]:
        owner_repo = c.repo_name
        out: dict[str, Any] = {
            "url": f"{self.url}/repos/{owner_repo}/issues/comments/{c.id}",
            "html_url": f"https://github.com/{owner_repo}/pull/{c.number}#issuecomment-{c.id}",
            "issue_url": f"{self.url}/repos/{owner_repo}/issues/{c.number}",
            "id": c.id,
            "node_id": "IC_kwDO" + base64.b64encode(str(c.id).encode()).decode().rstrip("="),
            "user": self._user(c.login, c.type),
            "created_at": c.created_at,
            "updated_at": c.updated_at,
            "body": c.body,
            "author_association": "NONE" if c.type == "Bot" else "CONTRIBUTOR",
            "performed_via_github_app": None,
            "reactions": {
                "url": f"{self.url}/repos/{owner_repo}/issues/comments/{c.id}/reactions",
                "total_count": 0,
                "+1": 0,
                "-1": 0,
                "laugh": 0,
                "hooray": 0,
                "confused": 0,
                "heart": 0,
                "rocket": 0,
                "eyes": 0,
            },
        }
        if c.login == BOT_LOGIN:
            out["performed_via_github_app"] = {
                "id": 15368,
                "slug": "github-actions",
                "node_id": "MDM6QXBwMTUzNjg=",
                "name": "GitHub Actions",
                "html_url": "https://github.com/apps/github-actions",
            }
        return copy.deepcopy(out)

    def _render_job(self, j: _Job) -> dict[str, Any]:
        owner_repo = self._repo_names[j.repo_key]
        completed = j.status == "completed"
        hosted = (j.runner_name or "").startswith("GitHub Actions")
        return {
            "id": j.id,
            "run_id": j.run_id,
            "workflow_name": "aibcheck",
            "head_branch": "main",
            "run_url": f"{self.url}/repos/{owner_repo}/actions/runs/{j.run_id}",
            "run_attempt": j.run_attempt,
            "node_id": "CR_kwDO" + base64.b64encode(str(j.id).encode()).decode().rstrip("="),
            "head_sha": "0" * 40,
            "url": f"{self.url}/repos/{owner_repo}/actions/jobs/{j.id}",
            "html_url": f"https://github.com/{owner_repo}/actions/runs/{j.run_id}/job/{j.id}",
            "status": j.status,
            "conclusion": "success" if completed else None,
            "created_at": j.created_at,
            "started_at": j.started_at,
            "completed_at": j.started_at if completed else None,
            "name": "build",
            "steps": [],
            "check_run_url": f"{self.url}/repos/{owner_repo}/check-runs/{j.id}",
            "labels": ["ubuntu-latest"] if hosted else ["self-hosted"],
            "runner_id": None if j.runner_name is None else 1_000 + sum(j.runner_name.encode()),
            "runner_name": j.runner_name,
            "runner_group_id": None if j.runner_name is None else (2 if hosted else 1),
            "runner_group_name": None if j.runner_name is None else ("GitHub Actions" if hosted else "Default"),
        }

    @staticmethod
    def _error(status: int, message: str, doc: str = "https://docs.github.com/rest", **extra: Any) -> _Reply:
        body: dict[str, Any] = {"message": message, **extra, "documentation_url": doc, "status": str(status)}
        return _Reply(status, body)

    def _fault(self, status: int) -> _Reply:
        try:
            phrase = HTTPStatus(status).phrase
        except ValueError:
            phrase = "Error"
        return self._error(status, _FAULT_MESSAGES.get(status, phrase))

    def _common_headers(self, req: _Request) -> dict[str, str]:
        return {
            "X-GitHub-Media-Type": "github.v3; format=json",
            "X-GitHub-Api-Version-Selected": req.headers.get("x-github-api-version") or API_VERSION,
            "X-GitHub-Request-Id": secrets.token_hex(8).upper(),
            "X-RateLimit-Limit": "5000",
            "X-RateLimit-Remaining": "4999",
            "X-RateLimit-Used": "1",
            "X-RateLimit-Resource": "core",
        }

    def _check_auth(self, req: _Request) -> None:
        auth = req.headers.get("authorization", "")
        scheme, _, value = auth.partition(" ")
        if not auth:
            raise self._error(401, "Requires authentication")
        if scheme.lower() not in ("bearer", "token") or value.strip() != self.token:
            raise self._error(401, "Bad credentials")

    def _dispatch(self, req: _Request) -> _Reply:
        kind, m = "", None
        for k, pattern in _ROUTES:
            m = pattern.match(req.path)
            if m:
                kind = k
                break
        if m is None:
            raise self._error(404, "Not Found")
        self._check_auth(req)
        version = req.headers.get("x-github-api-version")
        if version is not None and version not in self.api_versions:
            raise self._error(400, f"API version {version} is not supported.")
        groups = m.groupdict()
        if "rid" in groups:
            repo_key = next((k for k, v in self._repo_ids.items() if v == int(groups["rid"])), None)
            if repo_key is None:
                raise self._error(404, "Not Found")
            repo = self._repo_names[repo_key]
        else:
            repo = f"{groups['owner']}/{groups['repo']}"
        if kind in ("job", "attempt_jobs"):
            return self._actions(req, kind, repo, groups)
        if kind.startswith("issue_comments"):
            number = int(groups["number"])
            if req.method in ("GET", "HEAD"):
                return self._list(req, repo, number, groups)
            if req.method == "POST":
                return self._post(req, repo, number)
        else:
            cid = int(groups["id"])
            if req.method in ("GET", "HEAD"):
                return _Reply(200, self._render(self._find(repo, cid, "get-an-issue-comment")))
            if req.method == "PATCH":
                return self._patch(req, repo, cid)
            if req.method == "DELETE":
                return self._delete(repo, cid)
        raise self._error(404, "Not Found")

    def _find(self, repo: str, cid: int, doc: str) -> _Comment:
        c = self._comments.get(cid)
        if c is None or c.repo_key != repo.lower():
            raise self._error(404, "Not Found", f"{DOCS}#{doc}")
        return c

    def _read_only(self, doc: str) -> None:
        if self.read_only:
            raise self._error(403, "Resource not accessible by integration", f"{DOCS}#{doc}")

    def _body_of(self, req: _Request, doc: str) -> str:
        if req.bad_json:
            raise self._error(400, "Problems parsing JSON", f"{DOCS}#{doc}")
        if not isinstance(req.json, dict) or "body" not in req.json:
            raise self._error(422, 'Invalid request.\n\n"body" wasn\'t supplied.', f"{DOCS}#{doc}")
        body = req.json["body"]
        if not isinstance(body, str):
            raise self._error(
                422, f"Invalid request.\n\nFor 'properties/body', {json.dumps(body)} is not a string.", f"{DOCS}#{doc}"
            )
        if len(body) > MAX_BODY_CHARS:
            raise self._error(
                422,
                "Validation Failed",
                f"{DOCS}#{doc}",
                errors=[
                    {
                        "resource": "IssueComment",
                        "code": "unprocessable",
                        "field": "data",
                        "message": f"Body is too long (maximum is {MAX_BODY_CHARS} characters)",
                    }
                ],
            )
        if not body.strip():
            raise self._error(
                422,
                "Validation Failed",
                f"{DOCS}#{doc}",
                errors=[{"resource": "IssueComment", "code": "missing_field", "field": "body"}],
            )
        return body

    def _list(self, req: _Request, repo: str, number: int, groups: dict[str, str]) -> _Reply:
        per_page = _int_param(req.query.get("per_page"), self.per_page_default)
        per_page = self.per_page_default if per_page < 1 else min(per_page, self.per_page_max)
        page = max(_int_param(req.query.get("page"), 1), 1)
        key = repo.lower()
        items = sorted(
            (c for c in self._comments.values() if c.repo_key == key and c.number == number), key=lambda c: c.id
        )
        last = max((len(items) + per_page - 1) // per_page, 1)
        chunk = items[(page - 1) * per_page : page * per_page]
        headers: dict[str, str] = {}
        if last > 1 or page > 1:
            origin = self.link_origin or self.url
            if self.links_use_repository_id:
                base = f"{origin}/repositories/{self._repo_id(repo)}/issues/{number}/comments"
            else:
                base = f"{origin}/repos/{self._repo_names[key]}/issues/{number}/comments"
            headers["Link"] = _link_header(base, req.query, page, last)
        body = None if req.method == "HEAD" else [self._render(c) for c in chunk]
        return _Reply(200, body, headers)

    def _actions(self, req: _Request, kind: str, repo: str, groups: dict[str, str]) -> _Reply:
        doc = (
            f"{JOBS_DOCS}#get-a-job-for-a-workflow-run"
            if kind == "job"
            else f"{JOBS_DOCS}#list-jobs-for-a-workflow-run-attempt"
        )
        if req.method not in ("GET", "HEAD"):
            raise self._error(404, "Not Found", doc)
        if self.forbid_actions:
            raise self._error(403, "Resource not accessible by integration", doc)
        key = repo.lower()
        if kind == "job":
            job = self._jobs.get((key, int(groups["job"])))
            if job is None:
                raise self._error(404, "Not Found", doc)
            return _Reply(200, None if req.method == "HEAD" else self._render_job(job))
        run_id, attempt = int(groups["run"]), int(groups["attempt"])
        jobs = sorted(
            (j for j in self._jobs.values() if j.repo_key == key and j.run_id == run_id and j.run_attempt == attempt),
            key=lambda j: j.id,
        )
        if not jobs:
            raise self._error(404, "Not Found", doc)
        per_page = _int_param(req.query.get("per_page"), self.per_page_default)
        per_page = self.per_page_default if per_page < 1 else min(per_page, self.per_page_max)
        page = max(_int_param(req.query.get("page"), 1), 1)
        last = max((len(jobs) + per_page - 1) // per_page, 1)
        chunk = jobs[(page - 1) * per_page : page * per_page]
        headers: dict[str, str] = {}
        if last > 1 or page > 1:
            base = f"{self.url}/repos/{self._repo_names[key]}/actions/runs/{run_id}/attempts/{attempt}/jobs"
            headers["Link"] = _link_header(base, req.query, page, last)
        body = (
            None if req.method == "HEAD" else {"total_count": len(jobs), "jobs": [self._render_job(j) for j in chunk]}
        )
        return _Reply(200, body, headers)

    def _post(self, req: _Request, repo: str, number: int) -> _Reply:
        doc = "create-an-issue-comment"
        self._read_only(doc)
        body = self._body_of(req, doc)
        c = self._create(repo, number, body, BOT_LOGIN, "Bot")
        rendered = self._render(c)
        return _Reply(201, rendered, {"Location": rendered["url"]})

    def _patch(self, req: _Request, repo: str, cid: int) -> _Reply:
        doc = "update-an-issue-comment"
        c = self._find(repo, cid, doc)
        self._read_only(doc)
        c.body = self._body_of(req, doc)
        c.updated_at = self._tick()
        return _Reply(200, self._render(c))

    def _delete(self, repo: str, cid: int) -> _Reply:
        doc = "delete-an-issue-comment"
        self._find(repo, cid, doc)
        self._read_only(doc)
        del self._comments[cid]
        return _Reply(204)


def _link_header(base: str, query: dict[str, str], page: int, last: int) -> str:
    """A GitHub ``Link`` header for ``page`` of ``last`` (absolute URLs, the other query parameters kept)."""
    params = [(k, v) for k, v in query.items() if k != "page"]

    def link(p: int, rel: str) -> str:
        return f'<{base}?{urlencode([*params, ("page", str(p))])}>; rel="{rel}"'

    links = []
    if page > 1:
        links.append(link(min(page - 1, last), "prev"))
    if page < last:
        links.append(link(page + 1, "next"))
        links.append(link(last, "last"))
    if page > 1:
        links.append(link(1, "first"))
    return ", ".join(links)


def _int_param(value: str | None, default: int) -> int:
    if value is None:
        return default
    try:
        return int(value)
    except ValueError:
        return default


@contextlib.contextmanager
def fake_github() -> Iterator[FakeGitHub]:
    """``with fake_github() as gh:`` is the same as ``with FakeGitHub() as gh:``."""
    with FakeGitHub() as gh:
        yield gh
