"""Benchmark offline `aibcheck preflight` on the example templates against loading them, in the same run.

For each template (the bundled examples and the API's own examples), in this one invocation: the baseline,
`aibcheck.template.load.load_template` (parse and resolve, what `aibcheck run` does before submitting), and
a full offline `run_preflight`; both in process, best of several repeats of a batch. Then the whole
`python -m aibcheck preflight --offline` process against `python -m aibcheck --version` (interpreter start and
imports), best of a few runs. Prints milliseconds and ratios.

    python scripts/bench_preflight.py [--batch 50] [--repeat 5] [--processes 5]
"""

import argparse
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from aibcheck.preflight import run_preflight
from aibcheck.template.load import load_template

ROOT = Path(__file__).resolve().parents[1]

TEMPLATES = [
    ("examples/templates/ubuntu-web.json", None),
    ("examples/templates/win2022-deployment.json", "examples/templates/win2022-deployment.parameters.json"),
    ("tests/preflight/api-examples/CreateImageTemplateLinux.json", None),
    ("tests/preflight/api-examples/CreateImageTemplateWindows.json", None),
]


def best_ms(action: Callable[[], object], batch: int, repeat: int) -> float:
    """The best mean time of one call, in milliseconds, over `repeat` batches of `batch` calls."""
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        for _ in range(batch):
            action()
        best = min(best, (time.perf_counter() - started) / batch)
    return best * 1000


def process_ms(args: list[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "aibcheck", *args], cwd=ROOT, capture_output=True, check=False)
        best = min(best, time.perf_counter() - started)
    return best * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=int, default=50, help="calls per timed batch")
    parser.add_argument("--repeat", type=int, default=5, help="batches (or processes) timed; the best is kept")
    parser.add_argument("--processes", type=int, default=5, help="process runs timed; the best is kept")
    args = parser.parse_args()
    print(f"{'template':<62} {'load ms':>8} {'preflight ms':>13} {'ratio':>6}  findings")
    for template, parameters in TEMPLATES:
        path, params = str(ROOT / template), str(ROOT / parameters) if parameters else None
        result = run_preflight(path, params)
        load = best_ms(lambda p=path, q=params: load_template(p, q), args.batch, args.repeat)  # type: ignore[misc]
        check = best_ms(lambda p=path, q=params: run_preflight(p, q), args.batch, args.repeat)  # type: ignore[misc]
        print(f"{template:<62} {load:>8.2f} {check:>13.2f} {check / load:>6.1f}  {result.summary()}")
    version = process_ms(["--version"], args.processes)
    whole = process_ms(["preflight", "--offline", TEMPLATES[0][0]], args.processes)
    print(f"\nprocess: `aibcheck --version` {version:.0f} ms, `aibcheck preflight --offline` {whole:.0f} ms")
    print(f"ratio {whole / version:.2f}; preflight adds {whole - version:.0f} ms to starting aibcheck")
    return 0


if __name__ == "__main__":
    sys.exit(main())
