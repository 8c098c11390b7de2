"""What the rest of the input says about a finding: the phase its own words name, whether the build went on
past it, whether it is about the build at all."""

import re

from aibcheck.diagnose.model import Finding, InputKind, ScanResult, Step
from aibcheck.taxonomy import Category, Phase

# A failure message that says which stage failed: "Failed in distributing 1 images out of total 1: ...".
_STATED_PHASES = (
    (
        re.compile(
            r"Failed in distributing|\[Distribute \d+\]|Error publishing|while publishing|Error copying VHD"
            r"|Publishing to Shared Image Gallery|Distributing image|Error distributing",
            re.IGNORECASE,
        ),
        Phase.DISTRIBUTE,
    ),
    # An authorization failure names the action it was refused: writing the image is distribution,
    # creating the build VM and what it needs is its deploy.
    (
        re.compile(
            r"perform action '?Microsoft\.Compute/(?:galleries/images/versions|images)/write",
            re.IGNORECASE,
        ),
        Phase.DISTRIBUTE,
    ),
    (
        re.compile(
            r"perform action '?Microsoft\.(?:Network/virtualNetworks/subnets/join/action"
            r"|Compute/(?:virtualMachines|disks)/write|Network/(?:networkInterfaces|publicIPAddresses)/write"
            r"|KeyVault/vaults/write)",
            re.IGNORECASE,
        ),
        Phase.DEPLOY,
    ),
    # Packer's own words when capturing the image from the build VM fails.
    (
        re.compile(
            r"failed to (?:capture (?:OS|data) Disk|grant access|copy to storage) with err"
            r"|failed to get build VM before capturing image",
            re.IGNORECASE,
        ),
        Phase.DISTRIBUTE,
    ),
    # Packer names the deployment of the build VM pkrdp<random>: an error about it is the build's deploy.
    # It puts the WinRM certificate in a key vault of its own while deploying it.
    (
        re.compile(
            r"deployment '?pkrdp\w+|Error setting winrm cert in custom keyvault|failed to get certificate URL",
            re.IGNORECASE,
        ),
        Phase.DEPLOY,
    ),
)
# Packer names its build VM pkrvm<random>: a provisioning error about it is the build's own.
_BUILD_VM = re.compile(r"\bpkrvm\w+|\bIT_\w+|packerizer|Failed in building|azure-arm", re.IGNORECASE)
_IN_VM = (Phase.CUSTOMIZE, Phase.VALIDATE, Phase.DEPROVISION)


def stated_phase(text: str) -> Phase | None:
    """The phase a failure line names itself, if any."""
    for pattern, phase in _STATED_PHASES:
        if pattern.search(text):
            return phase
    return None


# Packer's statement of the error that ended a build, and the closing summary line that repeats it.
_FINAL_ERROR = re.compile(r"Build '[^']+' errored\b|(?:^|\s)--> [\w.-]+: \S")


def final_error_line(text: str) -> bool:
    return bool(_FINAL_ERROR.search(text))


def stated_phase_before(line: int, findings: tuple[Finding, ...]) -> Phase | None:
    """The phase named by the closest earlier line of the same message ("Failed in distributing ..." above a
    wrapped AuthorizationFailed), for inputs without a timeline."""
    for finding in sorted(findings, key=lambda f: f.line, reverse=True):
        if finding.line <= line:
            stated = stated_phase(finding.text)
            if stated is not None:
                return stated
    return None


def step_at(line: int, steps: tuple[Step, ...]) -> Step | None:
    inside = [s for s in steps if s.contains(line)]
    return inside[-1] if inside else None


def before_capture(finding: Finding, scan: ScanResult) -> bool:
    """The build went on to capture the image after this line: whatever it reported there did not stop it.

    Packer stops at the first failed step, so a build VM that is being captured got through its deploy,
    customizers and generalization (Sysprep prints IMAGE_STATE_UNDEPLOYABLE while it works, for example).
    """
    if finding.signature.counts_after_success or finding.signature.phase in (Phase.DISTRIBUTE, Phase.CLEANUP):
        return False
    capture = next((s for s in scan.steps if s.phase is Phase.DISTRIBUTE), None)
    return capture is not None and finding.line < capture.start_line


def outside_its_step(finding: Finding, scan: ScanResult) -> bool:
    """A signature meant for one stage only (an Azure error during cleanup) matched elsewhere."""
    wanted = finding.signature.only_in
    if wanted is None:
        return False
    step = step_at(finding.line, scan.steps)
    if wanted is Phase.UNKNOWN:
        return bool(scan.steps)  # meant for a bare message: the log around a line says more than a guess
    return step is None or step.phase is not wanted


def about_the_build_vm(finding: Finding, scan: ScanResult) -> bool:
    """A first-boot failure (a VM made from the finished image) reported where the build's own VM is meant.

    A log or status of the build itself, or a message naming Packer's build VM or the staging group, is about
    the build VM: its provisioning failed during deploy, whatever the message suggests about the image.
    """
    if finding.signature.phase is not Phase.FIRST_BOOT:
        return False
    return bool(scan.steps or scan.run_state or _BUILD_VM.search(finding.text))


def not_the_tool(finding: Finding, scan: ScanResult) -> bool:
    """A tooling failure (a missing module, a sign-in error) inside the build: a customizer's script ran that
    tool, or it is Image Builder's own Packer. Either way it is not the client that drives the build."""
    if finding.signature.category is not Category.CLIENT_TOOLING:
        return False
    if scan.kind is InputKind.CUSTOMIZATION_LOG:
        return True
    if finding.signature.packer_own:
        return False
    step = step_at(finding.line, scan.steps)
    return step is not None and step.phase in _IN_VM
