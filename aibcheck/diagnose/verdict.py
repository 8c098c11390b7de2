"""Decide the root cause among the findings: not merely the last error."""

from aibcheck.catalogue.model import ROLE_RANK, Role
from aibcheck.diagnose.model import Diagnosis, Finding, Line, ScanResult, Step, StepStatus
from aibcheck.redact import redact
from aibcheck.taxonomy import Category, Confidence, Phase

MAX_EVIDENCE = 10
HIGH_PRIORITY = 60
_IN_VM_PHASES = (Phase.CUSTOMIZE, Phase.DEPROVISION, Phase.VALIDATE)


def failed_step(scan: ScanResult) -> Step | None:
    """The step that failed, or else the step still running where the input ends."""
    failed = [s for s in scan.steps if s.status is StepStatus.FAILED]
    if failed:
        return failed[0]
    running = [s for s in scan.steps if s.status is StepStatus.RUNNING and s.phase is not Phase.CLEANUP]
    return running[-1] if running else None


def _survived(finding: Finding, scan: ScanResult) -> bool:
    """A match inside a step that went on to succeed did not break the build.

    The cleanup is no such step: Packer reports the build's error only after cleaning up.
    """
    if finding.signature.counts_after_success:
        return False
    return any(_went_on_fine(s, scan) and s.contains(finding.line) for s in scan.steps)


def _went_on_fine(step: Step, scan: ScanResult) -> bool:
    if step.status is not StepStatus.OK or step.phase is Phase.CLEANUP:
        return False
    return scan.build_finished or not step.closed_by_cleanup  # a cut-off log does not say it went on fine


def _step_at(line: int, steps: tuple[Step, ...]) -> Step | None:
    inside = [s for s in steps if s.contains(line)]
    return inside[-1] if inside else None


def _rank(finding: Finding) -> tuple[int, int, int]:
    signature = finding.signature
    return (ROLE_RANK[signature.role], signature.priority, -finding.line)


# A lost connection is often the build VM restarting: a reboot in a script, or one it needed, in the step
# just before the one that failed explains it better than the lost connection itself.
_EXPLAINED_BY = {
    Category.NETWORK_BLOCKED: (Category.REBOOT_IN_SCRIPT, Category.PENDING_REBOOT),
    Category.COMMUNICATOR_TIMEOUT: (Category.REBOOT_IN_SCRIPT, Category.PENDING_REBOOT),
    # A feature installed just before and still waiting for its restart explains a command that is missing.
    Category.CUSTOMIZER_FAILED: (Category.PENDING_REBOOT,),
}


def _explanation(root: Finding, scan: ScanResult) -> Finding | None:
    causes = _EXPLAINED_BY.get(root.signature.category)
    failed = [s for s in scan.steps if s.status is StepStatus.FAILED]
    if not causes or not failed:
        return None
    index = scan.steps.index(failed[0])
    previous = scan.steps[index - 1] if index > 0 else None
    if previous is None or previous.phase not in _IN_VM_PHASES:
        return None
    found = [f for f in scan.findings if previous.contains(f.line) and f.signature.category in causes]
    return max(found, key=_rank) if found else None


def choose_root(scan: ScanResult) -> Finding | None:
    root = _choose(scan)
    return (_explanation(root, scan) or root) if root is not None else None


def _choose(scan: ScanResult) -> Finding | None:
    live = [f for f in scan.findings if not _survived(f, scan)]
    if scan.build_finished and scan.build_errored_line is None:
        # A build that finished can still leave trouble behind: in distribution, cleanup, or a lasting warning.
        live = [
            f
            for f in live
            if f.signature.phase in (Phase.DISTRIBUTE, Phase.CLEANUP) or f.signature.counts_after_success
        ]
    return max(live, key=_rank) if live else None


def _only_noise(root: Finding, step: Step | None) -> bool:
    """Only follow-on noise was found, yet a step visibly failed: the failed step says more.

    A cancellation is kept: it says the step was stopped from outside rather than failing by itself.
    """
    return (
        root.signature.role is Role.SECONDARY
        and root.signature.category is not Category.BUILD_CANCELLED
        and step is not None
        and step.status is StepStatus.FAILED
    )


