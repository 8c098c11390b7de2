"""A local fake of Azure Resource Manager for the Image Builder ``imageTemplates`` API (api-version 2025-10-01).

The real ``azure-mgmt-imagebuilder`` client and a real ``azure-identity`` credential talk to it over real HTTPS
(certificate from ``trustme``) and the App Service managed-identity token protocol (plain http on loopback).
Everything is standard library; see ``tests/fakes/README.md`` for the behaviour and the choices made.
"""

from __future__ import annotations

import base64
import contextlib
import copy
import json
import re
import secrets
import shutil
import socket
import ssl
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar, Protocol, cast
from urllib.parse import parse_qsl, unquote, urlsplit

import trustme

from tests.fakes.arm_cloud import (
    LOGIN_TOKEN_PATH,
    METADATA_API_VERSIONS,
    OPENID_PATH,
    metadata_body,
    openid_configuration,
    parse_form,
    token_request_error,
)
from tests.fakes.arm_subscription import SubscriptionResources

__all__ = [
    "API_VERSION",
    "INTERNAL_ERROR_MESSAGE",
    "INTERNAL_ERROR_STEP",
    "FakeArm",
    "Fault",
    "Recorded",
    "RunScript",
]

API_VERSION = "2025-10-01"
RP = "Microsoft.VirtualMachineImages"
TEMPLATE_TYPE = f"{RP}/imageTemplates"
RUN_OUTPUT_TYPE = f"{RP}/imageTemplates/runOutputs"
ZERO_TIME = "0001-01-01T00:00:00Z"

INTERNAL_ERROR_MESSAGE = "Internal error occurred. This is a generic error. To identify possible causes, go to https://aka.ms/azvmimagebuilderts."
# A RunScript step equal to this makes the GET of the template that lands on it answer HTTP 500 with
# {"error":{"code":"InternalServerError","message":INTERNAL_ERROR_MESSAGE}} (the build keeps running).
INTERNAL_ERROR_STEP: tuple[str, str, str] = ("InternalError", "", INTERNAL_ERROR_MESSAGE)

# The older message form, with a blob URL (docs, 2019-2021 issues; arm-contract §7.2).
URL_FAILURE_MESSAGE = (
    "Failed while waiting for packerizer: Microservice has failed: Failed while processing request: Error when "
    "executing packerizer: Packer build command has failed: exit status 1. During the image build, a failure has "
    "occurred, please review the build log to identify which build/customization step failed. For more "
    "troubleshooting steps go to https://aka.ms/azvmimagebuilderts. Image Build log location: "
    "{location}. OperationId: {operation_id}. Use this operationId to search packer logs."
)
# The newer form, with an ARM path, as seen in the run operation's error (azure-powershell#24244; arm-contract §4).
PATH_FAILURE_MESSAGE = (
    "During the image build a failure has occurred. Packer build logs are at location {location}. Please navigate "
    "to this location using portal or other tools to download logs for identifying which build/customization step "
    "failed. Use this operationId {operation_id} to search packer logs. For more troubleshooting steps go to "
    "https://aka.ms/azvmimagebuilderts."
)
DEFAULT_FAILURE_MESSAGE = URL_FAILURE_MESSAGE.format(
    location="https://aibfakelogsxk2p7q9r4t6w8y0z.blob.core.windows.net/packerlogs/0b6c7a4e-3f52-4d8e-9a1b-2c3d4e5f6a7b/"
    "customization.log",
    operation_id="7d1e2f3a-5a8c-4379-b0c1-8d85493bc791",
)

# ---- storage side (arm-contract §7) ----
# api-versions accepted for Microsoft.Storage: azure-mgmt-storage 25.3.0's default first, then older SDK defaults.
STORAGE_API_VERSIONS: tuple[str, ...] = (
    "2026-09-01",
    "2025-06-01",
    "2025-01-01",
    "2024-01-01",
    "2023-05-01",
    "2023-01-01",
)
# api-versions accepted for Microsoft.Resources resource groups (2021-04-01 is the one the docs' tag filter uses).
RESOURCES_API_VERSIONS: tuple[str, ...] = (
    "2025-04-01",
    "2025-03-01",
    "2024-11-01",
    "2024-07-01",
    "2024-03-01",
    "2023-07-01",
    "2022-09-01",
    "2021-04-01",
    "2021-01-01",
    "2020-10-01",
    "2020-06-01",
    "2019-10-01",
)
TENANT_ID = "3f5c2b1a-6d7e-4f80-9a1b-2c3d4e5f6a70"
CLIENT_ID = "00000000-0000-0000-0000-00000000f00d"
PRINCIPAL_ID = "6a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d"
STORAGE_AUDIENCE = "https://storage.azure.com"
LOG_CONTAINER = "packerlogs"
STORAGE_TYPE = "Microsoft.Storage/storageAccounts"
# The tags Image Builder puts on a staging resource group it creates (arm-contract §7.1).
STAGING_CREATED_BY = "AzureVMImageBuilder"
# Audiences Azurite 3.35 accepts with --oauth basic (src/blob/utils/constants.ts VALID_BLOB_AUDIENCES).
_AZURITE_AUDIENCE_RE = re.compile(
    r"^(https://storage\.azure\.com/?|e406a681-f3d4-42a8-90b6-c2b029497af1|"
    r"https://(?P<acct>[^/.]+)\.blob\.core\.(windows\.net|chinacloudapi\.cn|usgovcloudapi\.net|cloudapi\.de)/?)$"
)

# The two run outputs of ListRunOutputs.json (spec example, 2025-10-01); "{sub}", "{rg}" and "{name}" are filled in.
_EXAMPLE_RUN_OUTPUTS: list[dict[str, str]] = [
    {
        "name": "myManagedImageOutput",
        "artifactId": "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/images/output_managed_image",
    },
    {
        "name": "mySharedImageOutput",
        "artifactId": "/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Compute/galleries/Gallery1/images/"
        "SharedImageOutput/imageversions/1.2.3",
    },
]

_SOURCE_TYPES = {"platformimage", "managedimage", "sharedimageversion"}
_DISTRIBUTE_TYPES = {"managedimage", "sharedimage", "vhd"}
_NAME_RE = re.compile(r"^[A-Za-z0-9\-_.]{1,64}$")


def _now_iso() -> str:
    now = datetime.now(UTC)
    return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond * 1000:09d}Z"


# --------------------------------------------------------------------------------------------------------------------
# Public value types


@dataclass
class RunScript:
    """What the next run of a template does.

    ``states`` are the successive ``(runState, runSubState, message)`` that the template's ``lastRunStatus`` shows
    while the run is in progress. One step is consumed by every GET of the template and every GET of that run's
    operation-status URL (no wall clock). After the last step the run ends with ``outcome``.
    An empty ``runSubState`` is left out of ``lastRunStatus``.
    """

    states: list[tuple[str, str, str]] = field(
        default_factory=lambda: [
            ("Running", "Queued", ""),
            ("Running", "Building", ""),
            ("Running", "Customizing", ""),
            ("Running", "Distributing", ""),
        ]
    )
    outcome: str = "Succeeded"  # "Succeeded" | "Failed" | "Canceled" ("PartiallySucceeded" is passed through)
    final_message: str = ""
    run_outputs: list[dict[str, str]] | None = None  # [{name, artifactId, artifactUri?}]; None: ListRunOutputs.json
    error_code: str = "PackerBuildFailed"
    # The run operation's error.message when it fails; None: final_message. (Live, the two texts can differ:
    # the operation error carries the newer ARM-path log location, see arm-contract §7.2.)
    operation_error_message: str | None = None
    # Only used when storage is attached (FakeArm.attach_storage) and final_message is DEFAULT_FAILURE_MESSAGE:
    # then the messages name the attached account and the run folder ``log_run_id`` (None: a new GUID per run).
    # log_form "both": lastRunStatus.message has the URL form, the operation error the ARM-path form (as live);
    # "url" or "path": both texts use that form.
    log_run_id: str | None = None
    log_form: str = "both"
    # Bytes appended to <run folder>/customization.log in the attached Azurite while the run goes on: chunk k when
    # the run shows its step k (chunk 0 at the start), the rest when it ends. Empty: nothing is written.
    log_chunks: list[str | bytes | None] = field(default_factory=list)
    # Wall-clock seconds each state lasts (one per entry of ``states``); None: states move on observations only.
    # With durations the run moves on with time, whether it is observed or not, and its log chunks are written
    # to the attached Azurite when their step begins (see ``RunScript.timed``).
    seconds: list[float] | None = None

    @classmethod
    def timed(
        cls,
        steps: list[tuple[float, str, str, str]],
        outcome: str = "Succeeded",
        *,
        final_message: str = "",
        run_outputs: list[dict[str, str]] | None = None,
        log_chunks: list[str | bytes | None] | None = None,
    ) -> RunScript:
        """A run that moves on with the wall clock: ``steps`` are ``(seconds, runState, runSubState, message)``."""
        return cls(
            states=[(state, sub, message) for _, state, sub, message in steps],
            outcome=outcome,
            final_message=final_message,
            run_outputs=run_outputs,
            log_chunks=list(log_chunks or []),
            seconds=[seconds for seconds, *_ in steps],
        )

    @classmethod
    def success(cls, run_outputs: list[dict[str, str]] | None = None) -> RunScript:
        return cls(run_outputs=run_outputs)

    @classmethod
    def failure(
        cls,
        message: str = DEFAULT_FAILURE_MESSAGE,
        *,
        error_code: str = "PackerBuildFailed",
        operation_error_message: str | None = None,
        log_run_id: str | None = None,
        log_form: str = "both",
        log_chunks: list[str | bytes] | None = None,
    ) -> RunScript:
        if log_form not in ("both", "url", "path"):
            raise ValueError(f"log_form must be 'both', 'url' or 'path', not {log_form!r}")
        return cls(
            states=[("Running", "Queued", ""), ("Running", "Building", ""), ("Running", "Customizing", "")],
            outcome="Failed",
            final_message=message,
            error_code=error_code,
            operation_error_message=operation_error_message,
            log_run_id=log_run_id,
            log_form=log_form,
            log_chunks=list(log_chunks or []),
        )

    @classmethod
    def with_internal_errors(cls, n: int = 2, outcome: str = "Succeeded", final_message: str = "") -> RunScript:
        """Queued, Building, then ``n`` transient internal errors (GET template answers 500), then Customizing,
        Distributing and ``outcome``. See README: the live service was seen failing GETs with the generic
        internal-error text for a while during a build that still completed."""
        states = [("Running", "Queued", ""), ("Running", "Building", "")]
        states += [INTERNAL_ERROR_STEP] * n
        states += [("Running", "Customizing", ""), ("Running", "Distributing", "")]
        return cls(states=states, outcome=outcome, final_message=final_message)


