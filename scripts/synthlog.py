"""Write synthetic AIB customization.log files: a whole build, optionally failing in a chosen phase.

Used by the benchmark (large logs with the failure in the last customizer) and by the tests. The chatty
customizer that makes up the size talks like one of three kinds of healthy build:
  windows         a PowerShell script's output (the default)
  windows-update  the Windows Update customizer: searching, downloading, installing, load progress lines
  linux           cloud-init and long apt output (a Linux build over SSH)

    python scripts/synthlog.py OUT.log --failure customize --size-mb 100 --flavour linux
"""

import argparse
import random
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import TextIO

OPERATION = "[9f1c2a77-5b0e-4c1f-8f3e-2d7a61c0b5e4]"
START = datetime(2026, 3, 4, 10, 0, 0)
FAILURES = ("none", "deploy", "connect", "customize", "deprovision", "distribute")
FLAVOURS = ("windows", "windows-update", "linux")

_UPDATE_WORDS = (
    "Downloading",
    "Installing",
    "Found",
    "update",
    "KB5034441",
    "KB5035857",
    "Cumulative",
    "Security",
    "for",
    "Windows",
    "Server",
    "2022",
    "x64-based",
    "Systems",
    "(2026-03)",
    "package",
    "percent",
    "complete",
)


class _Log:
    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.now = START
        self.size = 0

    def tick(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)

    def _write(self, text: str) -> None:
        self.out.write(text)
        self.size += len(text)

    def ui(self, text: str) -> None:
        self._write(f"{OPERATION} PACKER OUT {text}\n")

    def debug(self, text: str) -> None:
        stamp = self.now.strftime("%Y/%m/%d %H:%M:%S")
        self._write(f"{OPERATION} PACKER ERR {stamp} {text}\n")

    def raw(self, text: str) -> None:
        self._write(text)


def _filler_block(rng: random.Random, stamp: str, lines: int) -> str:
    """Healthy, chatty customizer output (Windows Update style), made once and written many times."""
    out = []
    for index in range(lines):
        words = " ".join(rng.choice(_UPDATE_WORDS) for _ in range(rng.randint(6, 14)))
        if index % 3:
            out.append(f"{OPERATION} PACKER OUT     azure-arm: {words}\n")
        else:
            out.append(
                f"{OPERATION} PACKER ERR {stamp} packer-provisioner-powershell plugin: [INFO] {rng.randint(10, 9999)}"
                f" bytes written for 'stdout' ({words})\n"
            )
    return "".join(out)


_KBS = ("KB5034441", "KB5035857", "KB5036909", "KB5037422", "KB890830", "KB2267602")
_PACKAGES = ("libssl3", "nginx-common", "python3-pip", "libnginx-mod-http-geoip2", "unzip", "jq", "azure-cli", "git")


def _update_block(rng: random.Random, stamp: str, lines: int) -> str:
    """Healthy Windows Update customizer chatter: searches, downloads, installs and load progress lines."""
    out = []
    for index in range(lines):
        kb = rng.choice(_KBS)
        choice = index % 8
        if choice < 4:
            text = f"Waiting for operation to complete (system performance: {rng.randint(1, 89)}% cpu; {rng.randint(10, 89)}% memory)..."
        elif choice == 4:
            text = f"Found Windows update (2026-03-{rng.randint(10, 28)}; {rng.randint(1, 900)}.{rng.randint(10, 99)} MB): 2026-03 Cumulative Update for Windows Server 2022 for x64-based Systems ({kb})"
        elif choice == 5:
            text = rng.choice(("Searching for Windows updates...", "Downloading Windows updates (3 updates; 1204.5 MB)...", "Installing Windows updates...", "Waiting for the Windows Modules Installer to exit..."))
        elif choice == 6:
            text = rng.choice(("Pending Windows updates require a restart.", f"Installed Windows update {kb}."))
        else:
            out.append(
                f"{OPERATION} PACKER ERR {stamp} packer-provisioner-windows-update plugin: [INFO] {rng.randint(10, 9999)}"
                " bytes written for 'stdout'\n"
            )
            continue
        out.append(f"{OPERATION} PACKER OUT     azure-arm: {text}\n")
    return "".join(out)


