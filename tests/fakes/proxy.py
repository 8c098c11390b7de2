"""An HTTPS proxy (HTTP CONNECT) on 127.0.0.1 that sends the hosts under chosen DNS suffixes to local servers.

A client given `HTTPS_PROXY=http://127.0.0.1:PORT` asks the proxy for `CONNECT <host>:443` and never resolves the
host itself; the proxy opens a tunnel to the local server mapped to the host's suffix (Azurite, for
`<account>.blob.core.<cloud suffix>`) and refuses every other host with 403. TLS runs end to end through the
tunnel, so the server's certificate must name the host. This is how a storage account under a national cloud's
suffix is reached in the tests without touching this machine's DNS, and how nothing leaves the machine: the
proxy never connects anywhere but loopback. Standard library only.
"""

from __future__ import annotations

import contextlib
import select
import socket
import socketserver
import threading
from dataclasses import dataclass, field
from types import TracebackType


@dataclass
class _Routes:
    targets: dict[str, tuple[str, int]]  # ".blob.core.sovereign.test" -> ("127.0.0.1", 10000)
    connects: list[str] = field(default_factory=list)  # every CONNECT target asked for, in order
    refused: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def target(self, host: str) -> tuple[str, int] | None:
        for suffix, target in self.targets.items():
            if host.lower().endswith(suffix.lower()):
                return target
        return None


class _Handler(socketserver.StreamRequestHandler):
    server: _Server

    def handle(self) -> None:
        line = self.rfile.readline(4096).decode("latin-1").strip()
        while self.rfile.readline(4096).strip():  # the request's headers
            pass
        method, _, rest = line.partition(" ")
        authority = rest.split(" ", 1)[0]
        host = authority.rsplit(":", 1)[0]
        routes = self.server.routes
        with routes.lock:
            routes.connects.append(authority)
        target = routes.target(host) if method.upper() == "CONNECT" else None
        if target is None:
            with routes.lock:
                routes.refused.append(authority)
            self.wfile.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            return
        with socket.create_connection(target, timeout=10) as upstream:
            self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
            self.wfile.flush()
            _pipe(self.connection, upstream)


def _pipe(client: socket.socket, upstream: socket.socket) -> None:
    """Copy bytes both ways until either side closes."""
    sockets = [client, upstream]
    while True:
        readable, _, broken = select.select(sockets, [], sockets, 30)
        if broken or not readable:
            return
        for source in readable:
            try:
                data = source.recv(65536)
            except OSError:
                return
            if not data:
                return
            (upstream if source is client else client).sendall(data)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, routes: _Routes) -> None:
        self.routes = routes
        super().__init__(("127.0.0.1", 0), _Handler)


class SuffixProxy:
    """`with SuffixProxy({".blob.core.sovereign.test": ("127.0.0.1", azurite.port)}) as proxy:` then give the
    client `HTTPS_PROXY=proxy.url` (and `NO_PROXY=127.0.0.1,localhost` for the servers it reaches directly).
    `proxy.connects` lists every `host:port` asked for, `proxy.refused` those it refused."""

    def __init__(self, targets: dict[str, tuple[str, int]]) -> None:
        self._routes = _Routes(dict(targets))
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self.url = ""

    @property
    def connects(self) -> list[str]:
        with self._routes.lock:
            return list(self._routes.connects)

    @property
    def refused(self) -> list[str]:
        with self._routes.lock:
            return list(self._routes.refused)

    def __enter__(self) -> SuffixProxy:
        self._server = _Server(self._routes)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None, tb: TracebackType | None) -> None:
        if self._server is not None:
            self._server.shutdown()
            with contextlib.suppress(OSError):
                self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
