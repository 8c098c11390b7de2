"""Every offline check: a template that triggers it, at the line asserted, and near misses that must not."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.preflight.templates import check, line_of, linux, of, windows, write

Template = dict[str, Any]
WAIT = {"type": "Shell", "name": "wait", "inline": ["cloud-init status --wait"]}


def shell(*lines: str, ready: bool = True) -> Template:
    """The Linux template with these Shell lines, after the cloud-init wait and apt update unless ready=False."""
    t = linux()
    first = (
        [copy.deepcopy(WAIT), {"type": "Shell", "name": "lists", "inline": ["sudo apt-get update"]}] if ready else []
    )
    t["properties"]["customize"] = [*first, {"type": "Shell", "name": "step", "inline": list(lines)}]
    return t


def powershell(*lines: str) -> Template:
    t = windows()
    t["properties"]["customize"] = [{"type": "PowerShell", "name": "step", "inline": list(lines)}]
    return t


def changed(base: Callable[[], Template], change: Callable[[Template], object]) -> Template:
    t = base()
    change(t)
    return t


def props(t: Template) -> dict[str, Any]:
    return t["properties"]  # type: ignore[no-any-return]


# (check id, template, text on the line the finding must point at, severity)
TRIGGERS: list[tuple[str, Template, str, str]] = [
    ("package-install-prompts", shell("sudo apt-get install nginx"), "apt-get install nginx", "error"),
    ("package-install-prompts", shell("apt upgrade && apt-get -q install curl"), "apt upgrade", "error"),
    ("package-install-prompts", shell("sudo yum install httpd"), "yum install httpd", "error"),
    ("package-install-prompts", shell("zypper install nginx"), "zypper install", "error"),
    ("package-install-before-cloud-init", shell("sudo apt-get update", "sudo apt-get install -y nginx", ready=False), "install -y nginx", "warning"),
    ("package-install-before-cloud-init", shell("sudo dnf install -y nginx", ready=False), "dnf install", "warning"),
    ("package-install-without-update", changed(linux, lambda t: props(t)["customize"][1].update(inline=["sudo apt-get install -y nginx"])), "install -y nginx", "warning"),
    ("firewall-blocks-build-connection", shell("sudo ufw default deny incoming", "sudo ufw --force enable"), "ufw --force enable", "error"),
    ("firewall-blocks-build-connection", shell("sudo iptables -A INPUT -p tcp --dport 22 -j DROP"), "--dport 22 -j DROP", "error"),
    ("firewall-blocks-build-connection", shell("iptables -P INPUT DROP"), "-P INPUT DROP", "error"),
    ("firewall-blocks-build-connection", shell("firewall-cmd --permanent --remove-service=ssh"), "remove-service", "error"),
    ("firewall-blocks-build-connection", shell("sudo systemctl disable --now ssh"), "disable --now ssh", "error"),
    ("firewall-blocks-build-connection", powershell("Set-NetFirewallProfile -Profile Domain,Public,Private -Enabled True"), "Set-NetFirewallProfile", "warning"),
    ("firewall-blocks-build-connection", powershell("netsh advfirewall set allprofiles state on"), "state on", "warning"),
    ("firewall-blocks-build-connection", powershell("netsh advfirewall reset"), "advfirewall reset", "warning"),
    ("firewall-blocks-build-connection", powershell("New-NetFirewallRule -DisplayName no-winrm -Direction Inbound -LocalPort 5986 -Protocol TCP -Action Block"), "-Action Block", "error"),
    ("firewall-blocks-build-connection", powershell("netsh advfirewall firewall add rule name=x dir=in action=block protocol=TCP localport=5986"), "action=block", "error"),
    ("reboot-in-script", powershell("Install-WindowsFeature Web-Server", "Restart-Computer -Force"), "Restart-Computer", "error"),
    ("reboot-in-script", powershell("shutdown /r /t 0"), "shutdown /r", "error"),
    ("reboot-in-script", shell("sudo shutdown -r now"), "shutdown -r now", "error"),
    ("reboot-in-script", shell("echo done; sudo reboot"), "sudo reboot", "error"),
    ("generalize-in-customizer", powershell("& $env:SystemRoot\\System32\\Sysprep\\Sysprep.exe /oobe /generalize /quiet /quit"), "Sysprep.exe /oobe", "error"),
    ("generalize-in-customizer", shell("sudo /usr/sbin/waagent -force -deprovision+user"), "waagent -force", "error"),
    ("deprovision-script-changed", powershell("Remove-Item -Force C:\\DeprovisioningScript.ps1"), "Remove-Item", "error"),
    ("deprovision-script-changed", powershell("Set-Content -Path C:\\DeprovisioningScript.ps1 -Value '& $env:SystemRoot\\System32\\Sysprep\\Sysprep.exe /oobe /generalize /quiet /shutdown'"), "Set-Content", "error"),
    ("deprovision-script-changed", shell("echo '/usr/sbin/waagent -deprovision+user' | sudo tee /tmp/DeprovisioningScript.sh"), "sudo tee", "error"),
    ("deprovision-script-changed", changed(windows, lambda t: props(t)["customize"].append({"type": "File", "sourceUri": "https://example.com/d.ps1", "destination": "C:\\DeprovisioningScript.ps1"})), "C:\\\\DeprovisioningScript.ps1", "notice"),
    ("windows-update-small-vm", changed(windows, lambda t: props(t)["vmProfile"].update(vmSize="Standard_D1_v2")), "Standard_D1_v2", "warning"),
    ("windows-update-small-vm", changed(windows, lambda t: props(t)["vmProfile"].update(vmSize="Standard_B2ats_v2")), "Standard_B2ats_v2", "warning"),
    ("windows-update-small-vm", changed(windows, lambda t: (props(t).pop("vmProfile"), props(t)["customize"].extend([{"type": "PowerShell", "inline": ["dir"]}] * 3))), '"WindowsUpdate"', "warning"),
    ("type-case", changed(linux, lambda t: props(t)["distribute"][0].update(type="sharedImage")), '"sharedImage"', "error"),
    ("type-case", changed(linux, lambda t: props(t)["customize"][0].update(type="shell")), '"shell"', "error"),
    ("type-case", changed(linux, lambda t: props(t)["source"].update(type="Marketplace")), '"Marketplace"', "error"),
    ("duplicate-run-output-name", changed(linux, lambda t: props(t)["distribute"].append({**props(t)["distribute"][0], "runOutputName": "Ubuntu-Web"})), '"Ubuntu-Web"', "error"),
    ("gallery-regions", changed(linux, lambda t: props(t)["distribute"][0].pop("targetRegions")), '"SharedImage"', "error"),
    ("gallery-regions", changed(linux, lambda t: props(t)["distribute"][0].update(replicationRegions=["westeurope"])), '"targetRegions"', "error"),
    ("generation-mismatch", changed(linux, lambda t: props(t)["vmProfile"].update(vmSize="Standard_D2_v2")), "Standard_D2_v2", "error"),
    ("generation-mismatch", changed(linux, lambda t: (props(t)["source"].update(offer="ubuntu-24_04-lts", sku="server-gen1"), props(t)["vmProfile"].update(vmSize="Standard_D2s_v6"))), "Standard_D2s_v6", "error"),
    ("identity-not-user-assigned", changed(linux, lambda t: t["identity"].update(type="SystemAssigned")), '"SystemAssigned"', "error"),
    ("identity-not-user-assigned", changed(linux, lambda t: t["identity"]["userAssignedIdentities"].clear()), '"identity"', "error"),
    ("identity-not-user-assigned", changed(linux, lambda t: t.pop("identity")), "{", "error"),
]  # fmt: skip

# (check id, template): must not report that check
NEAR_MISSES: list[tuple[str, Template]] = [
    ("package-install-prompts", shell("sudo apt-get -o DPkg::Lock::Timeout=600 install -y nginx")),
    ("package-install-prompts", shell("yes | sudo apt-get install nginx")),
    ("package-install-prompts", shell("DEBIAN_FRONTEND=noninteractive apt-get --assume-yes install nginx")),
    ("package-install-prompts", shell("apt-get -qq install nginx", "apt-get -yq upgrade")),
    ("package-install-prompts", shell("sudo zypper -n install nginx", "dnf install -y git")),
    ("package-install-prompts", shell("# apt-get install nginx", "echo 'apt-get install nginx'")),
    ("package-install-prompts", shell("apt-get update", "apt-cache policy nginx")),
    ("package-install-before-cloud-init", linux()),
    ("package-install-before-cloud-init", shell("while [ ! -f /var/lib/cloud/instance/boot-finished ]; do sleep 1; done", "sudo apt-get update", "sudo apt-get install -y nginx", ready=False)),
    ("package-install-before-cloud-init", changed(linux, lambda t: props(t)["customize"].__setitem__(0, {"type": "Shell", "scriptUri": "https://example.com/prepare.sh"}))),
    ("package-install-before-cloud-init", powershell("choco install -y git")),
    ("package-install-without-update", linux()),
    ("package-install-without-update", shell("sudo yum install -y httpd")),
    ("firewall-blocks-build-connection", shell("sudo ufw allow OpenSSH", "sudo ufw --force enable")),
    ("firewall-blocks-build-connection", changed(lambda: shell("sudo ufw --force enable"), lambda t: props(t)["customize"][0]["inline"].append("ufw allow 22/tcp"))),
    ("firewall-blocks-build-connection", shell("iptables -A INPUT -p tcp --dport 80 -j DROP", "iptables -A INPUT -p tcp --dport 22 -j ACCEPT")),
    ("firewall-blocks-build-connection", shell("sudo systemctl restart sshd", "sudo systemctl enable --now firewalld")),
    ("firewall-blocks-build-connection", powershell("New-NetFirewallRule -DisplayName winrm -Direction Inbound -LocalPort 5986 -Protocol TCP -Action Allow", "Set-NetFirewallProfile -Profile Domain,Public,Private -Enabled True")),
    ("firewall-blocks-build-connection", powershell("Set-NetFirewallProfile -Enabled False", "New-NetFirewallRule -LocalPort 8080 -Action Block")),
    ("reboot-in-script", windows()),
    ("reboot-in-script", powershell("Restart-Service W3SVC", "# Restart-Computer happens in the next customizer", "Write-Output 'shutdown -r'")),
    ("reboot-in-script", shell("sudo shutdown -h +30", "echo reboot")),
    ("generalize-in-customizer", powershell("Get-Item C:\\Windows\\System32\\Sysprep\\Sysprep.exe", "waagent --version")),
    ("generalize-in-customizer", powershell("Set-Content -Path C:\\DeprovisioningScript.ps1 -Value '& $env:SystemRoot\\System32\\Sysprep\\Sysprep.exe /oobe /generalize /quiet /quit /mode:vm'")),
    ("deprovision-script-changed", powershell("Set-Content -Path C:\\DeprovisioningScript.ps1 -Value '& $env:SystemRoot\\System32\\Sysprep\\Sysprep.exe /oobe /generalize /quiet /quit /mode:vm'")),
    ("deprovision-script-changed", shell("echo '/usr/sbin/waagent -force -deprovision+user && export HISTSIZE=0 && sync' | sudo tee /tmp/DeprovisioningScript.sh")),
    ("deprovision-script-changed", powershell("Get-Content C:\\DeprovisioningScript.ps1")),
    ("windows-update-small-vm", windows()),
    ("windows-update-small-vm", changed(linux, lambda t: props(t)["vmProfile"].update(vmSize="Standard_D1_v2"))),
    ("windows-update-small-vm", changed(windows, lambda t: props(t).pop("vmProfile"))),
    ("windows-update-small-vm", changed(windows, lambda t: props(t)["vmProfile"].update(vmSize="Standard_F2s_v2"))),
    ("type-case", linux()),
    ("type-case", windows()),
    ("duplicate-run-output-name", changed(linux, lambda t: props(t)["distribute"].append({**props(t)["distribute"][0], "runOutputName": "ubuntu-web-2"}))),
    ("gallery-regions", changed(linux, lambda t: props(t)["distribute"][0].update(targetRegions=None, replicationRegions=["westeurope"]))),
    ("gallery-regions", changed(linux, lambda t: props(t).update(distribute=[{"type": "VHD", "runOutputName": "vhd"}]))),
    ("generation-mismatch", linux()),
    ("generation-mismatch", changed(linux, lambda t: (props(t)["source"].update(sku="22_04-lts"), props(t)["vmProfile"].update(vmSize="Standard_D2s_v6")))),
    ("generation-mismatch", changed(linux, lambda t: props(t)["vmProfile"].update(vmSize="Standard_D2s_v3"))),
    ("identity-not-user-assigned", linux()),
]  # fmt: skip


@pytest.mark.parametrize(("check_id", "template", "needle", "severity"), TRIGGERS)
def test_check_triggers_at_its_line(
    tmp_path: Path, check_id: str, template: Template, needle: str, severity: str
) -> None:
    path = write(tmp_path, template)
    result = check(tmp_path, template)
    found = of(result, check_id)
    assert len(found) == 1, result.findings
    assert found[0].line == line_of(path, needle), (found[0], path.read_text())
    assert found[0].severity.value == severity
    assert found[0].file == str(path) and found[0].fix


@pytest.mark.parametrize(("check_id", "template"), NEAR_MISSES)
def test_near_miss_is_not_reported(tmp_path: Path, check_id: str, template: Template) -> None:
    result = check(tmp_path, template)
    assert of(result, check_id) == [], result.findings


@pytest.mark.parametrize(
    ("on_deadline", "job", "timeout", "needle"),
    [("cancel", 60, 120, '"buildTimeoutInMinutes"'), ("fail", 245, None, '"properties"')],
)
def test_build_outliving_the_job(
    tmp_path: Path, on_deadline: str, job: float, timeout: int | None, needle: str
) -> None:
    t = linux()
    del t["properties"]["buildTimeoutInMinutes"]  # None: the service's default, 240 minutes
    if timeout is not None:
        t["properties"]["buildTimeoutInMinutes"] = timeout
    path = write(tmp_path, t)
    found = of(check(tmp_path, t, job_timeout_minutes=job, on_deadline=on_deadline), "build-outlives-job")
    assert [(f.line, f.severity.value) for f in found] == [(line_of(path, needle), "warning")]


@pytest.mark.parametrize(
    ("on_deadline", "job", "timeout"),
    [("detach", 60, 120), ("cancel", 360, 240), ("cancel", None, 900), ("fail", 80, 60)],
)
def test_build_within_the_job_or_detached(tmp_path: Path, on_deadline: str, job: float | None, timeout: int) -> None:
    t = linux()
    t["properties"]["buildTimeoutInMinutes"] = timeout
    assert of(check(tmp_path, t, job_timeout_minutes=job, on_deadline=on_deadline), "build-outlives-job") == []
