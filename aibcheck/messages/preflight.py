"""Preflight: the report's labels, what the checks find, and its one-line errors."""

MESSAGES: dict[str, tuple[str, str]] = {
    "preflight.no-subscription": ("online preflight needs a subscription", "联机预检需要一个订阅"),
    "preflight.no-subscription.hint": (
        "pass --subscription or set AIBCHECK_SUBSCRIPTION or AZURE_SUBSCRIPTION_ID, or check with --offline",
        "请传入 --subscription，或设置 AIBCHECK_SUBSCRIPTION 或 AZURE_SUBSCRIPTION_ID，或改用 --offline 检查",
    ),
    "preflight.not-a-resource-id": ("{id} is not an ARM resource id", "{id} 不是 ARM 资源 ID"),
    "preflight.unknown-type": (
        "preflight does not know how to read a {kind} ({id})",
        "预检不知道如何读取 {kind}（{id}）",
    ),
    "preflight.a-resource": ("resource", "资源"),
    "preflight.401": ("Azure did not accept the credential (401): {detail}", "Azure 不接受该凭据（401）：{detail}"),
    "preflight.401.hint": ("sign in again, or run preflight with --offline", "请重新登录，或用 --offline 运行预检"),
    "preflight.error.one": ("error", "错误"),
    "preflight.error.many": ("errors", "错误"),
    "preflight.warning.one": ("warning", "警告"),
    "preflight.warning.many": ("warnings", "警告"),
    "preflight.notice.one": ("notice", "提示"),
    "preflight.notice.many": ("notices", "提示"),
    "preflight.count": ("{count} {word}", "{count} 个{word}"),
    "preflight.and": (", ", "，"),
    "preflight.online": (" (online)", "（联机）"),
    "preflight.offline": (" (offline)", "（离线）"),
    "preflight.text.fix": ("    fix: {fix}", "    解决方法：{fix}"),
    "preflight.text.summary": ("preflight: {summary}", "预检：{summary}"),
    "preflight.md.headline": ("### {verdict} aibcheck preflight: {summary}", "### {verdict} aibcheck 预检：{summary}"),
    "preflight.md.none": (
        "No findings: the template passed every check that ran.",
        "没有发现问题：模板通过了所运行的每一项检查。",
    ),
    "preflight.md.header": (
        "| severity | check | where | finding | fix |",
        "| 严重性 | 检查 | 位置 | 发现 | 解决方法 |",
    ),
    "preflight.md.docs": (
        "Each check and the failure it prevents: docs/preflight.md in the aibcheck repository.",
        "每项检查及其所预防的故障：见 aibcheck 存储库中的 docs/preflight.md。",
    ),
    "preflight.annotation": ("{message}. Fix: {fix}", "{message}。解决方法：{fix}"),
    "preflight.annotation.more": (
        "{count} more preflight findings: see the log",
        "另有 {count} 项预检发现：请查看日志",
    ),
    "preflight.not-checked": ("{check} was not checked: {reason}", "未检查 {check}：{reason}"),
    "preflight.unresolved": (
        "{count} value(s) are expressions preflight cannot resolve ({shown}); checks that need them are skipped",
        "有 {count} 个值是预检无法解析的表达式（{shown}）；需要这些值的检查已跳过",
    ),
    "preflight.unresolved.more": (" and {count} more", " 等另外 {count} 个"),
    "preflight.msg.fw.drops-ssh": ("drops SSH (port 22)", "会丢弃 SSH（端口 22）的连接"),
    "preflight.msg.fw.drops-all": ("drops all incoming connections, SSH included", "会丢弃所有入站连接，包括 SSH"),
    "preflight.msg.fw.closes-ssh": ("closes SSH (port 22)", "会关闭 SSH（端口 22）"),
    "preflight.msg.fw.stops-ssh": ("stops the SSH server", "会停止 SSH 服务器"),
    "preflight.msg.fw.blocks-winrm": ("blocks WinRM (port 5986)", "会阻止 WinRM（端口 5986）"),
    "preflight.msg.fw.ignores-rules": (
        "ignores every inbound allow rule, WinRM's included",
        "会忽略所有入站允许规则，包括 WinRM 的规则",
    ),
    "preflight.msg.fw.blocks-all": (
        "blocks every inbound connection, WinRM included",
        "会阻止所有入站连接，包括 WinRM",
    ),
    "preflight.msg.fw.stops-winrm": ("stops WinRM", "会停止 WinRM"),
    "preflight.msg.fw.deletes-listener": ("deletes a WinRM listener", "会删除一个 WinRM 侦听器"),
    "preflight.msg.fw.ufw": (
        "turns on ufw, which denies incoming connections by default",
        "会启用 ufw，而 ufw 默认拒绝入站连接",
    ),
    "preflight.msg.fw.windows-on": ("turns on the Windows firewall", "会启用 Windows 防火墙"),
    "preflight.msg.fw.reset": (
        "resets the Windows firewall to its defaults, dropping rules added for the build",
        "会把 Windows 防火墙重置为默认设置，丢弃为生成添加的规则",
    ),
    "preflight.msg.fw.blocked": (
        "{command} {what}: the service loses its connection to the VM",
        "{command} {what}：服务会失去与 VM 的连接",
    ),
    "preflight.msg.fw.enabled": (
        "{command} {what}, with no rule allowing port {port}",
        "{command} {what}，且没有允许端口 {port} 的规则",
    ),
    "preflight.msg.reboot": (
        "{command} restarts the VM from inside a {kind} customizer",
        "{command} 在 {kind} 定制器内部重启了 VM",
    ),
    "preflight.msg.runs-sysprep": ("runs Sysprep", "运行了 Sysprep"),
    "preflight.msg.runs-waagent": ("runs waagent -deprovision", "运行了 waagent -deprovision"),
    "preflight.msg.generalizes": ("{command} {what} in a customizer", "{command} 在定制器中{what}"),
    "preflight.msg.without-call": ("without a {tool} call", "没有调用 {tool}"),
    "preflight.msg.without": ("without {flag}", "缺少 {flag}"),
    "preflight.msg.with": ("with {flag}", "带有 {flag}"),
    "preflight.msg.and": (" and ", "、"),
    "preflight.msg.deletes-script": (
        "{command} deletes the deprovisioning script the service runs last",
        "{command} 删除了服务最后要运行的取消预配脚本",
    ),
    "preflight.msg.rewrites-script": (
        "{command} rewrites the deprovisioning script {problems}",
        "{command} 改写了取消预配脚本，但{problems}",
    ),
    "preflight.msg.file-replaces-script": (
        "a File customizer replaces the deprovisioning script; preflight cannot read its content",
        "有一个 File 定制器替换了取消预配脚本；预检无法读取其内容",
    ),
    "preflight.msg.prompts": (
        "{command} asks for confirmation and nobody will answer it",
        "{command} 会要求确认，但没有人会应答",
    ),
    "preflight.msg.runs-before": ("{command} runs before {what}", "{command} 在{what}之前运行"),
    "preflight.msg.before-cloud-init": (
        "the customizers wait for cloud-init to finish (`cloud-init status --wait`)",
        "定制器等待 cloud-init 完成（`cloud-init status --wait`）",
    ),
    "preflight.msg.before-update": (
        "the package lists are updated (`apt-get update`)",
        "更新软件包列表（`apt-get update`）",
    ),
    "preflight.msg.vcpus": ("{count} vCPU", "{count} 个 vCPU"),
    "preflight.msg.memory": ("{gib} GiB of memory", "{gib} GiB 内存"),
    "preflight.msg.update-small": (
        "Windows Update runs on {size}, which has only {small}",
        "Windows 更新在 {size} 上运行，而它只有 {small}",
    ),
    "preflight.msg.update-default-size": (
        "Windows Update and {others} other customizers run on the service's default VM size (no vmProfile.vmSize): "
        "Standard_D1_v2, 1 vCPU, for Gen1 images",
        "Windows 更新和另外 {others} 个定制器在服务默认的 VM 大小上运行（未设置 vmProfile.vmSize）：第 1 代映像使用 "
        "Standard_D1_v2，只有 1 个 vCPU",
    ),
    "preflight.msg.minutes": ("{minutes} minutes", "{minutes} 分钟"),
    "preflight.msg.default-minutes": ("{minutes} minutes (the service's default)", "{minutes} 分钟（服务的默认值）"),
    "preflight.msg.outlives": (
        "the build may take up to {told} plus queueing, longer than the job's {job} minutes, and at the deadline "
        "aibcheck will {action} rather than detach",
        "生成最多可能需要 {told} 再加上排队时间，超过作业的 {job} 分钟；到截止时间时 aibcheck 会执行 {action}，"
        "而不是 detach",
    ),
    "preflight.msg.size-not-offered": ("{size} is not offered in {location}", "{location} 不提供 {size}"),
    "preflight.msg.size-restricted": (
        "{size} is restricted in {location} for this subscription ({reason})",
        "{size} 在 {location} 对此订阅受限（{reason}）",
    ),
    "preflight.msg.quota": (
        "{size} needs {vcpus} vCPUs and the quota {quota} in {location} has {left} left",
        "{size} 需要 {vcpus} 个 vCPU，而 {location} 的配额 {quota} 只剩 {left} 个",
    ),
    "preflight.msg.type-case": (
        "{what} type {written} must be written {name}: the service matches it exactly",
        "{what} 的类型 {written} 必须写成 {name}：服务按原样精确匹配",
    ),
    "preflight.msg.type-unknown": (
        "{what} type {written} is none of {known}",
        "{what} 的类型 {written} 不是 {known} 中的任何一个",
    ),
    "preflight.msg.run-output-used": (
        "runOutputName {name} is already used by distribute[{first}]",
        "runOutputName {name} 已被 distribute[{first}] 使用",
    ),
    "preflight.msg.no-regions": (
        "a gallery distribution names no targetRegions or replicationRegions",
        "库分发没有指定 targetRegions 或 replicationRegions",
    ),
    "preflight.msg.both-regions": (
        "replicationRegions and targetRegions are both given; the service takes one",
        "同时指定了 replicationRegions 和 targetRegions；服务只接受其中一个",
    ),
    "preflight.msg.generation": (
        "the source image is Hyper-V generation {generation} but {size} only runs generation {runs}",
        "源映像是 Hyper-V 第 {generation} 代，但 {size} 只能运行第 {runs} 代",
    ),
    "preflight.msg.no-identity": (
        "the template has no identity: the service needs a user-assigned managed identity",
        "模板没有 identity：服务需要一个用户分配的托管标识",
    ),
    "preflight.msg.identity-type": (
        "identity type {kind} is not UserAssigned",
        "identity 的类型 {kind} 不是 UserAssigned",
    ),
    "preflight.msg.identity-none": (
        "identity.userAssignedIdentities names no identity",
        "identity.userAssignedIdentities 中没有任何标识",
    ),
    "preflight.msg.identity-many": (
        "the service accepts exactly one user-assigned identity on a template",
        "服务只接受模板上恰好一个用户分配的标识",
    ),
    "preflight.need.publish-version": ("publish the image version", "发布映像版本"),
    "preflight.need.create-image": ("create the managed image", "创建托管映像"),
    "preflight.need.read-image": ("read the source image", "读取源映像"),
    "preflight.need.version": ("read the source image version", "读取源映像版本"),
    "preflight.need.join-subnet": ("join the build VM to the subnet", "将生成 VM 加入子网"),
    "preflight.need.staging": ("create the build resources in the staging group", "在暂存资源组中创建生成资源"),
    "preflight.msg.identity-missing": ("the managed identity {identity} does not exist", "托管标识 {identity} 不存在"),
    "preflight.msg.identity-cannot": (
        "the template's identity cannot {what}: it lacks {missing}",
        "模板的标识无法{what}：它缺少 {missing}",
    ),
    "preflight.msg.provider": (
        "resource provider {name} is {state} in subscription {subscription}",
        "资源提供程序 {name} 在订阅 {subscription} 中的状态为 {state}",
    ),
    "preflight.msg.plan": (
        "plan {name} of product {product} by {publisher}",
        "发布者 {publisher} 的产品 {product} 的计划 {name}",
    ),
    "preflight.msg.plan-missing": (
        "Marketplace image {image} is sold with {plan}, and source.planInfo is missing",
        "市场映像 {image} 附带{plan}出售，但缺少 source.planInfo",
    ),
    "preflight.msg.plan-differs": (
        "source.planInfo differs from the image's {plan} in {fields}",
        "source.planInfo 的 {fields} 与映像的{plan}不同",
    ),
    "preflight.msg.definition": ("image definition {id}", "映像定义 {id}"),
    "preflight.msg.gallery": ("gallery {id}", "库 {id}"),
    "preflight.msg.does-not-exist": ("the {what} does not exist", "{what} 不存在"),
    "preflight.msg.group-missing": ("resource group {group} does not exist", "资源组 {group} 不存在"),
    "preflight.msg.difference": (
        "{field} {actual} (the build gives {built})",
        "{field} 为 {actual}（生成的是 {built}）",
    ),
    "preflight.msg.separator": ("; ", "；"),
    "preflight.msg.definition-has": ("the image definition has {diff}", "映像定义的 {diff}"),
    "preflight.msg.image-exists": (
        "a managed image of that name already exists with {diff}",
        "已存在同名的托管映像，其 {diff}",
    ),
    "preflight.msg.managed-trusted-launch": (
        "a managed image cannot hold a Trusted Launch image",
        "托管映像无法容纳受信任启动的映像",
    ),
    "preflight.msg.security-type": (
        "the image definition's security type is {security}, not Trusted Launch",
        "映像定义的安全类型是 {security}，而不是受信任启动",
    ),
    "preflight.msg.size-trusted-launch": ("{size} does not support Trusted Launch", "{size} 不支持受信任启动"),
    "preflight.msg.template-exists": (
        "an image template named {name} already exists in {group}",
        "{group} 中已存在名为 {name} 的映像模板",
    ),
    "preflight.msg.template-exists.fail": (
        "{exists}, and the service does not update templates",
        "{exists}，而服务不会更新已有模板",
    ),
    "preflight.msg.template-exists.policy": (
        "{exists}; it will be {handled} (--if-exists {policy})",
        "{exists}；它将被{handled}（--if-exists {policy}）",
    ),
    "preflight.msg.replaced": ("deleted and created again", "删除后重新创建"),
    "preflight.msg.renamed": ("submitted under a new name", "以新名称提交"),
    "preflight.msg.large-file": (
        "the File customizer downloads {uri}, {mb} MB",
        "File 定制器要下载 {uri}，大小为 {mb} MB",
    ),
    "preflight.msg.image-missing": ("managed image {id} does not exist", "托管映像 {id} 不存在"),
    "preflight.msg.not-offered": (
        "Marketplace image {image} is not offered in {location}",
        "{location} 不提供市场映像 {image}",
    ),
    "preflight.msg.version-missing": ("gallery image version {id} does not exist", "库映像版本 {id} 不存在"),
    "preflight.msg.not-replicated": (
        "gallery image version {id} is not replicated to {location}",
        "库映像版本 {id} 没有复制到 {location}",
    ),
    "preflight.msg.definition-missing": ("gallery image definition {id} does not exist", "库映像定义 {id} 不存在"),
}
