"""Every preflight check in one table: id, severity, why it matters (the troubleshooting guide's reason, in
our words), the fix, and the function(s) that run it. docs/preflight.md documents the same ids."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from aibcheck.preflight.checks import access, compute, firewall, generalize, packages, resources, structure
from aibcheck.preflight.checks import subscription as sub
from aibcheck.preflight.model import Hit, Severity
from aibcheck.preflight.online import Facts
from aibcheck.preflight.view import TemplateView

TemplateCheck = Callable[[TemplateView], Iterable[Hit]]
SubscriptionCheck = Callable[[TemplateView, Facts], Iterable[Hit]]


@dataclass(frozen=True)
class Check:
    id: str
    severity: Severity
    reason: str
    fix: str
    template: TemplateCheck | None = None  # runs offline, from the template alone
    subscription: SubscriptionCheck | None = None  # runs online, reading the subscription
    fix_zh: str = ""  # the fix in Simplified Chinese, shown with --lang zh-CN


E, W, N = Severity.ERROR, Severity.WARNING, Severity.NOTICE

CHECKS: tuple[Check, ...] = (
    Check(
        "package-install-prompts", E,
        "A package command without its yes option stops at the confirmation prompt; nobody answers it, so the "
        "customizer hangs until the build times out.",
        "Add -y (apt-get, apt, yum, dnf) or -n (zypper) to every command that installs, upgrades or removes packages.",
        template=packages.check_prompts,
        fix_zh="在每个安装、升级或删除软件包的命令中加上 `-y`（apt-get、apt、yum、dnf）或 `-n`（zypper）。",
    ),
    Check(
        "package-install-before-cloud-init", W,
        "On a freshly booted Linux VM, cloud-init and the automatic updates it starts still hold the package "
        "manager's lock, and a concurrent install fails on the lock.",
        "Make the first Shell customizer run `cloud-init status --wait` before any package command.",
        template=packages.check_before_cloud_init,
        fix_zh="让第一个 Shell 定制器在任何包命令之前先运行 `cloud-init status --wait`。",
    ),
    Check(
        "package-install-without-update", W,
        "Marketplace images ship stale or empty apt lists: an install before `apt-get update` fails to locate "
        "packages or fetches versions that no longer exist.",
        "Run `apt-get update` before the first `apt-get install`.",
        template=packages.check_without_update,
        fix_zh="在第一次 `apt-get install` 之前先运行 `apt-get update`。",
    ),
    Check(
        "firewall-blocks-build-connection", E,
        "The service drives the build VM over SSH (22) on Linux and WinRM over HTTPS (5986) on Windows, with a "
        "new connection for each customizer. A firewall change that closes that port makes the build wait until "
        "it is cancelled.",
        "Allow port 22 (Linux) or 5986 (Windows) before turning a firewall on, or move firewall hardening to the "
        "image's first boot.",
        template=firewall.check_firewall,
        fix_zh="在启用防火墙之前先放行端口 22（Linux）或 5986（Windows），或者把防火墙加固移到映像的首次启动时进行。",
    ),
    Check(
        "reboot-in-script", E,
        "A script that restarts the VM cuts the service's connection in the middle of the customizer, which "
        "then fails or hangs.",
        "On Windows, end the script and add a WindowsRestart customizer. On Linux, remove the restart: the "
        "service offers no restart customizer there, so changes that need one take effect at first boot.",
        template=generalize.check_reboot,
        fix_zh=(
            "在 Windows 上，结束该脚本并添加一个 WindowsRestart 定制器。"
            "在 Linux 上，去掉重启：服务在 Linux 上没有重启定制器，需要重启才能生效的更改会在首次启动时生效。"
        ),
    ),
    Check(
        "generalize-in-customizer", E,
        "The service generalizes the VM itself as its last step (Sysprep on Windows, waagent -deprovision+user "
        "on Linux). Doing it in a customizer generalizes twice and leaves an image that fails the build or "
        "cannot boot.",
        "Remove the Sysprep or waagent call. To change how the service generalizes, rewrite its deprovisioning "
        "script instead (C:\\DeprovisioningScript.ps1, /tmp/DeprovisioningScript.sh).",
        template=generalize.check_generalize,
        fix_zh=(
            "去掉 Sysprep 或 waagent 调用。要改变服务的通用化方式，"
            "请改写它的取消预配脚本（C:\\DeprovisioningScript.ps1、/tmp/DeprovisioningScript.sh）。"
        ),
    ),
    Check(
        "deprovision-script-changed", E,
        "The service runs its deprovisioning script last. Deleting it, or rewriting it without the flags it "
        "relies on (Sysprep /generalize /oobe /quiet /quit; waagent -force -deprovision), breaks the build or "
        "leaves an image that cannot be deployed.",
        "Keep the script, and keep those flags in a rewritten one.",
        template=generalize.check_deprovision_script,
        fix_zh="保留该脚本；改写时也要保留这些参数。",
    ),
    Check(
        "windows-update-small-vm", W,
        "Windows Update on a 1-vCPU or low-memory build VM exhausts it: the VM stops answering, restarts, and "
        "the build ends with resource errors or an unexpected EOF.",
        "Set vmProfile.vmSize to a size with at least 2 vCPUs and 4 GiB of memory (for example Standard_D2s_v5).",
        template=resources.check_windows_update_size,
        subscription=compute.check_windows_update_size_online,
        fix_zh="把 vmProfile.vmSize 设为至少 2 个 vCPU、4 GiB 内存的大小（例如 Standard_D2s_v5）。",
    ),
    Check(
        "build-outlives-job", W,
        "A pipeline job ends at its timeout (60 minutes on Microsoft-hosted Azure DevOps agents, 360 on "
        "GitHub-hosted runners); a build that can run longer is cancelled or lost with the job.",
        "Use --on-deadline detach (and `aibcheck attach` in a later job), lower buildTimeoutInMinutes, or give "
        "the job a longer timeout.",
        template=resources.check_build_outlives_job,
        fix_zh=(
            "使用 `--on-deadline detach`（并在之后的作业中运行 `aibcheck attach`），"
            "调低 buildTimeoutInMinutes，或者延长作业的超时时间。"
        ),
    ),
    Check(
        "type-case", E,
        "The service matches source, customizer and distribute types exactly: `sharedImage` is refused with "
        "\"Field 'distribute[0].type' has a bad value\".",
        "Write the type exactly as documented: PlatformImage, ManagedImage, SharedImageVersion; Shell, "
        "PowerShell, File, WindowsRestart, WindowsUpdate; ManagedImage, SharedImage, VHD.",
        template=structure.check_type_case,
        fix_zh=(
            "严格按文档书写类型：PlatformImage、ManagedImage、SharedImageVersion；"
            "Shell、PowerShell、File、WindowsRestart、WindowsUpdate；ManagedImage、SharedImage、VHD。"
        ),
    ),
    Check(
        "duplicate-run-output-name", E,
        "Each distribution is reported under its runOutputName; two with the same name are refused.",
        "Give every distribute entry its own runOutputName.",
        template=structure.check_run_output_names,
        fix_zh="为每个 distribute 条目指定各自的 runOutputName。",
    ),
    Check(
        "gallery-regions", E,
        "A gallery distribution needs to know where to replicate the version: replicationRegions or "
        "targetRegions, one of the two.",
        "Add targetRegions (or the older replicationRegions), including the gallery's own region.",
        template=structure.check_gallery_regions,
        fix_zh="添加 targetRegions（或较早的 replicationRegions），并包含库自身所在的区域。",
    ),
    Check(
        "generation-mismatch", E,
        "A build VM size runs either Gen1 or Gen2 images, or both; a size that cannot boot the source image's "
        "generation fails the deployment of the build VM.",
        "Pick a size that runs the source's Hyper-V generation (az vm list-skus shows HyperVGenerations), or a "
        "source of the generation the size runs.",
        template=structure.check_generation,
        subscription=compute.check_generation_online,
        fix_zh=(
            "选择能运行源映像 Hyper-V 代系的大小（`az vm list-skus` 会显示 HyperVGenerations），"
            "或者选择该大小能运行的代系的源映像。"
        ),
    ),
    Check(
        "identity-not-user-assigned", E,
        "The service acts with exactly one user-assigned managed identity; without it every access to the "
        "source, the targets and the staging group fails.",
        "Set identity.type to UserAssigned with one identity in userAssignedIdentities.",
        template=structure.check_identity,
        fix_zh="把 identity.type 设为 UserAssigned，并在 userAssignedIdentities 中指定一个标识。",
    ),
    Check(
        "unresolved-expression", N,
        "Preflight resolves parameters(), variables(), concat() and format(); values built otherwise are not "
        "checked.",
        "Pass the values with --parameter NAME=VALUE or --parameters FILE to have them checked.",
        fix_zh="用 `--parameter NAME=VALUE` 或 `--parameters FILE` 传入这些值，以便检查它们。",
    ),
    Check(
        "file-customizer-large", W,
        "The File customizer is meant for small files (under 20 MB); a large download through it is slow "
        "enough to run the build into its timeout.",
        "Download large files inside a Shell (curl, wget) or PowerShell (Invoke-WebRequest) customizer.",
        subscription=sub.check_file_sizes,
        fix_zh="在 Shell（curl、wget）或 PowerShell（Invoke-WebRequest）定制器中下载大文件。",
    ),
    Check(
        "provider-not-registered", E,
        "The service needs its own resource provider and those of the resources it creates (Compute, KeyVault, "
        "Storage, Network, and ContainerInstance for a build in a virtual network).",
        "Register them: az provider register -n <namespace>.",
        subscription=sub.check_providers,
        fix_zh="注册这些资源提供程序：`az provider register -n <namespace>`。",
    ),
    Check(
        "source-not-found", E,
        "The service must find the source image in the template's region: a wrong name, a missing version or "
        "a gallery version not replicated there fails the build.",
        "Correct the source, or replicate the gallery version to the template's region.",
        subscription=sub.check_source,
        fix_zh="更正源映像，或把库映像版本复制到模板所在的区域。",
    ),
    Check(
        "marketplace-plan-missing", E,
        "A Marketplace image sold with a plan cannot be deployed without the plan's details "
        "(PurchasePlanNotProvided).",
        "Add source.planInfo (planName, planProduct, planPublisher) from `az vm image show --urn ...`, and "
        "accept the terms once: az vm image terms accept.",
        subscription=sub.check_plan,
        fix_zh=(
            "从 `az vm image show --urn ...` 的结果中取值，"
            "添加 source.planInfo（planName、planProduct、planPublisher），并接受一次条款：`az vm image terms accept`。"
        ),
    ),
    Check(
        "distribution-target-missing", E,
        "The service publishes into an existing gallery and image definition, or into an existing resource "
        "group; it does not create them.",
        "Create the gallery and image definition (az sig create, az sig image-definition create) or the "
        "resource group first.",
        subscription=sub.check_targets_exist,
        fix_zh="先创建库和映像定义（`az sig create`、`az sig image-definition create`）或资源组。",
    ),
    Check(
        "distribution-target-mismatch", E,
        "An image version must match its image definition's Hyper-V generation and OS type, and an existing "
        "managed image of the same name in another region or generation blocks the distribution.",
        "Distribute to a definition with the source's generation and OS type, or use a new managed image name.",
        subscription=sub.check_targets_match,
        fix_zh="分发到与源映像代系和 OS 类型相同的映像定义，或者使用新的托管映像名称。",
    ),
    Check(
        "trusted-launch-unsupported", E,
        "A source that requires Trusted Launch can only be built on a size that supports it and published to a "
        "Trusted Launch gallery definition; managed images cannot hold it.",
        "Distribute to an image definition with SecurityType TrustedLaunch (or TrustedLaunchSupported) and "
        "pick a size that supports Trusted Launch.",
        subscription=sub.check_trusted_launch,
        fix_zh=(
            "分发到 SecurityType 为 TrustedLaunch（或 TrustedLaunchSupported）的映像定义，"
            "并选择支持受信任启动的大小。"
        ),
    ),
    Check(
        "identity-not-found", E,
        "The service acts as the template's identity; an identity that does not exist fails the submission.",
        "Create the user-assigned identity, or correct its resource id.",
        subscription=access.check_identity_exists,
        fix_zh="创建该用户分配的标识，或更正其资源 ID。",
    ),
    Check(
        "identity-missing-permission", E,
        "Most failed submissions and distributions come down to missing permissions of the template's identity "
        "on the source, the targets, the staging group or the virtual network (AuthorizationFailed).",
        "Assign the identity a role with the listed actions on those resources (the Image Builder docs give "
        "custom role definitions for the image and network actions).",
        subscription=access.check_permissions,
        fix_zh="为该标识在这些资源上分配包含所列操作的角色（映像生成器文档提供了映像和网络操作的自定义角色定义）。",
    ),
    Check(
        "vm-size-unavailable", E,
        "A size not offered in the region, or restricted for the subscription, cannot host the build VM "
        "(SkuNotAvailable).",
        "Pick a size offered in the region (az vm list-skus -l <region> --size <size>) or request access.",
        subscription=compute.check_vm_size,
        fix_zh="选择该区域中提供的大小（`az vm list-skus -l <region> --size <size>`），或申请访问权限。",
    ),
    Check(
        "vcpu-quota-exceeded", E,
        "The build VM counts against the subscription's vCPU quota for its family and region; without room "
        "the deployment fails (QuotaExceeded).",
        "Pick a size of a family with free quota, free some, or request more (az vm list-usage -l <region>).",
        subscription=compute.check_quota,
        fix_zh="选择有空闲配额的系列中的大小，释放一些配额，或申请更多配额（`az vm list-usage -l <region>`）。",
    ),
    Check(
        "template-exists", E,
        "The service never updates an image template: submitting one with an existing name fails with "
        "\"Update/Upgrade of image templates is currently not supported\".",
        "Delete the old template, or run with --if-exists replace or unique.",
        subscription=sub.check_template_exists,
        fix_zh="删除旧模板，或使用 `--if-exists replace` 或 `unique` 运行。",
    ),
    Check(
        "online-check-skipped", N,
        "An online check could not read what it needed (a permission of the caller, an unexpected answer).",
        "Give the identity preflight runs as Reader on the resources named, or check them by hand.",
        fix_zh="为运行预检的标识授予所列资源上的“读者”(Reader) 角色，或者手动检查它们。",
    ),
)  # fmt: skip

BY_ID = {check.id: check for check in CHECKS}
