"""Azurite (the Azure Storage emulator, npm ``azurite``) as a context manager for tests.

``Azurite`` starts ``node_modules/.bin/azurite-blob`` (installed by ``npm ci`` at the repository root) on
127.0.0.1 with a free port and in-memory storage, either over plain http (shared-key auth only) or over HTTPS with
``--oauth basic`` (shared key and bearer tokens; Azurite checks a JWT's issuer, audience and lifetime but not its
signature, and ``FakeArm``'s token endpoint issues such JWTs for storage). The helpers upload logs with the real
``azure-storage-blob`` SDK and the account key. See ``tests/fakes/README.md``.
"""

from __future__ import annotations

import base64
import collections
import contextlib
import os
import re
import secrets
import shutil
import signal
import string
import subprocess
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import trustme
from azure.core import MatchConditions
from azure.core.exceptions import ResourceExistsError, ResourceNotFoundError
from azure.storage.blob import BlobServiceClient, BlobType

__all__ = [
    "DEV_ACCOUNT_KEY",
    "DEV_ACCOUNT_NAME",
    "LOG_CONTAINER",
    "Azurite",
    "AzuriteError",
    "AzuriteNotInstalled",
    "azurite_binary",
    "service_like_account_name",
]

ROOT = Path(__file__).resolve().parents[2]
DEV_ACCOUNT_NAME = "devstoreaccount1"
# The emulator's public, well-known key (documented by Microsoft; not a secret).
DEV_ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
LOG_CONTAINER = "packerlogs"
START_TIMEOUT = 20.0
_LISTENS_RE = re.compile(r"Azurite Blob service successfully listens on (https?)://[^\s:]+:(\d+)")


class AzuriteError(RuntimeError):
    """Azurite did not start (its output is in the message)."""


class AzuriteNotInstalled(AzuriteError):
    """``node_modules/.bin/azurite-blob`` is missing: run ``npm ci`` at the repository root."""


def azurite_binary() -> Path:
    """Where ``npm ci`` puts the ``azurite-blob`` launcher (``$AZURITE_BLOB_BIN`` overrides it)."""
    override = os.environ.get("AZURITE_BLOB_BIN")
    return Path(override) if override else ROOT / "node_modules" / ".bin" / "azurite-blob"


def service_like_account_name() -> str:
    """A random 24-character lower-case alphanumeric name, like the storage account Image Builder creates in the
    staging resource group (e.g. ``xkzlyccln2x4qrzk8r60s8oc``)."""
    alphabet = string.ascii_lowercase + string.digits
    return secrets.choice(string.ascii_lowercase) + "".join(secrets.choice(alphabet) for _ in range(23))


