"""A 1 GiB customization.log in Azurite, fetched and diagnosed by the real `aibcheck` processes in bounded memory.

The path is `aibcheck logs ... -o FILE` then `aibcheck diagnose FILE --format json`, not the failure path of
`aibcheck run` with `RunScript.failure(log_chunks=...)`: the fake takes `log_chunks` as `str`/`bytes` held in the
test process and writes each chunk with one Append Block (at most 100 MiB in Azurite), so a 1 GiB log would have to
sit in the test's memory. Here the log is generated to disk in pieces (`synthlog.write_build`, the failure in the last
customizer) and uploaded from the file stream with the account key; the failed template's `lastRunStatus` message
names that run, so `aibcheck logs` finds it the product's way (the message, the staging group's account in ARM, a
storage token from the fake's managed identity).

The bound is on memory, not time: each child's peak RSS comes from `os.wait4` in a small wrapper process (a child's
peak can include what its parent held when forking, and pytest holds a lot), and must stay under 100 MB (10**8
bytes). Nothing is timed here; `scripts/bench_logs.py` measures speed.
"""

import contextlib
import json
import os
import subprocess
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

from azure.core.exceptions import ResourceNotFoundError
from synthlog import write_build

from tests.e2e.test_logs import logs_args
from tests.e2e.test_run import GROUP, ROOT, SUB
from tests.fakes.arm import FakeArm, RunScript
from tests.fakes.azurite import LOG_CONTAINER, Azurite

pytest_plugins = ["tests.fakes.fixtures"]

MIB = 1024 * 1024
LOG_SIZE = 1024 * MIB
RSS_LIMIT_MB = 100  # MB of 10**6 bytes, the stricter reading
EDGE = MIB  # the first and last MiB of the saved file are compared with the source's


@dataclass
class Finished:
    returncode: int
    stdout: bytes
    stderr: bytes
    peak_rss_mb: float


def aibcheck_measured(arm: FakeArm, folder: Path, *args: str) -> Finished:
    """Run `python -m aibcheck ARGS` and return what it printed and its peak RSS (from wait4)."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AZURE_", "GITHUB_", "TF_BUILD", "AIBCHECK_"))}
    environment = {
        **clean,
        **arm.identity_env,
        "REQUESTS_CA_BUNDLE": arm.ca_path,
        "PATH": os.path.dirname(sys.executable),
    }
    out_path, err_path, rss_path = folder / "stdout.txt", folder / "stderr.txt", folder / "rss.txt"
    # A small Python process starts aibcheck and reads its peak RSS with wait4: a child's peak can include what
    # its parent held when forking, and this test process holds far more than the wrapper.
    wrapper = (
        "import os, subprocess, sys\n"
        "child = subprocess.Popen(sys.argv[2:])\n"
        "_, status, usage = os.wait4(child.pid, 0)\n"
        "open(sys.argv[1], 'w').write(str(usage.ru_maxrss))\n"
        "sys.exit(os.waitstatus_to_exitcode(status))\n"
    )
    with open(out_path, "wb") as out, open(err_path, "wb") as err:
        process = subprocess.Popen(
            [sys.executable, "-c", wrapper, str(rss_path), sys.executable, "-m", "aibcheck", *args],
            stdout=out,
            stderr=err,
            env=environment,
            cwd=ROOT,
        )
        try:
            process.wait(timeout=300)  # a hung child fails the test instead of hanging it
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    finished = Finished(
        process.returncode, out_path.read_bytes(), err_path.read_bytes(), int(rss_path.read_text()) * 1024 / 1e6
    )  # ru_maxrss is in KiB on Linux
    rss_path.unlink()
    out_path.unlink()
    err_path.unlink()
    return finished


def _edges(path: Path) -> tuple[bytes, bytes]:
    with open(path, "rb") as data:
        head = data.read(EDGE)
        data.seek(-EDGE, os.SEEK_END)
        return head, data.read()


def test_a_1gib_log_is_fetched_and_diagnosed_in_bounded_memory(
    arm_storage: FakeArm, azurite: Azurite, tmp_path: Path
) -> None:
    source, saved = tmp_path / "source.log", tmp_path / "customization.log"
    run = str(uuid.uuid4())
    azurite.create_container(LOG_CONTAINER)
    blob = azurite.service_client().get_blob_client(LOG_CONTAINER, azurite.blob_path(run))
    try:
        with open(source, "w", encoding="utf-8", buffering=4 * MIB) as out:  # written as generated, in pieces
            write_build(out, "customize", LOG_SIZE)
        with open(source, "rb") as data:  # from the file stream, in blocks
            blob.upload_blob(data, length=source.stat().st_size, overwrite=True)
        blob_size = blob.get_blob_properties().size
        assert blob_size == source.stat().st_size >= LOG_SIZE
        arm_storage.set_run_script(RunScript.failure(log_run_id=run))
        arm_storage.put_template(SUB, GROUP, "large", {"location": "westeurope", "properties": {}}, run_state="Failed")

        fetched = aibcheck_measured(arm_storage, tmp_path, *logs_args(arm_storage, "large", "-o", str(saved)))
        assert fetched.returncode == 0, fetched.stderr.decode()
        assert f"{run}/customization.log".encode() in fetched.stderr, "the run named in the message was fetched"
        assert saved.stat().st_size == blob_size
        assert _edges(saved) == _edges(source)
        assert arm_storage.issued_storage_tokens, "the log was read with a storage token"
        source.unlink()

        diagnosed = aibcheck_measured(arm_storage, tmp_path, "diagnose", str(saved), "--format", "json")
        assert diagnosed.returncode == 0, diagnosed.stderr.decode()
        verdict = json.loads(diagnosed.stdout)
        assert verdict["category"] == "customizer-failed"
        assert verdict["failed_customizer"] == "powershell"

        print(f"peak RSS: aibcheck logs {fetched.peak_rss_mb:.1f} MB, aibcheck diagnose {diagnosed.peak_rss_mb:.1f} MB")
        assert fetched.peak_rss_mb < RSS_LIMIT_MB, f"aibcheck logs peaked at {fetched.peak_rss_mb:.1f} MB"
        assert diagnosed.peak_rss_mb < RSS_LIMIT_MB, f"aibcheck diagnose peaked at {diagnosed.peak_rss_mb:.1f} MB"
    finally:
        source.unlink(missing_ok=True)
        saved.unlink(missing_ok=True)
        with contextlib.suppress(ResourceNotFoundError):
            blob.delete_blob()  # Azurite keeps blobs in memory, and its server lives for the whole session
