"""Decide the root cause among the findings: not merely the last error."""

from collections.abc import Mapping

from aibcheck.catalogue.facts import derive
from aibcheck.catalogue.model import ROLE_RANK, Role
from aibcheck.diagnose.context import (
    about_the_build_vm,
    before_capture,
    final_error_line,
    not_the_tool,
    outside_its_step,
    stated_phase,
    stated_phase_before,
    step_at,
)
from aibcheck.diagnose.evidence import evidence, fillable, readable
from aibcheck.diagnose.model import Diagnosis, Finding, Line, Outcome, ScanResult, Signal, Step, StepStatus
from aibcheck.i18n import t
from aibcheck.redact import redact
from aibcheck.taxonomy import Category, Confidence, Phase

HIGH_PRIORITY = 60
_IN_VM_PHASES = (Phase.CUSTOMIZE, Phase.DEPROVISION, Phase.VALIDATE)


def failed_step(scan: ScanResult) -> Step | None:
    """The step that failed, or else the step still running where the input ends."""
    failed = [s for s in scan.steps if s.status is StepStatus.FAILED]
    if failed:
        return failed[0]
    running = [s for s in scan.steps if s.status is StepStatus.RUNNING and s.phase is not Phase.CLEANUP]
    return running[-1] if running else None


def _reported_late(finding: Finding, scan: ScanResult) -> Step | None:
    """The step a failure repeated after the cleanup began belongs to: Packer reports the build's error late.

    The failed step when the timeline knows one, else the last step before the cleanup.
    """
    where = step_at(finding.line, scan.steps)
    if where is None or where.phase is not Phase.CLEANUP or finding.signature.phase is Phase.CLEANUP:
        return None
    if finding.signature.packer_own:
        return None  # Packer's own crash happens where it is printed; it repeats no earlier error
    before = [s for s in scan.steps if s.phase is not Phase.CLEANUP and s.start_line < where.start_line]
    return failed_step(scan) or (before[-1] if before else None)


def _survived(finding: Finding, scan: ScanResult) -> bool:
    """A match inside a step that went on to succeed did not break the build.

    The cleanup is no such step: Packer reports the build's error only after cleaning up.
    """
    if finding.signature.counts_after_success:
        return False
    if before_capture(finding, scan):
        return True
    return any(_went_on_fine(s, scan) and s.contains(finding.line) for s in scan.steps)


def _went_on_fine(step: Step, scan: ScanResult) -> bool:
    if step.status is not StepStatus.OK or step.phase is Phase.CLEANUP:
        return False
    return scan.build_finished or not step.closed_by_cleanup  # a cut-off log does not say it went on fine


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


def _out_of_context(finding: Finding, scan: ScanResult) -> bool:
    """A match the rest of the input rules out: a stage-only signature elsewhere, a first-boot failure of the
    build's own VM, a tooling failure inside the build."""
    return outside_its_step(finding, scan) or about_the_build_vm(finding, scan) or not_the_tool(finding, scan)


def _choose(scan: ScanResult) -> Finding | None:
    live = [f for f in scan.findings if not (_survived(f, scan) or _out_of_context(f, scan))]
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
    stated = stated_phase(finding.text) if finding.signature.phase is not Phase.FIRST_BOOT else None
    if stated is None and not scan.steps and _placed_by_context(finding):
        stated = stated_phase_before(finding.line, scan.findings)
    if stated is not None:
        return stated
    if finding.signature.phase_from_log:
        step = _reported_late(finding, scan) or step_at(finding.line, scan.steps) or failed_step(scan)
        if step is not None:
            return step.phase
        if scan.run_sub_state_phase is not None:
            return scan.run_sub_state_phase
    if finding.signature.phase is Phase.SUBMISSION and scan.run_state:
        # A run existed, so the template was accepted: the failure happened where the run was, not at submission.
        return scan.run_sub_state_phase or Phase.UNKNOWN
    return finding.signature.phase


def _placed_by_context(finding: Finding) -> bool:
    """A failure that can happen in any phase (an authorization error) takes the phase its message states."""
    return finding.signature.phase_from_log or finding.signature.phase in (Phase.SUBMISSION, Phase.UNKNOWN)


_CONFIDENCE_ORDER = (Confidence.LOW, Confidence.MEDIUM, Confidence.HIGH)


def _confidence(finding: Finding, step: Step | None, scan: ScanResult) -> Confidence:
    found = _plain_confidence(finding, step, scan)
    at_most = finding.signature.confidence_at_most
    if at_most is not None and _CONFIDENCE_ORDER.index(found) > _CONFIDENCE_ORDER.index(at_most):
        return at_most
    return found


def _plain_confidence(finding: Finding, step: Step | None, scan: ScanResult) -> Confidence:
    role = finding.signature.role
    if role is Role.ROOT and finding.signature.priority >= HIGH_PRIORITY:
        return Confidence.MEDIUM if _contradicted(finding, scan) else Confidence.HIGH
    failed_in_vm = _in_vm(step) and step is not None and step.status is StepStatus.FAILED
    if failed_in_vm and role is not Role.SECONDARY and finding.signature.category is Category.CUSTOMIZER_FAILED:
        # "exited with status 1" says little alone, but the timeline shows that very customizer failing.
        return Confidence.HIGH
    if role is Role.ROOT or (role is Role.GENERIC and step is not None):
        return Confidence.MEDIUM
    return Confidence.LOW


# Answers that explain whatever follows them, so they are never a mere consequence of an earlier error.
_REFUSALS = (Category.MISSING_PERMISSION, Category.POLICY_DENIED)