def _apt_block(rng: random.Random, stamp: str, lines: int) -> str:
    """Healthy cloud-init and apt output of a Linux customizer."""
    out = []
    for index in range(lines):
        package = rng.choice(_PACKAGES)
        version = f"{rng.randint(1, 3)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}-{rng.randint(1, 9)}ubuntu{rng.randint(1, 20)}"
        text = (
            f"Get:{index % 97} http://azure.archive.ubuntu.com/ubuntu jammy-updates/main amd64 {package} amd64 {version} [{rng.randint(10, 9000)} kB]",
            f"Selecting previously unselected package {package}.",
            f"Preparing to unpack .../{package}_{version}_amd64.deb ...",
            f"Unpacking {package} ({version}) ...",
            f"Setting up {package} ({version}) ...",
            "Processing triggers for man-db (2.10.2-1) ...",
            "debconf: unable to initialize frontend: Dialog",
            "debconf: falling back to frontend: Readline",
            "dpkg-preconfigure: unable to re-open stdin: No such file or directory",
            "Reading package lists...",
            "Building dependency tree...",
            "Reading state information...",
            f"0 upgraded, {rng.randint(1, 60)} newly installed, 0 to remove and {rng.randint(0, 90)} not upgraded.",
            f"Fetched {rng.randint(1, 90)}.{rng.randint(0, 9)} MB in {rng.randint(1, 9)}s ({rng.randint(900, 9000)} kB/s)",
            f"Hit:{index % 9} http://azure.archive.ubuntu.com/ubuntu jammy InRelease",
            "W: https://packages.microsoft.com/repos/azure-cli/dists/jammy/InRelease: Key is stored in legacy trusted.gpg keyring (/etc/apt/trusted.gpg), see the DEPRECATION section in apt-key(8) for details.",
            f"Created symlink /etc/systemd/system/multi-user.target.wants/{package}.service -> /lib/systemd/system/{package}.service.",
            f"cloud-init[{rng.randint(500, 2000)}]: Cloud-init v. 23.4.4-0ubuntu0~22.04.1 running 'modules:final' at Wed, 04 Mar 2026 10:00:00 +0000. Up {rng.randint(10, 99)}.{rng.randint(10, 99)} seconds.",
            "update-alternatives: using /usr/bin/python3 to provide /usr/bin/python (python) in auto mode",
            "No services need to be restarted.",
        )[index % 20]
        out.append(f"{OPERATION} PACKER OUT     azure-arm: {text}\n")
    return "".join(out)


_BLOCKS = {"windows": _filler_block, "windows-update": _update_block, "linux": _apt_block}


def _deploy(log: _Log) -> None:
    log.debug("[INFO] Packer version: 1.10.0 [go1.21.6 linux amd64]")
    log.ui("==> azure-arm: Running builder ...")
    log.ui("==> azure-arm: Getting tokens using Managed Identity for Azure")
    log.ui("==> azure-arm: Using existing resource group ...")
    log.ui("==> azure-arm:  -> ResourceGroupName : 'IT_images_win2022_9a8b7c6d-0000-4aaa-bbbb-123456789abc'")
    log.ui("==> azure-arm: Validating deployment template ...")
    log.tick(20)
    log.ui("==> azure-arm: Deploying deployment template ...")
    for _ in range(5):
        log.tick(30)
        log.debug(
            'packer-plugin-azure plugin: 2026/03/04 10:01:00 Azure request method="GET" '
            'request="https://management.azure.com/subscriptions/00000000-0000-0000-0000-000000000000'
            "/resourcegroups/IT_images_win2022_9a8b7c6d/providers/Microsoft.Resources/deployments/pkrdp0123"
            '/operationStatuses/08584?[REDACTED]" body=""'
        )


