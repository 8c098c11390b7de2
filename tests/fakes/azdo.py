"""A local fake of the Azure DevOps pull-request threads and build timeline REST API (api-version 7.1), plain http
on 127.0.0.1.

Standard library only; the HTTP plumbing comes from ``tests/fakes/github.py``. Point the product at it with
``SYSTEM_COLLECTIONURI=<fake.url>`` (it ends with "/"), ``SYSTEM_TEAMPROJECT=<fake.project>``,
``BUILD_REPOSITORY_ID=<fake.repository_id>`` and ``SYSTEM_ACCESSTOKEN=<fake.token>``.
See ``tests/fakes/README.md`` (section "SCM fakes") for the behaviour and the choices.
"""

from __future__ import annotations

import contextlib
import copy
import re
import secrets
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from typing import Any, ClassVar
from urllib.parse import quote

from tests.fakes.github import Recorded, _JsonFake, _Reply, _Request

__all__ = [
    "API_VERSION",
    "COMMENT_TYPES",
    "MAX_COMMENTS_PER_THREAD",
    "MAX_COMMENT_CHARS",
    "THREAD_STATUSES",
    "FakeAzureDevOps",
    "Recorded",
]

API_VERSION = "7.1"
MAX_COMMENT_CHARS = 150000
MAX_COMMENTS_PER_THREAD = 500
# CommentThreadStatus and CommentType: the API takes the number or the name and answers with the name.
THREAD_STATUSES = ("unknown", "active", "fixed", "wontFix", "closed", "byDesign", "pending")
COMMENT_TYPES = ("unknown", "text", "codeChange", "system")
_API_VERSION_RE = re.compile(r"^7\.1(-preview(\.\d+)?)?$")
_ROUTE = re.compile(
    r"^/(?P<org>[^/]+)/(?P<project>[^/]+)/_apis/git/repositories/(?P<repo>[^/]+)/pullrequests/(?P<pr>\d+)"
    r"/threads(?:/(?P<thread>\d+)(?P<comments>/comments(?:/(?P<comment>\d+))?)?)?/?$",
    re.I,
)
_CONNECTION_ROUTE = re.compile(r"^/(?P<org>[^/]+)/_apis/connectiondata/?$", re.I)
_TIMELINE_ROUTE = re.compile(
    r"^/(?P<org>[^/]+)/(?P<project>[^/]+)/_apis/build/builds/(?P<build>\d+)/timeline(?:/(?P<timeline>[^/]+))?/?$",
    re.I,
)


