"""The real-world measurement set under tests/realworld: its cases and labels.

Each case is a folder `tests/realworld/<set>/<id>/` with one `input.<ext>` (the failure text as a user
posted it) and `case.yaml` (where it came from, what the thread concluded, the expected category and
phase). `dev` holds the cases that may be read while changing the catalogue; `unseen` is the latest
collection, frozen whole before the catalogue work it measures and never read.
"""

from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1] / "tests" / "realworld"
SETS = ("dev", "unseen")
UNSEEN_SETS = ("unseen",)  # measured only: never printed, never read while tuning
FIELDS = ("source", "form", "conclusion", "category", "phase", "label_confidence")
LABEL_CONFIDENCES = ("high", "medium", "low")


@dataclass(frozen=True)
class Case:
    id: str
    set: str
    input: Path
    source: str
    form: str
    conclusion: str
    category: str
    phase: str
    label_confidence: str


def load_case(folder: Path) -> Case:
    """One case folder; ValueError naming the folder when a file or field is missing."""
    inputs = sorted(folder.glob("input.*"))
    if len(inputs) != 1:
        raise ValueError(f"{folder}: expected exactly one input.<ext> file, found {len(inputs)}")
    meta_path = folder / "case.yaml"
    if not meta_path.is_file():
        raise ValueError(f"{folder}: case.yaml is missing")
    meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
    if not isinstance(meta, dict):
        raise ValueError(f"{meta_path}: expected a mapping of fields")
    missing = [name for name in FIELDS if not isinstance(meta.get(name), str) or not meta[name].strip()]
    if missing:
        raise ValueError(f"{meta_path}: missing or empty fields: {', '.join(missing)}")
    fields = {name: str(meta[name]) for name in FIELDS}
    return Case(id=folder.name, set=folder.parent.name, input=inputs[0], **fields)


def load_set(name: str, root: Path = ROOT) -> list[Case]:
    folder = root / name
    if not folder.is_dir():
        raise ValueError(f"{folder}: no such case set (expected one of: {', '.join(SETS)})")
    return [load_case(path) for path in sorted(folder.iterdir()) if path.is_dir()]