@dataclass
class Fault:
    """An injected failure for the next ``times`` ARM requests matching ``method`` and ``path_regex``.

    ``method`` "*" matches any method; ``path_regex`` is searched (case-insensitively) in the URL path without the
    query. ``times=None`` means forever. ``drop_connection`` closes the socket without answering; otherwise the
    answer is ``status`` with an ARM error body (``code``/``message``, defaults by status) and ``Retry-After``.
    """

    method: str = "*"
    path_regex: str = ".*"
    status: int = 500
    retry_after: float | None = None
    times: int | None = 1
    drop_connection: bool = False
    delay: float | None = None  # answer normally, this many seconds late (a slow or silent ARM); no error
    code: str | None = None
    message: str | None = None


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    json: Any
    token: str | None
    status: int = 0  # 0 until answered; stays 0 when the connection was dropped


_DEFAULT_FAULT_ERRORS: dict[int, tuple[str, str]] = {
    429: ("TooManyRequests", "The request is being throttled. Please retry after the interval in Retry-After."),
    500: ("InternalServerError", INTERNAL_ERROR_MESSAGE),
    502: ("BadGateway", "The gateway did not receive a valid response from 'Microsoft.VirtualMachineImages'."),
    503: ("ServiceUnavailable", "The service is temporarily unavailable. Please retry later."),
    504: (
        "GatewayTimeout",
        "The gateway did not receive a response from 'Microsoft.VirtualMachineImages' within "
        "the specified time period.",
    ),
}


# --------------------------------------------------------------------------------------------------------------------
# Internal state


@dataclass
class _Run:
    script: RunScript
    op_id: str
    start_time: str
    pos: int = 0
    current: tuple[str, str, str] = ("Running", "Queued", "")
    cancel_stage: int = 0  # 1: cancel requested, 2: Canceling shown
    done: bool = False
    outcome: str = ""
    end_time: str = ZERO_TIME
    message: str = ""
    final_message: str | None = None  # None: script.final_message
    op_error_message: str | None = None  # None: script.operation_error_message or the run's message
    log_run_id: str = ""
    staging_group: str = ""
    chunks_written: int = 0
    started: float = field(default_factory=time.monotonic)

    @property
    def timed(self) -> bool:
        return self.script.seconds is not None

    def _timed_step(self) -> int | None:
        """The index of the step showing now in a timed run, or None once its time is up."""
        elapsed, end = time.monotonic() - self.started, 0.0
        for index, seconds in enumerate(self.script.seconds or []):
            end += seconds
            if elapsed < end:
                return index
        return None

    def advance(self) -> bool:
        """Consume one step. Return True when the step is a transient internal error."""
        if self.done:
            return False
        if self.cancel_stage == 1:
            self.cancel_stage = 2
            self.current = ("Canceling", "", "Canceling image build")
            return False
        if self.cancel_stage == 2:
            self._finish("Canceled", "")
            return False
        if self.timed:
            index = self._timed_step()
            if index is None:
                self._finish(self.script.outcome, self.end_message)
                return False
            self.pos = index + 1
            if self.script.states[index] == INTERNAL_ERROR_STEP:
                return True
            self.current = self.script.states[index]
            return False
        if self.pos < len(self.script.states):
            step = self.script.states[self.pos]
            self.pos += 1
            if step == INTERNAL_ERROR_STEP:
                return True
            self.current = step
            return False
        self._finish(self.script.outcome, self.end_message)
        return False

    @property
    def end_message(self) -> str:
        return self.script.final_message if self.final_message is None else self.final_message

    def _finish(self, outcome: str, message: str) -> None:
        self.done = True
        self.outcome = outcome
        self.message = message
        self.end_time = _now_iso()

    def last_run_status(self) -> dict[str, Any]:
        if self.done:
            return {
                "startTime": self.start_time,
                "endTime": self.end_time,
                "runState": self.outcome,
                "message": self.message,
            }
        state, sub, message = self.current
        status: dict[str, Any] = {"startTime": self.start_time, "endTime": ZERO_TIME, "runState": state}
        if sub:
            status["runSubState"] = sub
        status["message"] = message
        return status

    @property
    def busy(self) -> bool:
        return not self.done


@dataclass
class _Template:
    sub: str
    rg: str
    name: str
    body: dict[str, Any]
    create_op: str | None = None
    provisioning_steps: int = 0  # observations of a template that is still Creating
    submission_failure: tuple[str, str] | None = None
    run: _Run | None = None
    run_outputs: list[dict[str, Any]] = field(default_factory=list)
    deleting: bool = False

    @property
    def props(self) -> dict[str, Any]:
        p = self.body.setdefault("properties", {})
        assert isinstance(p, dict)
        return p

    @property
    def location(self) -> str:
        return str(self.body.get("location", "westus")).replace(" ", "").lower()

    @property
    def resource_id(self) -> str:
        return f"/subscriptions/{self.sub}/resourceGroups/{self.rg}/providers/{TEMPLATE_TYPE}/{self.name}"

    def render(self) -> dict[str, Any]:
        out = copy.deepcopy(self.body)
        if self.run is not None:
            out["properties"]["lastRunStatus"] = self.run.last_run_status()
        return out


@dataclass
class _Op:
    op_id: str
    kind: str  # "create" | "run" | "delete"
    key: tuple[str, str, str]
    start_time: str
    polls: int = 0
    status: str = "InProgress"
    end_time: str | None = None
    error: dict[str, str] | None = None

    def body(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.op_id.upper(), "status": self.status, "startTime": self.start_time}
        if self.end_time is not None:
            out["endTime"] = self.end_time
        if self.error is not None:
            out["error"] = dict(self.error)
        return out

    def finish(self, status: str, error: dict[str, str] | None = None) -> None:
        if self.end_time is None:
            self.status = status
            self.error = error
            self.end_time = _now_iso()


class _Reply(Exception):
    """Raised by handlers to send an answer."""

    def __init__(self, status: int, body: Any = None, headers: dict[str, str] | None = None) -> None:
        super().__init__(status)
        self.status = status
        self.body = body
        self.headers = headers or {}


def _error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> _Reply:
    return _Reply(status, {"error": {"code": code, "message": message}}, headers)


class _DropConnection(Exception):
    pass


