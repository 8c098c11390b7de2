"""Remove secrets from text before it is shown anywhere.

Every rule is an RE2 pattern (aibcheck.redact_rules), so redaction takes time linear in the length of the
text, however long its lines. A secret written escaped (JSON \\u002B and \\", URL %2B, HTML &quot;,
PowerShell `") is looked for in the unescaped text and masked in the text as written. LineRedactor carries
what secrets spread over lines need: the body of a PEM private key, a SAS signature wrapped onto the next
line, a value on the line after its secret name.
"""

import re
from bisect import bisect_right
from collections.abc import Iterator
from typing import Any

import re2

from aibcheck.redact_rules import CUT_GITHUB_TOKEN, PEM_BEGIN, PEM_END, RULES, Rule

MASK = "***"
UNESCAPE_DEPTH = 3  # JSON inside a JSON string inside a JSON string
PEM_MAX_LINES = 400  # a key without its END line stops being masked after this many lines
EXCERPT_CONTEXT = 16 * 1024  # characters either side of a cut line that redaction still looks at

Span = tuple[int, int]

_COMPILED = tuple((rule, re2.compile(rule.pattern), frozenset(rule.keywords)) for rule in RULES)
_KEYWORDS = tuple(sorted({keyword for rule in RULES for keyword in rule.keywords}))
# Escapes a secret can hide behind: JSON (\u002B, \"), URL (%2B), HTML (&quot;) and PowerShell (`"). Fixed
# width (no repetition), so linear in Python's re too, where a match costs far less than through re2's
# binding: a line can hold a million escapes.
ESCAPE = re.compile(r'\\u00([2-7][0-9A-Fa-f])|\\(["\\/])|%([2-7][0-9A-Fa-f])|&(quot|apos|amp|lt|gt|#39|#x27);|`(["\'])')
_ENTITIES = {"quot": '"', "apos": "'", "amp": "&", "lt": "<", "gt": ">", "#39": "'", "#x27": "'"}
_ESCAPE_SIGNS = ("\\", "%", "&", "`")
_PREFIX = r"^(?:.*?azure-arm:\s?)?\s*"  # a Packer log prefix, kept when a whole line is masked
_LEADING_TOKEN = re2.compile(_PREFIX + r"(\S+)")
# A signature's base64 always ends in one '=' (32 bytes): its wrapped rest, wherever a writer put it on the line.
_SIGNATURE_END = re2.compile(r"(?i)((?:[a-z0-9+/]|%2b|%2f){4,}(?:=|%3d))")
_CONTENT = re2.compile(_PREFIX + r"(.*\S)")
_PACKER_DEBUG = re2.compile(r"PACKER (?:OUT|ERR) \d{4}/\d\d/\d\d \d\d:\d\d:\d\d ")
_CUT_TOKEN = re2.compile(CUT_GITHUB_TOKEN)
_PEM_BEGIN = re2.compile(PEM_BEGIN)
_PEM_END = re2.compile(PEM_END)
_SAS_TAIL = re2.compile(
    r"(?i)(?:(?:[?&;]|%26|\\u0026)(sig|se|st|sp|sv|sr|spr|srt|ss|sip|skoid|sktid|skt|ske|sks|skv)|\b(sig))"
    r"=([^\s\"'<>&;]*)$"
)
_PENDING_OPEN = re2.compile(
    r"(?i)(?:[\w.-]*(?:password|passwd|secret|token|key)[\"']?\s*:\s*\{\s*$|<(?:\w+:)?\w*(?:password|secret)\w*>\s*$)"
)
_PENDING_VALUE = re2.compile(
    r"(?i)(?:[\"']?\bvalue[\"']?\s*[:=]\s*(\"[^\"]*\"|'[^']*'|[^\s,}]+)|<(?:\w+:)?value>([^<]+))"
)
PATTERNS = (*(regex for _, regex, _ in _COMPILED), _LEADING_TOKEN, _CONTENT, _PEM_BEGIN, _PEM_END)
PATTERNS += (_SIGNATURE_END, _SAS_TAIL, _PENDING_OPEN, _PENDING_VALUE, _PACKER_DEBUG, _CUT_TOKEN)


