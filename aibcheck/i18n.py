"""The language aibcheck speaks: English, or Simplified Chinese (zh-CN), chosen once per process.

JSON keys, category and phase slugs and signature ids never change with the language; texts do.
"""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

LANGUAGES = ("en", "zh-CN")
_current: ContextVar[str] = ContextVar("aibcheck_language", default="en")


def current() -> str:
    return _current.get()


def use(language: str) -> None:
    """Speak this language from now on (the command line sets it once, from --lang)."""
    _current.set(language if language in LANGUAGES else "en")


@contextmanager
def language(name: str) -> Iterator[None]:
    token = _current.set(name if name in LANGUAGES else "en")
    try:
        yield
    finally:
        _current.reset(token)


def pick(english: str, chinese: str) -> str:
    """The text in the current language, English where no translation exists."""
    return chinese if chinese and _current.get() == "zh-CN" else english


def from_culture(env: Mapping[str, str]) -> str | None:
    """The pipeline's own culture, where the platform exposes one (Azure DevOps: System.Culture)."""
    culture = env.get("SYSTEM_CULTURE", "").strip().lower()
    if culture.startswith(("zh-cn", "zh-hans", "zh-sg")) or culture == "zh":
        return "zh-CN"
    return None
