"""Match one line against the whole catalogue at once (RE2 set), after a cheap keyword pre-filter."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

import re2

from aibcheck.catalogue import Signature, catalogue, hints
from aibcheck.catalogue.loader import compile_pattern
from aibcheck.diagnose.markers import MARKER_KEYWORDS
from aibcheck.diagnose.plain import plain
from aibcheck.errors import CatalogueError

_RUNS = re.compile(r"[\x00-\x7f]+|[^\x00-\x7f]+")  # a text cut into its ASCII and its other runs


@dataclass(frozen=True)
class SignatureMatch:
    signature: Signature
    groups: dict[str, str]


def normalise(text: str) -> str:
    """Undo JSON string escaping so that one pattern fits a raw line and a JSON-quoted one, and drop the colour
    codes and CI time stamp around the line."""
    text = plain(text)
    if "\\" in text:
        text = text.replace('\\"', '"').replace("\\\\", "\\").replace("\\r\\n", " ").replace("\\n", " ")
    return text


class LineMatcher:
    """The compiled catalogue: a byte-level keyword pre-filter and a set of line patterns."""

    def __init__(self, signatures: Sequence[Signature], extra_keywords: Sequence[str] = MARKER_KEYWORDS):
        self.signatures = tuple(signatures)
        self._patterns: list[str] = []
        self._pattern_owner: list[int] = []
        self._compiled: dict[int, Any] = {}  # compiled on first use: most patterns never match
        self._set = re2.Set.SearchSet(_options())
        for index, signature in enumerate(self.signatures):
            for pattern in signature.patterns:
                try:
                    self._set.Add("(?i)" + _loosened(pattern))
                except re2.error as exc:
                    raise CatalogueError(
                        f"{signature.id}: pattern {pattern!r} does not compile with RE2: {exc}"
                    ) from exc
                self._patterns.append(pattern)
                self._pattern_owner.append(index)
        self._set.Compile()
        keywords = {k.lower() for s in self.signatures for k in s.keywords} | set(extra_keywords)
        # Longest first, so that a keyword that contains another is still the one reported.
        ordered = sorted(keywords, key=lambda k: (-len(k), k))
        self.keywords: tuple[str, ...] = tuple(ordered)
        self.prefilter = re2.compile(_prefilter(ordered), _options())

    def match(self, text: str) -> list[SignatureMatch]:
        """Every signature that matches the line, with the named groups of its first matching pattern."""
        text = normalise(text)
        hits = cast("list[int]", self._set.Match(text))
        if not hits:
            return []
        results: dict[int, SignatureMatch] = {}
        for pattern_index in sorted(hits):
            owner = self._pattern_owner[pattern_index]
            if owner in results:
                continue
            if pattern_index not in self._compiled:
                self._compiled[pattern_index] = compile_pattern(self._patterns[pattern_index])
            found = self._compiled[pattern_index].search(text)
            if found is None:
                continue  # the set's looser form matched, the pattern itself does not
            groups = {k: v for k, v in found.groupdict().items() if v}
            results[owner] = SignatureMatch(self.signatures[owner], groups)
        return [results[i] for i in sorted(results)]


# A wide counted repeat ("any 0 to 1000 characters") makes RE2 write out its body that many times: the set of
# all patterns took 0.14 s to compile, nearly all for 44 such repeats. The set only has to say which patterns
# may match, so it holds them open-ended, and each pattern itself, bounds and all, decides.
_WIDE_REPEAT = re.compile(r"(?<!\\)\{(\d+),\d{3,}\}")


def _loosened(pattern: str) -> str:
    return _WIDE_REPEAT.sub(r"{\1,}", pattern)


def _options() -> Any:
    """RE2 with room for the whole catalogue's automaton: past the default 8 MiB it would fall back to a slower
    engine and log to standard error."""
    options = re2.Options()
    options.max_mem = 64 << 20
    options.log_errors = False
    return options


def _prefilter(keywords: Sequence[str]) -> bytes:
    """One byte pattern for all keywords: ASCII ones case-insensitive, others (Chinese) as their UTF-8 bytes with
    only their ASCII parts case-insensitive ("等待 Azure 操作" is lower-cased with the rest).

    Case-insensitive matching of bytes would fold the bytes inside UTF-8 sequences as if they were Latin-1
    letters, which only makes the automaton larger.
    """
    ascii_words = [re2.escape(k).encode() for k in keywords if k.isascii()]
    other_words = [_mixed(k) for k in keywords if not k.isascii()]
    parts = [b"(?i:" + b"|".join(ascii_words) + b")"] if ascii_words else []
    return b"|".join(parts + other_words)


def _mixed(keyword: str) -> bytes:
    """A keyword with non-ASCII text in it: its runs of ASCII case-insensitive, the rest as exact UTF-8 bytes."""
    runs = _RUNS.findall(keyword)
    return b"".join(
        b"(?i:" + re2.escape(run).encode() + b")" if run.isascii() else re2.escape(run.encode("utf-8")) for run in runs
    )


@cache
def default_matcher() -> LineMatcher:
    return LineMatcher(catalogue())


@cache
def hint_matcher() -> LineMatcher:
    return LineMatcher(hints(), extra_keywords=())
