"""How close each real-world case is to a text the catalogue was built from: a corpus input or a signature example.

Prints one line per case: its id, the highest similarity ratio (difflib) against any corpus input or
catalogue example after normalising ids, numbers and whitespace, and whether one text contains the other.
Only ids and scores are printed, never texts, so it can run on the unseen set.

    python scripts/realworld_overlap.py [--set dev|unseen] [--threshold 0.9]
"""

import argparse
import re
import sys
from difflib import SequenceMatcher
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from realworld import SETS, load_set

from aibcheck.catalogue import catalogue

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "corpus"
_GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
_NUMBER = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")
_MIN_CONTAINED = 60  # shorter texts are contained in too much by chance


def normalise(text: str) -> str:
    return _SPACE.sub(" ", _NUMBER.sub("0", _GUID.sub("guid", text))).strip().lower()


def known_texts() -> list[str]:
    texts = [normalise(p.read_text(encoding="utf-8", errors="replace")) for p in CORPUS.glob("*/input.*")]
    texts += [normalise(example) for signature in catalogue() for example in signature.examples]
    return [t for t in texts if t]


def closeness(text: str, known: list[str]) -> tuple[float, bool]:
    best, contained = 0.0, False
    for other in known:
        shorter = min(text, other, key=len)
        if len(shorter) >= _MIN_CONTAINED and (text in other or other in text):
            contained = True
        matcher = SequenceMatcher(None, text, other, autojunk=False)
        if matcher.real_quick_ratio() > best and matcher.quick_ratio() > best:
            best = max(best, matcher.ratio())
    return best, contained


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=SETS, default="unseen")
    parser.add_argument("--threshold", type=float, default=0.9, help="ratio at which a case counts as close")
    args = parser.parse_args(argv)
    known = known_texts()
    close = 0
    for case in load_set(args.set):
        ratio, contained = closeness(normalise(case.input.read_text(encoding="utf-8", errors="replace")), known)
        is_close = contained or ratio >= args.threshold
        close += is_close
        mark = "CLOSE" if is_close else ""
        print(f"{case.id:60s} ratio {ratio:.2f}  contained {'yes' if contained else 'no':3s}  {mark}")
    print(f"{close} of the set's cases are close to a corpus input or catalogue example")
    return 0


if __name__ == "__main__":
    sys.exit(main())
