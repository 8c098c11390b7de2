"""Benchmark `aibcheck diagnose` on large synthetic logs against `grep -c -F` with the catalogue's keywords.

Generates customization logs of 10, 100 and 500 MB (the failure in the last customizer) for each kind of
healthy chatter that fills them (scripts/synthlog.py: a PowerShell script's output, the Windows Update
customizer's progress lines, cloud-init and apt output), then for each log runs, in this one invocation,
`grep -c -F -f KEYWORDS` (the baseline), `grep -c -i -F -f KEYWORDS`
and `aibcheck diagnose --format json`, and prints wall-time ratios against the baseline and each
command's peak RSS (from wait4). Also checks that each verdict is the planted failure, and ends with a
worst case for memory: a log in which every line is a candidate.

    python scripts/bench_diagnose.py [--sizes 10,100,500] [--flavours windows,windows-update,linux]
                                     [--repeat 3] [--keep DIR]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthlog import FLAVOURS, write_build

from aibcheck.diagnose.matcher import default_matcher


def run(command: list[str], stdout_path: str) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MiB, exit status of one command."""
    with open(stdout_path, "wb") as out:
        started = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024, process.returncode


def best_of(repeat: int, command: list[str], stdout_path: str) -> tuple[float, float, int]:
    runs = [run(command, stdout_path) for _ in range(repeat)]
    return min(r[0] for r in runs), max(r[1] for r in runs), runs[-1][2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,500", help="log sizes in MB, comma-separated")
    parser.add_argument("--flavours", default=",".join(FLAVOURS), help="kinds of healthy chatter, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="runs per command; the best time is kept")
    parser.add_argument("--keep", help="folder to keep the generated logs in (default: a temporary one)")
    parser.add_argument("--worst-case-mb", type=int, default=100, help="size of the every-line-matches log; 0 skips")
    args = parser.parse_args()
    folder = Path(args.keep or tempfile.mkdtemp(prefix="aibcheck-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    keywords = folder / "keywords.txt"
    keywords.write_text("\n".join(default_matcher().keywords) + "\n", encoding="utf-8")
    print(f"{len(default_matcher().keywords)} keywords; logs in {folder}")
    print(
        f"{'chatter':<15} {'size':>7} {'grep -F':>9} {'grep -iF':>9} {'aibcheck':>9} {'ratio':>6} {'ratio -i':>8}"
        f" {'RSS MiB':>8}  verdict"
    )
    failures = 0
    for flavour in args.flavours.split(","):
        for size in (int(s) for s in args.sizes.split(",")):
            failures += not measure(folder, flavour, size, args.repeat, keywords)
    if args.worst_case_mb:
        failures += not worst_case(folder, args.worst_case_mb, keywords)
    return 1 if failures else 0


def measure(folder: Path, flavour: str, size: int, repeat: int, keywords: Path) -> bool:
    """One log: grep -F, grep -iF and aibcheck on it, one table row; whether the verdict was the planted one."""
    log = folder / f"customization-{flavour}-{size}MB.log"
    if not log.exists():
        with open(log, "w", encoding="utf-8") as out:
            write_build(out, "customize", size * 1024 * 1024, flavour=flavour)
    sink = str(folder / "out.txt")
    grep, _, _ = best_of(repeat, ["grep", "-c", "-F", "-f", str(keywords), str(log)], sink)
    grep_i, _, _ = best_of(repeat, ["grep", "-c", "-i", "-F", "-f", str(keywords), str(log)], sink)
    command = [sys.executable, "-m", "aibcheck", "diagnose", "--format", "json", str(log)]
    ours, rss, status = best_of(repeat, command, sink)
    verdict = json.loads(Path(sink).read_text(encoding="utf-8")) if status == 0 else {}
    ok = verdict.get("category") == "customizer-failed" and verdict.get("failed_customizer") == "powershell"
    times = f"{grep:>8.2f}s {grep_i:>8.2f}s {ours:>8.2f}s {ours / grep:>6.2f} {ours / grep_i:>8.2f}"
    found = f"{verdict.get('category')}/{verdict.get('failed_customizer')}{'' if ok else ' WRONG'}"
    print(f"{flavour:<15} {size:>5}MB {times} {rss:>8.1f}  {found}")
    return ok


def worst_case(folder: Path, size_mb: int, keywords: Path) -> bool:
    """Every line a candidate: slow, but memory must stay bounded."""
    log = folder / f"every-line-matches-{size_mb}MB.log"
    line = (
        b"[op] PACKER OUT ==> azure-arm: Code=QuotaExceeded Error deleting resource Script exited with non-zero "
        b"exit status: 1 (telemetry) Starting provisioner shell " + b"x" * 200 + b"\n"
    )
    if not log.exists():  # written in pieces: a child's peak RSS can include memory its parent held when forking
        with log.open("wb") as out:
            for _ in range(size_mb * 1024 * 1024 // len(line) // 1000):
                out.write(line * 1000)
    sink = str(folder / "out.txt")
    grep, _, _ = run(["grep", "-c", "-F", "-f", str(keywords), str(log)], sink)
    ours, rss, status = run([sys.executable, "-m", "aibcheck", "diagnose", "--format", "json", str(log)], sink)
    print(
        f"worst case, every line matches, {size_mb}MB: grep -F {grep:.2f}s, aibcheck {ours:.2f}s "
        f"(ratio {ours / grep:.1f}), peak RSS {rss:.1f} MiB, exit {status}"
    )
    return status == 0


if __name__ == "__main__":
    raise SystemExit(main())