def _connect(log: _Log) -> None:
    log.ui("==> azure-arm: Getting the VM's IP address ...")
    log.ui("==> azure-arm: Waiting for WinRM to become available...")
    log.debug("packer-plugin-azure plugin: [INFO] Waiting for WinRM, up to timeout: 10m0s")
    log.tick(95)
    log.ui("    azure-arm: WinRM connected.")
    log.ui("==> azure-arm: Connected to WinRM!")


def _provisioner(log: _Log, name: str, body: Callable[[_Log], None], fail: str | None = None) -> None:
    log.debug(f"[INFO] (telemetry) Starting provisioner {name}")
    log.ui(f"==> azure-arm: Provisioning with {name}...")
    body(log)
    if fail is not None:
        log.raw(fail)
    log.debug(f"[INFO] (telemetry) ending {name}")
    if fail is not None:
        log.debug(
            "[INFO] (telemetry) found error: Script exited with non-zero exit status: 1. Allowed exit codes are: [0]"
        )


def _short_script(log: _Log) -> None:
    for step in ("Installing IIS", "Configuring features", "Done"):
        log.tick(5)
        log.ui(f"    azure-arm: {step}")
    log.debug(
        "packer: [INFO] command 'powershell -executionpolicy bypass -file c:/Windows/Temp/script.ps1' "
        "exited with code: 0"
    )


def _chatty(size_bytes: int, rng: random.Random, flavour: str = "windows") -> Callable[[_Log], None]:
    def body(log: _Log) -> None:
        block = _BLOCKS[flavour](rng, log.now.strftime("%Y/%m/%d %H:%M:%S"), 4000)
        while size_bytes > 0 and log.size < size_bytes:
            log.raw(block)
            log.tick(20)

    return body


def _finish(log: _Log, error: str | None = None) -> None:
    """Cleanup, then Packer's verdict: it reports an error only after cleaning up."""
    log.ui("==> azure-arm: The resource group was not created by Packer, deleting individual resources ...")
    log.ui("==> azure-arm: Deleting -> Microsoft.Compute/virtualMachines : 'pkrvm0123'")
    log.ui("==> azure-arm: Removing the created Deployment object: 'pkrdp0123'")
    log.tick(60)
    if error is not None:
        if error != _ERRORED_ALREADY:
            log.ui(f"Build 'azure-arm' errored after 42 minutes 7 seconds: {error}")
        log.ui("==> Some builds didn't complete successfully and had errors:")
        log.ui(f"--> azure-arm: {error}")
        log.ui("==> Builds finished but no artifacts were created.")
    else:
        log.ui("Build 'azure-arm' finished after 44 minutes 12 seconds.")
        log.ui("==> Builds finished. The artifacts of successful builds are:")
        log.ui("--> azure-arm: Azure.ResourceManagement.VMImage:")
    log.debug("[INFO] (telemetry) Finalizing.")
    log.raw(f"Done exporting Packer logs to Azure for Packer prefix: {OPERATION} PACKER OUT\n")


_ERRORED_ALREADY = "context canceled"
_SCRIPT_ERROR = "Script exited with non-zero exit status: 1. Allowed exit codes are: [0]"
_SCRIPT_FAILURE = (
    f"{OPERATION} PACKER OUT     azure-arm: Installing agent from https://example.invalid/agent.msi\n"
    f"{OPERATION} PACKER OUT ==> azure-arm: Start-Process : This command cannot be run due to the error: "
    "The system cannot find the file specified.\n"
    f"{OPERATION} PACKER ERR ==> azure-arm: Script exited with non-zero exit status: 1. Allowed exit codes are: [0]\n"
)


