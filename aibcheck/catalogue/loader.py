"""Load and check the signature catalogue shipped as package data."""

from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

import re2
import yaml

from aibcheck.catalogue.model import Role, Signature
from aibcheck.errors import CatalogueError
from aibcheck.taxonomy import Category, Confidence, Phase

REQUIRED = ("id", "category", "phase", "title", "cause", "fix", "keywords", "patterns")
OPTIONAL = (
    "docs",
    "priority",
    "role",
    "phase_from_log",
    "counts_after_success",
    "packer_own",
    "only_in",
    "distribute_category",
    "confidence_at_most",
    "examples",
    "counter_examples",
    "title_zh",
    "cause_zh",
    "fix_zh",
)
MIN_KEYWORD_LENGTH = 4
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C parser when PyYAML has it


def compile_pattern(pattern: str) -> Any:
    """Compile one catalogue pattern with RE2 (linear time), case-insensitive."""
    try:
        return re2.compile("(?i)" + pattern)
    except re2.error as exc:
        raise CatalogueError(f"pattern {pattern!r} does not compile with RE2: {exc}") from exc


def parse_signature(data: Any, source: str) -> Signature:
    """Build a Signature from one YAML document, or say exactly what is wrong with it."""
    if not isinstance(data, dict):
        raise CatalogueError(f"{source}: expected a mapping of signature fields")
    missing = [key for key in REQUIRED if key not in data]
    unknown = sorted(set(data) - set(REQUIRED) - set(OPTIONAL))
    if missing or unknown:
        raise CatalogueError(f"{source}: missing fields {missing}, unknown fields {unknown}")
    try:
        category, phase = Category(data["category"]), Phase(data["phase"])
        role = Role(data.get("role", "root"))
        only_in = Phase(data["only_in"]) if data.get("only_in") else None
        distribute_category = Category(data["distribute_category"]) if data.get("distribute_category") else None
        at_most = Confidence(data["confidence_at_most"]) if data.get("confidence_at_most") else None
    except ValueError as exc:
        raise CatalogueError(f"{source}: {exc}; see docs/taxonomy.md") from exc
    keywords = _strings(data["keywords"], source, "keywords")
    short = [k for k in keywords if len(k) < MIN_KEYWORD_LENGTH]
    if short:
        raise CatalogueError(f"{source}: keywords {short} are too short to pre-filter with")
    patterns = _strings(data["patterns"], source, "patterns")  # compiled, and checked, by the matcher
    return Signature(
        id=str(data["id"]),
        category=category,
        phase=phase,
        title=str(data["title"]).strip(),
        cause=" ".join(str(data["cause"]).split()),
        fix=" ".join(str(data["fix"]).split()),
        keywords=keywords,
        patterns=patterns,
        docs=_strings(data.get("docs", []), source, "docs"),
        priority=int(data.get("priority", 50)),
        role=role,
        phase_from_log=bool(data.get("phase_from_log", False)),
        counts_after_success=bool(data.get("counts_after_success", False)),
        packer_own=bool(data.get("packer_own", False)),
        only_in=only_in,
        distribute_category=distribute_category,
        confidence_at_most=at_most,
        examples=_strings(data.get("examples", []), source, "examples"),
        counter_examples=_strings(data.get("counter_examples", []), source, "counter_examples"),
        title_zh=fold(str(data.get("title_zh", ""))),
        cause_zh=fold(str(data.get("cause_zh", ""))),
        fix_zh=fold(str(data.get("fix_zh", ""))),
    )


def _cjk(char: str) -> bool:
    return "\u2e80" <= char <= "\u9fff" or _cjk_punctuation(char)


def _cjk_punctuation(char: str) -> bool:
    return "\uff00" <= char <= "\uffef" or "\u3000" <= char <= "\u303f"


def fold(text: str) -> str:
    """A text written over several YAML lines as one line: a space between words, none between Chinese characters
    and none beside Chinese punctuation (a line may end with "，" and the next begin with "Azure")."""
    out = ""
    for piece in text.split():
        joined = out and (
            (_cjk(out[-1]) and _cjk(piece[0])) or _cjk_punctuation(out[-1]) or _cjk_punctuation(piece[0])
        )
        out += piece if joined else (" " + piece if out else piece)
    return out


def _strings(value: Any, source: str, name: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise CatalogueError(f"{source}: {name} must be a list of non-empty strings")
    return tuple(value)


def signature_files(folder_name: str = "signatures") -> list[Any]:
    """The catalogue's YAML files (or the hints', with "hints"), sorted by name."""
    folder = resources.files("aibcheck.catalogue") / folder_name
    return sorted((f for f in folder.iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name)


def load_signatures(files: Iterable[Any] | None = None) -> tuple[Signature, ...]:
    signatures = []
    seen: set[str] = set()
    for file in signature_files() if files is None else files:
        try:
            data = yaml.load(file.read_text(encoding="utf-8"), Loader=YAML_LOADER)
        except yaml.YAMLError as exc:
            raise CatalogueError(f"{file.name}: not valid YAML: {exc}") from exc
        signature = parse_signature(data, file.name)
        if signature.id in seen or f"{signature.id}.yaml" != file.name:
            raise CatalogueError(f"{file.name}: the id must be unique and match the file name")
        seen.add(signature.id)
        signatures.append(signature)
    return tuple(signatures)


@cache
def catalogue() -> tuple[Signature, ...]:
    """The shipped catalogue, loaded once per process."""
    return load_signatures()


@cache
def hints() -> tuple[Signature, ...]:
    """Broad wordings read only in a short pasted text that no signature explains: a guess, at low confidence."""
    found = load_signatures(signature_files("hints"))
    wrong = [h.id for h in found if h.role is not Role.GENERIC or h.confidence_at_most is not Confidence.LOW]
    if wrong:
        raise CatalogueError(f"hints must be role generic and confidence_at_most low: {', '.join(wrong)}")
    return found