# Characters that show nothing (zero-width, joiners, bidi marks and overrides, the BOM, variation selectors) are
# dropped and every other kind of space becomes a plain one, before secrets are looked for: pass\u200eword=...
# must read as password=..., and what is printed must be what was looked at.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f"
    "\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e0fff]"
)
_ODD_SPACE = re.compile("[\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]")


# the same characters written as JSON escapes (\\u200e), as a log of JSON holds them
_ESCAPED_INVISIBLE = re.compile(
    r"\\u(?:00[aA][dD]|034[fF]|061[cC]|180[b-fB-F]|200[b-fB-F]|202[a-eA-E]|206[0-9a-fA-F]|[fF][eE][fF][fF])"
)

_ESCAPED_ODD_SPACE = re.compile(r"\\u(?:00[aA]0|1680|200[0-9aA]|202[fF]|205[fF]|3000)")


def visible(text: str) -> str:
    """text without invisible characters, its unusual spaces made plain."""
    if "\\u" in text:
        text = _ESCAPED_ODD_SPACE.sub(" ", _ESCAPED_INVISIBLE.sub("", text))
    if text.isascii():
        return text
    return _ODD_SPACE.sub(" ", _INVISIBLE.sub("", text))


def redact(text: str) -> str:
    """Return text (one line or many) with every known kind of secret replaced by ***."""
    text = visible(text)
    if "\n" not in text:
        return _mask(text, secret_spans(text))
    redactor = LineRedactor()
    return "\n".join(redactor.feed(line) for line in text.split("\n"))


def redact_tree(value: Any) -> Any:
    """A JSON-like value with the secrets in its strings masked; a list of one-line strings (an inline script) is
    redacted as consecutive lines, so that a secret spread over two of them is masked too."""
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, list):
        if value and all(isinstance(item, str) and "\n" not in item for item in value):
            return redact("\n".join(value)).split("\n")
        return [redact_tree(item) for item in value]
    if isinstance(value, dict):
        return {key: redact_tree(item) for key, item in value.items()}
    return value


def redact_excerpt(line: bytes, start: int, stop: int) -> bytes:
    """line[start:stop] with its secrets masked, judged with the text around it: a cut can hide a key's name."""
    low, high = max(0, start - EXCERPT_CONTEXT), min(len(line), stop + EXCERPT_CONTEXT)
    before = visible(line[low:start].decode("utf-8", "replace"))
    middle = visible(line[start:stop].decode("utf-8", "replace"))
    text = before + middle + visible(line[stop:high].decode("utf-8", "replace"))
    first, last = len(before), len(before) + len(middle)
    inside = [(max(s, first) - first, min(e, last) - first) for s, e in secret_spans(text) if s < last and e > first]
    return _mask(middle, inside).encode()


class LineRedactor:
    """Redact the consecutive lines of one stream, keeping what a secret spread over lines needs."""

    def __init__(self) -> None:
        self._pem_lines = 0  # inside a private key: lines still to mask
        self._wrapped = False  # the last line ended inside a SAS query
        self._pending = 0  # lines in which a value for the secret name just seen is still expected

    def feed(self, line: str) -> str:
        line = visible(line)
        spans = secret_spans(line)
        if _PACKER_DEBUG.search(line) is None or "azure-arm:" in line:  # Packer's own lines interleave with output
            spans += self._carried(line)
            self._remember(line)
        return _mask(line, spans)

    def _carried(self, line: str) -> list[Span]:
        spans: list[Span] = []
        if self._pem_lines:
            end = _PEM_END.search(line)
            content = _CONTENT.search(line)
            if content is not None:
                spans.append((content.start(1), end.start() if end else content.end(1)))
        elif self._wrapped:
            token = _LEADING_TOKEN.search(line)
            spans += [token.span(1)] if token is not None else []
            rest = _SIGNATURE_END.search(line)
            spans += [rest.span(1)] if rest is not None else []
        if self._pending:
            found = _PENDING_VALUE.search(line)
            if found is not None:
                spans += [found.span(group) for group in (1, 2) if found.start(group) >= 0]
                self._pending = 0
        return spans

    def _remember(self, line: str) -> None:
        marker = "-----" in line
        ends = [m.end() for m in _PEM_END.finditer(line)] if marker else []
        begins = [m.end() for m in _PEM_BEGIN.finditer(line)] if marker else []
        if begins and (not ends or begins[-1] > ends[-1]):
            self._pem_lines = PEM_MAX_LINES
        elif ends or self._pem_lines:
            self._pem_lines = 0 if ends else self._pem_lines - 1
        tail = _SAS_TAIL.search(line.rstrip()) if "=" in line else None
        self._wrapped = tail is not None and not _complete_signature(tail.group(1) or tail.group(2), tail.group(3))
        self._wrapped = self._wrapped or _CUT_TOKEN.search(line) is not None  # its rest starts the next line
        opens = ("{" in line or ">" in line) and _PENDING_OPEN.search(line) is not None  # JSON or XML on its lines
        self._pending = 3 if opens else max(0, self._pending - 1)


