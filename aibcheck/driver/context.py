"""What the driver works with: its parts (ports, clock, voice) and what it knows of the build at any moment.

What is known is kept up to date as the build goes, so that a stop (a signal, the deadline) can report it from
wherever it lands.
"""

import shlex
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from aibcheck.ci.report import Report
from aibcheck.cloud.clouds import AZURE_CLOUD
from aibcheck.driver.ports import ImageBuilderPort, LogStorePort
from aibcheck.errors import ExitCode
from aibcheck.render.context import BuildContext
from aibcheck.settings import Settings


@dataclass(frozen=True)
class Outcome:
    """How the build ended (so far): the exit code, the step's outputs, and what to diagnose when it failed."""

    exit_code: ExitCode = ExitCode.OK
    outputs: Mapping[str, str] = field(default_factory=dict)
    diagnosis_input: Mapping[str, Any] | None = None  # the run status (or refused template) to diagnose
    secrets: tuple[str, ...] = ()  # values to mask in the pipeline log
    warning: str = ""  # something the pipeline must show although the build succeeded

    def with_outputs(self, values: Mapping[str, str]) -> "Outcome":
        return replace(self, outputs={**self.outputs, **values})


class Phase(StrEnum):
    PREPARING = "preparing"  # looking for a template of the same name, making room
    SUBMITTING = "submitting"  # the template is sent and provisioned
    STARTING = "starting"  # the run is requested
    WATCHING = "watching"  # the run exists and is watched
    FINISHING = "finishing"  # the run has ended: outputs, log, deletion, report


@dataclass(frozen=True)
class Voice:
    """Where the driver speaks: progress lines (neutralised), rendered blocks, and reports through the platform."""

    say: Callable[[str], None]
    show: Callable[[str], None]
    report: Callable[[Report], None]


@dataclass(frozen=True)
class Parts:
    settings: Settings
    service: ImageBuilderPort
    logs: LogStorePort
    voice: Voice
    log_folder: Callable[[], Path]  # made when first needed
    clock: Callable[[], float]
    sleep: Callable[[float], None]

    @property
    def group(self) -> str:
        return self.settings.resource_group


@dataclass
class Progress:
    """What is known of this build: the latest outcome, the phase, whether a run exists, the live log's URL."""

    name: str
    phase: Phase = Phase.PREPARING
    outcome: Outcome = field(default_factory=Outcome)
    run_exists: bool = False
    log_url: str = ""

    def note(self, outputs: Mapping[str, str]) -> None:
        self.outcome = self.outcome.with_outputs(outputs)

    @property
    def outputs(self) -> Mapping[str, str]:
        return self.outcome.outputs


def template_id(settings: Settings, name: str) -> str:
    return (
        f"/subscriptions/{settings.subscription}/resourceGroups/{settings.resource_group}"
        f"/providers/Microsoft.VirtualMachineImages/imageTemplates/{name}"
    )


def attach_command(settings: Settings, name: str) -> str:
    """The command that picks this build up again: everything needed to reach the same template."""
    words = [
        "aibcheck", "attach", "--template", name, "--resource-group", settings.resource_group,
        "--subscription", settings.subscription,
    ]  # fmt: skip
    if settings.arm_endpoint and settings.arm_endpoint != AZURE_CLOUD.arm:
        words += ["--arm-endpoint", settings.arm_endpoint]
    elif settings.cloud not in (None, "AzureCloud"):
        words += ["--cloud", str(settings.cloud)]
    return shlex.join(words)


def build_context(settings: Settings, name: str, outputs: Mapping[str, str]) -> BuildContext:
    return BuildContext(
        template=name,
        resource_group=settings.resource_group,
        staging_group=outputs.get("staging-resource-group", ""),
        log_path=outputs.get("log-path", ""),
        log_url=outputs.get("log-url", ""),
        log_problem=outputs.get("log-problem", ""),
    )


def shown_outputs(outputs: Mapping[str, str]) -> dict[str, str]:
    """The step's outputs: what is known, without the notes kept for the report."""
    return {key: value for key, value in outputs.items() if key != "log-problem"}
