"""Real sockets for the end-to-end tests: a port that accepts and never answers, a port nobody listens on, and a
pipeline runner's cancel (SIGINT, SIGTERM 7.5 s later, a kill 2.5 s after that)."""

import contextlib
import signal
import socket
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass

GRACE = 7.5  # seconds between the runner's SIGINT and its SIGTERM
KILL_AFTER = 2.5  # and between SIGTERM and the kill


@dataclass
class Silent:
    port: int
    connected: threading.Event  # set when the first connection arrives

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"


@contextlib.contextmanager
def silent_server() -> Iterator[Silent]:
    """A listening socket that accepts every connection and never sends a byte."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    listener.settimeout(0.1)
    held: list[socket.socket] = []
    stop, connected = threading.Event(), threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            held.append(connection)
            connected.set()

    thread = threading.Thread(target=accept, daemon=True, name="silent-server")
    thread.start()
    try:
        yield Silent(listener.getsockname()[1], connected)
    finally:
        stop.set()
        thread.join(timeout=2)
        for connection in [*held, listener]:
            with contextlib.suppress(OSError):
                connection.close()


def closed_port() -> int:
    """A port on 127.0.0.1 that nobody listens on: a connection is refused at once."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def runner_cancel(process: subprocess.Popen[str], number: int = signal.SIGINT) -> str:
    """Cancel the step as the GitHub runner and the Azure Pipelines agent do; the rest of the output."""
    process.send_signal(number)
    try:
        rest, _ = process.communicate(timeout=GRACE)
        return rest
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGTERM)
    try:
        rest, _ = process.communicate(timeout=KILL_AFTER)
    except subprocess.TimeoutExpired:
        process.kill()
        rest, _ = process.communicate()
    return rest


def read_until(process: subprocess.Popen[str], text: str) -> str:
    """What the process printed up to and including the first line that holds `text`."""
    assert process.stdout is not None
    seen = ""
    for line in process.stdout:
        seen += line
        if text in line:
            return seen
    raise AssertionError(f"{text!r} never came:\n{seen}")
