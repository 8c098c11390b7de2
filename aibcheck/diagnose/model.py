"""Values that flow from the scanner to the verdict and the renderers."""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from aibcheck.catalogue.model import Signature
from aibcheck.taxonomy import Category, Confidence, Phase


@dataclass(frozen=True)
class Line:
    number: int  # 1-based, in the input
    text: str
    count: int = 1  # identical lines folded into this one


@dataclass(frozen=True)
class Finding:
    signature: Signature
    line: int
    text: str
    groups: dict[str, str] = field(default_factory=dict)
    # Where the input itself says the line belongs (a provisioningError is a submission error).
    phase_hint: Phase | None = None


class StepStatus(StrEnum):
    OK = "ok"
    FAILED = "failed"
    RUNNING = "running"  # still open where the input ends


@dataclass
class Step:
    name: str
    phase: Phase
    start_line: int
    start_time: datetime | None
    end_line: int | None = None
    end_time: datetime | None = None
    status: StepStatus = StepStatus.RUNNING
    mentions_deprovisioning: bool = False
    closed_by_cleanup: bool = False  # ended only because the cleanup began: success is not yet known

    def contains(self, line: int) -> bool:
        return self.start_line <= line and (self.end_line is None or line <= self.end_line)

    @property
    def duration_seconds(self) -> float | None:
        if self.start_time is None or self.end_time is None:
            return None
        return max(0.0, (self.end_time - self.start_time).total_seconds())


class InputKind(StrEnum):
    CUSTOMIZATION_LOG = "customization-log"
    PACKER_LOG = "packer-log"
    PIPELINE_LOG = "pipeline-log"
    JSON = "json"
    FORMAT_LIST = "format-list"
    MESSAGE = "message"


@dataclass(frozen=True)
class ScanResult:
    kind: InputKind
    lines: int
    findings: tuple[Finding, ...]
    steps: tuple[Step, ...]
    customizer_output: tuple[Line, ...]
    complete: bool  # the log ends with the service's export line
    build_errored_line: int | None
    build_finished: bool
    end_time: datetime | None
    gzip: bool = False
    # Where a status document says the run was when it ended (lastRunStatus.runSubState).
    run_sub_state_phase: Phase | None = None
    # A status document's lastRunStatus.runState ("" when the input has none): a run existed.
    run_state: str = ""
    # The template's own settings when the input is the template (buildTimeoutInMinutes as build_timeout, ...).
    facts: dict[str, str] = field(default_factory=dict)


class Outcome(StrEnum):
    FAILED = "failed"
    SUCCEEDED = "succeeded"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Signal:
    """Another distinct failure found besides the verdict, titled and redacted, for annotations."""

    signature: str
    category: Category
    title: str
    text: str
    line: int


@dataclass(frozen=True)
class Diagnosis:
    """The verdict, decided once: every text in it is final and redacted, so later layers only read it."""

    outcome: Outcome
    category: Category
    phase: Phase
    failed_customizer: str | None
    confidence: Confidence
    title: str
    cause: str
    fix: str
    docs: tuple[str, ...]
    signature: str | None
    evidence: tuple[Line, ...]
    findings: tuple[Finding, ...]
    scan: ScanResult
    failed_step: Step | None = None
    in_vm: bool = False  # the failed step ran inside the build VM (a customizer, validator or deprovisioning)
    customizer_output: tuple[Line, ...] = ()  # the failed step's last output, redacted; empty when not in the VM
    others: tuple[Signal, ...] = ()
    timeline: tuple[Step, ...] = ()  # the steps, named after the template's customizers when it is known