class Azurite:
    """``with Azurite() as az:`` (http, ``devstoreaccount1``) or ``with Azurite(https=True) as az:`` (HTTPS with
    ``--oauth basic``).

    ``account_name``: ``None`` keeps the emulator's ``devstoreaccount1`` and its well-known key; any other name
    makes Azurite serve only that account (``AZURITE_ACCOUNTS``), with ``account_key`` or a random key.
    ``ca``: the trustme CA that signs the HTTPS certificate (share ``FakeArm``'s to need one CA bundle); a new one
    by default. Attributes once started: ``blob_url``, ``account_name``, ``account_key`` (``account_key2`` for a
    custom account), ``ca_path`` (``""`` over http), ``port``, ``https``, ``connection_string``.
    """

    def __init__(
        self,
        https: bool = False,
        *,
        account_name: str | None = None,
        account_key: str | None = None,
        ca: trustme.CA | None = None,
        binary: Path | str | None = None,
        start_timeout: float = START_TIMEOUT,
        hostnames: tuple[str, ...] = (),
    ) -> None:
        self.https = https
        self.hostnames = hostnames  # more names for the HTTPS certificate ("*.blob.core.sovereign.test")
        self.account_name = account_name or DEV_ACCOUNT_NAME
        if account_key is None:
            account_key = (
                DEV_ACCOUNT_KEY
                if self.account_name == DEV_ACCOUNT_NAME
                else base64.b64encode(secrets.token_bytes(64)).decode()
            )
        self.account_key = account_key
        # A second key, like a real account's, for a custom account (listKeys returns both); None for devstoreaccount1.
        self.account_key2: str | None = (
            None if self.account_name == DEV_ACCOUNT_NAME else base64.b64encode(secrets.token_bytes(64)).decode()
        )
        self.ca: trustme.CA | None = ca if ca is not None else (trustme.CA() if https else None)
        self.binary = Path(binary) if binary is not None else azurite_binary()
        self.start_timeout = start_timeout
        self.port = 0
        self.blob_url = ""
        self.ca_path = ""
        self._proc: subprocess.Popen[str] | None = None
        self._tmpdir: str | None = None
        self._output: collections.deque[str] = collections.deque(maxlen=200)
        self._reader: threading.Thread | None = None
        self._service: BlobServiceClient | None = None
        self._last_write_second = 0

    # ---- lifecycle ------------------------------------------------------------------------------------------------

    def start(self) -> Azurite:
        if not self.binary.exists():
            raise AzuriteNotInstalled(
                f"{self.binary} is missing: run `npm ci` in {ROOT} (package.json pins azurite; Node >= 20 needed)"
            )
        self._tmpdir = tempfile.mkdtemp(prefix="azurite-")
        args = [
            str(self.binary),
            "--blobHost",
            "127.0.0.1",
            "--blobPort",
            "0",
            "--inMemoryPersistence",
            "--skipApiVersionCheck",
            "--loose",
            "--disableTelemetry",
            "--silent",
        ]
        if self.https:
            assert self.ca is not None
            cert = self.ca.issue_cert("127.0.0.1", "localhost", *self.hostnames)
            tmp = Path(self._tmpdir)
            cert.private_key_pem.write_to_path(str(tmp / "key.pem"))
            cert.cert_chain_pems[0].write_to_path(str(tmp / "cert.pem"))
            self.ca.cert_pem.write_to_path(str(tmp / "ca.pem"))
            self.ca_path = str(tmp / "ca.pem")
            args += ["--cert", str(tmp / "cert.pem"), "--key", str(tmp / "key.pem"), "--oauth", "basic"]
        env = dict(os.environ)
        env.pop("AZURITE_ACCOUNTS", None)
        if self.account_name != DEV_ACCOUNT_NAME or self.account_key != DEV_ACCOUNT_KEY:
            keys = [self.account_key] + ([self.account_key2] if self.account_key2 else [])
            env["AZURITE_ACCOUNTS"] = f"{self.account_name}:" + ":".join(keys)
        try:
            self._proc = subprocess.Popen(
                args,
                cwd=self._tmpdir,  # nothing should be written with --inMemoryPersistence; if it is, it goes here
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                bufsize=1,
                start_new_session=True,  # own process group: stop() signals the group, by its id
            )
        except OSError as exc:
            self._cleanup_dir()
            raise AzuriteError(f"cannot run {self.binary}: {exc} (is node on PATH? then `npm ci` in {ROOT})") from exc
        found = threading.Event()
        match: list[re.Match[str]] = []

        def read(stream: Any) -> None:
            for line in stream:
                self._output.append(line.rstrip("\n"))
                if not match:
                    m = _LISTENS_RE.search(line)
                    if m:
                        match.append(m)
                        found.set()
            found.set()  # EOF: the process is gone

        self._reader = threading.Thread(target=read, args=(self._proc.stdout,), daemon=True, name="azurite-out")
        self._reader.start()
        found.wait(self.start_timeout)
        if not match:
            output = "\n".join(self._output)
            self.stop()
            raise AzuriteError(f"azurite-blob did not report its port within {self.start_timeout:g} s:\n{output}")
        scheme, port = match[0].group(1), int(match[0].group(2))
        self.port = port
        self.blob_url = f"{scheme}://127.0.0.1:{port}/{self.account_name}"
        return self

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is not None and proc.poll() is None:
            for sig, wait in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, sig)  # the group we created at start (pgid == pid)
                try:
                    proc.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        if proc is not None and proc.stdout is not None:
            with contextlib.suppress(OSError):
                proc.stdout.close()
        if self._reader is not None:
            self._reader.join(timeout=2)
            self._reader = None
        if self._service is not None:
            self._service.close()
            self._service = None
        self._cleanup_dir()

    def _cleanup_dir(self) -> None:
        if self._tmpdir is not None:
            shutil.rmtree(self._tmpdir, ignore_errors=True)
            self._tmpdir = None

    def __enter__(self) -> Azurite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def output(self) -> list[str]:
        """What Azurite printed (the last 200 lines; ``--silent`` keeps it to start/stop messages)."""
        return list(self._output)

    # ---- clients --------------------------------------------------------------------------------------------------

    @property
    def connection_string(self) -> str:
        scheme = "https" if self.https else "http"
        return (
            f"DefaultEndpointsProtocol={scheme};AccountName={self.account_name};AccountKey={self.account_key};"
            f"BlobEndpoint={self.blob_url};"
        )

    @property
    def key_credential(self) -> dict[str, str]:
        return {"account_name": self.account_name, "account_key": self.account_key}

    def client_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for azure-storage-blob clients: the CA bundle over HTTPS, nothing over http."""
        return {"connection_verify": self.ca_path} if self.https else {}

    def service_client(self, credential: Any = None, **kwargs: Any) -> BlobServiceClient:
        """A ``BlobServiceClient`` for ``blob_url``; with the account key unless ``credential`` is given."""
        return BlobServiceClient(
            self.blob_url, credential=credential or self.key_credential, **{**self.client_kwargs(), **kwargs}
        )

    @property
    def _svc(self) -> BlobServiceClient:
        if self._service is None:
            self._service = self.service_client()
        return self._service

    # ---- data helpers (all with the account key) -----------------------------------------------------------------

    def create_container(self, name: str = LOG_CONTAINER) -> None:
        with contextlib.suppress(ResourceExistsError):
            self._svc.create_container(name)

    def clear(self) -> None:
        """Delete every blob of every container (containers stay), so a shared instance starts a test empty."""
        for c in self._svc.list_containers():
            cc = self._svc.get_container_client(c.name)
            for b in cc.list_blobs():
                with contextlib.suppress(ResourceNotFoundError):
                    cc.delete_blob(b.name)
        self._last_write_second = 0  # nothing left to be newer than

    def blob_path(self, run_id: str, name: str = "customization.log") -> str:
        return f"{run_id}/{name}"

    def log_url(self, run_id: str, name: str = "customization.log", container: str = LOG_CONTAINER) -> str:
        return f"{self.blob_url}/{container}/{run_id}/{name}"

    def _before_write(self, distinct_mtime: bool) -> None:
        # Last-Modified and Creation-Time have whole-second resolution (RFC 1123), so two writes in the same second
        # tie. Waiting for the next second keeps "newest by last_modified" equal to the order of the calls.
        if distinct_mtime:
            while int(time.time()) <= self._last_write_second:
                time.sleep(0.02)

    def _after_write(self) -> None:
        self._last_write_second = int(time.time())

    def put_log(
        self,
        run_id: str,
        data: str | bytes,
        name: str = "customization.log",
        *,
        container: str = LOG_CONTAINER,
        append_blob: bool = False,
        distinct_mtime: bool = True,
    ) -> str:
        """Upload ``<container>/<run_id>/<name>`` (replacing it) and return its URL. ``append_blob`` makes it an
        append blob; otherwise a block blob. With ``distinct_mtime`` (default) the blob's Last-Modified is strictly
        later than that of every earlier write through these helpers (may wait up to 1 s)."""
        payload = data.encode() if isinstance(data, str) else bytes(data)
        self.create_container(container)
        blob = self._svc.get_blob_client(container, self.blob_path(run_id, name))
        self._before_write(distinct_mtime)
        if append_blob:
            blob.create_append_blob()
            if payload:
                blob.append_block(payload)
        else:
            blob.upload_blob(payload, overwrite=True)
        self._after_write()
        return self.log_url(run_id, name, container)

    def append_log(
        self,
        run_id: str,
        data: str | bytes,
        name: str = "customization.log",
        *,
        container: str = LOG_CONTAINER,
        distinct_mtime: bool = False,
    ) -> int:
        """Make the blob grow by ``data`` and return its new size. An append blob gets an Append Block; a block blob
        is re-uploaded with the old bytes plus ``data``; a missing blob is created as an append blob. Ranged reads
        from the old size then return exactly ``data``."""
        payload = data.encode() if isinstance(data, str) else bytes(data)
        self.create_container(container)
        blob = self._svc.get_blob_client(container, self.blob_path(run_id, name))
        self._before_write(distinct_mtime)
        try:
            props = blob.get_blob_properties()
        except ResourceNotFoundError:
            blob.create_append_blob()
            props = None
        if props is not None and props.blob_type != BlobType.APPENDBLOB:
            old = blob.download_blob().readall()
            blob.upload_blob(
                old + payload, overwrite=True, etag=props.etag, match_condition=MatchConditions.IfNotModified
            )
        elif payload:
            blob.append_block(payload)
        self._after_write()
        return int(blob.get_blob_properties().size)

    def read_log(self, run_id: str, name: str = "customization.log", *, container: str = LOG_CONTAINER) -> bytes:
        return self._svc.get_blob_client(container, self.blob_path(run_id, name)).download_blob().readall()

    def list_logs(self, container: str = LOG_CONTAINER) -> list[tuple[str, Any]]:
        """``[(blob name, last_modified)]`` of a container, oldest first (ties keep the service's order)."""
        cc = self._svc.get_container_client(container)
        return sorted(((b.name, b.last_modified) for b in cc.list_blobs()), key=lambda t: t[1])
