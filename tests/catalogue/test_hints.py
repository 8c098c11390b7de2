"""Hints: broad wordings read only in a short pasted text that no signature explains. Each file loads, its
examples prove its patterns, its counter-examples stay quiet; a hint is a low-confidence guess that any named
cause, follow-on failure or log file keeps out."""

import json
from pathlib import Path

import pytest

from aibcheck.catalogue import Role, Signature, hints, loader
from aibcheck.catalogue.loader import signature_files
from aibcheck.diagnose import PASTED_LIMIT, diagnose_bytes
from aibcheck.diagnose.matcher import hint_matcher
from aibcheck.errors import CatalogueError
from aibcheck.render.json import to_dict
from aibcheck.taxonomy import Confidence

HINTS = list(hints())


def _verdict(text: str) -> tuple[str, str | None, str]:
    diagnosis = diagnose_bytes(text.encode("utf-8"), "pasted.txt")
    return diagnosis.category.value, diagnosis.signature, diagnosis.confidence.value


@pytest.mark.parametrize("hint", HINTS, ids=[h.id for h in HINTS])
def test_hint_examples_match_and_counter_examples_do_not(hint: Signature) -> None:
    assert hint.role is Role.GENERIC and hint.confidence_at_most is Confidence.LOW
    assert hint.examples and hint.counter_examples and "{cue}" in hint.title
    assert "not a diagnosis" in hint.cause, "a hint says it is a reading of the words"
    matcher = hint_matcher()
    for example in hint.examples:
        assert hint.id in {m.signature.id for m in matcher.match(example)}, example
        assert any(k.lower() in example.lower() for k in hint.keywords), f"no keyword in {example!r}"
    for counter in hint.counter_examples:
        assert hint.id not in {m.signature.id for m in matcher.match(counter)}, counter


@pytest.mark.parametrize("hint", HINTS, ids=[h.id for h in HINTS])
def test_a_pasted_example_alone_gets_the_hint_at_low_confidence(hint: Signature) -> None:
    """Read alone, an example is either known to a signature or read as this hint, or a stronger one."""
    for example in hint.examples:
        diagnosis = diagnose_bytes(example.encode("utf-8"), "pasted.txt")
        if diagnosis.signature is not None and diagnosis.signature.startswith("hint-"):
            assert diagnosis.confidence is Confidence.LOW
            assert diagnosis.title.startswith("The text reads like")


def test_a_hint_names_the_words_it_read() -> None:
    category, signature, confidence = _verdict('{"error": {"code": "Forbidden", "message": "Nope"}}')
    assert (category, signature, confidence) == ("missing-permission", "hint-refused", "low")
    diagnosis = diagnose_bytes(b"Build step 4: Windows Update could not install one of the updates\n", "p.txt")
    assert diagnosis.category.value == "windows-update-failed" and "Windows Update could not" in diagnosis.title
    assert diagnosis.evidence and "could not install" in diagnosis.evidence[0].text


def test_a_signature_that_names_a_cause_keeps_the_hints_out() -> None:
    text = "QuotaExceeded: Operation could not be completed as it results in exceeding approved quota. Forbidden\n"
    assert _verdict(text)[1] == "quota-exceeded"


def test_a_follow_on_failure_keeps_the_hints_out() -> None:
    text = (
        "==> azure-arm: Error deleting resource. Will retry.\n"
        "==> azure-arm: Error: compute.VirtualMachinesClient#Delete: Original Error: context deadline exceeded\n"
    )
    category, signature, _ = _verdict(text)
    assert category == "cleanup-failed" and signature is not None and not signature.startswith("hint-")


def test_a_hint_outranks_a_line_that_only_says_something_failed() -> None:
    text = (
        "    azure-arm: Windows Update could not install one of the updates\n"
        "==> azure-arm: Provisioning step had errors: Running the cleanup provisioner, if present...\n"
    )
    assert _verdict(text)[:2] == ("windows-update-failed", "hint-windows-update")


def test_nothing_to_read_stays_unknown() -> None:
    assert _verdict("something odd happened on the way\n") == ("unknown", None, "low")


def test_hints_are_never_read_in_a_log_file() -> None:
    """A log holds such words in steps that went fine; past what a user pastes, the hints are not read."""
    filler = "".join(f"    azure-arm: step {n} going on\n" for n in range(PASTED_LIMIT // 25))
    text = filler + "    azure-arm: request refused: Forbidden\n"
    assert len(text.encode()) > PASTED_LIMIT
    assert _verdict(text)[:2] == ("unknown", None)
    assert _verdict(text[-2000:])[1] == "hint-refused"


def test_a_hint_must_be_generic_and_low(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = signature_files("hints")[0]
    broken = tmp_path / source.name
    text = source.read_text(encoding="utf-8").replace("confidence_at_most: low", "confidence_at_most: medium")
    broken.write_text(text, encoding="utf-8")
    monkeypatch.setattr(loader, "signature_files", lambda folder_name="signatures": [broken])
    hints.cache_clear()
    try:
        with pytest.raises(CatalogueError, match="confidence_at_most low"):
            loader.hints()
    finally:
        hints.cache_clear()


def test_the_json_report_names_the_hint() -> None:
    document = to_dict(diagnose_bytes(b"ERROR: Insufficient privileges to complete the operation.\n", "p.txt"))
    assert json.loads(json.dumps(document))["signature"] == "hint-refused"
    assert document["confidence"] == "low" and document["category"] == "missing-permission"