def _stamp(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


@dataclass
class _Identity:
    display_name: str
    id: str
    unique_name: str


@dataclass
class _Comment:
    id: int
    parent: int
    content: str
    author: _Identity
    comment_type: str
    published: str
    updated: str
    content_updated: str
    deleted: bool = False


@dataclass
class _Thread:
    id: int
    pr_id: int
    status: str
    properties: dict[str, tuple[str, Any]]  # name -> ($type, $value)
    published: str
    updated: str
    comments: list[_Comment] = field(default_factory=list)
    deleted: bool = False


@dataclass
class _Timeline:
    id: str
    change_id: int
    changed_on: str
    records: list[dict[str, Any]]


def _property_type(value: Any) -> str:
    if isinstance(value, bool):
        return "System.Boolean"
    if isinstance(value, int):
        return "System.Int32" if -(2**31) <= value < 2**31 else "System.Int64"
    if isinstance(value, float):
        return "System.Double"
    return "System.String"


def _normalise_properties(props: Any) -> dict[str, tuple[str, Any]]:
    """Envelopes ``{"$type", "$value"}`` or flat values -> ``{name: ($type, $value)}``."""
    out: dict[str, tuple[str, Any]] = {}
    if not isinstance(props, dict):
        return out
    for k, v in props.items():
        if isinstance(v, dict) and "$value" in v:
            out[str(k)] = (str(v.get("$type") or _property_type(v["$value"])), v["$value"])
        else:
            out[str(k)] = (_property_type(v), v)
    return out


def _enum(value: Any, names: tuple[str, ...]) -> str | None:
    """A number or a (case-insensitive) name -> the canonical name; None when invalid."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return names[value] if 0 <= value < len(names) else None
    if isinstance(value, str):
        if value.isdigit():
            return _enum(int(value), names)
        return next((n for n in names if n.lower() == value.lower()), None)
    return None


class FakeAzureDevOps(_JsonFake):
    """Fake Azure DevOps PR threads and build timeline API on ``http://127.0.0.1:PORT/<organization>/``.

    Use as a context manager.
    """

    server_header: ClassVar[str] = "Microsoft-IIS/10.0"

    def __init__(
        self,
        token: str | None = None,
        *,
        organization: str = "org",
        project: str = "proj",
        repository_id: str | None = None,
        repository_name: str = "repo",
    ) -> None:
        super().__init__()
        self.token: str = token if token is not None else secrets.token_urlsafe(40)
        self.organization = organization
        self.project = project
        self.project_id = str(uuid.uuid4())
        self.repository_id = repository_id or str(uuid.uuid4())
        self.repository_name = repository_name
        self.read_only = False
        self.envelope_properties = True
        self.thread_create_status = 201
        self.url = ""
        self.build_service = f"{project} Build Service ({organization})"
        self._build_identity = _Identity(self.build_service, str(uuid.uuid4()), "")
        self._build_identity.unique_name = f"Build\\{self._build_identity.id}"
        self._threads: dict[int, _Thread] = {}
        self._next_thread = 1001
        self._timelines: dict[int, _Timeline] = {}
        self._clock = datetime.now(UTC)

    def __enter__(self) -> FakeAzureDevOps:
        self.start()
        return self

    def _started(self) -> None:
        self.url = f"http://127.0.0.1:{self.port}/{self.organization}/"

    # ---- public state ---------------------------------------------------------------------------------------------

    @property
    def threads(self) -> dict[int, list[dict[str, Any]]]:
        """Snapshot: PR id -> its threads as the list API shows them now (ascending id; honours envelope_properties)."""
        with self._lock:
            out: dict[int, list[dict[str, Any]]] = {}
            for t in sorted(self._threads.values(), key=lambda t: t.id):
                out.setdefault(t.pr_id, []).append(self._render_thread(t))
            return out

    def threads_url(self, pr_id: int) -> str:
        """``{url}{project}/_apis/git/repositories/{repository_id}/pullRequests/{pr_id}/threads`` (project encoded)."""
        return f"{self.url}{quote(self.project, safe='')}/_apis/git/repositories/{self.repository_id}/pullRequests/{pr_id}/threads"

    def add_thread(
        self,
        pr_id: int,
        content: str,
        properties: dict[str, Any] | None = None,
        deleted: bool = False,
        *,
        author: str | None = None,
        status: str | int = "active",
        comment_type: str | int = "text",
    ) -> dict[str, Any]:
        """Pre-seed a thread with one comment. ``properties`` values may be flat or ``{"$type", "$value"}``.
        ``author`` is a display name (default: the build service). Returns the thread as the API shows it."""
        status_name = _enum(status, THREAD_STATUSES)
        type_name = _enum(comment_type, COMMENT_TYPES)
        if status_name is None or type_name is None:
            raise ValueError(f"bad status {status!r} or comment_type {comment_type!r}")
        with self._lock:
            ident = self._identity(author)
            t = self._new_thread(pr_id, status_name, _normalise_properties(properties or {}))
            self._add_comment(t, 0, content, type_name, ident)
            if deleted:
                t.deleted = True
                for c in t.comments:
                    c.deleted = True
            return self._render_thread(t)

    def set_timeline(self, build_id: int, records: list[dict[str, Any]]) -> dict[str, Any]:
        """Create or replace the timeline of build ``build_id``; returns it as the API shows it.

        Each record is a dict such as ``{"id": "<job guid>", "type": "Job", "name": "build",
        "startTime": "2026-11-27T07:00:00.123Z", "state": "inProgress"}``; the keys given are shown as given, the
        other keys of a timeline record are filled in (``id`` a new GUID, ``order`` its position, the rest null/0).
        """
        with self._lock:
            old = self._timelines.get(int(build_id))
            filled = [_record_defaults(i) | copy.deepcopy(dict(r)) for i, r in enumerate(records)]
            self._timelines[int(build_id)] = _Timeline(
                old.id if old else str(uuid.uuid4()), (old.change_id + 1) if old else 1, self._tick(), filled
            )
            return self._render_timeline(int(build_id))

    def timeline_url(self, build_id: int) -> str:
        """``{url}{project}/_apis/build/builds/{build_id}/timeline`` (project encoded)."""
        return f"{self.url}{quote(self.project, safe='')}/_apis/build/builds/{build_id}/timeline"

    # ---- internals ------------------------------------------------------------------------------------------------

    def _tick(self) -> str:
        now = datetime.now(UTC)
        self._clock = now if now > self._clock else self._clock + timedelta(milliseconds=1)
        return _stamp(self._clock)

    def _identity(self, display_name: str | None) -> _Identity:
        if display_name is None or display_name == self.build_service:
            return self._build_identity
        uid = str(uuid.uuid5(uuid.NAMESPACE_URL, "fake-azdo:" + display_name))
        return _Identity(display_name, uid, display_name.replace(" ", ".").lower() + "@example.com")

    def _new_thread(self, pr_id: int, status: str, props: dict[str, tuple[str, Any]]) -> _Thread:
        stamp = self._tick()
        t = _Thread(self._next_thread, pr_id, status, props, stamp, stamp)
        self._next_thread += 1
        self._threads[t.id] = t
        return t

    def _add_comment(self, t: _Thread, parent: int, content: str, ctype: str, ident: _Identity) -> _Comment:
        stamp = self._tick()
        c = _Comment(len(t.comments) + 1, parent, content, ident, ctype, stamp, stamp, stamp)
        t.comments.append(c)
        t.updated = stamp
        return c

    def _base(self, pr_id: int) -> str:
        return f"{self.url}{self.project_id}/_apis/git/repositories/{self.repository_id}/pullRequests/{pr_id}/threads"

    def _render_identity(self, ident: _Identity) -> dict[str, Any]:
        root = self.url.rstrip("/")
        return {
            "displayName": ident.display_name,
            "url": f"{root}/_apis/Identities/{ident.id}",
            "_links": {"avatar": {"href": f"{root}/_apis/GraphProfile/MemberAvatars/svc.{ident.id}"}},
            "id": ident.id,
            "uniqueName": ident.unique_name,
            "imageUrl": f"{root}/_api/_common/identityImage?id={ident.id}",
            "descriptor": f"svc.{ident.id}",
        }

    def _render_comment(self, t: _Thread, c: _Comment) -> dict[str, Any]:
        href = f"{self._base(t.pr_id)}/{t.id}/comments/{c.id}"
        return {
            "id": c.id,
            "parentCommentId": c.parent,
            "author": self._render_identity(c.author),
            "content": c.content,
            "publishedDate": c.published,
            "lastUpdatedDate": c.updated,
            "lastContentUpdatedDate": c.content_updated,
            "isDeleted": c.deleted,
            "commentType": c.comment_type,
            "usersLiked": [],
            "_links": {"self": {"href": href}, "threads": {"href": f"{self._base(t.pr_id)}/{t.id}"}},
        }

    def _render_properties(self, t: _Thread) -> dict[str, Any]:
        if self.envelope_properties:
            return {k: {"$type": typ, "$value": val} for k, (typ, val) in t.properties.items()}
        return {k: val for k, (_typ, val) in t.properties.items()}

    def _render_thread(self, t: _Thread) -> dict[str, Any]:
        return {
            "pullRequestThreadContext": None,
            "id": t.id,
            "publishedDate": t.published,
            "lastUpdatedDate": t.updated,
            "comments": [self._render_comment(t, c) for c in t.comments],
            "status": t.status,
            "threadContext": None,
            "properties": self._render_properties(t),
            "identities": None,
            "isDeleted": t.deleted,
            "_links": {
                "self": {"href": f"{self._base(t.pr_id)}/{t.id}"},
                "repository": {"href": f"{self.url}{self.project_id}/_apis/git/repositories/{self.repository_id}"},
            },
        }

    def _render_timeline(self, build_id: int) -> dict[str, Any]:
        t = self._timelines[build_id]
        return {
            "records": copy.deepcopy(t.records),
            "lastChangedBy": "00000000-0000-0000-0000-000000000000",
            "lastChangedOn": t.changed_on,
            "id": t.id,
            "changeId": t.change_id,
            "url": f"{self.url}{self.project_id}/_apis/build/builds/{build_id}/Timeline/{t.id}",
        }

    def _timeline(self, req: _Request, m: re.Match[str]) -> _Reply:
        if req.method != "GET":
            raise self._method_not_allowed(req)
        build_id = int(m["build"])
        t = self._timelines.get(build_id)
        if t is None:
            raise self._error(
                404,
                f"The requested build {build_id} could not be found.",
                "BuildNotFoundException",
                "Microsoft.TeamFoundation.Build.WebApi.BuildNotFoundException, Microsoft.TeamFoundation.Build2.WebApi",
            )
        if m["timeline"] is not None and m["timeline"].lower() != t.id.lower():
            raise self._error(
                404,
                f"Timeline {m['timeline']} for build {build_id} could not be found.",
                "TimelineNotFoundException",
                "Microsoft.TeamFoundation.Build.WebApi.TimelineNotFoundException, Microsoft.TeamFoundation.Build2.WebApi",
            )
        return _Reply(200, self._render_timeline(build_id))

    @staticmethod
    def _error(status: int, message: str, type_key: str, type_name: str | None = None, event_id: int = 3000) -> _Reply:
        body = {
            "$id": "1",
            "innerException": None,
            "message": message,
            "typeName": type_name
            or f"Microsoft.TeamFoundation.SourceControl.WebServer.{type_key}, "
            "Microsoft.TeamFoundation.SourceControl.WebServer",
            "typeKey": type_key,
            "errorCode": 0,
            "eventId": event_id,
        }
        return _Reply(status, body)

    def _bad_argument(self, message: str) -> _Reply:
        return self._error(400, message, "InvalidArgumentValueException", event_id=0)

    def _fault(self, status: int) -> _Reply:
        activity = uuid.uuid4()
        if status >= 500:
            message = f"TF400898: An Internal Error Occurred. Activity Id: {activity}."
        else:
            try:
                message = HTTPStatus(status).phrase
            except ValueError:
                message = "Error"
        reply = self._error(
            status,
            message,
            "VssServiceException",
            "Microsoft.VisualStudio.Services.Common.VssServiceException, Microsoft.VisualStudio.Services.Common",
        )
        if status in (429, 503):
            reply.headers["Retry-After"] = "1"
        return reply

    def _common_headers(self, req: _Request) -> dict[str, str]:
        activity = str(uuid.uuid4())
        return {"ActivityId": activity, "X-TFS-Session": activity, "X-VSS-E2EID": activity, "X-TFS-ProcessId": activity}

    def _check_auth(self, req: _Request) -> None:
        auth = req.headers.get("authorization", "")
        scheme, _, value = auth.partition(" ")
        if scheme.lower() == "bearer" and value.strip() == self.token:
            return
        reply = self._error(
            401,
            "TF400813: The user '' is not authorized to access this resource.",
            "UnauthorizedRequestException",
            "Microsoft.TeamFoundation.Framework.Server.UnauthorizedRequestException, "
            "Microsoft.TeamFoundation.Framework.Server",
        )
        reply.headers["WWW-Authenticate"] = (
            'Bearer authorization_uri=https://login.microsoftonline.com/common, Basic realm="https://dev.azure.com/", '
            "TFS-Federated"
        )
        raise reply

    def _check_api_version(self, req: _Request) -> None:
        version = req.query.get("api-version")
        if version is None:
            m = re.search(r"api-version\s*=\s*([^;,\s]+)", req.headers.get("accept", ""), re.I)
            version = m.group(1) if m else None
        if version is None:
            raise self._error(
                400,
                f'No api-version was supplied for the "{req.method}" request. The version must be supplied either as '
                'part of the Accept header (e.g. "application/json; api-version=1.0") or as a query parameter '
                "(e.g. '?api-version=1.0').",
                "VssVersionNotSpecifiedException",
                "Microsoft.VisualStudio.Services.WebApi.VssVersionNotSpecifiedException, "
                "Microsoft.VisualStudio.Services.WebApi",
            )
        if not _API_VERSION_RE.match(version):
            raise self._error(
                400,
                f"The requested REST API version of {version} is not accepted by this fake: use {API_VERSION}.",
                "VssVersionOutOfRangeException",
                "Microsoft.VisualStudio.Services.WebApi.VssVersionOutOfRangeException, "
                "Microsoft.VisualStudio.Services.WebApi",
            )

    def _not_found(self, message: str, type_key: str) -> _Reply:
        return self._error(404, message, type_key)

    def _dispatch(self, req: _Request) -> _Reply:
        self._check_auth(req)
        connection = _CONNECTION_ROUTE.match(req.path)
        if connection is not None and req.method == "GET":
            return self._connection_data()  # the location service takes no api-version
        self._check_api_version(req)
        m = _ROUTE.match(req.path) or _TIMELINE_ROUTE.match(req.path)
        if m is None or m["org"].lower() != self.organization.lower():
            raise self._error(
                404,
                f"The controller for path '{req.raw_path}' was not found or does not implement IController.",
                "HttpException",
                "System.Web.HttpException, System.Web",
            )
        if m["project"].lower() not in (self.project.lower(), self.project_id.lower()):
            raise self._error(
                404,
                f"TF200016: The following project does not exist: {m['project']}. Verify that the name of the project "
                "is correct and that the project exists on the specified Azure DevOps Server.",
                "ProjectDoesNotExistWithNameException",
                "Microsoft.TeamFoundation.Core.WebApi.ProjectDoesNotExistWithNameException, "
                "Microsoft.TeamFoundation.Core.WebApi",
            )
        if m.re is _TIMELINE_ROUTE:
            return self._timeline(req, m)
        if m["repo"].lower() not in (self.repository_id.lower(), self.repository_name.lower()):
            raise self._not_found(
                f"TF401019: The Git repository with name or identifier {m['repo']} does not exist or you do not have "
                "permissions for the operation you are attempting.",
                "GitRepositoryNotFoundException",
            )
        pr_id = int(m["pr"])
        write = req.method in ("POST", "PATCH", "PUT", "DELETE")
        if m["thread"] is None:
            if req.method == "GET":
                items = [
                    self._render_thread(t)
                    for t in sorted(self._threads.values(), key=lambda t: t.id)
                    if t.pr_id == pr_id
                ]
                return _Reply(200, {"value": items, "count": len(items)})
            if req.method == "POST":
                self._check_write()
                return self._create_thread(req, pr_id)
            raise self._method_not_allowed(req)
        thread = self._threads.get(int(m["thread"]))
        if thread is None or thread.pr_id != pr_id:
            raise self._not_found(
                f"The pull request comment thread with id {m['thread']} was not found.",
                "GitPullRequestCommentThreadNotFoundException",
            )
        if m["comments"] is None:
            if req.method == "GET":
                return _Reply(200, self._render_thread(thread))
            if req.method == "PATCH":
                self._check_write()
                return self._update_thread(req, thread)
            raise self._method_not_allowed(req)
        if m["comment"] is None:
            if req.method == "GET":
                items = [self._render_comment(thread, c) for c in thread.comments]
                return _Reply(200, {"value": items, "count": len(items)})
            if req.method == "POST":
                self._check_write()
                return self._reply_comment(req, thread)
            raise self._method_not_allowed(req)
        cid = int(m["comment"])
        comment = next((c for c in thread.comments if c.id == cid), None)
        if comment is None:
            raise self._not_found(
                f"The pull request comment with id {cid} in thread {thread.id} was not found.",
                "GitPullRequestCommentNotFoundException",
            )
        if write:
            self._check_write()
        if req.method == "GET":
            return _Reply(200, self._render_comment(thread, comment))
        if req.method == "PATCH":
            return self._update_comment(req, thread, comment)
        if req.method == "DELETE":
            comment.deleted = True
            thread.updated = comment.updated = self._tick()
            if all(c.deleted for c in thread.comments):
                thread.deleted = True
            return _Reply(200)
        raise self._method_not_allowed(req)

    def _connection_data(self) -> _Reply:
        """GET {org}/_apis/connectionData: who the token is (the build service, for System.AccessToken)."""
        me = self._build_identity
        user = {
            "id": me.id,
            "descriptor": f"Microsoft.TeamFoundation.ServiceIdentity;{me.id}:Build:{self.project_id}",
            "subjectDescriptor": f"svc.{me.id}",
            "providerDisplayName": me.display_name,
            "isActive": True,
            "properties": {},
        }
        return _Reply(
            200,
            {
                "authenticatedUser": user,
                "authorizedUser": user,
                "instanceId": str(uuid.uuid5(uuid.NAMESPACE_URL, self.url or "fake")),
                "deploymentType": "hosted",
                "locationServiceData": {"serviceOwner": "00025394-6065-48ca-87d9-7f5672854ef7"},
            },
        )

    def _method_not_allowed(self, req: _Request) -> _Reply:
        return self._error(
            405,
            f"The requested resource does not support http method '{req.method}'.",
            "HttpException",
            "System.Web.HttpException, System.Web",
        )

    def _check_write(self) -> None:
        if self.read_only:
            raise self._error(
                403,
                "TF401027: You need the Git 'PullRequestContribute' permission to perform this action. Details: "
                f"identity '{self._build_identity.unique_name}', scope 'repository'.",
                "GitNeedsPermissionException",
                "Microsoft.TeamFoundation.Git.Server.GitNeedsPermissionException, Microsoft.TeamFoundation.Git.Server",
            )

    def _json_object(self, req: _Request) -> dict[str, Any]:
        if req.bad_json or not isinstance(req.json, dict):
            raise self._bad_argument("Value cannot be null.\r\nParameter name: The request body is not valid JSON.")
        return req.json

    def _content(self, value: Any) -> str:
        if not isinstance(value, str):
            raise self._bad_argument("Invalid argument value.\r\nParameter name: comment.Content")
        if len(value) > MAX_COMMENT_CHARS:
            raise self._error(
                400,
                f"A discussion comment cannot be longer than {MAX_COMMENT_CHARS} characters.\r\n"
                "Parameter name: comment.Content",
                "ArgumentException",
                "System.ArgumentException, mscorlib",
                event_id=0,
            )
        return value

    def _status(self, value: Any) -> str:
        name = _enum(value, THREAD_STATUSES)
        if name is None:
            raise self._bad_argument(f"Invalid argument value.\r\nParameter name: status ({value!r})")
        return name

    def _create_thread(self, req: _Request, pr_id: int) -> _Reply:
        body = self._json_object(req)
        comments = body.get("comments")
        if not isinstance(comments, list) or not comments or not all(isinstance(c, dict) for c in comments):
            raise self._bad_argument("Invalid argument value.\r\nParameter name: thread.Comments")
        if len(comments) > MAX_COMMENTS_PER_THREAD:
            raise self._bad_argument(f"A thread cannot have more than {MAX_COMMENTS_PER_THREAD} comments.")
        parsed = []
        for c in comments:
            ctype = _enum(c.get("commentType", 1), COMMENT_TYPES)
            if ctype is None:
                raise self._bad_argument("Invalid argument value.\r\nParameter name: comment.CommentType")
            parsed.append((int(c.get("parentCommentId") or 0), self._content(c.get("content")), ctype))
        status = self._status(body["status"]) if "status" in body else "unknown"
        t = self._new_thread(pr_id, status, _normalise_properties(body.get("properties") or {}))
        for parent, content, ctype in parsed:
            self._add_comment(t, parent, content, ctype, self._build_identity)
        return _Reply(self.thread_create_status, self._render_thread(t))

    def _update_thread(self, req: _Request, thread: _Thread) -> _Reply:
        body = self._json_object(req)
        if "status" in body:
            thread.status = self._status(body["status"])
        props = body.get("properties")
        if isinstance(props, dict):
            for k, v in props.items():
                if v is None:
                    thread.properties.pop(str(k), None)
            thread.properties.update(_normalise_properties({k: v for k, v in props.items() if v is not None}))
        thread.updated = self._tick()
        return _Reply(200, self._render_thread(thread))

    def _reply_comment(self, req: _Request, thread: _Thread) -> _Reply:
        body = self._json_object(req)
        if len(thread.comments) >= MAX_COMMENTS_PER_THREAD:
            raise self._bad_argument(f"A thread cannot have more than {MAX_COMMENTS_PER_THREAD} comments.")
        ctype = _enum(body.get("commentType", 1), COMMENT_TYPES)
        if ctype is None:
            raise self._bad_argument("Invalid argument value.\r\nParameter name: comment.CommentType")
        content = self._content(body.get("content"))
        c = self._add_comment(thread, int(body.get("parentCommentId") or 0), content, ctype, self._build_identity)
        thread.deleted = False
        return _Reply(200, self._render_comment(thread, c))

    def _update_comment(self, req: _Request, thread: _Thread, comment: _Comment) -> _Reply:
        body = self._json_object(req)
        comment.content = self._content(body.get("content"))
        comment.updated = comment.content_updated = thread.updated = self._tick()
        return _Reply(200, self._render_comment(thread, comment))


def _record_defaults(order: int) -> dict[str, Any]:
    """The keys of a build timeline record that ``set_timeline`` fills in when not given."""
    return {
        "previousAttempts": [],
        "id": str(uuid.uuid4()),
        "parentId": None,
        "type": "Task",
        "name": "",
        "startTime": None,
        "finishTime": None,
        "currentOperation": None,
        "percentComplete": None,
        "state": "pending",
        "result": None,
        "resultCode": None,
        "changeId": 1,
        "lastModified": "0001-01-01T00:00:00",
        "workerName": None,
        "order": order + 1,
        "details": None,
        "errorCount": 0,
        "warningCount": 0,
        "url": None,
        "log": None,
        "task": None,
        "attempt": 1,
        "identifier": None,
    }


@contextlib.contextmanager
def fake_azure_devops() -> Iterator[FakeAzureDevOps]:
    """``with fake_azure_devops() as ado:`` is the same as ``with FakeAzureDevOps() as ado:``."""
    with FakeAzureDevOps() as ado:
        yield ado
