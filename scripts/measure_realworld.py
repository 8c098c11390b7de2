"""Measure diagnosis accuracy on the frozen real-world set (tests/realworld).

Runs aibcheck.diagnose.diagnose_path on every case of a set and prints category accuracy, phase
accuracy, both right, and how many answers had the category wrong with confidence high.

    python scripts/measure_realworld.py [--set dev|unseen|all] [--verbose] [--aibcheck-src DIR]

--verbose lists each dev case (expected and found). For the unseen set it lists only the ids of the misses:
their texts and labels are never printed, so that they stay unseen by whoever changes the catalogue.
--aibcheck-src measures another checkout of aibcheck (an older commit, for a before-and-after figure) on
the cases of this one. --hints-only reads every case with the hints alone (an empty catalogue of signatures):
how the broad wordings read a text that no signature covers.
"""

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from realworld import SETS, UNSEEN_SETS, Case, load_set


def _source_from_argv() -> None:
    """Put --aibcheck-src first on the path before aibcheck is imported."""
    if "--aibcheck-src" in sys.argv[:-1]:
        sys.path.insert(0, str(Path(sys.argv[sys.argv.index("--aibcheck-src") + 1]).resolve()))


_source_from_argv()

import aibcheck  # noqa: E402
from aibcheck.diagnose import diagnose_path  # noqa: E402
from aibcheck.diagnose.matcher import LineMatcher  # noqa: E402
from aibcheck.errors import InputError  # noqa: E402
from aibcheck.taxonomy import Confidence  # noqa: E402


@dataclass(frozen=True)
class Outcome:
    case: Case
    category: str
    phase: str
    confidence: str
    signature: str | None = None  # the id behind the verdict: None for "no known failure"

    @property
    def category_ok(self) -> bool:
        return self.category == self.case.category

    @property
    def phase_ok(self) -> bool:
        return self.phase == self.case.phase

    @property
    def high_confidence_wrong(self) -> bool:
        return not self.category_ok and self.confidence == Confidence.HIGH.value


def diagnose_case(case: Case, matcher: LineMatcher | None = None) -> Outcome:
    try:
        diagnosis = diagnose_path(str(case.input), matcher)
    except InputError as exc:
        return Outcome(case, f"unreadable ({exc})", "unknown", "low")
    values = (diagnosis.category.value, diagnosis.phase.value, diagnosis.confidence.value, diagnosis.signature)
    return Outcome(case, *values)


def percent(part: int, whole: int) -> str:
    return f"{100.0 * part / whole:5.1f} %" if whole else "  n/a"


def print_totals(name: str, outcomes: list[Outcome]) -> None:
    total = len(outcomes)
    category = sum(o.category_ok for o in outcomes)
    phase = sum(o.phase_ok for o in outcomes)
    both = sum(o.category_ok and o.phase_ok for o in outcomes)
    high_wrong = sum(o.high_confidence_wrong for o in outcomes)
    print(f"set {name}: {total} cases")
    print(f"  category accuracy       {percent(category, total)}  ({category}/{total})")
    print(f"  phase accuracy          {percent(phase, total)}  ({phase}/{total})")
    print(f"  both right              {percent(both, total)}  ({both}/{total})")
    print(f"  high-confidence wrong   {high_wrong}")
    wrong = [o for o in outcomes if not o.category_ok]
    unknown = sum(o.signature is None for o in wrong)
    hinted = sum(o.signature is not None and o.signature.startswith("hint-") for o in wrong)
    print(f"  category misses         {len(wrong)}: {unknown} no known failure, {hinted} a hint, "
          f"{len(wrong) - unknown - hinted} a signature")


def print_cases(outcomes: list[Outcome]) -> None:
    for o in outcomes:
        if o.case.set != "dev":
            continue
        mark = "ok  " if o.category_ok and o.phase_ok else "MISS"
        expected = f"{o.case.category}/{o.case.phase}"
        found = f"{o.category}/{o.phase} ({o.confidence})"
        print(f"  {mark} {o.case.id:55s} expected {expected:45s} found {found}")
    for unseen in UNSEEN_SETS:
        misses = [o.case.id for o in outcomes if o.case.set == unseen and not (o.category_ok and o.phase_ok)]
        if misses:
            print(f"  {unseen} misses (ids only): " + ", ".join(misses))


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=(*SETS, "all"), default="dev", help="which cases to measure (default dev)")
    parser.add_argument("--verbose", action="store_true", help="per-case lines for dev, miss ids for the unseen set")
    parser.add_argument("--aibcheck-src", metavar="DIR", help="measure the aibcheck package of another checkout")
    parser.add_argument("--hints-only", action="store_true", help="read the cases with the hints alone, no signature")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    names = list(SETS) if args.set == "all" else [args.set]
    try:
        cases = [case for name in names for case in load_set(name)]
    except ValueError as exc:
        print(f"measure_realworld: {exc}", file=sys.stderr)
        return 2
    matcher = LineMatcher(()) if args.hints_only else None
    outcomes = [diagnose_case(case, matcher) for case in cases]
    print(f"aibcheck from {Path(aibcheck.__file__).resolve().parent}")
    for name in names:
        print_totals(name, [o for o in outcomes if o.case.set == name])
    if args.set == "all":
        print_totals("all", outcomes)
    if args.verbose:
        print_cases(outcomes)
    return 0


if __name__ == "__main__":
    sys.exit(main())
