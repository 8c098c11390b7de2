#!/usr/bin/env python3
"""ARM requests per build hour: `aibcheck run` with the live log on, against the fake ARM and Azurite.

A simulated build of one hour (queued 3 min, building 9 min, customizing 36 min with a growing log that appears
when customization starts, distributing 12 min) runs in compressed time: every duration is divided by
20 / --poll-seconds, and aibcheck's schedule scales from --poll-seconds, so the default 20 s schedule is what is
measured. It prints the ARM requests the fake received (its own request log), per simulated build hour, next to
the count aibcheck printed, and which requests they were.

    .venv-test/bin/python scripts/bench_requests.py                     # this checkout
    .venv-test/bin/python scripts/bench_requests.py --aibcheck-src DIR  # another checkout of aibcheck, same fakes
"""

import argparse
import io
import os
import re
import subprocess
import sys
import time
from collections import Counter
from contextlib import ExitStack
from pathlib import Path

import trustme

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from synthlog import write_build  # noqa: E402

from tests.fakes.arm import FakeArm, Recorded, RunScript  # noqa: E402
from tests.fakes.azurite import Azurite, service_like_account_name  # noqa: E402

DEFAULT_POLL = 20.0
SUB, GROUP = "00000000-0000-0000-0000-00000000abcd", "rg-images"
TEMPLATE = ROOT / "examples" / "templates" / "ubuntu-web.json"
# (minutes, runSubState, whether the log grows at this step); one hour in all
HOUR = [(3, "Queued", False), (9, "Building", False)] + [(6, "Customizing", True)] * 6 + [(12, "Distributing", True)]


def build_log() -> list[bytes]:
    buffer = io.StringIO()
    write_build(buffer, "none", 256 * 1024)
    data = buffer.getvalue().encode()
    growing = sum(1 for *_, grows in HOUR if grows)
    step = len(data) // growing
    return [data[i * step : (i + 1) * step if i < growing - 1 else len(data)] for i in range(growing)]


def script(scale: float) -> RunScript:
    pieces = iter(build_log())
    chunks: list[str | bytes | None] = [next(pieces) if grows else None for *_, grows in HOUR]
    steps = [(minutes * 60 / scale, "Running", sub, "") for minutes, sub, _ in HOUR]
    return RunScript.timed(steps, "Succeeded", log_chunks=chunks)


def kind(request: Recorded) -> str:
    path = request.path.lower()
    for marker, name in (
        ("/operations/", "operation poll"),
        ("/runoutputs", "run outputs"),
        ("/storageaccounts", "storage account lookup"),
        ("/resourcegroups?", "resource group lookup"),
        ("/run", "run"),
    ):
        if marker in path:
            return name
    return {"GET": "template read", "PUT": "submission", "DELETE": "deletion"}.get(request.method, request.method)


def run_aibcheck(arm: FakeArm, azurite: Azurite, poll: float, source: Path) -> tuple[str, float]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AZURE_", "GITHUB_", "TF_BUILD", "AIBCHECK_"))}
    env.update(arm.identity_env)
    env.update({"REQUESTS_CA_BUNDLE": arm.ca_path, "NO_PROXY": "127.0.0.1,localhost", "PYTHONPATH": str(source)})
    # The build hour alone: preflight's reads happen once per run, before submission (about 10 GETs, measured apart
    # by bench_preflight.py), and the fake holds no providers, SKUs or galleries for them.
    env["AIBCHECK_PREFLIGHT"] = "off"
    command = [
        sys.executable, "-m", "aibcheck", "run", "--subscription", SUB, "--resource-group", GROUP,
        "--arm-endpoint", arm.url, "--poll-seconds", f"{poll:g}", "--template", str(TEMPLATE), "--name", "hour",
        "--live-log", "--heartbeat-minutes", "60",
    ]  # fmt: skip
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=source, timeout=3600)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        raise SystemExit(f"aibcheck run failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout, seconds


def printed(out: str) -> str:
    new = re.search(r"aibcheck sent (\d+) ARM requests and (\d+) storage requests", out)
    if new:
        return f"{new[1]} ARM, {new[2]} storage"
    old = re.search(r"aibcheck made (\d+) ARM requests", out)
    return f"{old[1]} (\"ARM requests\", as that version counts them)" if old else "nothing"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--poll-seconds", type=float, default=0.2, help="compressed base interval (default 0.2)")
    parser.add_argument("--aibcheck-src", type=Path, default=ROOT, help="the checkout whose aibcheck runs")
    args = parser.parse_args()
    scale = DEFAULT_POLL / args.poll_seconds
    with ExitStack() as stack:
        ca = trustme.CA()
        azurite = stack.enter_context(Azurite(https=True, account_name=service_like_account_name(), ca=ca))
        arm = stack.enter_context(FakeArm(ca=ca))
        arm.attach_storage(azurite)
        arm.set_run_script(script(scale))
        out, seconds = run_aibcheck(arm, azurite, args.poll_seconds, args.aibcheck_src.resolve())
        received = list(arm.requests)
    simulated_hours = seconds * scale / 3600
    print(f"aibcheck from {args.aibcheck_src}; base {args.poll_seconds:g} s (time compressed {scale:g}x)")
    print(f"simulated: {simulated_hours * 60:.0f} min, of which the build itself is 60 min")
    print(f"ARM requests received by the fake: {len(received)} ({len(received) / simulated_hours:.0f} per hour)")
    print(f"printed by aibcheck: {printed(out)}")
    for name, count in Counter(kind(r) for r in received).most_common():
        print(f"  {count:4d}  {name}")


if __name__ == "__main__":
    main()