# --------------------------------------------------------------------------------------------------------------------
# HTTP plumbing


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, arm: FakeArm, handler: type[BaseHTTPRequestHandler], tls: ssl.SSLContext | None) -> None:
        self.arm = arm
        self.tls = tls
        self._conns: set[socket.socket] = set()
        self._conns_lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), handler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def finish_request(self, request: Any, client_address: Any) -> None:
        sock: socket.socket = request
        if self.tls is not None:
            try:
                sock.settimeout(10)
                sock = self.tls.wrap_socket(sock, server_side=True)
            except (OSError, ssl.SSLError):
                with contextlib.suppress(OSError):
                    request.close()
                return
        with self._conns_lock:
            self._conns.add(sock)
        try:
            cast(Any, self.RequestHandlerClass)(sock, client_address, self)
        except (OSError, ssl.SSLError):
            pass
        finally:
            with self._conns_lock:
                self._conns.discard(sock)
            with contextlib.suppress(OSError):
                sock.close()

    def shutdown_request(self, request: Any) -> None:
        with contextlib.suppress(OSError):
            request.close()

    def close_all(self) -> None:
        with self._conns_lock:
            conns = list(self._conns)
        for c in conns:
            with contextlib.suppress(OSError):
                c.shutdown(socket.SHUT_RDWR)
            with contextlib.suppress(OSError):
                c.close()


class _BaseHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeArm/1.0"
    sys_version = ""
    timeout = 30
    disable_nagle_algorithm = True
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _send(self, status: int, body: Any, headers: dict[str, str]) -> None:
        payload = b"" if body is None or status == 204 else json.dumps(body, indent=2).encode()
        if self.command == "HEAD":
            payload = b""
        phrase = self.responses.get(status, ("",))[0]
        lines = [
            f"{self.protocol_version} {status} {phrase}",
            f"Server: {self.version_string()}",
            f"Date: {self.date_time_string()}",
        ]
        if payload:
            lines.append("Content-Type: application/json; charset=utf-8")
        lines += [f"{k}: {v}" for k, v in headers.items()]
        lines.append(f"Content-Length: {len(payload)}")
        if self.close_connection:
            lines.append("Connection: close")
        # status line, headers and body in one write: no Nagle / delayed-ACK stall between small segments
        self.wfile.write(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + payload)

    def _drop(self) -> None:
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)
        with contextlib.suppress(OSError):
            self.connection.close()


class _ArmHandler(_BaseHandler):
    def _handle(self) -> None:
        arm = self.server.arm
        split = urlsplit(self.path)
        path = unquote(split.path)
        query = dict(parse_qsl(split.query, keep_blank_values=True))
        headers = {k.lower(): v for k, v in self.headers.items()}
        raw = self._read_body()
        body: Any = None
        bad_json = False
        if raw:
            try:
                body = json.loads(raw)
            except ValueError:
                bad_json = True
        auth = headers.get("authorization", "")
        token = auth[7:].strip() if auth[:7].lower() == "bearer " else None
        rec = Recorded(self.command, path, query, headers, body, token)
        arm._record(rec)
        try:
            reply = arm._dispatch(self.command, path, query, token, body, bad_json)
        except _DropConnection:
            self._drop()
            return
        except _Reply as r:
            reply = r
        except Exception as exc:  # a bug in the fake: answer 500 rather than hang the client
            reply = _error(500, "FakeArmBug", f"{type(exc).__name__}: {exc}")
        out_headers = {"x-ms-request-id": str(uuid.uuid4()), **reply.headers}
        if "x-ms-client-request-id" in headers:
            out_headers["x-ms-client-request-id"] = headers["x-ms-client-request-id"]
        rec.status = reply.status
        self._send(reply.status, reply.body, out_headers)

    do_GET = do_PUT = do_POST = do_DELETE = do_PATCH = do_HEAD = _handle


class _IdentityHandler(_BaseHandler):
    def _handle(self) -> None:
        arm = self.server.arm
        split = urlsplit(self.path)
        query = dict(parse_qsl(split.query, keep_blank_values=True))
        headers = {k.lower(): v for k, v in self.headers.items()}
        self._read_body()
        arm._record_identity(Recorded(self.command, unquote(split.path), query, headers, None, None))
        status, body = arm._issue_token(self.command, split.path, query, headers)
        self._send(status, body, {})

    do_GET = do_POST = _handle


class _LoginHandler(_BaseHandler):
    """The cloud's own Entra ID sign-in endpoint (HTTPS), for credentials other than the managed identity."""

    def _handle(self) -> None:
        arm = self.server.arm
        split = urlsplit(self.path)
        form = parse_form(self._read_body()) if self.command == "POST" else {}
        headers = {k.lower(): v for k, v in self.headers.items()}
        arm._record_login(Recorded(self.command, unquote(split.path), form, headers, None, None))
        status, body = arm._sign_in(self.command, unquote(split.path), form)
        self._send(status, body, {})

    do_GET = do_POST = _handle


# --------------------------------------------------------------------------------------------------------------------
# The fake


_T = r"/subscriptions/(?P<sub>[^/]+)/resourcegroups/(?P<rg>[^/]+)/providers/microsoft\.virtualmachineimages/imagetemplates"
_ROUTES: list[tuple[str, re.Pattern[str]]] = [
    ("template", re.compile(_T + r"/(?P<name>[^/]+)/?$", re.I)),
    ("run", re.compile(_T + r"/(?P<name>[^/]+)/run/?$", re.I)),
    ("cancel", re.compile(_T + r"/(?P<name>[^/]+)/cancel/?$", re.I)),
    ("run_outputs", re.compile(_T + r"/(?P<name>[^/]+)/runoutputs/?$", re.I)),
    ("run_output", re.compile(_T + r"/(?P<name>[^/]+)/runoutputs/(?P<ro>[^/]+)/?$", re.I)),
    ("list_rg", re.compile(_T + r"/?$", re.I)),
    (
        "list_sub",
        re.compile(r"/subscriptions/(?P<sub>[^/]+)/providers/microsoft\.virtualmachineimages/imagetemplates/?$", re.I),
    ),
    (
        "operation",
        re.compile(
            r"/subscriptions/(?P<sub>[^/]+)/providers/microsoft\.virtualmachineimages/locations/"
            r"(?P<loc>[^/]+)/operations/(?P<op>[^/]+)/?$",
            re.I,
        ),
    ),
]
_SA = r"/subscriptions/(?P<sub>[^/]+)/resourcegroups/(?P<rg>[^/]+)/providers/microsoft\.storage/storageaccounts"
# Microsoft.Resources and Microsoft.Storage routes: (kind, pattern, accepted api-versions)
_OTHER_ROUTES: list[tuple[str, re.Pattern[str], tuple[str, ...]]] = [
    ("rg", re.compile(r"/subscriptions/(?P<sub>[^/]+)/resourcegroups/(?P<rg>[^/]+)/?$", re.I), RESOURCES_API_VERSIONS),
    ("rg_list", re.compile(r"/subscriptions/(?P<sub>[^/]+)/resourcegroups/?$", re.I), RESOURCES_API_VERSIONS),
    ("sa_list_rg", re.compile(_SA + r"/?$", re.I), STORAGE_API_VERSIONS),
    ("sa", re.compile(_SA + r"/(?P<acct>[^/]+)/?$", re.I), STORAGE_API_VERSIONS),
    ("sa_keys", re.compile(_SA + r"/(?P<acct>[^/]+)/listkeys/?$", re.I), STORAGE_API_VERSIONS),
    (
        "sa_list_sub",
        re.compile(r"/subscriptions/(?P<sub>[^/]+)/providers/microsoft\.storage/storageaccounts/?$", re.I),
        STORAGE_API_VERSIONS,
    ),
]
_TAG_FILTER_RE = re.compile(
    r"^\s*tagName\s+eq\s+'(?P<name>[^']*)'(\s+and\s+tagValue\s+eq\s+'(?P<value>[^']*)')?\s*$", re.I
)


class StorageTarget(Protocol):
    """What ``FakeArm.attach_storage`` needs: ``tests.fakes.azurite.Azurite`` has it."""

    blob_url: str
    account_name: str
    account_key: str


@dataclass
class _Storage:
    target: StorageTarget
    account_name: str
    keys: list[str]
    creation_time: str

    @property
    def blob_endpoint(self) -> str:
        return self.target.blob_url.rstrip("/") + "/"


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _jwt(claims: dict[str, Any]) -> str:
    """An unsigned-in-spirit JWT: a random signature (Azurite's --oauth basic does not check it)."""
    header = {"typ": "JWT", "alg": "RS256", "kid": "fakearm"}
    return ".".join(
        (
            _b64url(json.dumps(header, separators=(",", ":")).encode()),
            _b64url(json.dumps(claims, separators=(",", ":")).encode()),
            _b64url(secrets.token_bytes(64)),
        )
    )


