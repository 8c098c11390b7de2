"""Everything `aibcheck run` needs, validated in one place."""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from aibcheck.driver.deadline import ON_CANCEL, ON_DEADLINE
from aibcheck.errors import InputError

IF_EXISTS = ("fail", "replace", "unique")
DELETE = ("on-success", "always", "never")
PUBLIC_ARM = "https://management.azure.com"


@dataclass(frozen=True)
class RunSettings:
    template: str
    subscription: str
    resource_group: str
    name: str | None = None
    location: str | None = None
    parameters_file: str | None = None
    parameters: Mapping[str, str] = field(default_factory=dict)
    if_exists: str = "fail"
    delete: str = "on-success"
    endpoint: str = PUBLIC_ARM
    tags: Mapping[str, str] = field(default_factory=dict)
    keep_alive_minutes: int = 0
    dry_run: bool = False
    poll_seconds: float = 20.0
    heartbeat_seconds: float = 300.0
    live_log: bool | None = None  # None: on in a pipeline, off on a terminal
    comment: str = "on-failure"
    summary_file: str | None = None
    job_timeout_minutes: float | None = None  # None: the platform's known limit, if any
    margin_minutes: float = 5.0
    on_deadline: str = "detach"
    on_cancel: str = "report"

    def __post_init__(self) -> None:
        if self.if_exists not in IF_EXISTS:
            raise InputError(f"--if-exists {self.if_exists!r}: expected one of {', '.join(IF_EXISTS)}")
        if self.delete not in DELETE:
            raise InputError(f"--delete {self.delete!r}: expected one of {', '.join(DELETE)}")
        if not self.dry_run and not self.subscription:
            raise InputError(
                "no subscription", "pass --subscription or set AIBCHECK_SUBSCRIPTION or AZURE_SUBSCRIPTION_ID"
            )
        if not self.dry_run and not self.resource_group:
            raise InputError("no resource group", "pass --resource-group or set AIBCHECK_RESOURCE_GROUP")
        if not self.endpoint.startswith("https://"):
            raise InputError(
                f"ARM endpoint {self.endpoint!r} is not https", "Azure Resource Manager is only served over https"
            )
        if self.on_deadline not in ON_DEADLINE:
            raise InputError(f"--on-deadline {self.on_deadline!r}: expected one of {', '.join(ON_DEADLINE)}")
        if self.on_cancel not in ON_CANCEL:
            raise InputError(f"--on-cancel {self.on_cancel!r}: expected one of {', '.join(ON_CANCEL)}")
        if self.keep_alive_minutes < 0 or self.poll_seconds < 0:
            raise InputError("--keep-alive-minutes and --poll-seconds cannot be negative")


def pairs(items: list[str], what: str) -> dict[str, str]:
    """NAME=VALUE items (flags, or lines of an environment variable) as a mapping."""
    result = {}
    for item in items:
        if not item.strip():
            continue
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise InputError(f"{what} {item!r}: expected NAME=VALUE")
        result[name.strip()] = value
    return result


def unique_suffix(env: Mapping[str, str], resource: Mapping[str, Any]) -> str:
    """The pipeline's run id (and attempt), or a short hash of the template when there is no pipeline."""
    run = env.get("GITHUB_RUN_ID") or env.get("BUILD_BUILDID")
    if run:
        attempt = env.get("GITHUB_RUN_ATTEMPT") or env.get("SYSTEM_JOBATTEMPT")
        return f"{run}-{attempt}" if attempt else run
    return hashlib.sha256(json.dumps(resource, sort_keys=True).encode()).hexdigest()[:8]
