"""Run the checks on one template and turn what they report into findings at file, line and JSON pointer."""

from collections.abc import Iterable, Mapping
from pathlib import Path

from aibcheck.i18n import pick, t
from aibcheck.preflight.model import Finding, Hit, PreflightResult, Severity, quote
from aibcheck.preflight.online import Facts
from aibcheck.preflight.ports import ReadRefused, SubscriptionReader
from aibcheck.preflight.registry import BY_ID, CHECKS, Check
from aibcheck.preflight.source import TemplateSource, load_source
from aibcheck.preflight.view import TemplateView

_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.NOTICE: 2}


def run_preflight(
    template_path: str,
    parameters_file: str | None = None,
    parameters: Mapping[str, str] | None = None,
    *,
    offline: bool = True,
    arm: SubscriptionReader | None = None,
    resource_group: str | None = None,
    name: str | None = None,
    location: str | None = None,
    job_timeout_minutes: float | None = None,
    on_deadline: str = "detach",
    if_exists: str = "fail",
) -> PreflightResult:
    """Check a template before it is submitted. Offline, only the template is read; online (offline=False,
    with `arm`), the subscription is read too. Raises InputError for a template that cannot be read and
    AzureAccessError when Azure cannot be reached."""
    if not offline and arm is None:
        raise ValueError("online preflight needs a SubscriptionReader (arm)")
    source = load_source(template_path, parameters_file, parameters)
    view = TemplateView(source.resource, job_timeout_minutes, on_deadline, if_exists, location)
    found = _unresolved(source)
    for check in CHECKS:
        if check.template is not None:
            found += _findings(source, check, check.template(view))
    if not offline and arm is not None:
        facts = Facts(arm, view, resource_group, name or source.name or Path(template_path).stem)
        found += _online(source, view, facts)
    return PreflightResult(template_path, _tidy(found), not offline, arm.requests if arm and not offline else 0)


def _online(source: TemplateSource, view: TemplateView, facts: Facts) -> list[Finding]:
    found: list[Finding] = []
    for check in CHECKS:
        if check.subscription is None:
            continue
        try:
            found += _findings(source, check, list(check.subscription(view, facts)))
        except ReadRefused as refused:
            message = t("preflight.not-checked", check=check.id, reason=refused)
            found += _findings(source, BY_ID["online-check-skipped"], [Hit("", message)])
    return found


def _findings(source: TemplateSource, check: Check, hits: Iterable[Hit]) -> list[Finding]:
    out = []
    for hit in hits:
        path, line = source.locate(hit.pointer)
        severity = hit.severity or check.severity
        out.append(Finding(check.id, severity, source.path, line, path, hit.message, pick(check.fix, check.fix_zh)))
    return out


def _unresolved(source: TemplateSource) -> list[Finding]:
    if not source.unresolved:
        return []
    first = source.unresolved[0]
    count = len(source.unresolved)
    more = t("preflight.unresolved.more", count=count - 3) if count > 3 else ""
    shown = ", ".join(quote(p) for p in source.unresolved[:3]) + more
    check = BY_ID["unresolved-expression"]
    message = t("preflight.unresolved", count=count, shown=shown)
    fix = pick(check.fix, check.fix_zh)
    return [Finding(check.id, check.severity, source.path, source.lines.get(first, 1), first, message, fix)]


def _tidy(found: list[Finding]) -> tuple[Finding, ...]:
    """One finding per check and place (an online check may confirm an offline one), in file order."""
    seen: set[tuple[str, str]] = set()
    unique = []
    for finding in found:
        key = (finding.id, finding.path if finding.id != "online-check-skipped" else finding.message)
        if key not in seen:
            seen.add(key)
            unique.append(finding)
    return tuple(sorted(unique, key=lambda f: (f.line, _ORDER[f.severity], f.id)))
