"""Benchmark fetching and diagnosing large build logs from Azurite through the product's own `LogStore`.

Needs Azurite: run `npm ci` once at the repository root, then:

    .venv/bin/python scripts/bench_logs.py [--sizes 10,1024] [--repeat 3] [--keep DIR]

Starts Azurite (HTTPS, `--oauth basic`, a service-like account) and the fake ARM (`tests/fakes/`) on one test CA,
attaches the storage to the fake and puts the managed-identity variables and `REQUESTS_CA_BUNDLE` in this
process's environment, as the e2e tests do. For each size it writes a synthetic customization.log to disk in pieces
(`synthlog.write_build`, the failure in the last customizer, after a chatty windows-update customizer), uploads it
from the file stream (never whole in memory), and seeds a failed template whose `lastRunStatus` message names that
run. Then, in this one process, with the product's own path (`make_credential` from the environment, which is a
`DefaultAzureCredential` answered by the fake's managed identity; `ImageBuilder.get`, `status_of`, `from_message`,
`LogStore.locate`):

* time to verdict: `early_verdict(store, location)` (a ranged read of the log's tail), whose category must be
  customizer-failed;
* full download and diagnosis: `save_and_diagnose(store.chunks(location), path)`, against the baseline
  `BlobClient.download_blob().readinto(file)` of the same blob with the same credential, run alternately;
  throughputs in MiB/s and their ratio (target: at least 80 % of the baseline);
* the ratio of the largest size's time to verdict to the smallest's (target: within 1.5x);
* a breakdown of the full pass: fetch only (`store.chunks(location)` written to a file, as `aibcheck logs -o`
  does) and scan only (`diagnose_chunks` over the saved file, read in 4 MiB blocks: no network).

The storage token is fetched once before timing (a warm-up `size()` call), so no timing includes it. Best of
`--repeat` runs. Exit status 1 when a verdict is wrong or a saved file's size differs from the blob's; missed targets
are only printed. `--keep DIR` keeps (and reuses) the generated logs there; otherwise everything is written to a
temporary folder that is removed at the end.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT))

import trustme  # noqa: E402
from azure.storage.blob import BlobClient  # noqa: E402
from synthlog import write_build  # noqa: E402

from aibcheck.cloud.credential import make_credential  # noqa: E402
from aibcheck.cloud.imagebuilder import ImageBuilder  # noqa: E402
from aibcheck.cloud.logstore import LogStore  # noqa: E402
from aibcheck.cloud.network import Network  # noqa: E402
from aibcheck.diagnose import Diagnosis  # noqa: E402
from aibcheck.driver.watch import status_of  # noqa: E402
from aibcheck.logs.command import early_verdict, staging_group_of  # noqa: E402
from aibcheck.logs.fetch import diagnose_chunks, save_and_diagnose  # noqa: E402
from aibcheck.logs.location import CONTAINER, LogLocation, from_message  # noqa: E402
from aibcheck.taxonomy import Category  # noqa: E402
from tests.e2e.environment import cloud_of  # noqa: E402
from tests.fakes.arm import FakeArm, RunScript  # noqa: E402
from tests.fakes.azurite import Azurite, service_like_account_name  # noqa: E402

SUB, GROUP = "00000000-0000-0000-0000-00000000abcd", "rg-images"
MIB = 1024 * 1024
CUSTOMIZER = "powershell"
# Variables that would make DefaultAzureCredential wander away from the fake's managed identity.
CLEAR_ENV = (
    "AZURE_CLIENT_ID",
    "AZURE_TENANT_ID",
    "AZURE_CLIENT_SECRET",
    "AZURE_CLIENT_CERTIFICATE_PATH",
    "AZURE_USERNAME",
    "AZURE_PASSWORD",
    "AZURE_FEDERATED_TOKEN_FILE",
    "AZURE_TOKEN_CREDENTIALS",
    "AZURE_STORAGE_CONNECTION_STRING",
    "AZURESUBSCRIPTION_CLIENT_ID",
    "IDENTITY_SERVER_THUMBPRINT",
    "IMDS_ENDPOINT",
    "MSI_ENDPOINT",
    "MSI_SECRET",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
)


@dataclass
class Figures:
    size_mb: int
    blob_bytes: int
    verdict_s: float
    ours_s: float
    baseline_s: float
    fetch_s: float
    scan_s: float
    early: Diagnosis
    full: Diagnosis
    saved_ok: bool

    def mib_s(self, seconds: float) -> float:
        return self.blob_bytes / MIB / seconds

    @property
    def ratio(self) -> float:
        return self.baseline_s / self.ours_s  # our throughput as a fraction of the baseline's

    @property
    def ok(self) -> bool:
        early_ok = self.early.category == Category.CUSTOMIZER_FAILED
        full_ok = self.full.category == Category.CUSTOMIZER_FAILED and self.full.failed_customizer == CUSTOMIZER
        return early_ok and full_ok and self.saved_ok


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = action()
    return time.perf_counter() - started, result


def generate(path: Path, size_mb: int) -> bool:
    """The synthetic log, written to disk as it is generated (write_build writes it in pieces); False if kept."""
    if path.exists():
        return False
    partial = path.with_suffix(".partial")
    with open(partial, "w", encoding="utf-8", buffering=4 * MIB) as out:
        write_build(out, "customize", size_mb * MIB)
    partial.rename(path)
    return True


def upload(azurite: Azurite, run: str, path: Path) -> int:
    """Upload from the file stream (the SDK sends it in blocks), with the account key, as the service would write."""
    azurite.create_container(CONTAINER)
    size = path.stat().st_size
    blob = azurite.service_client().get_blob_client(CONTAINER, azurite.blob_path(run))
    with open(path, "rb") as data:
        blob.upload_blob(data, length=size, overwrite=True)
    return size


def locate(arm: FakeArm, credential: Any, store: LogStore, name: str) -> LogLocation:
    """The product's own way to the log: the template's lastRunStatus message and its staging group."""
    template = ImageBuilder(credential, SUB, cloud_of(arm), Network()).get(GROUP, name)
    status = status_of(template)
    return store.locate(from_message(status.message if status else ""), staging_group_of(template))


def baseline(credential: Any, location: LogLocation, path: Path) -> int:
    """A plain download of the same blob with the same credential, into a file."""
    endpoint = (location.blob_endpoint or "").rstrip("/")
    with BlobClient(endpoint, CONTAINER, location.blob or "", credential=credential) as blob, open(path, "wb") as out:
        return int(blob.download_blob().readinto(out))


def fetch_only(store: LogStore, location: LogLocation, path: Path) -> int:
    """The log saved without diagnosing it, as `aibcheck logs -o` does."""
    written = 0
    with open(path, "wb") as out:
        for chunk in store.chunks(location):
            written += out.write(chunk)
    return written


def scan_only(path: Path) -> Diagnosis:
    """The same diagnosis of the saved file, with no network: what the scanner costs on its own."""
    with open(path, "rb") as data:
        return diagnose_chunks(iter(lambda: data.read(4 * MIB), b""), str(path))


def measure(arm: FakeArm, azurite: Azurite, credential: Any, folder: Path, size_mb: int, repeat: int) -> Figures:
    log = folder / f"customization-{size_mb}MB.log"
    seconds, generated = timed(lambda: generate(log, size_mb))
    run, name = str(uuid.uuid4()), f"bench-{size_mb}mb"
    upload_s, blob_bytes = timed(lambda: upload(azurite, run, log))
    made = f"generated in {seconds:.1f} s" if generated else f"reused {log}"
    print(f"  {size_mb} MB: {made}, uploaded in {upload_s:.1f} s ({blob_bytes} bytes)")
    arm.set_run_script(RunScript.failure(log_run_id=run))
    arm.put_template(SUB, GROUP, name, {"location": "westeurope", "properties": {}}, run_state="Failed")
    store = LogStore(credential, SUB, cloud_of(arm), Network())
    location = locate(arm, credential, store, name)
    assert location.run == run, f"located {location.url}, not run {run}"
    if store.size(location) != blob_bytes:  # also the warm-up: the storage token is fetched here
        raise SystemExit(f"the blob at {location.url} is not the {blob_bytes} bytes uploaded")
    saved, plain = folder / "saved.log", folder / "baseline.log"
    verdicts, ours, plains, fetches, scans = [], [], [], [], []
    full: Diagnosis | None = None
    saved_ok = True
    try:
        for _ in range(repeat):
            verdicts.append(timed(lambda: early_verdict(store, location)))
        for _ in range(repeat):  # alternate, so neither side gets a systematically warmer machine
            plain_s, received = timed(lambda: baseline(credential, location, plain))
            plains.append(plain_s)
            plain.unlink()
            ours_s, full = timed(lambda: save_and_diagnose(store.chunks(location), saved.open("wb"), str(saved)))
            ours.append(ours_s)
            saved_ok = saved_ok and received == blob_bytes and saved.stat().st_size == blob_bytes
            scan_s, scanned = timed(lambda: scan_only(saved))
            scans.append(scan_s)
            saved.unlink()
            fetch_s, fetched = timed(lambda: fetch_only(store, location, plain))
            fetches.append(fetch_s)
            plain.unlink()
            saved_ok = saved_ok and fetched == blob_bytes and scanned.category == full.category
    finally:
        for leftover in (saved, plain):
            leftover.unlink(missing_ok=True)
        azurite.service_client().get_blob_client(CONTAINER, azurite.blob_path(run)).delete_blob()
    assert full is not None
    best_verdict = min(verdicts, key=lambda v: v[0])
    return Figures(
        size_mb,
        blob_bytes,
        best_verdict[0],
        min(ours),
        min(plains),
        min(fetches),
        min(scans),
        best_verdict[1],
        full,
        saved_ok,
    )


def environment(arm: FakeArm) -> None:
    """What the e2e tests give the product: the fake's managed identity and the test CA for both servers."""
    for name in CLEAR_ENV:
        os.environ.pop(name, None)
    os.environ.update(arm.identity_env)
    os.environ["REQUESTS_CA_BUNDLE"] = arm.ca_path
    os.environ["NO_PROXY"] = "127.0.0.1,localhost"