class FakeArm:
    """Fake ARM (HTTPS) plus a managed-identity token endpoint (http), both on 127.0.0.1. Use as a context manager."""

    IDENTITY_PATH: ClassVar[str] = "/msi/token"

    def __init__(self, ca: trustme.CA | None = None) -> None:
        self._lock = threading.RLock()
        self.ca: trustme.CA = ca if ca is not None else trustme.CA()
        self.token_lifetime: int = 3600
        self.issued_tokens: list[str] = []
        self.issued_storage_tokens: list[str] = []
        self._token_expiry: dict[str, float] = {}
        self._storage_token_expiry: dict[str, float] = {}
        self.refuse_storage_tokens = False
        self.refuse_list_keys = False
        self._storage: _Storage | None = None
        self._resource_groups: dict[tuple[str, str], dict[str, Any]] = {}
        self.log_run_ids: list[str] = []
        self._log_run_staging: dict[str, str] = {}
        self.requests: list[Recorded] = []
        self.identity_requests: list[Recorded] = []
        self.login_requests: list[Recorded] = []  # the sign-in endpoint's; `query` holds the form fields
        # The cloud it describes at /metadata/endpoints (see arm_cloud.py). arm_audience None: its own URL, and ARM
        # takes a token issued for any resource; set, ARM takes only tokens issued for that audience.
        self.cloud_name = "FakeArm"
        self.arm_audience: str | None = None
        self.storage_suffix = "core.windows.net"
        self.metadata_override: dict[str, Any] | None = None  # served instead of the generated body
        # Storage seen through a cloud's suffix: the attached account's blob endpoint becomes
        # https://<account>.blob.<blob_host_suffix>/ in ARM's answers and in the failure messages.
        self.blob_host_suffix: str | None = None
        self.report_blob_endpoint = True  # False: the account's primaryEndpoints has no blob
        self._token_resource: dict[str, str] = {}
        self._faults: list[Fault] = []
        self._script = RunScript.success()
        self._templates: dict[tuple[str, str, str], _Template] = {}
        self.subscription = SubscriptionResources()  # providers, images, galleries, RBAC, SKUs (preflight)
        self._ops: dict[str, _Op] = {}
        self._pending_submission_failure: tuple[str, str] | None = None
        self._identity_secret = secrets.token_urlsafe(24)
        self._tmpdir: str | None = None
        self._arm_server: _Server | None = None
        self._id_server: _Server | None = None
        self._login_server: _Server | None = None
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()
        self._clock: threading.Thread | None = None
        self.ca_path = ""
        self.url = ""
        self.login_url = ""
        self.identity_env: dict[str, str] = {}

    # ---- lifecycle ------------------------------------------------------------------------------------------------

    def start(self) -> FakeArm:
        self._tmpdir = tempfile.mkdtemp(prefix="fakearm-")
        ca = self.ca
        cert = ca.issue_cert("127.0.0.1", "localhost")
        ca_path = Path(self._tmpdir) / "ca.pem"
        ca.cert_pem.write_to_path(str(ca_path))
        self.ca_path = str(ca_path)
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(ctx)
        self._arm_server = _Server(self, _ArmHandler, ctx)
        self._id_server = _Server(self, _IdentityHandler, None)
        self._login_server = _Server(self, _LoginHandler, ctx)
        self.url = f"https://127.0.0.1:{self._arm_server.port}"
        self.login_url = f"https://127.0.0.1:{self._login_server.port}"
        self.identity_env = {
            "IDENTITY_ENDPOINT": f"http://127.0.0.1:{self._id_server.port}{self.IDENTITY_PATH}",
            "IDENTITY_HEADER": self._identity_secret,
        }
        for srv in (self._arm_server, self._id_server, self._login_server):
            t = threading.Thread(
                target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True, name=f"fakearm-{srv.port}"
            )
            t.start()
            self._threads.append(t)
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._clock is not None:
            self._clock.join(timeout=5)
        for srv in (self._arm_server, self._id_server, self._login_server):
            if srv is not None:
                srv.shutdown()
                srv.close_all()
                srv.server_close()
        for t in self._threads:
            t.join(timeout=5)
        self._threads.clear()
        self._arm_server = self._id_server = self._login_server = None
        if self._tmpdir is not None:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
            self._tmpdir = None

    def __enter__(self) -> FakeArm:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ---- test-facing controls -------------------------------------------------------------------------------------

    def set_run_script(self, script: RunScript) -> None:
        with self._lock:
            self._script = copy.deepcopy(script)

    def add_fault(self, fault: Fault) -> None:
        with self._lock:
            self._faults.append(fault)

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def fail_next_submission(self, code: str = "BadSourceType", message: str | None = None) -> None:
        if message is None:
            message = (
                "Validation failed: 'ImageTemplate.properties.source': Field 'type' has a bad value. Please "
                "review http://aka.ms/azvmimagebuildertmplref for details on fields requirements in the Image "
                "Builder Template."
            )
        with self._lock:
            self._pending_submission_failure = (code, message)

    @property
    def templates(self) -> dict[tuple[str, str, str], dict[str, Any]]:
        """A snapshot of the stored templates as GET would show them (reading it does not advance any run)."""
        with self._lock:
            return {k: t.render() for k, t in self._templates.items()}

    def put_template(
        self,
        sub: str,
        rg: str,
        name: str,
        body: dict[str, Any],
        provisioning_state: str = "Succeeded",
        run_state: str | None = None,
    ) -> dict[str, Any]:
        """Pre-seed a template. ``run_state="Running"`` starts a run of the current RunScript (no operation URL);
        a terminal ``run_state`` gives a finished ``lastRunStatus`` with the current script's ``final_message``."""
        with self._lock:
            tpl = _Template(sub, rg, name, self._normalise(sub, rg, name, body))
            tpl.props["provisioningState"] = provisioning_state
            if provisioning_state == "Succeeded":
                tpl.props["exactStagingResourceGroup"] = self._staging_rg(sub, rg, name)
            if run_state is not None:
                run = _Run(copy.deepcopy(self._script), op_id=str(uuid.uuid4()), start_time=_now_iso())
                self._prepare_run_log(tpl, run)
                if run_state.lower() == "running":
                    run.current = run.script.states[0] if run.script.states else ("Running", "Queued", "")
                    run.pos = 1 if run.script.states else 0
                elif run_state.lower() == "canceling":
                    run.cancel_stage = 2
                    run.current = ("Canceling", "", "Canceling image build")
                else:
                    run._finish(run_state, run.end_message)
                    if run_state == "Succeeded":
                        tpl.run_outputs = self._make_run_outputs(tpl, run.script)
                tpl.run = run
                self._write_log_chunks(run)
            self._templates[(sub.lower(), rg.lower(), name.lower())] = tpl
            return tpl.render()

    # ---- recording / tokens ---------------------------------------------------------------------------------------

    def _record(self, rec: Recorded) -> None:
        with self._lock:
            self.requests.append(rec)

    def _record_identity(self, rec: Recorded) -> None:
        with self._lock:
            self.identity_requests.append(rec)

    def _issue_token(
        self, method: str, path: str, query: dict[str, str], headers: dict[str, str]
    ) -> tuple[int, dict[str, Any]]:
        if path.rstrip("/") != self.IDENTITY_PATH or method != "GET":
            return 404, {"statusCode": 404, "message": "Not found"}
        if headers.get("x-identity-header") != self._identity_secret:
            return 401, {"statusCode": 401, "message": "Missing or wrong X-IDENTITY-HEADER"}
        if query.get("api-version") != "2019-08-01" or not query.get("resource"):
            return 400, {"statusCode": 400, "message": "api-version=2019-08-01 and resource are required"}
        resource = query["resource"]
        token, expires_on = self._mint(resource)
        return 200, {
            "access_token": token,
            "expires_on": str(expires_on),
            "resource": resource,
            "token_type": "Bearer",
            "client_id": CLIENT_ID,
        }

    def _mint(self, resource: str) -> tuple[str, int]:
        """A token for ``resource``: a JWT for storage (Azurite reads it), an opaque ARM token otherwise."""
        with self._lock:
            now = int(time.time())
            expires_on = now + int(self.token_lifetime)
            audience = self._storage_audience(resource)
            if audience is None:
                token = f"fakearm.{len(self.issued_tokens) + 1}.{secrets.token_urlsafe(24)}"
                self._token_expiry[token] = expires_on
                self._token_resource[token] = resource
            else:
                if self.refuse_storage_tokens:
                    audience = "https://management.azure.com/"  # Azurite: 403 "Invalid token audience."
                token = _jwt(
                    {
                        "aud": audience,
                        "iss": f"https://sts.windows.net/{TENANT_ID}/",
                        "iat": now,
                        "nbf": now,
                        "exp": expires_on,
                        "appid": CLIENT_ID,
                        "appidacr": "2",
                        "idtyp": "app",
                        "oid": PRINCIPAL_ID,
                        "sub": PRINCIPAL_ID,
                        "tid": TENANT_ID,
                        "ver": "1.0",
                        "jti": secrets.token_urlsafe(12),
                    }
                )
                self._storage_token_expiry[token] = expires_on
                self.issued_storage_tokens.append(token)
            self.issued_tokens.append(token)
        return token, expires_on

    def _record_login(self, rec: Recorded) -> None:
        with self._lock:
            self.login_requests.append(rec)

    def _sign_in(self, method: str, path: str, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """The sign-in endpoint: ``/{tenant}/v2.0/.well-known/openid-configuration`` and ``/{tenant}/oauth2/v2.0/token``."""
        tenant, _, rest = path.lstrip("/").partition("/")
        if method == "GET" and f"/{rest}" == OPENID_PATH and tenant:
            return 200, openid_configuration(self.login_url, tenant)
        if method != "POST" or f"/{rest}" != LOGIN_TOKEN_PATH or not tenant:
            return 404, {"error": "not_found", "error_description": f"AADSTS90002: No route for {path}."}
        refused = token_request_error(form)
        if refused is not None:
            return refused
        token, _ = self._mint(form["scope"].strip()[: -len("/.default")])
        return 200, {"token_type": "Bearer", "expires_in": self.token_lifetime, "ext_expires_in": self.token_lifetime,
                     "access_token": token}  # fmt: skip

    def metadata(self) -> dict[str, Any]:
        """What ``GET /metadata/endpoints?api-version=2022-09-01`` answers now."""
        if self.metadata_override is not None:
            return copy.deepcopy(self.metadata_override)
        audience = self.arm_audience or f"{self.url}/"
        return metadata_body(self.url, self.login_url, self.cloud_name, audience, self.storage_suffix)

    def _storage_audience(self, resource: str) -> str | None:
        """The JWT audience for a storage resource, or None when ``resource`` is not storage (then ARM)."""
        r = resource.strip()
        m = _AZURITE_AUDIENCE_RE.match(r)
        if m is not None:
            acct = m.group("acct")
            # Azurite refuses an account-specific audience for another account: map it to the generic one.
            if acct is None or self._storage is None or acct == self._storage.target.account_name:
                return r
            return STORAGE_AUDIENCE
        if r.rstrip("/").lower() == "https://storage.azure.com":
            return STORAGE_AUDIENCE
        if self._storage is not None:
            base = self._storage.target.blob_url.rstrip("/").lower()
            host = base.rsplit("/", 1)[0]
            if r.rstrip("/").lower() in (base, host):
                return STORAGE_AUDIENCE
            # The account's own endpoint under a cloud's suffix: a token for that one account, which Azurite
            # knows under the public suffix only.
            account = self._storage.account_name.lower()
            for suffix in {self.blob_host_suffix, self.storage_suffix} - {None}:
                if r.rstrip("/").lower() == f"https://{account}.blob.{suffix}".lower():
                    return f"https://{self._storage.target.account_name}.blob.core.windows.net"
        return None

    def token_is_valid(self, token: str | None) -> bool:
        """Whether ARM would accept ``token`` now (storage JWTs never are)."""
        with self._lock:
            exp = self._token_expiry.get(token or "")
        return exp is not None and time.time() < exp

    # ---- storage side (arm-contract §7) ---------------------------------------------------------------------------

    def attach_storage(self, target: StorageTarget, *, account_name: str | None = None) -> str:
        """Give every staging resource group one storage account whose blob endpoint is ``target.blob_url`` (an
        ``Azurite``), whose listKeys answer is ``target.account_key`` (plus ``target.account_key2`` if set) and whose
        name is ``account_name`` or ``target.account_name``. Use an Azurite with a service-like account name
        (``service_like_account_name()``) so that the ARM name, the blob URL and the shared-key signature agree.
        Returns the account name. Runs started from now on name it in ``RunScript.failure()``'s default message."""
        name = account_name or target.account_name
        keys = [target.account_key]
        key2 = getattr(target, "account_key2", None)
        if isinstance(key2, str) and key2:
            keys.append(key2)
        with self._lock:
            self._storage = _Storage(target, name, keys, _now_iso())
        return name

    def detach_storage(self) -> None:
        with self._lock:
            self._storage = None

    @property
    def storage_account_name(self) -> str | None:
        with self._lock:
            return self._storage.account_name if self._storage else None

    def put_resource_group(
        self, sub: str, rg: str, location: str = "westus", tags: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """Create or replace a resource group (a template's own group exists without this, with no tags)."""
        body = {
            "id": f"/subscriptions/{sub}/resourceGroups/{rg}",
            "name": rg,
            "type": "Microsoft.Resources/resourceGroups",
            "location": location,
            "tags": dict(tags or {}),
            "properties": {"provisioningState": "Succeeded"},
        }
        with self._lock:
            self._resource_groups[(sub.lower(), rg.lower())] = body
        return copy.deepcopy(body)

    def staging_groups(self) -> dict[str, tuple[str, str, str]]:
        """``{staging group ARM id: (sub, rg, name) of its template}`` for every provisioned template."""
        with self._lock:
            return self._staging_index()

    def log_location(
        self,
        run_id: str,
        form: str = "url",
        *,
        blob: str = "customization.log",
        staging_group: str | None = None,
    ) -> str:
        """Where the attached account keeps ``packerlogs/<run_id>/<blob>``: ``form="url"`` is the blob URL (Azurite),
        ``form="path"`` the ARM path of the newer message
        (``<staging group id>/providers/Microsoft.Storage/storageAccounts/<acct>/blobServices/default/containers/
        packerlogs/<run_id>/<blob>``). For "path" the staging group is ``staging_group``, else the one of the run
        that used ``run_id``, else the only staging group there is."""
        with self._lock:
            st = self._storage
            if st is None:
                raise RuntimeError("no storage attached: call arm.attach_storage(azurite) first")
            if form == "url":
                return f"{self._blob_endpoint(st)}{LOG_CONTAINER}/{run_id}/{blob}"
            if form != "path":
                raise ValueError(f"form must be 'url' or 'path', not {form!r}")
            group = staging_group or self._log_run_staging.get(run_id)
            if group is None:
                groups = list(self._staging_index())
                if len(groups) != 1:
                    raise ValueError(f"pass staging_group=: {len(groups)} staging groups exist")
                group = groups[0]
            return (
                f"{group}/providers/{STORAGE_TYPE}/{st.account_name}/blobServices/default/containers/"
                f"{LOG_CONTAINER}/{run_id}/{blob}"
            )

    def _blob_endpoint(self, st: _Storage) -> str:
        """The account's blob endpoint as ARM reports it: Azurite's own URL, or its name under a cloud's suffix."""
        if self.blob_host_suffix:
            return f"https://{st.account_name}.blob.{self.blob_host_suffix}/"
        return st.blob_endpoint

    def _staging_index(self) -> dict[str, tuple[str, str, str]]:
        out = {}
        for key, tpl in self._templates.items():
            sid = str(tpl.props.get("exactStagingResourceGroup") or "")
            if sid:
                out[sid] = key
        return out

    def _all_resource_groups(self, sub: str) -> dict[str, dict[str, Any]]:
        """``{rg lower: body}``: explicit groups, the groups holding templates, and staging groups (with the
        service's tags plus the template's managedResourceTags)."""
        out: dict[str, dict[str, Any]] = {}
        for tpl in self._templates.values():
            if tpl.sub.lower() == sub.lower():
                out[tpl.rg.lower()] = {
                    "id": f"/subscriptions/{tpl.sub}/resourceGroups/{tpl.rg}",
                    "name": tpl.rg,
                    "type": "Microsoft.Resources/resourceGroups",
                    "location": tpl.location,
                    "tags": {},
                    "properties": {"provisioningState": "Succeeded"},
                }
        for (s, rg), body in self._resource_groups.items():
            if s == sub.lower():
                out[rg] = copy.deepcopy(body)
        for sid, key in self._staging_index().items():
            tpl = self._templates[key]
            parts = sid.split("/")
            if len(parts) < 5 or parts[2].lower() != sub.lower():
                continue
            tags = {
                "createdBy": STAGING_CREATED_BY,
                "imageTemplateName": tpl.name,
                "imageTemplateResourceGroupName": tpl.rg,
            }
            mrt = tpl.props.get("managedResourceTags")
            if isinstance(mrt, dict):
                tags.update({str(k): str(v) for k, v in mrt.items()})
            out[parts[4].lower()] = {
                "id": sid,
                "name": parts[4],
                "type": "Microsoft.Resources/resourceGroups",
                "location": tpl.location,
                "tags": tags,
                "properties": {"provisioningState": "Succeeded"},
            }
        return out

    def _account_body(self, sub: str, rg_body: dict[str, Any]) -> dict[str, Any]:
        st = self._storage
        assert st is not None
        tags: dict[str, str] = {}
        key = self._staging_index().get(rg_body["id"])
        if key is not None:
            mrt = self._templates[key].props.get("managedResourceTags")
            if isinstance(mrt, dict):
                tags = {str(k): str(v) for k, v in mrt.items()}
        loc = rg_body["location"]
        return {
            "id": f"{rg_body['id']}/providers/{STORAGE_TYPE}/{st.account_name}",
            "name": st.account_name,
            "type": STORAGE_TYPE,
            "location": loc,
            "tags": tags,
            "kind": "StorageV2",
            "sku": {"name": "Standard_LRS", "tier": "Standard"},
            "properties": {
                "provisioningState": "Succeeded",
                "creationTime": st.creation_time,
                "primaryLocation": loc,
                "statusOfPrimary": "available",
                "primaryEndpoints": {"blob": self._blob_endpoint(st)} if self.report_blob_endpoint else {},
                "accessTier": "Hot",
                "allowBlobPublicAccess": False,
                "allowSharedKeyAccess": True,
                "minimumTlsVersion": "TLS1_2",
                "supportsHttpsTrafficOnly": self._blob_endpoint(st).startswith("https:"),
                "networkAcls": {
                    "bypass": "AzureServices",
                    "virtualNetworkRules": [],
                    "ipRules": [],
                    "defaultAction": "Allow",
                },
                "encryption": {
                    "keySource": "Microsoft.Storage",
                    "services": {"blob": {"enabled": True, "keyType": "Account"}},
                },
            },
        }

    def _route_other(self, kind: str, method: str, g: dict[str, str], query: dict[str, str]) -> _Reply:
        sub = g["sub"]
        groups = self._all_resource_groups(sub)
        if kind == "rg_list":
            if method != "GET":
                raise _method_not_allowed(method)
            items = list(groups.values())
            flt = query.get("$filter")
            if flt:
                m = _TAG_FILTER_RE.match(flt)
                if m is None:
                    raise _error(400, "InvalidFilterInQueryString", f"The $filter '{flt}' is not supported.")
                name, value = m.group("name").lower(), m.group("value")
                items = [
                    rg
                    for rg in items
                    if any(k.lower() == name and (value is None or v == value) for k, v in rg["tags"].items())
                ]
            return _Reply(200, {"value": items})
        if kind == "sa_list_sub":
            if method != "GET":
                raise _method_not_allowed(method)
            staging = set(self._staging_index())
            accounts = [self._account_body(sub, rg) for rg in groups.values() if rg["id"] in staging and self._storage]
            return _Reply(200, {"value": accounts})
        rg_body = groups.get(g["rg"].lower())
        if rg_body is None:
            if kind == "rg" and method == "HEAD":
                return _Reply(404)
            raise _error(404, "ResourceGroupNotFound", f"Resource group '{g['rg']}' could not be found.")
        if kind == "rg":
            if method == "HEAD":
                return _Reply(204)
            if method != "GET":
                raise _method_not_allowed(method)
            return _Reply(200, rg_body)
        has_account = self._storage is not None and rg_body["id"] in self._staging_index()
        if kind == "sa_list_rg":
            if method != "GET":
                raise _method_not_allowed(method)
            return _Reply(200, {"value": [self._account_body(sub, rg_body)] if has_account else []})
        st = self._storage
        if not has_account or st is None or g["acct"].lower() != st.account_name.lower():
            raise _error(
                404,
                "ResourceNotFound",
                f"The Resource '{STORAGE_TYPE}/{g['acct']}' under resource group '{g['rg']}' was not found. For "
                "more details please go to https://aka.ms/ARMResourceNotFoundFix",
            )
        account = self._account_body(sub, rg_body)
        if kind == "sa":
            if method != "GET":
                raise _method_not_allowed(method)
            return _Reply(200, account)
        if method != "POST":
            raise _method_not_allowed(method)
        if self.refuse_list_keys:
            raise _error(
                403,
                "AuthorizationFailed",
                f"The client '{CLIENT_ID}' with object id '{PRINCIPAL_ID}' does not have authorization to perform "
                f"action '{STORAGE_TYPE}/listKeys/action' over scope '{account['id']}' or the scope is invalid. If "
                "access was recently granted, please refresh your credentials.",
            )
        return _Reply(
            200,
            {
                "keys": [
                    {"keyName": f"key{i + 1}", "value": k, "permissions": "FULL", "creationTime": st.creation_time}
                    for i, k in enumerate(st.keys)
                ]
            },
        )

    # ---- dispatch -------------------------------------------------------------------------------------------------

    def _dispatch(
        self, method: str, path: str, query: dict[str, str], token: str | None, body: Any, bad_json: bool
    ) -> _Reply:
        self._apply_faults(method, path)
        if path.rstrip("/").lower() == "/metadata/endpoints":
            return self._metadata_reply(method, query)  # ARM serves it to anyone: no token needed
        if token is None:
            raise _error(
                401,
                "AuthenticationFailed",
                "Authentication failed. The 'Authorization' header is missing.",
                {
                    "WWW-Authenticate": 'Bearer authorization_uri="https://login.microsoftonline.com/common", '
                    'error="invalid_token", error_description="The authentication failed '
                    "because of missing 'Authorization' header.\""
                },
            )
        with self._lock:
            storage_token = token in self._storage_token_expiry
        if storage_token:
            raise _error(
                401,
                "InvalidAuthenticationToken",
                "The access token has been obtained for wrong audience or resource "
                f"'{STORAGE_AUDIENCE}'. It should exactly match with one of the allowed audiences "
                "'https://management.core.windows.net/','https://management.azure.com/'.",
                {
                    "WWW-Authenticate": 'Bearer authorization_uri="https://login.microsoftonline.com/common", '
                    'error="invalid_token", error_description="The access token is from the wrong issuer or '
                    'audience."'
                },
            )
        if not self.token_is_valid(token):
            with self._lock:
                known = token in self._token_expiry
            raise _error(
                401,
                "ExpiredAuthenticationToken" if known else "InvalidAuthenticationToken",
                "The access token expiry UTC time is earlier than current UTC time."
                if known
                else "The access token is invalid.",
                {
                    "WWW-Authenticate": 'Bearer authorization_uri="https://login.microsoftonline.com/common", '
                    'error="invalid_token", error_description="The access token is invalid '
                    'or expired."'
                },
            )
        self._check_audience(token)
        if "api-version" not in query:
            raise _error(
                400,
                "MissingApiVersionParameter",
                "The api-version query parameter (?api-version=) is required for all requests.",
            )
        answered = self.subscription.answer(method, path, query, f"{self.url}{path}")
        if answered is not None:
            return _Reply(*answered)
        for kind, rx, versions in _OTHER_ROUTES:
            m = rx.match(path)
            if m is None:
                continue
            if query["api-version"] not in versions:
                raise _error(
                    400,
                    "InvalidApiVersionParameter",
                    f"The api-version '{query['api-version']}' is invalid. The supported versions are "
                    f"'{','.join(versions)}'.",
                )
            with self._lock:
                return self._route_other(kind, method, m.groupdict(), query)
        if query["api-version"] != API_VERSION:
            raise _error(
                400,
                "InvalidApiVersionParameter",
                f"The api-version '{query['api-version']}' is invalid. The supported versions are '{API_VERSION}'.",
            )
        for kind, rx in _ROUTES:
            m = rx.match(path)
            if m is None:
                continue
            g = m.groupdict()
            with self._lock:
                return self._route(kind, method, g, body, bad_json)
        raise _error(404, "NotFound", f"No HTTP resource was found that matches the request URI '{path}'.")

    def _metadata_reply(self, method: str, query: dict[str, str]) -> _Reply:
        if method != "GET":
            raise _method_not_allowed(method)
        if query.get("api-version") not in METADATA_API_VERSIONS:
            raise _error(
                400,
                "InvalidApiVersionParameter",
                f"The api-version '{query.get('api-version', '')}' is invalid. The supported versions are "
                f"'{','.join(METADATA_API_VERSIONS)}'.",
            )
        with self._lock:
            return _Reply(200, self.metadata())

    def _check_audience(self, token: str) -> None:
        """With an audience of its own, ARM takes only tokens issued for it (as ARM does with its audiences)."""
        with self._lock:
            wanted, resource = self.arm_audience, self._token_resource.get(token, "")
        if wanted is None or resource.rstrip("/").lower() == wanted.rstrip("/").lower():
            return
        raise _error(
            401,
            "InvalidAuthenticationToken",
            f"The access token has been obtained for wrong audience or resource '{resource}'. It should exactly "
            f"match with one of the allowed audiences '{wanted}'.",
            {"WWW-Authenticate": 'Bearer error="invalid_token", error_description="The access token is from the '
             'wrong issuer or audience."'},
        )  # fmt: skip

    def _apply_faults(self, method: str, path: str) -> None:
        with self._lock:
            for f in self._faults:
                if f.times is not None and f.times <= 0:
                    continue
                if f.method != "*" and f.method.upper() != method.upper():
                    continue
                if not re.search(f.path_regex, path, re.I):
                    continue
                if f.times is not None:
                    f.times -= 1
                fault = f
                break
            else:
                return
        if fault.delay is not None:
            time.sleep(fault.delay)
            return
        if fault.drop_connection:
            raise _DropConnection()
        code, message = _DEFAULT_FAULT_ERRORS.get(fault.status, ("Error", f"Injected fault {fault.status}."))
        headers = {}
        if fault.retry_after is not None:
            ra = fault.retry_after
            headers["Retry-After"] = str(int(ra)) if float(ra).is_integer() else str(ra)
        raise _error(fault.status, fault.code or code, fault.message or message, headers)

    def _route(self, kind: str, method: str, g: dict[str, str], body: Any, bad_json: bool) -> _Reply:
        if kind == "operation":
            if method != "GET":
                raise _method_not_allowed(method)
            return self._get_operation(g["op"])
        if kind == "list_sub" or kind == "list_rg":
            if method != "GET":
                raise _method_not_allowed(method)
            items = [
                t.render()
                for t in self._templates.values()
                if t.sub.lower() == g["sub"].lower() and (kind == "list_sub" or t.rg.lower() == g["rg"].lower())
            ]
            return _Reply(200, {"value": items})
        sub, rg, name = g["sub"], g["rg"], g["name"]
        key = (sub.lower(), rg.lower(), name.lower())
        tpl = self._templates.get(key)
        if kind == "template":
            if method == "PUT":
                return self._put(sub, rg, name, key, body, bad_json)
            if tpl is None:
                raise _not_found(rg, name)
            if method == "GET":
                return self._get(tpl)
            if method == "DELETE":
                return self._delete(tpl, key)
            raise _method_not_allowed(method)
        if tpl is None:
            raise _not_found(rg, name)
        if kind == "run":
            if method != "POST":
                raise _method_not_allowed(method)
            return self._run(tpl, key)
        if kind == "cancel":
            if method != "POST":
                raise _method_not_allowed(method)
            return self._cancel(tpl)
        if method != "GET":
            raise _method_not_allowed(method)
        if kind == "run_outputs":
            return _Reply(200, {"value": copy.deepcopy(tpl.run_outputs)})
        for ro in tpl.run_outputs:
            if ro["name"].lower() == g["ro"].lower():
                return _Reply(200, copy.deepcopy(ro))
        raise _error(
            404,
            "ResourceNotFound",
            f"The Resource '{RUN_OUTPUT_TYPE}/{name}/{g['ro']}' under resource group '{rg}' was not found.",
        )

    # ---- operations on templates ------------------------------------------------------------------------------------

    def _op_url(self, sub: str, location: str, op_id: str) -> str:
        return (
            f"{self.url}/subscriptions/{sub}/providers/{RP}/locations/{location}/operations/{op_id}"
            f"?api-version={API_VERSION}"
        )

    def _new_op(self, kind: str, key: tuple[str, str, str]) -> _Op:
        op = _Op(str(uuid.uuid4()), kind, key, _now_iso())
        self._ops[op.op_id.lower()] = op
        return op

    @staticmethod
    def _staging_rg(sub: str, rg: str, name: str) -> str:
        middle = f"{rg}_{name}"[:40]
        return f"/subscriptions/{sub}/resourceGroups/IT_{middle}_{uuid.uuid4()}"

    def _normalise(self, sub: str, rg: str, name: str, body: dict[str, Any]) -> dict[str, Any]:
        """The body as the service echoes it: read-only fields dropped, server defaults filled in."""
        out: dict[str, Any] = {
            "id": f"/subscriptions/{sub}/resourceGroups/{rg}/providers/{TEMPLATE_TYPE}/{name}",
            "name": name,
            "type": TEMPLATE_TYPE,
            "location": body.get("location", "westus"),
        }
        if "tags" in body:
            out["tags"] = copy.deepcopy(body["tags"])
        identity = copy.deepcopy(body.get("identity") or {"type": "None"})
        uais = identity.get("userAssignedIdentities")
        if isinstance(uais, dict):
            for uai_id in list(uais):
                seed = uuid.uuid5(uuid.NAMESPACE_URL, uai_id.lower())
                uais[uai_id] = {"principalId": str(seed), "clientId": str(uuid.uuid5(seed, "client"))}
        out["identity"] = identity
        props = copy.deepcopy(body.get("properties") or {})
        for ro in ("provisioningState", "provisioningError", "lastRunStatus", "exactStagingResourceGroup"):
            props.pop(ro, None)
        props.setdefault("buildTimeoutInMinutes", 0)
        vm = props.setdefault("vmProfile", {})
        if isinstance(vm, dict):
            vm.setdefault("vmSize", "")
            vm.setdefault("osDiskSizeGB", 0)
        props.setdefault("stagingResourceGroup", "")
        for d in props.get("distribute") or []:
            if isinstance(d, dict):
                d.setdefault("artifactTags", {})
        src = props.get("source")
        if isinstance(src, dict) and src.get("type") in ("PlatformImage", "SharedImageVersion"):
            src.setdefault("exactVersion", "")
        props["provisioningState"] = "Creating"
        props["exactStagingResourceGroup"] = ""
        out["properties"] = props
        return out

    @staticmethod
    def _validate(body: Any) -> str | None:
        if not isinstance(body, dict):
            return "Validation failed: the request body must be a JSON object."
        loc = body.get("location")
        if not isinstance(loc, str) or not loc.strip():
            return "Validation failed: 'ImageTemplate.location' is required."
        identity = body.get("identity")
        if not isinstance(identity, dict) or not identity.get("type"):
            return "Validation failed: 'ImageTemplate.identity' is required."
        props = body.get("properties")
        if not isinstance(props, dict):
            return "Validation failed: 'ImageTemplate.properties' is required."
        src = props.get("source")
        if not isinstance(src, dict) or not isinstance(src.get("type"), str) or not src["type"]:
            return "Validation failed: 'ImageTemplate.properties.source': Field 'type' is required."
        if src["type"].lower() not in _SOURCE_TYPES:
            return (
                f"Validation failed: 'ImageTemplate.properties.source': Field 'type' has a bad value: "
                f"'{src['type']}'. Please review http://aka.ms/azvmimagebuildertmplref for details on fields "
                f"requirements in the Image Builder Template."
            )
        dist = props.get("distribute")
        if not isinstance(dist, list) or not dist:
            return "Validation failed: 'ImageTemplate.properties.distribute' must contain at least one distributor."
        for i, d in enumerate(dist):
            if not isinstance(d, dict) or str(d.get("type", "")).lower() not in _DISTRIBUTE_TYPES:
                return (
                    f"Validation failed: 'ImageTemplate.properties.distribute[{i}]': Field 'type' has a bad "
                    f"value: '{d.get('type') if isinstance(d, dict) else d}'."
                )
            ron = d.get("runOutputName")
            if not isinstance(ron, str) or not _NAME_RE.match(ron):
                return (
                    f"Validation failed: 'ImageTemplate.properties.distribute[{i}]': Field 'runOutputName' is "
                    f"required and must match ^[A-Za-z0-9-_.]{{1,64}}$."
                )
        return None

    def _put(self, sub: str, rg: str, name: str, key: tuple[str, str, str], body: Any, bad_json: bool) -> _Reply:
        if not _NAME_RE.match(name):
            raise _error(400, "InvalidResourceName", f"The resource name '{name}' is invalid.")
        problem = "Validation failed: the request body is not valid JSON." if bad_json else self._validate(body)
        if problem:
            raise _error(400, "ValidationFailed", problem)
        if key in self._templates:
            raise _error(409, "Conflict", "Update/Upgrade of image templates is currently not supported")
        tpl = _Template(sub, rg, name, self._normalise(sub, rg, name, body))
        tpl.submission_failure, self._pending_submission_failure = self._pending_submission_failure, None
        op = self._new_op("create", key)
        tpl.create_op = op.op_id
        self._templates[key] = tpl
        return _Reply(201, tpl.render(), {"Azure-AsyncOperation": self._op_url(sub, tpl.location, op.op_id)})

    def _observe_provisioning(self, tpl: _Template) -> None:
        """A GET of the template or of its create operation: Creating -> (one observation) -> Succeeded/Failed."""
        if tpl.props.get("provisioningState") != "Creating":
            return
        tpl.provisioning_steps += 1
        if tpl.provisioning_steps < 2:
            return
        op = self._ops.get((tpl.create_op or "").lower())
        if tpl.submission_failure is not None:
            code, message = tpl.submission_failure
            tpl.props["provisioningState"] = "Failed"
            tpl.props["provisioningError"] = {"provisioningErrorCode": code, "message": message}
            if op is not None:
                op_code = "InternalOperationError" if code in ("ServerError", "Other") else "ValidationFailed"
                op.finish("Failed", {"code": op_code, "message": message})
        else:
            tpl.props["provisioningState"] = "Succeeded"
            tpl.props["exactStagingResourceGroup"] = self._staging_rg(tpl.sub, tpl.rg, tpl.name)
            if op is not None:
                op.finish("Succeeded")

    def _observe_run(self, tpl: _Template) -> bool:
        run = tpl.run
        if run is None or run.done:
            return False
        internal = run.advance()
        if run.done:
            self._run_finished(tpl, run)
        self._write_log_chunks(run)
        return internal

    def _prepare_run_log(self, tpl: _Template, run: _Run) -> None:
        """Pick the run folder and, with storage attached and the default failure message, the two messages."""
        script = run.script
        run.log_run_id = script.log_run_id or str(uuid.uuid4())
        run.staging_group = str(tpl.props.get("exactStagingResourceGroup") or "")
        self.log_run_ids.append(run.log_run_id)
        if run.staging_group:
            self._log_run_staging[run.log_run_id] = run.staging_group
        if self._storage is None or script.final_message != DEFAULT_FAILURE_MESSAGE:
            return
        op_id = str(uuid.uuid4())
        url = URL_FAILURE_MESSAGE.format(location=self.log_location(run.log_run_id, "url"), operation_id=op_id)
        path = url
        if run.staging_group:
            location = self.log_location(run.log_run_id, "path", staging_group=run.staging_group)
            path = PATH_FAILURE_MESSAGE.format(location=location, operation_id=op_id)
        run.final_message = path if script.log_form == "path" else url
        run.op_error_message = url if script.log_form == "url" else path

    def _write_log_chunks(self, run: _Run) -> None:
        """Append the script's log chunks due by now to the attached Azurite (chunk k once step k shows)."""
        chunks = run.script.log_chunks
        if not chunks:
            return
        due = len(chunks) if run.done else min(len(chunks), max(run.pos, 1))
        if run.chunks_written >= due:
            return
        append = getattr(self._storage.target, "append_log", None) if self._storage else None
        if append is None:
            raise RuntimeError("RunScript.log_chunks needs arm.attach_storage(<Azurite>) first")
        while run.chunks_written < due:
            chunk = chunks[run.chunks_written]
            if chunk is not None:  # None: no log yet at this step (the blob is not created)
                append(run.log_run_id, chunk)
            run.chunks_written += 1

    def _run_finished(self, tpl: _Template, run: _Run) -> None:
        op = self._ops.get(run.op_id.lower())
        if run.outcome in ("Succeeded", "PartiallySucceeded"):
            tpl.run_outputs = self._make_run_outputs(tpl, run.script)
            if op is not None:
                op.finish("Succeeded")
        elif run.outcome == "Canceled":
            if op is not None:
                op.finish("Canceled")
        elif op is not None:
            op_message = run.script.operation_error_message or run.op_error_message or run.message
            op.finish("Failed", {"code": run.script.error_code, "message": op_message})

    def _make_run_outputs(self, tpl: _Template, script: RunScript) -> list[dict[str, Any]]:
        specs = script.run_outputs
        if specs is None:
            specs = [
                {k: v.format(sub=tpl.sub, rg=tpl.rg, name=tpl.name) for k, v in s.items()} for s in _EXAMPLE_RUN_OUTPUTS
            ]
        out = []
        for s in specs:
            props: dict[str, Any] = {}
            if s.get("artifactId"):
                props["artifactId"] = s["artifactId"]
            if s.get("artifactUri"):
                props["artifactUri"] = s["artifactUri"]
            props["provisioningState"] = "Succeeded"
            out.append(
                {
                    "id": f"/subscriptions/{tpl.sub}/resourcegroups/{tpl.rg}/providers/{TEMPLATE_TYPE}/{tpl.name}"
                    f"/runOutputs/{s['name']}",
                    "name": s["name"],
                    "type": RUN_OUTPUT_TYPE,
                    "properties": props,
                }
            )
        return out

    def _get(self, tpl: _Template) -> _Reply:
        self._observe_provisioning(tpl)
        if self._observe_run(tpl):
            raise _error(500, "InternalServerError", INTERNAL_ERROR_MESSAGE)
        return _Reply(200, tpl.render())

    def _state_words(self, tpl: _Template) -> tuple[str, str]:
        prov = str(tpl.props.get("provisioningState", ""))
        prov_word = "provisioned" if prov == "Succeeded" else prov.lower()
        run_word = "none"
        if tpl.run is not None:
            run_word = (
                ("canceling" if tpl.run.cancel_stage == 2 else "running") if tpl.run.busy else tpl.run.outcome.lower()
            )
        return prov_word, run_word

    def _not_allowed(self, tpl: _Template, action: str) -> _Reply:
        prov_word, run_word = self._state_words(tpl)
        return _error(
            409,
            "OperationNotAllowed",
            f"Operation '{TEMPLATE_TYPE}/{action}' is not allowed in provisioningState: '{prov_word}', "
            f"runState: '{run_word}'",
        )

    def _run(self, tpl: _Template, key: tuple[str, str, str]) -> _Reply:
        if tpl.props.get("provisioningState") != "Succeeded" or tpl.deleting or (tpl.run is not None and tpl.run.busy):
            raise self._not_allowed(tpl, "run/action")
        op = self._new_op("run", key)
        script = copy.deepcopy(self._script)
        tpl.run = _Run(script, op_id=op.op_id, start_time=_now_iso())
        self._prepare_run_log(tpl, tpl.run)
        tpl.run_outputs = []
        self._write_log_chunks(tpl.run)
        if tpl.run.timed:
            self._start_clock()
        url = self._op_url(tpl.sub, tpl.location, op.op_id)
        return _Reply(202, None, {"Azure-AsyncOperation": url, "Location": url})

    def _start_clock(self) -> None:
        """Timed runs move on (and write their log) with the wall clock, observed or not."""
        if self._clock is not None:
            return

        def tick() -> None:
            while not self._stopping.wait(0.02):
                with self._lock:
                    for tpl in self._templates.values():
                        run = tpl.run  # a cancel still moves on observations, as for any run
                        if run is not None and run.timed and not run.done and not run.cancel_stage:
                            self._observe_run(tpl)

        self._clock = threading.Thread(target=tick, daemon=True, name="fakearm-clock")
        self._clock.start()

    def _cancel(self, tpl: _Template) -> _Reply:
        run = tpl.run
        if run is None or not run.busy or run.cancel_stage:
            raise self._not_allowed(tpl, "cancel/action")
        run.cancel_stage = 1
        return _Reply(204)

    def _delete(self, tpl: _Template, key: tuple[str, str, str]) -> _Reply:
        if tpl.deleting:
            raise self._not_allowed(tpl, "delete")
        if tpl.props.get("provisioningState") == "Creating" or (tpl.run is not None and tpl.run.busy):
            raise self._not_allowed(tpl, "delete")
        tpl.deleting = True
        tpl.props["provisioningState"] = "Deleting"
        op = self._new_op("delete", key)
        return _Reply(202, None, {"Location": self._op_url(tpl.sub, tpl.location, op.op_id)})

    def _get_operation(self, op_id: str) -> _Reply:
        op = self._ops.get(op_id.lower())
        if op is None:
            raise _error(404, "ResourceNotFound", f"The operation '{op_id}' was not found.")
        tpl = self._templates.get(op.key)
        op.polls += 1
        if op.kind == "create":
            if tpl is not None and tpl.create_op == op.op_id:
                self._observe_provisioning(tpl)
            elif op.end_time is None:
                op.finish("Failed", {"code": "ResourceNotFound", "message": "The image template no longer exists."})
        elif op.kind == "run":
            if tpl is not None and tpl.run is not None and tpl.run.op_id == op.op_id:
                self._observe_run(tpl)
            elif op.end_time is None:
                op.finish("Failed", {"code": "ResourceNotFound", "message": "The image template no longer exists."})
        elif op.kind == "delete" and op.end_time is None:
            if op.polls < 2:
                url = self._op_url(op.key[0], tpl.location if tpl else "westus", op.op_id)
                return _Reply(202, op.body(), {"Location": url})
            if tpl is not None and tpl.deleting:
                del self._templates[op.key]
            op.finish("Succeeded")
        return _Reply(200, op.body())


def _not_found(rg: str, name: str) -> _Reply:
    return _error(
        404,
        "ResourceNotFound",
        f"The Resource '{TEMPLATE_TYPE}/{name}' under resource group '{rg}' was not "
        "found. For more details please go to https://aka.ms/ARMResourceNotFoundFix",
    )


def _method_not_allowed(method: str) -> _Reply:
    return _error(405, "MethodNotAllowed", f"The requested resource does not support http method '{method}'.")


@contextlib.contextmanager
def fake_arm() -> Iterator[FakeArm]:
    """``with fake_arm() as arm:`` is the same as ``with FakeArm() as arm:``."""
    with FakeArm() as arm:
        yield arm
