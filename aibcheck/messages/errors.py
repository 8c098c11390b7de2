"""One-line errors: the command line, option values, the input to diagnose, template files, files aibcheck writes,
the build log and Azure access."""

MESSAGES: dict[str, tuple[str, str]] = {
    "file.summary": ("the summary file", "摘要文件"),
    "file.output": ("--output", " --output "),
    "error.prefix": ("aibcheck: error: ", "aibcheck: 错误："),
    "error.hint": (" ({hint})", "（{hint}）"),
    "error.and-then": ("; {hint}", "；{hint}"),
    "error.see-help": ("see {command} --help", "请参阅 {command} --help"),
    "error.check-input": ("check the step's {input} input", "请检查该步骤的 {input} 输入"),
    "error.internal": (
        "aibcheck: internal error: {error}{place} (this is a bug in aibcheck {version}: please report it with the "
        "command you ran)",
        "aibcheck: 内部错误：{error}{place}（这是 aibcheck {version} 的缺陷：请连同所运行的命令一起报告）",
    ),
    "error.at": (" at {place}", "，位于 {place}"),
    "error.stdout-closed": (
        "standard output is closed (give --output FILE, or a pipe)",
        "标准输出已关闭（请指定 --output FILE，或使用管道）",
    ),
    "error.interrupted": ("aibcheck: interrupted", "aibcheck: 已中断"),
    "error.stopped": ("aibcheck: stopped: {reason}", "aibcheck: 已停止：{reason}"),
    "error.cannot-write": (
        "cannot write the output: {reason} (use --output FILE on a disk with room)",
        "无法写入输出：{reason}（请用 --output FILE 写到有空间的磁盘上）",
    ),
    "error.memory": ("out of memory while reading the input", "读取输入时内存不足"),
    "settings.bad-value": ("{where}={raw}: expected {accepts}", "{where}={raw}：应为{accepts}"),
    "settings.bad-pair": ("{where} {item}: expected NAME=VALUE", "{where} {item}：应为 NAME=VALUE 形式"),
    "settings.missing": ("no {what} given", "未指定{what}"),
    "settings.missing.hint": ("pass {flag}", "请传入 {flag}"),
    "settings.missing.or-set": (" or set {variables}", "，或设置 {variables}"),
    "option.template": ("template", "模板"),
    "option.template_name": ("template", "模板名称"),
    "option.subscription": ("subscription", "订阅"),
    "option.resource_group": ("resource group", "资源组"),
    "accepts.choice": ("one of {choices}", "以下之一：{choices}"),
    "accepts.bool": ("true or false", " true 或 false"),
    "accepts.url": ("an https:// URL", "以 https:// 开头的 URL"),
    "accepts.int": ("a whole number", "整数"),
    "accepts.float": ("a number", "数字"),
    "accepts.minimum": ("at least {value}", "不小于 {value}"),
    "accepts.maximum": ("at most {value}", "不大于 {value}"),
    "accepts.bounds": (" ({bounds})", "（{bounds}）"),
    "accepts.and": (", ", "，"),
    "accepts.or": (" or ", " 或 "),
    "accepts.value": ("a value", "一个值"),
    "argparse.unrecognized": ("unrecognized arguments: {value}", "无法识别的参数：{value}"),
    "argparse.required": ("the following arguments are required: {value}", "缺少必需的参数：{value}"),
    "argparse.one-value": ("argument {value}: expected one argument", "参数 {value} 需要一个值"),
    "argparse.choice": (
        "argument {arg}: invalid choice: {value} (choose from {choices})",
        "参数 {arg} 的取值 {value} 无效（可选：{choices}）",
    ),
    "input.expected": (
        "expected an AIB customization.log (plain or .gz), a Packer log, JSON from `az image builder show`, "
        "Get-AzImageBuilderTemplate output, a pipeline log or an error message",
        "应为 AIB 的 customization.log（纯文本或 .gz）、Packer 日志、`az image builder show` 输出的 JSON、"
        "Get-AzImageBuilderTemplate 的输出、管道日志或一条错误消息",
    ),
    "input.stdin": ("standard input", "标准输入"),
    "input.no-file": ("{path}: no such file", "{path}：文件不存在"),
    "input.no-file.hint": (
        "give the path of a log or status file, or - for standard input",
        "请提供日志或状态文件的路径，或用 - 表示标准输入",
    ),
    "input.directory": ("{path} is a directory; {expected}", "{path} 是一个目录；{expected}"),
    "input.directory.hint": (
        "name the file inside it, e.g. customization.log",
        "请指定其中的文件，例如 customization.log",
    ),
    "input.unreadable": ("{path}: cannot be read: {reason}", "{path}：无法读取：{reason}"),
    "input.unreadable.hint": ("check the path and its permissions", "请检查路径及其权限"),
    "input.damaged": ("cannot read the input: {error}", "无法读取输入：{error}"),
    "input.damaged.hint": (
        "if it is gzip, it is damaged: fetch it again",
        "如果是 gzip 文件，说明它已损坏：请重新获取",
    ),
    "input.empty": ("{name} is empty; {expected}", "{name} 为空；{expected}"),
    "input.binary": (
        "{name} looks like binary data, not text; {expected}",
        "{name} 看起来是二进制数据，而不是文本；{expected}",
    ),
    "input.gzip-damaged": (
        "{name}: the gzip data is damaged or cut short ({error})",
        "{name}：gzip 数据已损坏或被截断（{error}）",
    ),
    "input.gzip-damaged.hint": (
        "download the log again; `zcat` shows the part that could be read",
        "请重新下载日志；`zcat` 可以显示能读出的部分",
    ),
    "template.no-file": ("template {path}: no such file", "模板 {path}：文件不存在"),
    "template.no-file.hint": (
        "give the path of a JSON or YAML image template",
        "请提供 JSON 或 YAML 格式映像模板的路径",
    ),
    "template.too-deep": (
        "template {path} nests its values too deeply to be read",
        "模板 {path} 的值嵌套过深，无法读取",
    ),
    "template.too-deep.hint": (
        "give an image template: an imageTemplates resource or an ARM deployment template",
        "请提供映像模板：imageTemplates 资源或 ARM 部署模板",
    ),
    "template.kind.nothing": ("nothing (the file is empty)", "空内容（文件为空）"),
    "template.kind.list": ("a list", "列表"),
    "template.kind.text": ("a string", "字符串"),
    "template.kind.number": ("a number", "数字"),
    "template.kind.boolean": ("true or false", "布尔值"),
    "parameters.no-file": ("parameters file {path}: no such file", "参数文件 {path}：文件不存在"),
    "parameters.no-file.hint": (
        "give the path of an ARM parameters file (JSON or YAML), or leave --parameters-file "
        "(AIBCHECK_PARAMETERS_FILE) out",
        "请提供 ARM 参数文件（JSON 或 YAML）的路径，或省略 --parameters-file（AIBCHECK_PARAMETERS_FILE）",
    ),
    "parameters.too-deep": (
        "parameters file {path} nests its values too deeply to be read",
        "参数文件 {path} 的值嵌套过深，无法读取",
    ),
    "parameters.unreadable": ("parameters file {path} cannot be read: {error}", "无法读取参数文件 {path}：{error}"),
    "parameters.syntax": (
        "parameters file {path} is neither JSON nor YAML: {error}",
        "参数文件 {path} 既不是 JSON 也不是 YAML：{error}",
    ),
    "parameters.not-object": (
        "parameters file {path}: expected an object of parameter values, got {found}",
        "参数文件 {path}：应为参数值对象，实际为 {found}",
    ),
    "template.unreadable": ("template {path} cannot be read: {error}", "无法读取模板 {path}：{error}"),
    "template.unreadable.hint": ("give a UTF-8 JSON or YAML file", "请提供 UTF-8 编码的 JSON 或 YAML 文件"),
    "template.syntax": (
        "template {path} is neither JSON nor YAML: {error}",
        "模板 {path} 既不是 JSON 也不是 YAML：{error}",
    ),
    "template.syntax.where": (
        "template {path} is neither JSON nor YAML ({error})",
        "模板 {path} 既不是 JSON 也不是 YAML（{error}）",
    ),
    "template.syntax.hint": ("check its syntax", "请检查其语法"),
    "template.at-line": ("line {line}: {error}", "第 {line} 行：{error}"),
    "template.not-object": (
        "template {path}: expected an object at the top, got {found}",
        "模板 {path}：顶层应为对象，实际为 {found}",
    ),
    "template.no-properties": (
        "template {path} has no 'properties': expected an imageTemplates resource (location, identity, properties) "
        "or an ARM deployment template that contains one",
        "模板 {path} 没有 'properties'：应为 imageTemplates 资源（含 location、identity、properties），"
        "或包含这样一个资源的 ARM 部署模板",
    ),
    "template.resources": (
        "template {path} is an ARM deployment template with {count} imageTemplates resources (types found: {types})",
        "模板 {path} 是一个 ARM 部署模板，其中有 {count} 个 imageTemplates 资源（找到的类型：{types}）",
    ),
    "template.none": ("none", "无"),
    "template.resources.hint": (
        "{tool} needs exactly one Microsoft.VirtualMachineImages/imageTemplates resource in it",
        "{tool} 要求其中恰好有一个 Microsoft.VirtualMachineImages/imageTemplates 资源",
    ),
    "template.unresolved": ("template {path}: cannot resolve {values}", "模板 {path}：无法解析 {values}"),
    "template.unresolved.hint": (
        "pass the values with --parameter NAME=VALUE or --parameters-file, or use a bare imageTemplates resource",
        "请用 --parameter NAME=VALUE 或 --parameters-file 传入这些值，或者直接使用 imageTemplates 资源",
    ),
    "template.keep-alive": (
        "a keep-alive of {minutes} minutes does not fit: buildTimeoutInMinutes ({before}) plus the keep-alive would "
        "pass the service's maximum of {maximum}",
        "{minutes} 分钟的保活时间放不下：buildTimeoutInMinutes（{before}）加上保活时间会超过服务允许的最大值 {maximum}",
    ),
    "template.keep-alive.default": ("the default {minutes}", "默认值 {minutes}"),
    "template.keep-alive.hint": (
        "use --keep-alive-minutes {room} or less, or lower buildTimeoutInMinutes",
        "请使用不超过 {room} 的 --keep-alive-minutes，或调低 buildTimeoutInMinutes",
    ),
    "file.too-many": ("{folder}: too many files named {name}", "{folder}：名为 {name} 的文件太多"),
    "file.too-many.hint": ("clean up the folder or choose another", "请清理该文件夹，或换一个文件夹"),
    "file.directory": ("{what} {path} is a directory", "{what} {path} 是一个目录"),
    "file.directory.hint": ("give a file name for {what}", "请为{what}指定一个文件名"),
    "file.cannot-write": ("cannot write {what} {path}: {reason}", "无法写入{what} {path}：{reason}"),
    "file.no-name": ("{what} needs a file name", "{what}需要一个文件名"),
    "file.block-device": ("it is a block device", "它是块设备"),
    "file.cannot-write.hint": ("choose a writable path for {what}", "请为{what}选择一个可写的路径"),
    "logs.folder": ("cannot create the log folder {folder}: {reason}", "无法创建日志文件夹 {folder}：{reason}"),
    "logs.folder.hint": ("choose another --log-dir", "请换一个 --log-dir"),
    "logs.exists": ("{path} exists", "{path} 已存在"),
    "logs.exists.hint": (
        "choose a new file name for -o, or delete the old one",
        "请为 -o 指定新的文件名，或删除旧文件",
    ),
    "logs.cannot-create": ("cannot create {path}: {reason}", "无法创建 {path}：{reason}"),
    "logs.cannot-create.hint": ("choose a writable path for -o", "请为 -o 选择一个可写的路径"),
    "logs.location": ("aibcheck: log {url}", "aibcheck: 日志 {url}"),
    "logs.saved": ("aibcheck: saved to {path}", "aibcheck: 已保存到 {path}"),
    "log.location-unknown": (
        "the build log's location is unknown: no message names it and no staging group",
        "生成日志的位置未知：没有消息提到它，也没有暂存资源组",
    ),
    "log.no-account": (
        "no storage account{account} in the staging group {group}",
        "暂存资源组 {group} 中没有存储帐户{account}",
    ),
    "log.no-log": ("no {log}{run} in {where}", "{where} 中没有{run} {log}"),
    "log.for-run": (" for run {run}", "运行 {run} 的"),
    "log.the-account": ("the storage account {account}", "存储帐户 {account}"),
    "log.gone": ("the build log is not there: {url}", "生成日志不在该位置：{url}"),
    "log.refused": ("cannot read the build log at {url}{reason}", "无法读取位于 {url} 的生成日志{reason}"),
    "log.refused.hint": (
        "give the identity aibcheck runs as the '{role}' role on {scope}, or the right to list that account's keys",
        "请为运行 aibcheck 的标识授予 {scope} 上的“{role}”角色，或列出该帐户密钥的权限",
    ),
    "azure.refused": ("Azure refused the request (403): {detail}", "Azure 拒绝了请求（403）：{detail}"),
    "azure.refused.hint": (
        "the identity aibcheck runs as needs a role on the template's resource group, e.g. Contributor",
        "运行 aibcheck 的标识需要在模板所在资源组上拥有一个角色，例如“参与者”(Contributor)",
    ),
    "azure.no-auth": ("cannot authenticate to Azure: {detail}", "无法向 Azure 进行身份验证：{detail}"),
    "azure.no-auth.hint": (
        "sign in (azure/login, az login), or set AZURE_CLIENT_ID, AZURE_TENANT_ID and a secret or federated token",
        "请先登录（azure/login、az login），或设置 AZURE_CLIENT_ID、AZURE_TENANT_ID 以及机密或联合令牌",
    ),
    "azure.refused.other": ("Azure refused the request ({answer}): {detail}", "Azure 拒绝了请求（{answer}）：{detail}"),
    "azure.failed": ("{service} failed: {detail}", "对 {service} 的请求失败：{detail}"),
    "azure.answered": ("{service} answered {answer}: {detail}", "{service} 返回了 {answer}：{detail}"),
    "azure.unreachable": ("cannot reach {service} at {host} ({kind})", "无法访问位于 {host} 的 {service}（{kind}）"),
    "azure.sign-in-unreachable": (
        "cannot reach the sign-in endpoint {host} ({kind})",
        "无法访问登录终结点 {host}（{kind}）",
    ),
    "azure.network.hint": (
        "check the address, this machine's network, its proxy (HTTPS_PROXY, NO_PROXY) and firewall",
        "请检查地址、本机网络及其代理（HTTPS_PROXY、NO_PROXY）和防火墙",
    ),
    "azure.silent": (
        "no answer from {host} in time; trying again if allowed",
        "{host} 没有及时应答；在允许的次数内将再次尝试",
    ),
    "azure.storage": ("the storage account", "存储帐户"),
    "azure.oidc-unreachable": (
        "GitHub's OIDC token endpoint could not be reached",
        "无法访问 GitHub 的 OIDC 令牌终结点",
    ),
    "azure.oidc-http": (
        "GitHub's OIDC token endpoint answered HTTP {status}",
        "GitHub 的 OIDC 令牌终结点返回了 HTTP {status}",
    ),
    # How a host could not be reached: the words of cloud.network.failure_kind, as keys.
    "azure.reach.the-host-name-does-not-resolve": ("the host name does not resolve", "无法解析主机名"),
    "azure.reach.connection-refused": ("connection refused", "连接被拒绝"),
    "azure.reach.no-answer-in-time": ("no answer in time", "未及时应答"),
    "azure.reach.the-connection-was-dropped": ("the connection was dropped", "连接中断"),
    "azure.reach.cannot-connect": ("cannot connect", "无法连接"),
    "cloud.needs-endpoint": (
        "the cloud {name} needs its Azure Resource Manager endpoint{closed}",
        "云 {name} 需要其 Azure 资源管理器终结点{closed}",
    ),
    "cloud.germany-closed": (
        " (Microsoft Cloud Germany closed in October 2021)",
        "（Microsoft 德国云已于 2021 年 10 月关闭）",
    ),
    "cloud.needs-endpoint.hint": (
        "pass --arm-endpoint (AIBCHECK_ARM_ENDPOINT), e.g. https://management.local.azurestack.external",
        "请传入 --arm-endpoint（AIBCHECK_ARM_ENDPOINT），例如 https://management.local.azurestack.external",
    ),
    "cloud.undescribed": (
        "{service} at {host} did not describe its cloud (GET /metadata/endpoints: {what})",
        "位于 {host} 的 {service} 未描述其所属的云（GET /metadata/endpoints：{what}）",
    ),
    "cloud.undescribed.hint": (
        "check --arm-endpoint (AIBCHECK_ARM_ENDPOINT): it must be your cloud's Resource Manager, e.g. "
        "https://management.chinacloudapi.cn; or name the cloud with --cloud and leave the endpoint out",
        "请检查 --arm-endpoint（AIBCHECK_ARM_ENDPOINT）：它必须是所用云的资源管理器，例如 "
        "https://management.chinacloudapi.cn；或用 --cloud 指定云的名称并省略终结点",
    ),
    "cloud.no-audience": ("no token audience (authentication.audiences)", "没有令牌受众（authentication.audiences）"),
    "cloud.no-login": (
        "no https sign-in endpoint (authentication.loginEndpoint)",
        "没有 https 登录终结点（authentication.loginEndpoint）",
    ),
    "cloud.no-json": ("no JSON object", "不是 JSON 对象"),
    "cloud.no-blob-endpoint": (
        "Azure Resource Manager reports no blob endpoint for the storage account {account}, and the cloud {cloud} "
        "names no storage suffix",
        "Azure 资源管理器未报告存储帐户 {account} 的 Blob 终结点，且云 {cloud} 未提供存储后缀",
    ),
    "network.no-ca-bundle": ("{variable}={path}: no such file or folder", "{variable}={path}：文件或文件夹不存在"),
    "network.no-ca-bundle.hint": (
        "give the path of a PEM file with the certificates of your CA, or unset the variable",
        "请提供包含 CA 证书的 PEM 文件的路径，或取消设置该变量",
    ),
    "azure.arm": ("Azure Resource Manager", "Azure 资源管理器"),
}