def report(rows: list[Figures]) -> None:
    print(
        f"{'size':>7} {'verdict':>8} {'ours':>8} {'ours':>8} {'baseline':>8} {'baseline':>8} {'ratio':>6}"
        f" {'fetch':>7} {'scan':>7}  early verdict / full verdict"
    )
    print(f"{'':>7} {'s':>8} {'s':>8} {'MiB/s':>8} {'s':>8} {'MiB/s':>8} {'':>6} {'s':>7} {'s':>7}")
    for row in rows:
        early = f"{row.early.category}/{row.early.failed_customizer}"
        full = f"{row.full.category}/{row.full.failed_customizer}"
        print(
            f"{row.size_mb:>5}MB {row.verdict_s:>8.3f} {row.ours_s:>8.2f} {row.mib_s(row.ours_s):>8.1f}"
            f" {row.baseline_s:>8.2f} {row.mib_s(row.baseline_s):>8.1f} {row.ratio:>6.2f}"
            f" {row.fetch_s:>7.2f} {row.scan_s:>7.2f}  {early} / {full}"
            f"{'' if row.saved_ok else ', SAVED SIZE DIFFERS'}{'' if row.ok else '  WRONG'}"
        )
    for row in rows:
        met = "met" if row.ratio >= 0.8 else "MISSED"
        print(f"{row.size_mb} MB full download: {row.ratio:.0%} of the baseline's throughput (target >= 80 %: {met})")
    if len(rows) > 1:
        small, large = min(rows, key=lambda r: r.size_mb), max(rows, key=lambda r: r.size_mb)
        growth = large.verdict_s / small.verdict_s
        met = "met" if growth <= 1.5 else "MISSED"
        print(
            f"time to verdict, {large.size_mb} MB / {small.size_mb} MB: {growth:.2f}x "
            f"({large.verdict_s * 1000:.0f} ms / {small.verdict_s * 1000:.0f} ms; target <= 1.5x: {met})"
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--sizes", default="10,1024", help="log sizes in MB (MiB), comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement; the best time is kept")
    parser.add_argument("--keep", help="folder to keep (and reuse) the generated logs in (default: a temporary one)")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    folder = Path(args.keep or tempfile.mkdtemp(prefix="aibcheck-bench-logs-"))
    folder.mkdir(parents=True, exist_ok=True)
    rows: list[Figures] = []
    try:
        with ExitStack() as stack:
            ca = trustme.CA()
            azurite = stack.enter_context(Azurite(https=True, account_name=service_like_account_name(), ca=ca))
            arm = stack.enter_context(FakeArm(ca=ca))
            arm.attach_storage(azurite)
            environment(arm)
            credential = make_credential(os.environ, Network(), cloud_of(arm))
            print(f"Azurite {azurite.blob_url}, fake ARM {arm.url}; logs in {folder}")
            for size in sizes:
                rows.append(measure(arm, azurite, credential, folder, size, max(1, args.repeat)))
            if not arm.issued_storage_tokens:
                raise SystemExit("no storage token was issued: the log was not read with the credential")
    finally:
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    report(rows)
    return 0 if all(row.ok for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