def _phase_of(finding: Finding, scan: ScanResult) -> Phase:
    if finding.phase_hint is not None:
        return finding.phase_hint
    if finding.signature.phase_from_log:
        step = _step_at(finding.line, scan.steps) or failed_step(scan)
        if step is not None:
            return step.phase
        if scan.run_sub_state_phase is not None:
            return scan.run_sub_state_phase
    return finding.signature.phase


def _confidence(finding: Finding, step: Step | None) -> Confidence:
    role = finding.signature.role
    if role is Role.ROOT and finding.signature.priority >= HIGH_PRIORITY:
        return Confidence.HIGH
    if role is Role.ROOT or (role is Role.GENERIC and step is not None):
        return Confidence.MEDIUM
    return Confidence.LOW


def _evidence(root: Finding, findings: tuple[Finding, ...]) -> tuple[Line, ...]:
    related = [f for f in findings if f is not root and f.signature.category is root.signature.category]
    chosen = [root, *related[: MAX_EVIDENCE - 1]]
    return tuple(Line(f.line, redact(f.text.strip())) for f in sorted(chosen, key=lambda f: f.line))


def decide(scan: ScanResult) -> Diagnosis:
    root = choose_root(scan)
    step = failed_step(scan)
    if root is None or _only_noise(root, step):
        return _without_finding(scan, step)
    phase = _phase_of(root, scan)
    customizer = step.name if step is not None and step.phase in _IN_VM_PHASES else None
    customizer = customizer or root.groups.get("customizer")
    values = {**root.groups, "customizer": customizer or ""}
    signature = root.signature
    return Diagnosis(
        category=signature.category,
        phase=phase,
        failed_customizer=customizer,
        confidence=_confidence(root, step),
        title=redact(signature.title_for(values)),
        cause=signature.cause,
        fix=signature.fix,
        docs=signature.docs,
        signature=signature.id,
        evidence=_evidence(root, scan.findings),
        findings=scan.findings,
        scan=scan,
    )


def _without_finding(scan: ScanResult, step: Step | None) -> Diagnosis:
    """No known failure: say what the timeline shows (success, a step that failed, or a log cut off)."""
    category, confidence, customizer = Category.UNKNOWN, Confidence.LOW, None
    phase = scan.steps[-1].phase if scan.steps else Phase.UNKNOWN
    evidence: tuple[Line, ...] = ()
    if scan.build_finished and scan.build_errored_line is None:
        title = "No failure found: the build finished successfully"
        cause = "The log shows every step ending and the build finishing; nothing in it is a known failure."
        fix = "Nothing to fix. If VMs made from this image misbehave, look at the customizer output above."
        confidence = Confidence.MEDIUM
    elif step is not None and step.status is StepStatus.FAILED:
        phase = step.phase
        customizer = step.name if step.phase in _IN_VM_PHASES else None
        category = Category.CUSTOMIZER_FAILED if customizer else Category.UNKNOWN
        title = f"The {step.name} step failed with an error aibcheck does not know"
        cause = "The step started and the build errored before it ended; no known failure signature matched."
        fix = "Read the step's last output below for the error, then fix the script or setting it names."
        evidence = tuple(Line(line.number, redact(line.text)) for line in scan.customizer_output[-5:])
    elif step is not None:
        phase = step.phase
        title = f"The input ends while the {step.name} step is still running"
        cause = "The log was cut off, or the build is still running: no failure has been recorded yet."
        fix = "Fetch the log again when the build has ended (a complete log ends with the export line)."
    else:
        title = "No known failure found in the input"
        cause = "Nothing in the input matches a known failure, and it shows no build steps to follow."
        fix = "Give aibcheck the whole customization.log, or the template's lastRunStatus, for more to go on."
    return Diagnosis(
        category=category,
        phase=phase,
        failed_customizer=customizer,
        confidence=confidence,
        title=title,
        cause=cause,
        fix=fix,
        docs=(),
        signature=None,
        evidence=evidence,
        findings=scan.findings,
        scan=scan,
    )
