"""What preflight finds, and what it returns."""

from dataclasses import dataclass
from enum import StrEnum

from aibcheck.errors import ExitCode
from aibcheck.i18n import t

PREFLIGHT_MODES = ("off", "warn", "fail")  # what `run` does with the findings: skip, report only, refuse on errors


class Severity(StrEnum):
    ERROR = "error"  # the build will fail, or the service will refuse the template
    WARNING = "warning"  # the build is likely to fail or hang
    NOTICE = "notice"  # something preflight could not check, or worth knowing


@dataclass(frozen=True)
class Hit:
    """What a check reports: where in the resource (a JSON pointer relative to it) and what it saw."""

    pointer: str
    message: str
    severity: Severity | None = None  # None: the check's own severity


@dataclass(frozen=True)
class Finding:
    id: str
    severity: Severity
    file: str
    line: int
    path: str  # JSON pointer into the template file
    message: str
    fix: str

    def as_dict(self) -> dict[str, str | int]:
        return {
            "id": self.id,
            "severity": self.severity.value,
            "file": self.file,
            "line": self.line,
            "path": self.path,
            "message": self.message,
            "fix": self.fix,
        }


@dataclass(frozen=True)
class PreflightResult:
    template: str
    findings: tuple[Finding, ...]
    online: bool  # whether the subscription was read
    arm_requests: int = 0

    def of(self, severity: Severity) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is severity)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return self.of(Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return self.of(Severity.WARNING)

    @property
    def exit_code(self) -> int:
        """0 without errors, 1 with at least one (the `aibcheck preflight` contract)."""
        return int(ExitCode.FAILURE if self.errors else ExitCode.OK)

    def blocks(self, mode: str) -> bool:
        """Whether `run` must refuse to submit under --preflight MODE (off, warn or fail)."""
        if mode not in PREFLIGHT_MODES:
            raise ValueError(f"preflight mode {mode!r}: expected one of {', '.join(PREFLIGHT_MODES)}")
        return mode == "fail" and bool(self.errors)

    def summary(self) -> str:
        counts = [(len(self.of(s)), s.value + (".one" if len(self.of(s)) == 1 else ".many")) for s in Severity]
        words = [t("preflight.count", count=n, word=t(f"preflight.{word}")) for n, word in counts]
        return t("preflight.and").join(words) + t("preflight.online" if self.online else "preflight.offline")


def quote(value: str, limit: int = 160) -> str:
    """Template text inside a message: in backticks (which it cannot close), cut to a readable length."""
    value = " ".join(value.replace("`", "'").split())
    return f"`{value if len(value) <= limit else value[: limit - 1] + '…'}`"