def _complete_signature(parameter: str, value: str) -> bool:
    """A SAS signature is 43 base64 characters and '=' (URL-encoded or not): one that ends so is whole."""
    return parameter.lower() == "sig" and len(value) >= 44 and (value.endswith("=") or value.upper().endswith("%3D"))


def secret_spans(text: str, depth: int = 0) -> list[Span]:
    """Where the secrets in one line of text are, as (start, end) character offsets."""
    spans = _rule_spans(text)
    if depth < UNESCAPE_DEPTH and any(sign in text for sign in _ESCAPE_SIGNS):
        unescaped = _unescape(text)
        if unescaped is not None:
            plain, back = unescaped
            spans += [(back(s), back(e)) for s, e in secret_spans(plain, depth + 1)]
    return spans


def _rule_spans(text: str) -> list[Span]:
    lowered = text.lower()
    present = {keyword for keyword in _KEYWORDS if keyword in lowered}
    spans: list[Span] = []
    for rule, regex, keywords in _COMPILED:
        if keywords and keywords.isdisjoint(present):
            continue
        for match in regex.finditer(text):
            spans.extend(_spans_of(rule, regex.groups, match, text))
    return spans


def _spans_of(rule: Rule, groups: int, match: "re2._Match[str]", text: str) -> Iterator[Span]:
    for group in range(1, groups + 1) if groups else (0,):
        start, end = match.span(group)
        if start < 0 or start == end:
            continue
        found = rule.check(text, start, end) if rule.check is not None else (start, end)
        if found is not None:
            yield found


class _Positions:
    """Maps an offset in unescaped text back to the escaped text it came from."""

    def __init__(self) -> None:
        self.plain: list[int] = []  # offset of each unescaped character that was an escape
        self.start: list[int] = []  # where that escape starts in the original
        self.end: list[int] = []  # and ends

    def __call__(self, offset: int) -> int:
        index = bisect_right(self.plain, offset) - 1
        if index < 0:
            return offset
        if offset == self.plain[index]:
            return self.start[index]
        return self.end[index] + offset - self.plain[index] - 1


def _unescape(text: str) -> "tuple[str, _Positions] | None":
    """One level of escapes undone, or None when there were none."""
    pieces: list[str] = []
    positions = _Positions()
    done, length = 0, 0
    for match in ESCAPE.finditer(text):
        pieces.append(text[done : match.start()])
        length += match.start() - done
        pieces.append(_unescaped(match))
        positions.plain.append(length)
        positions.start.append(match.start())
        positions.end.append(match.end())
        length += 1
        done = match.end()
    if not positions.plain:
        return None
    pieces.append(text[done:])
    return "".join(pieces), positions


def _unescaped(match: "re.Match[str]") -> str:
    code, char, percent, entity, quote = match.groups()
    if code or percent:
        return chr(int(code or percent, 16))
    return _ENTITIES[entity] if entity else char or quote


def _mask(text: str, spans: list[Span]) -> str:
    if not spans:
        return text
    out: list[str] = []
    done = 0
    for start, end in sorted(spans):
        if end <= max(start, done):
            continue  # empty, or inside the mask before
        if start > done or not out:
            out += [text[done:start], MASK]
        done = end
    out.append(text[done:])
    return "".join(out)
