"""Text into GitHub-flavoured Markdown by construction: one function per context, nothing else writes it raw.

Untrusted text (log lines, capture groups, template fields) and catalogue text alike reach the reader word for
word: every mark that Markdown gives a meaning is backslash-escaped (so no emphasis, link, autolink, HTML tag,
entity or math can form), and @mentions and #references go into code spans, where GitHub does not link them.
"""

import re

from aibcheck.render.safe import neutralise

_PUNCTUATION = re.compile(r"([\\`*_{}\[\]<>()#+\-.!|~&:$])")
# @mentions, #references and e-mail addresses (a principal in an authorization error), which GitHub links even
# when their dots are escaped.
_REFERENCE = re.compile(r"((?<![\w`])[@#][\w][\w/.-]*|[\w.+-]+@[\w-]+(?:\.[\w-]+)+)")


def _escape(text: str) -> str:
    return _PUNCTUATION.sub(r"\\\1", text)


def code(text: str) -> str:
    """A code span that shows text exactly, whatever backticks it holds."""
    text = neutralise(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def inline(text: str) -> str:
    """Text for a paragraph, a heading or a table cell, shown literally."""
    parts = _REFERENCE.split(neutralise(text))
    # split() with one group alternates: plain text, reference, plain text, ...
    return "".join(code(part) if index % 2 else _escape(part) for index, part in enumerate(parts))


def prose(text: str) -> str:
    """A catalogue text for a paragraph: its `backtick` spans (commands, paths) as code, the rest as inline()."""
    parts = text.split("`")
    if len(parts) % 2 == 0 or any(not part.strip() for part in parts[1::2]):
        return inline(text)  # an unpaired or empty span: all of it literally
    return "".join(code(part) if index % 2 else inline(part) for index, part in enumerate(parts))


def link(text: str, url: str) -> str:
    """A link aibcheck writes itself, to an https URL it built or took from the catalogue."""
    if not re.fullmatch(r"https://[^\s<>()\[\]`\"']+", url):
        return inline(f"{text} ({url})")
    return f"[{inline(text)}]({url})"


def fence(lines: list[str], info: str = "text") -> list[str]:
    """A fenced block that no line inside can close early."""
    body = [neutralise(line) for line in lines]
    longest = max((len(run) for line in body for run in re.findall(r"`{3,}", line)), default=2)
    ticks = "`" * (longest + 1)
    return [ticks + info, *body, ticks]


def cell(text: str) -> str:
    """Text for a table cell: as inline text, whose escaping covers the cell's own '|'."""
    return inline(text)
