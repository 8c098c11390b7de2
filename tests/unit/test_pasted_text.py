"""Text copied from a web page, a chat, a mail or a Markdown quote keeps its verdict: every golden case short
enough to be pasted gives the same one with no-break spaces, curly quotes, HTML entities or "> " before each line."""

import html
from collections.abc import Callable
from pathlib import Path

import pytest
from test_line_endings import CASES, _input, _text

from aibcheck.diagnose import PASTED_LIMIT, diagnose_bytes
from aibcheck.diagnose.plain import tidy


def _curly(text: str) -> str:
    out, opening = [], True
    for char in text:
        if char == '"':
            out.append("\u201c" if opening else "\u201d")
            opening = not opening
        else:
            out.append("\u2019" if char == "'" else char)
    return "".join(out)


COPIES: dict[str, Callable[[str], str]] = {
    "no-break-spaces": lambda text: text.replace(" ", "\u00a0"),
    "curly-quotes": _curly,
    "html-entities": lambda text: html.escape(text, quote=True),
    "markdown-quote": lambda text: "\n".join("> " + line for line in text.split("\n")),
}


PASTABLE = [case for case in CASES if len(_text(_input(case))) <= PASTED_LIMIT]  # larger ones are log files


@pytest.mark.parametrize("copy", COPIES)
@pytest.mark.parametrize("case", PASTABLE, ids=[c.name for c in PASTABLE])
def test_a_pasted_copy_keeps_its_verdict(case: Path, copy: str) -> None:
    data = _text(_input(case))
    original = diagnose_bytes(data, case.name)
    pasted = diagnose_bytes(COPIES[copy](data.decode("utf-8")).encode("utf-8"), case.name)
    assert (pasted.category, pasted.phase, pasted.signature) == (original.category, original.phase, original.signature)


def test_tidy_leaves_a_log_that_is_not_all_quoted_alone() -> None:
    text = "==> azure-arm: Provisioning with shell script\n> not a quote of the whole text\n"
    assert tidy(text) == text


def test_tidy_decodes_entities_and_plain_spaces() -> None:
    assert tidy("Code=&quot;AuthorizationFailed&quot;\u00a0and\u202fit&#39;s") == "Code=\"AuthorizationFailed\" and it's"


def test_tidy_decodes_entities_escaped_twice_and_drops_soft_hyphens() -> None:
    assert tidy("password&amp;#61;x pass\u00adword") == "password=x password"


def test_a_secret_behind_double_entities_or_a_soft_hyphen_is_masked() -> None:
    message = b"E: Could not get lock /var/lib/dpkg/lock-frontend password&amp;#61;HUNTER2X pass&shy;word=HUNTER3X\n"
    shown = " ".join(line.text for line in diagnose_bytes(message, "m.txt").evidence)
    assert "HUNTER" not in shown