def write_build(
    out: TextIO, failure: str = "customize", size_bytes: int = 0, seed: int = 7, flavour: str = "windows"
) -> None:
    """A build: deploy, connect, customizers (one chatty, as the flavour talks), deprovision, capture, cleanup."""
    rng = random.Random(seed)
    log = _Log(out)
    _deploy(log)
    if failure == "deploy":
        log.ui(
            "==> azure-arm: ERROR: -> QuotaExceeded : Operation could not be completed as it results in exceeding "
            "approved standardDSv5Family Cores quota. Location: westeurope, Current Limit: 8, Current Usage: 8, "
            "Additional Required: 4"
        )
        return _finish(
            log,
            "QuotaExceeded: Operation could not be completed as it results in exceeding approved "
            "standardDSv5Family Cores quota.",
        )
    if failure == "connect":
        log.ui("==> azure-arm: Getting the VM's IP address ...")
        log.ui("==> azure-arm: Waiting for WinRM to become available...")
        log.tick(600)
        log.ui("==> azure-arm: Timeout waiting for WinRM.")
        return _finish(log, "Timeout waiting for WinRM.")
    _connect(log)
    _provisioner(log, "powershell", _short_script)
    chatty = "shell" if flavour == "linux" else "windows-update"
    _provisioner(log, chatty, _chatty(size_bytes, rng, flavour))
    _provisioner(log, "windows-restart", lambda lg: lg.ui("    azure-arm: Restarting the machine..."))
    if failure == "customize":
        _provisioner(log, "powershell", _short_script, fail=_SCRIPT_FAILURE)
        return _finish(log, _SCRIPT_ERROR)
    _provisioner(log, "powershell", _short_script)
    _deprovision(log, failure == "deprovision")
    if failure == "deprovision":
        return _finish(log, _ERRORED_ALREADY)
    log.ui("==> azure-arm: Querying the machine's properties ...")
    log.ui("==> azure-arm: Powering off machine ...")
    log.tick(120)
    log.ui("==> azure-arm: Capturing image ...")
    if failure == "distribute":
        log.ui("==> azure-arm: Publishing to Shared Image Gallery ...")
        return _finish(
            log,
            "Error waiting on shared image gallery future for resource group: images, gallery name: "
            "gal, gallery image name: win2022.Error: Future#WaitForCompletion: context has been "
            "cancelled: StatusCode=200 -- Original Error: context deadline exceeded",
        )
    _finish(log)


def _deprovision(log: _Log, stuck: bool) -> None:
    log.debug("[INFO] (telemetry) Starting provisioner powershell")
    log.debug(
        "packer: [INFO] Found command: if( TEST-PATH c:\\DeprovisioningScript.ps1 ){cat "
        'c:\\DeprovisioningScript.ps1} else {echo "Deprovisioning script [c:\\DeprovisioningScript.ps1] '
        'could not be found."}'
    )
    log.ui("    azure-arm: >>> Waiting for GA Service (RdAgent) to start ...")
    log.ui("    azure-arm: >>> Sysprepping VM ...")
    if stuck:
        log.ui("==> azure-arm: Get-Service : Cannot find any service with service name 'WindowsAzureGuestAgent'.")
        for _ in range(30):
            log.tick(5)
            log.ui("    azure-arm: IMAGE_STATE_UNDEPLOYABLE")
        log.debug("Cancelling builder after context cancellation context canceled")
        log.ui("Cancelling build after receiving terminated")
        return
    log.ui("    azure-arm: IMAGE_STATE_GENERALIZE_RESEAL_TO_OOBE")
    log.ui("    azure-arm: >>> Sysprep complete ...")
    log.debug("[INFO] (telemetry) ending powershell")


def lines_of(failure: str) -> Iterator[str]:
    import io

    buffer = io.StringIO()
    write_build(buffer, failure)
    yield from buffer.getvalue().splitlines()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output")
    parser.add_argument("--failure", choices=FAILURES, default="customize")
    parser.add_argument("--size-mb", type=float, default=0.0)
    parser.add_argument("--flavour", choices=FLAVOURS, default="windows", help="what the chatty customizer says")
    args = parser.parse_args()
    with open(args.output, "w", encoding="utf-8") as out:
        write_build(out, args.failure, int(args.size_mb * 1024 * 1024), flavour=args.flavour)


if __name__ == "__main__":
    main()
