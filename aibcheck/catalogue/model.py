"""A known failure signature, as read from one YAML file of the catalogue."""

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from aibcheck.i18n import pick
from aibcheck.taxonomy import Category, Confidence, Phase

_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_EMPTY_WRAPPER = re.compile(r"\(\s*\)|\[\s*\]|'\s*'|\"\s*\"|（\s*）|“\s*”")
# "[[ ... {name} ... ]]" in a cause or fix: a passage kept only when every placeholder in it has a value;
# "[[~name: ...]]": a passage kept only when name has no value (what to say when the fact is not known).
_OPTIONAL = re.compile(r"\[\[(.*?)\]\]", re.DOTALL)
_UNLESS = re.compile(r"~(\w+):")


def fill(text: str, values: dict[str, Any]) -> str:
    """A cause or fix with {placeholders} filled from the match; optional passages without a value dropped."""

    def passage(match: re.Match[str]) -> str:
        body = match.group(1)
        unless = _UNLESS.match(body)
        if unless:
            return "" if values.get(unless.group(1)) else body[unless.end() :]
        names = _PLACEHOLDER.findall(body)
        return body if all(values.get(name) for name in names) else ""

    out = _OPTIONAL.sub(passage, text)
    out = _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1)) or m.group(0)), out)
    return " ".join(out.split())


class Role(StrEnum):
    """How much a match says about the root cause."""

    ROOT = "root"  # a specific failure: wins over generic and secondary matches
    GENERIC = "generic"  # something failed, but the line does not say why (a script's exit code)
    SECONDARY = "secondary"  # follows a real failure: cleanup, cancellation, "some builds didn't complete"


ROLE_RANK = {Role.SECONDARY: 0, Role.GENERIC: 1, Role.ROOT: 2}


@dataclass(frozen=True)
class Signature:
    id: str
    category: Category
    phase: Phase
    title: str
    cause: str
    fix: str
    keywords: tuple[str, ...]
    patterns: tuple[str, ...]
    docs: tuple[str, ...] = ()
    priority: int = 50
    role: Role = Role.ROOT
    # When true, the phase comes from where the match sits in the log's timeline (an AuthorizationFailed
    # can happen at submission, deploy or distribution); the phase above is used otherwise.
    phase_from_log: bool = False
    # When true, a match still counts inside a step that went on to succeed: a warning whose harm shows
    # later (the deprovisioning script is gone, so the image will not boot).
    counts_after_success: bool = False
    # When true, the line is Packer's own, never a script's output: a tooling failure that counts inside a step
    # of a Packer log (still not in Image Builder's customization.log, where Packer is the service's).
    packer_own: bool = False
    # When set, a match counts only where the log's timeline places it in a step of this phase (an Azure
    # error line is a cleanup failure only inside the cleanup); "unknown" means only in an input with no
    # timeline at all, where the line stands alone.
    only_in: Phase | None = None
    # The category to report when the match turns out to be in the distribute phase: Packer's wait for an
    # Azure operation cut off while capturing or publishing is a distribution failure, not a missing artifact.
    distribute_category: Category | None = None
    # The most a match can claim: a symptom whose cause varies from build to build (an SSH wait that timed out
    # was a slow image in one thread and a blocked network in the next) is never "high".
    confidence_at_most: Confidence | None = None
    examples: tuple[str, ...] = ()
    counter_examples: tuple[str, ...] = field(default=(), repr=False)
    # The same texts in Simplified Chinese, with the same {placeholders}; shown with --lang zh-CN.
    title_zh: str = ""
    cause_zh: str = ""
    fix_zh: str = ""

    def cause_for(self, values: dict[str, Any]) -> str:
        return fill(pick(self.cause, self.cause_zh), values)

    def fix_for(self, values: dict[str, Any]) -> str:
        return fill(pick(self.fix, self.fix_zh), values)

    def title_for(self, values: dict[str, Any]) -> str:
        """The title with {placeholders} filled from the match; unfilled ones leave no trace."""
        out = _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1)) or ""), pick(self.title, self.title_zh))
        emptied = _EMPTY_WRAPPER.sub("", out)
        while emptied != out:  # a quote inside brackets: （“”） empties in two steps
            out, emptied = emptied, _EMPTY_WRAPPER.sub("", emptied)
        return " ".join(out.split()).replace(" ,", ",").rstrip(" :,：，")
