"""A log line without the decoration CI systems add around it, for matching only (evidence keeps the line); and
a pasted text without what copying it from a web page or a chat puts in."""

import html
import re

# Colour and cursor codes (CSI), and terminal titles or links (OSC): Packer colours its output unless told not to.
_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")
# The time stamp GitHub Actions and Azure Pipelines put before every line of a downloaded job log.
_CI_STAMP = re.compile(r"\ufeff?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z ")


def plain(text: str) -> str:
    if "\x1b" in text:
        text = _ANSI.sub("", text)
    if text[:1].isdigit() or text[:1] == "\ufeff":
        stamp = _CI_STAMP.match(text)
        if stamp:
            text = text[stamp.end() :]
    return text


# Copying from a rendered page, a chat or a mail turns spaces into no-break or thin ones, adds soft hyphens and
# turns quotes into curly ones; HTML and XML error bodies carry their text as entities.
_SPACES = str.maketrans({"\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ", "\u200b": "", "\u00ad": ""})
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"'})
_ENTITY = re.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z]{2,8});")


_QUOTED = re.compile(r"^[ \t]*>[ \t]?", re.MULTILINE)


def tidy(text: str) -> str:
    """A pasted text as it was before it was copied: plain spaces and quotes, entities decoded, and out of the
    Markdown quote ("> " before every line) it was posted in."""
    for _ in range(3):  # a page that showed escaped HTML escapes it twice: "&amp;#61;" is "="
        if "&" not in text or not _ENTITY.search(text):
            break
        text = html.unescape(text)
    text = text.translate(_SPACES).translate(_QUOTES)
    lines = [line for line in text.split("\n") if line.strip()]
    if lines and all(line.lstrip().startswith(">") for line in lines):
        text = _QUOTED.sub("", text)
    return text