def _contradicted(root: Finding, scan: ScanResult) -> bool:
    """Packer's own statement of what stopped the build ("Build 'x' errored: ...") is a refusal (403, a
    policy) while the root is something else: the earlier error may have been one Packer went past."""
    if final_error_line(root.text) or root.signature.category in _REFUSALS:
        return False
    return any(
        f.signature.category in _REFUSALS
        and final_error_line(f.text)
        and not _survived(f, scan)
        for f in scan.findings
    )


def _others(root: Finding | None, scan: ScanResult) -> tuple[Signal, ...]:
    """One signal per other distinct specific failure that did not survive, for annotations."""
    seen = {root.signature.id} if root is not None else set()
    others = []
    for finding in scan.findings:
        signature = finding.signature
        if signature.id in seen or signature.role is not Role.ROOT or _survived(finding, scan):
            continue
        seen.add(signature.id)
        title = redact(signature.title_for(fillable(finding)))
        others.append(Signal(signature.id, signature.category, title, readable(finding.text), finding.line))
    return tuple(others)


def _in_vm(step: Step | None) -> bool:
    return step is not None and step.phase in _IN_VM_PHASES


def _output(scan: ScanResult, step: Step | None) -> tuple[Line, ...]:
    if not _in_vm(step):
        return ()
    return tuple(Line(line.number, redact(line.text)) for line in scan.customizer_output)


def _succeeded(scan: ScanResult) -> bool:
    if scan.run_state:
        return scan.run_state.lower() in ("succeeded", "partiallysucceeded")
    return scan.build_finished and scan.build_errored_line is None


def decide(scan: ScanResult, facts: Mapping[str, str] | None = None) -> Diagnosis:
    """The verdict: the root cause among the findings, titled, filled with the facts found and redacted."""
    root = choose_root(scan)
    step = failed_step(scan) or (_reported_late(root, scan) if root is not None else None)
    if root is None or _only_noise(root, step):
        return _without_finding(scan, step)
    phase = _phase_of(root, scan)
    customizer = step.name if _in_vm(step) and step is not None else None
    groups = fillable(root)
    customizer = customizer or groups.get("customizer")
    values = {**scan.facts, **(facts or {}), **groups, "customizer": customizer or ""}
    values = {**_derived(root, scan, values), **values}
    signature = root.signature
    category = signature.category
    if phase is Phase.DISTRIBUTE and signature.distribute_category is not None:
        category = signature.distribute_category
    return Diagnosis(
        outcome=Outcome.FAILED,
        category=category,
        phase=phase,
        failed_customizer=redact(customizer) if customizer else None,
        confidence=_confidence(root, step, scan),
        title=redact(signature.title_for(values)),
        cause=redact(signature.cause_for(values)),
        fix=redact(signature.fix_for(values)),
        docs=signature.docs,
        signature=signature.id,
        evidence=evidence(root, scan, _survived),
        findings=scan.findings,
        scan=scan,
        failed_step=step,
        in_vm=_in_vm(step),
        customizer_output=_output(scan, step),
        others=_others(root, scan),
        timeline=scan.steps,
    )


def _derived(root: Finding, scan: ScanResult, values: dict[str, str]) -> dict[str, str]:
    """Facts that follow from the root's line (a code's meaning), or from any line (where the log is)."""
    derived = derive(values, root.text)
    if "log_url" not in derived:
        for finding in scan.findings:
            url = derive({}, finding.text).get("log_url") if "packerlogs" in finding.text else None
            if url:
                derived["log_url"] = url
                break
    return derived


def _without_finding(scan: ScanResult, step: Step | None) -> Diagnosis:
    """No known failure: say what the timeline shows (success, a step that failed, or a log cut off)."""
    category, confidence, customizer, outcome = Category.UNKNOWN, Confidence.LOW, None, Outcome.UNKNOWN
    phase = scan.steps[-1].phase if scan.steps else Phase.UNKNOWN
    evidence: tuple[Line, ...] = ()
    if _succeeded(scan):
        outcome, phase, confidence = Outcome.SUCCEEDED, Phase.UNKNOWN, Confidence.MEDIUM
        title, cause, fix = t("verdict.succeeded.title"), t("verdict.succeeded.cause"), t("verdict.succeeded.fix")
    elif step is not None and step.status is StepStatus.FAILED:
        outcome, phase = Outcome.FAILED, step.phase
        customizer = step.name if _in_vm(step) else None
        category = Category.CUSTOMIZER_FAILED if customizer else Category.UNKNOWN
        title = t("verdict.step-failed.title", step=step.name)
        cause, fix = t("verdict.step-failed.cause"), t("verdict.step-failed.fix")
        evidence = _output(scan, step)[-5:]
    elif step is not None:
        phase = step.phase
        title = t("verdict.running.title", step=step.name)
        cause, fix = t("verdict.running.cause"), t("verdict.running.fix")
    else:
        if scan.run_state.lower() in ("failed", "canceled") or scan.build_errored_line is not None:
            outcome = Outcome.FAILED
        title, cause, fix = t("verdict.none.title"), t("verdict.none.cause"), t("verdict.none.fix")
    return Diagnosis(
        outcome=outcome,
        category=category,
        phase=phase,
        failed_customizer=redact(customizer) if customizer else None,
        confidence=confidence,
        title=redact(title),
        cause=cause,
        fix=fix,
        docs=(),
        signature=None,
        evidence=evidence,
        findings=scan.findings,
        scan=scan,
        failed_step=step,
        in_vm=_in_vm(step),
        customizer_output=_output(scan, step),
        others=_others(None, scan),
        timeline=scan.steps,
    )
