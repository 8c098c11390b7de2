"""Benchmark redaction on long lines against plain passes over the same text, to show it stays linear.

For each input shape and size it times, in this one process, aibcheck.redact.redact() and two baselines over
the same text: str.replace of one word, and an RE2 scan with one simple rule (password=value). It
prints seconds per MB and the ratio to each baseline: a ratio that stays flat as the size grows is linear
time (a quadratic rule would make it grow with the size).

    python scripts/bench_redact.py [--scale 1,4,16] [--repeat 3]
"""

import argparse
import json
import random
import string
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import re2

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthlog import OPERATION, write_build

from aibcheck.redact import redact

_SECRET_LINES = (
    "azure-arm: Invoke-WebRequest -Uri https://st01.blob.core.windows.net/s/a.ps1?sv=2022-11-02&sp=r&sig=Zm9v%2Bb3I%3D",
    'azure-arm: {"adminPassword": {"value": "Tr0ub4dor&3x"}, "clientSecret": "abc8Q~' + "x" * 34 + '"}',
    "azure-arm: ConvertTo-SecureString 'Hunter2-Plain!' -AsPlainText -Force | Out-Null",
)


def random_line(size: int, seed: int) -> str:
    """One line of random printable text: no structure for any rule to latch onto, many near-misses."""
    rng = random.Random(seed)
    return "".join(rng.choices(string.ascii_letters + string.digits + string.punctuation + " ", k=size))


def _blob(rng: random.Random, size: int) -> str:
    """A long run of word characters (hex-encoded data, an identifier): where backtracking rules went quadratic."""
    return "".join(rng.choices(string.ascii_letters + string.digits, k=size))


def long_log_lines(size: int, seed: int) -> str:
    """Packer output lines of 2 to 40 KB (dumped data, long command lines), with a secret now and then."""
    rng = random.Random(seed)
    words = ("Downloading", "update", "KB5034441", "percent", "complete", "C:\\Windows\\Temp", "--quiet", "=", ";")
    lines: list[str] = []
    total = 0
    while total < size:
        body = " ".join(rng.choice(words) for _ in range(rng.randint(300, 3000)))
        line = (
            f"{OPERATION} PACKER OUT     {rng.choice(_SECRET_LINES)} {body} data={_blob(rng, rng.randint(1000, 20000))}"
        )
        lines.append(line)
        total += len(line) + 1
    return "\n".join(lines)[:size]


def json_value(size: int, seed: int) -> str:
    """One JSON string value (a statusMessage holding an escaped document with a long encoded value)."""
    rng = random.Random(seed)
    inner = json.dumps({"error": {"code": "x", "message": "output: " + _blob(rng, size - 80)}})
    return json.dumps({"statusMessage": inner})


def many_short_lines(size: int, seed: int) -> str:
    import io

    buffer = io.StringIO()
    write_build(buffer, "customize", size_bytes=size, seed=seed)
    return buffer.getvalue()[:size]


SHAPES: dict[str, tuple[Callable[[int, int], str], int]] = {
    "random text, one line": (random_line, 1_000_000),
    "long log lines": (long_log_lines, 150_000),
    "one JSON value": (json_value, 32_000),
    "short log lines": (many_short_lines, 1_000_000),
}


def best(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", default="1,4,16", help="multiples of each shape's base size, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each pass; the best time is kept")
    args = parser.parse_args()
    one_rule = re2.compile(r"(?i)password=(\S+)")
    print(f"{'input':<24} {'size':>9} {'redact s/MB':>12} {'x str.replace':>14} {'x one RE2 rule':>15}")
    for name, (make, base) in SHAPES.items():
        for scale in (int(s) for s in args.scale.split(",")):
            text = make(base * scale, scale)
            megabytes = len(text.encode()) / 1e6
            ours = best(args.repeat, partial(redact, text))
            replace = best(args.repeat, partial(text.replace, "password", "***"))
            scan = best(args.repeat, partial(lambda t: sum(1 for _ in one_rule.finditer(t)), text))
            print(
                f"{name:<24} {megabytes:>7.3f}MB {ours / megabytes:>12.4f} {ours / replace:>14.0f} {ours / scan:>15.1f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
