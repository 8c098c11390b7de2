"""Every signature file: it loads, its vocabulary is the taxonomy's, and its examples prove its patterns."""

import re
from pathlib import Path

import pytest
import yaml

from aibcheck.catalogue import Signature, catalogue, hints
from aibcheck.catalogue.loader import compile_pattern, parse_signature, signature_files
from aibcheck.catalogue.model import ROLE_RANK, fill
from aibcheck.diagnose.matcher import default_matcher
from aibcheck.redact import redact
from aibcheck.taxonomy import Category, Phase

ROOT = Path(__file__).resolve().parents[2]
FILES = signature_files()
SIGNATURES = {s.id: s for s in catalogue()}
WITH_HINTS = {s.id: s for s in (*catalogue(), *hints())}  # for the tests of texts


def _taxonomy_slugs(path: Path) -> tuple[list[str], list[str]]:
    text = path.read_text(encoding="utf-8")
    phases = text.split("## Phases")[1].split("## Categories")[0]
    categories = text.split("## Categories")[1].split("## `aibcheck")[0]
    slug = re.compile(r"^\| `([a-z0-9-]+)`", re.MULTILINE)
    return slug.findall(phases), slug.findall(categories)


def test_vocabulary_is_the_taxonomy() -> None:
    phases, categories = _taxonomy_slugs(ROOT / "docs" / "taxonomy.md")
    assert [p.value for p in Phase] == phases
    assert [c.value for c in Category] == categories


def test_vendored_taxonomy_matches_the_shared_one_when_present() -> None:
    shared = ROOT.parent / "shared" / "docs" / "taxonomy.md"
    if shared.exists():
        assert shared.read_text(encoding="utf-8") == (ROOT / "docs" / "taxonomy.md").read_text(encoding="utf-8")


def _strength(signature: Signature) -> tuple[int, int]:
    return ROLE_RANK[signature.role], signature.priority


@pytest.mark.parametrize("file", FILES, ids=[f.name for f in FILES])
def test_signature_file(file: Path) -> None:
    signature = parse_signature(yaml.safe_load(file.read_text(encoding="utf-8")), file.name)
    assert file.name == f"{signature.id}.yaml"
    assert signature.examples, "every signature needs examples"
    assert signature.counter_examples, "every signature needs counter-examples"
    assert all(url.startswith("https://") for url in signature.docs)
    for pattern in signature.patterns:
        compile_pattern(pattern)  # raises CatalogueError with the RE2 message
    matcher = default_matcher()
    for example in signature.examples:
        lowered = example.lower()
        assert any(k.lower() in lowered for k in signature.keywords), f"no keyword of its own in {example!r}"
        assert matcher.prefilter.search(example.encode()), f"pre-filter misses {example!r}"
        matches = {m.signature.id: m.signature for m in matcher.match(example)}
        assert signature.id in matches, f"{signature.id} does not match its example {example!r}"
        # A signature that counts only in one context (only_in) takes nothing outside it.
        stronger = [s.id for s in matches.values() if _strength(s) > _strength(signature) and s.only_in is None]
        assert not stronger, f"example {example!r} is taken by the stronger {stronger}"
    for counter in signature.counter_examples:
        assert signature.id not in {m.signature.id for m in matcher.match(counter)}, counter


def test_every_category_has_a_signature() -> None:
    covered = {s.category for s in SIGNATURES.values()}
    missing = [c.value for c in Category if c is not Category.UNKNOWN and c not in covered]
    assert not missing


def test_titles_and_texts_are_our_own_english() -> None:
    for signature in WITH_HINTS.values():
        for text in (signature.title, signature.cause, signature.fix):
            assert text and all(ord(ch) < 0x2E80 for ch in text), signature.id


_TEXTS = ("title", "cause", "fix", "title_zh", "cause_zh", "fix_zh")


@pytest.mark.parametrize("signature", list(WITH_HINTS.values()), ids=list(WITH_HINTS))
def test_catalogue_texts_survive_redaction(signature: Signature) -> None:
    """The redactor never masks aibcheck's own words ("token: adding ..." once read as a secret)."""
    for name in _TEXTS:
        text = getattr(signature, name)
        assert redact(text) == text, f"{name} is changed by redaction: {text!r}"


@pytest.mark.parametrize("signature", list(WITH_HINTS.values()), ids=list(WITH_HINTS))
def test_titles_have_no_optional_passages(signature: Signature) -> None:
    """[[ ... ]] is kept or dropped in causes and fixes only; a title shows its placeholders' values or nothing."""
    for title in (signature.title, signature.title_zh):
        assert "[[" not in title and "]]" not in title


_DOUBLED_STOP = re.compile(r"(?<!\.)\.\.(?!\.)|。。|\s[.,。，](?:\s|$)")


@pytest.mark.parametrize("signature", list(WITH_HINTS.values()), ids=list(WITH_HINTS))
def test_causes_and_fixes_read_well_whatever_is_known(signature: Signature) -> None:
    """Optional passages dropped or kept, no sentence ends twice ("scope.." once did) or starts with a stop."""
    known = {name: "X" for text in (signature.cause, signature.fix) for name in re.findall(r"\{(\w+)\}", text)}
    for name in ("cause", "fix", "cause_zh", "fix_zh"):
        for values in ({}, known):
            text = fill(getattr(signature, name), values)
            assert not _DOUBLED_STOP.search(text), f"{name} reads badly: {text!r}"
