"""The language aibcheck speaks: English, or Simplified Chinese (zh-CN), chosen once per process.

JSON keys, category and phase slugs and signature ids never change with the language; texts do.
"""

import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

LANGUAGES = ("en", "zh-CN")
# The process's language, which threads (a log download) follow too; `language()` overrides it in one context.
_process = "en"
_current: ContextVar[str | None] = ContextVar("aibcheck_language", default=None)


def current() -> str:
    return _current.get() or _process


def use(language: str) -> None:
    """Speak this language from now on (the command line sets it once, from --lang)."""
    global _process
    _process = language if language in LANGUAGES else "en"
    _current.set(None)


@contextmanager
def language(name: str) -> Iterator[None]:
    token = _current.set(name if name in LANGUAGES else "en")
    try:
        yield
    finally:
        _current.reset(token)


def pick(english: str, chinese: str) -> str:
    """The text in the current language, English where no translation exists."""
    return chinese if chinese and current() == "zh-CN" else english


def from_culture(env: Mapping[str, str]) -> str | None:
    """The pipeline's own culture, where the platform exposes one (Azure DevOps: System.Culture)."""
    culture = env.get("SYSTEM_CULTURE", "").strip().lower()
    if culture.startswith(("zh-cn", "zh-hans", "zh-sg")) or culture == "zh":
        return "zh-CN"
    return None


def t(key: str, **values: object) -> str:
    """The message `key` of aibcheck.messages in the current language, with its {placeholders} filled."""
    from aibcheck.messages import MESSAGES

    english, chinese = MESSAGES[key]
    text = pick(english, chinese)
    return text.format(**values) if values else text


def width(text: str) -> int:
    """How many terminal columns text takes: Chinese characters and full-width forms take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, columns: int) -> str:
    """text padded with spaces to `columns` terminal columns (str.ljust counts characters, not columns)."""
    return text + " " * max(0, columns - width(text))
