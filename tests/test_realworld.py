"""Integrity of the frozen real-world set (tests/realworld). Accuracy is measured by
scripts/measure_realworld.py, never asserted here."""

import re
from pathlib import Path

import pytest
from realworld import FIELDS, LABEL_CONFIDENCES, ROOT, SETS, UNSEEN_SETS, Case, load_case, load_set

from aibcheck.taxonomy import Category, Phase

CASES = [case for name in SETS for case in load_set(name)]
SECRET_SHAPES = re.compile(r"[?&]sig=[A-Za-z0-9%]{10,}|SharedAccessSignature=|AccountKey=|Bearer [A-Za-z0-9._-]{20,}")


def _text(case: Case) -> str:
    return case.input.read_text(encoding="utf-8")


def _normalised(case: Case) -> str:
    return re.sub(r"\s+", " ", _text(case)).strip().lower()


def test_every_set_has_cases() -> None:
    for name in SETS:
        assert len(load_set(name)) >= 10, f"{name} set is nearly empty"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case_is_complete(case: Case) -> None:
    assert case.category in {c.value for c in Category}, f"category {case.category!r} is not a taxonomy slug"
    assert case.phase in {p.value for p in Phase}, f"phase {case.phase!r} is not a taxonomy slug"
    assert case.label_confidence in LABEL_CONFIDENCES
    assert case.source.startswith("https://"), "source must be the address of the public thread or post"
    text = _text(case)
    assert text.strip(), "input is empty"
    assert not SECRET_SHAPES.search(text), "input holds something shaped like a secret"


def test_ids_are_unique_across_sets() -> None:
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids))


def test_no_text_appears_in_two_sets() -> None:
    texts = {name: {_normalised(c): c.id for c in CASES if c.set == name} for name in SETS}
    assert sum(len(by_text) for by_text in texts.values()) == len(CASES), "two cases hold the same text"
    for name in SETS:
        others = {t: i for other in SETS if other != name for t, i in texts[other].items()}
        for text, case_id in texts[name].items():
            repeats = [i for t, i in others.items() if len(min(t, text, key=len)) >= 80 and (t in text or text in t)]
            assert not repeats, f"{name} case {case_id} repeats the text of case(s) {repeats}"


def test_the_unseen_collection_uses_no_thread_of_dev() -> None:
    read = {case.source.rstrip("/") for case in CASES if case.set not in UNSEEN_SETS}
    assert not [c.id for c in CASES if c.set in UNSEEN_SETS and c.source.rstrip("/") in read]


def test_unseen_cases_say_when_they_were_collected() -> None:
    """The date shows the collection was frozen before the catalogue changes it measures."""
    for case in (c for c in CASES if c.set in UNSEEN_SETS):
        meta = (case.input.parent / "case.yaml").read_text(encoding="utf-8")
        assert re.search(r"^collected: \d{4}-\d{2}-\d{2}$", meta, re.MULTILINE), f"{case.id} has no collected date"


def test_readme_documents_the_set() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "unseen" in readme and "never" in readme
    for field in FIELDS:
        assert f"`{field}`" in readme, f"README does not describe the field {field}"


def test_load_case_rejects_incomplete_folders(tmp_path: Path) -> None:
    folder = tmp_path / "dev" / "broken"
    folder.mkdir(parents=True)
    with pytest.raises(ValueError, match="exactly one input"):
        load_case(folder)
    (folder / "input.txt").write_text("Error\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"case\.yaml is missing"):
        load_case(folder)
    (folder / "case.yaml").write_text("source: https://example.org\ncategory: quota-exceeded\n", encoding="utf-8")
    with pytest.raises(ValueError, match="missing or empty fields: form, conclusion, phase, label_confidence"):
        load_case(folder)
