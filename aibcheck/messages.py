"""Every fixed text aibcheck prints, in English and Simplified Chinese: key -> (English, Chinese).

One table, so that a test can check that every key has both texts with the same {placeholders}. Texts are
str.format templates; the catalogue's own texts (title, cause, fix) live beside the English in each signature
file. Terms follow the Chinese edition of the Image Builder documentation: 映像模板, 定制器, 暂存资源组, 生成 VM.
"""

MESSAGES: dict[str, tuple[str, str]] = {
    # -- the diagnosis, in every report ----------------------------------------------------------------------
    "label.outcome": ("outcome", "结果"),
    "label.category": ("category", "类别"),
    "label.phase": ("phase", "阶段"),
    "label.customizer": ("customizer", "定制器"),
    "label.confidence": ("confidence", "置信度"),
    "label.input": ("input", "输入"),
    "label.template": ("template", "模板"),
    "label.resource-group": ("resource group", "资源组"),
    "label.staging-group": ("staging resource group", "暂存资源组"),
    "label.build-log": ("build log", "生成日志"),
    "label.saved-to": ("saved to", "保存位置"),
    "label.log-not-fetched": ("log not fetched", "未能获取日志"),
    "label.diagnosed": ("diagnosed", "诊断对象"),
    "outcome.failed": ("failed", "失败"),
    "outcome.succeeded": ("succeeded", "成功"),
    "outcome.unknown": ("unknown", "未知"),
    "confidence.high": ("high", "高"),
    "confidence.medium": ("medium", "中"),
    "confidence.low": ("low", "低"),
    "status.ok": ("ok", "成功"),
    "status.failed": ("failed", "失败"),
    "status.running": ("running", "运行中"),
    "report.input": ("{kind}, {lines} lines{gzip}; {state}", "{kind}，{lines} 行{gzip}；{state}"),
    "report.input.gzip": (", gzip", "，gzip"),
    "report.log.complete": ("complete", "完整"),
    "report.log.cut": (
        "no export line at the end (cut off, or still being written)",
        "末尾没有导出行（日志被截断，或仍在写入）",
    ),
    "report.log.not-a-build-log": ("not a build log", "不是生成日志"),
    # -- the text report -------------------------------------------------------------------------------------
    "text.label": ("{label}:", "{label}："),
    "text.cause": ("Cause: {text}", "原因：{text}"),
    "text.fix": ("Fix:   {text}", "解决方法：{text}"),
    "text.docs": ("Docs:  {url}", "文档：{url}"),
    "text.timeline": ("Timeline:", "时间线："),
    "text.lines": ("lines {start}-{end}", "第 {start}-{end} 行"),
    "text.evidence": ("Evidence:", "证据："),
    "text.last-output": ("Last output of {name}:", "{name} 的最后输出："),
    # -- the Markdown report (job summary, pull-request comment) ---------------------------------------------
    "md.category": ("**Category** {value}", "**类别** {value}"),
    "md.phase": ("**phase** {value}", "**阶段** {value}"),
    "md.customizer": ("**customizer** {value}", "**定制器** {value}"),
    "md.confidence": ("**confidence** {value}", "**置信度** {value}"),
    # The colon stays outside the bold text: "**原因：**文字" would not render bold (CommonMark's flanking rules).
    "md.cause": ("**Cause.** {text}", "**原因**：{text}"),
    "md.fix": ("**Fix.** {text}", "**解决方法**：{text}"),
    "md.docs": ("Docs: {links}", "文档：{links}"),
    "md.timeline": ("#### Timeline", "#### 时间线"),
    "md.timeline.header": (
        "| step | phase | status | start | duration | lines |",
        "| 步骤 | 阶段 | 状态 | 开始时间 | 时长 | 行 |",
    ),
    "md.evidence": ("Evidence", "证据"),
    "md.last-output": ("last output of {name}:", "{name} 的最后输出："),
    "md.footer": ("{kind}, {lines} lines, {state}", "{kind}，{lines} 行，{state}"),
    "md.log.complete": ("complete log", "完整日志"),
    "md.log.cut": ("log without the closing export line", "日志末尾没有导出行"),
    "md.log.no-steps": ("no build steps", "没有生成步骤"),
    "md.cut": (
        "… cut to fit the size limit: the build log has the rest",
        "……为符合大小限制已截断，其余内容请看生成日志",
    ),
}
MESSAGES |= {
    # -- verdicts without a known failure (diagnose/verdict.py) ----------------------------------------------
    "verdict.succeeded.title": ("The build succeeded", "生成成功"),
    "verdict.succeeded.cause": (
        "The input shows every step ending and the build finishing; nothing in it is a known failure.",
        "输入显示每个步骤都已结束、生成已完成；其中没有任何已知故障。",
    ),
    "verdict.succeeded.fix": (
        "Nothing to fix. If VMs made from this image misbehave, look at the customizers' output.",
        "无需修复。如果用此映像创建的 VM 运行异常，请查看各定制器的输出。",
    ),
    "verdict.step-failed.title": (
        "The {step} step failed with an error aibcheck does not know",
        "{step} 步骤失败，aibcheck 不认识其中的错误",
    ),
    "verdict.step-failed.cause": (
        "The step started and the build errored before it ended; no known failure signature matched.",
        "该步骤已开始，但在结束之前生成就出错了；没有匹配到任何已知的故障特征。",
    ),
    "verdict.step-failed.fix": (
        "Read the step's last output below for the error, then fix the script or setting it names.",
        "请在下方该步骤的最后输出中找到错误，然后修复其中提到的脚本或设置。",
    ),
    "verdict.running.title": (
        "The input ends while the {step} step is still running",
        "输入在 {step} 步骤仍在运行时就结束了",
    ),
    "verdict.running.cause": (
        "The log was cut off, or the build is still running: no failure has been recorded yet.",
        "日志被截断，或者生成仍在运行：目前还没有记录到任何故障。",
    ),
    "verdict.running.fix": (
        "Fetch the log again when the build has ended (a complete log ends with the export line).",
        "请在生成结束后重新获取日志（完整的日志以导出行结尾）。",
    ),
    "verdict.none.title": ("No known failure found in the input", "输入中没有发现已知故障"),
    "verdict.none.cause": (
        "Nothing in the input matches a known failure, and it shows no build steps to follow.",
        "输入中没有任何内容与已知故障匹配，也没有可供跟踪的生成步骤。",
    ),
    "verdict.none.fix": (
        "Give aibcheck the whole customization.log, or the template's lastRunStatus, for more to go on.",
        "请提供完整的 customization.log 或模板的 lastRunStatus，以便 aibcheck 获得更多线索。",
    ),
}
MESSAGES |= {
    # -- pipeline annotations and the pull-request comment (ci/) ---------------------------------------------
    "annotation.error": ("{cause} Fix: {fix}", "{cause} 解决方法：{fix}"),
    "annotation.more": ("{count} more findings: see the job summary", "另有 {count} 项发现：请查看作业摘要"),
    "comment.not-updated": (
        "the pull-request comment was not updated: {reason}",
        "拉取请求评论未更新：{reason}",
    ),
    "comment.unreachable": (
        "the {platform} API could not be reached: {error}",
        "无法访问 {platform} API：{error}",
    ),
    "comment.unexpected": (
        "the {platform} API answered in an unexpected form ({error})",
        "{platform} API 的应答格式出乎意料（{error}）",
    ),
    "comment.forbidden": (
        "{what}: 403, the token may not write pull-request comments (a fork's token is read-only)",
        "{what}：403，该令牌可能无权写入拉取请求评论（fork 的令牌是只读的）",
    ),
    "comment.http": ("{what}: HTTP {status}", "{what}：HTTP {status}"),
    "comment.no-identity": (
        "Azure DevOps did not say which identity aibcheck runs as",
        "Azure DevOps 没有告知 aibcheck 以哪个标识运行",
    ),
    "comment.listing": ("listing comments", "列出评论"),
    "comment.updating": ("updating the comment", "更新评论"),
    "comment.creating": ("creating the comment", "创建评论"),
    "comment.whoami": ("reading who aibcheck is", "读取 aibcheck 的标识"),
    "comment.threads": ("listing threads", "列出评论线程"),
    "file.summary": ("the summary file", "摘要文件"),
    "file.output": ("--output", " --output "),
}
MESSAGES |= {
    # -- run and attach (driver/build.py) --------------------------------------------------------------------
    "build.azure-failed": (
        "Azure request failed while handling template {name}: {error}",
        "处理模板 {name} 时 Azure 请求失败：{error}",
    ),
    "build.azure-failed.hint": (
        "check the build's state with: az image builder show -g {group} -n {name}",
        "用以下命令查看生成状态：az image builder show -g {group} -n {name}",
    ),
    "build.stopped": ("aibcheck stopped: {reason}.", "aibcheck 已停止：{reason}。"),
    "build.cancelling": (
        "The image build is being cancelled: template {template}, staging resource group {group}{log}.",
        "正在取消映像生成：模板 {template}，暂存资源组 {group}{log}。",
    ),
    "build.goes-on": (
        "The image build goes on in Azure: template {template}, staging resource group {group}{log}.",
        "映像生成仍在 Azure 中继续：模板 {template}，暂存资源组 {group}{log}。",
    ),
    "build.stopped.log": (", log {url}", "，日志 {url}"),
    "build.attach-later": ("Pick it up later with: {command}", "稍后可用以下命令接续：{command}"),
    "build.cancelled-at-deadline": ("Cancelled at the job's deadline", "在作业截止时间被取消"),
    "build.while-running": (" while {name} was running", "（当时 {name} 正在运行）"),
    "build.succeeded": ("### ✅ aibcheck: template {name} built", "### ✅ aibcheck：模板 {name} 已生成"),
    "build.outputs.header": ("| output | value |", "| 输出 | 值 |"),
    "build.deadline": ("deadline: {deadline}", "截止时间：{deadline}"),
    "build.arm-requests": ("aibcheck made {count} ARM requests", "aibcheck 共发出 {count} 个 ARM 请求"),
    "build.cancelling-now": ("cancelling the image build of template {name}", "正在取消模板 {name} 的映像生成"),
    "build.service-reports": ("the service reports the build as {state}", "服务报告的生成状态：{state}"),
    "build.gone": ("gone", "已不存在"),
    "build.partial-log-failed": (
        "could not fetch the partial build log: {error}",
        "无法获取部分生成日志：{error}",
    ),
    "build.partial-log-saved": ("partial log saved to {path}", "部分日志已保存到 {path}"),
    "build.log-failed": ("could not fetch the build log: {problem}", "无法获取生成日志：{problem}"),
    "build.kept-with-staging": (
        "template {name} kept, with its staging resources, for inspection",
        "已保留模板 {name} 及其暂存资源，以便检查",
    ),
    "build.deleting-always": (
        "deleting template {name} (--delete always; its log is saved)",
        "正在删除模板 {name}（--delete always；其日志已保存）",
    ),
    "build.kept": (
        "template {name} kept for inspection (delete: {policy})",
        "已保留模板 {name} 以便检查（delete：{policy}）",
    ),
}
MESSAGES |= {
    # -- one-line errors (errors.py, cli.py) -----------------------------------------------------------------
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
    "catalogue.count": ("{count} signatures", "共 {count} 个故障特征"),
}
MESSAGES |= {
    # -- option values (settings.py) -------------------------------------------------------------------------
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
}
MESSAGES |= {
    "argparse.unrecognized": ("unrecognized arguments: {value}", "无法识别的参数：{value}"),
    "argparse.required": ("the following arguments are required: {value}", "缺少必需的参数：{value}"),
    "argparse.one-value": ("argument {value}: expected one argument", "参数 {value} 需要一个值"),
    "argparse.choice": (
        "argument {arg}: invalid choice: {value} (choose from {choices})",
        "参数 {arg} 的取值 {value} 无效（可选：{choices}）",
    ),
}
MESSAGES |= {
    # -- the input to diagnose (diagnose/) -------------------------------------------------------------------
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
    # -- template files (template/, preflight/source.py) -----------------------------------------------------
    "template.no-file": ("template {path}: no such file", "模板 {path}：文件不存在"),
    "template.no-file.hint": (
        "give the path of a JSON or YAML image template",
        "请提供 JSON 或 YAML 格式映像模板的路径",
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
        "template {path} has no 'properties': expected an imageTemplates resource "
        "(location, identity, properties) or an ARM deployment template that contains one",
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
        "a keep-alive of {minutes} minutes does not fit: buildTimeoutInMinutes ({before}) plus the keep-alive "
        "would pass the service's maximum of {maximum}",
        "{minutes} 分钟的保活时间放不下：buildTimeoutInMinutes（{before}）加上保活时间会超过服务允许的最大值 {maximum}",
    ),
    "template.keep-alive.default": ("the default {minutes}", "默认值 {minutes}"),
    "template.keep-alive.hint": (
        "use --keep-alive-minutes {room} or less, or lower buildTimeoutInMinutes",
        "请使用不超过 {room} 的 --keep-alive-minutes，或调低 buildTimeoutInMinutes",
    ),
    "preflight.no-subscription": ("online preflight needs a subscription", "联机预检需要一个订阅"),
    "preflight.no-subscription.hint": (
        "pass --subscription or set AIBCHECK_SUBSCRIPTION or AZURE_SUBSCRIPTION_ID, or check with --offline",
        "请传入 --subscription，或设置 AIBCHECK_SUBSCRIPTION 或 AZURE_SUBSCRIPTION_ID，或改用 --offline 检查",
    ),
    # -- files aibcheck writes (files.py) --------------------------------------------------------------------
    "file.too-many": ("{folder}: too many files named {name}", "{folder}：名为 {name} 的文件太多"),
    "file.too-many.hint": ("clean up the folder or choose another", "请清理该文件夹，或换一个文件夹"),
    "file.directory": ("{what} {path} is a directory", "{what} {path} 是一个目录"),
    "file.directory.hint": ("give a file name for {what}", "请为{what}指定一个文件名"),
    "file.cannot-write": ("cannot write {what} {path}: {reason}", "无法写入{what} {path}：{reason}"),
    "file.cannot-write.hint": ("choose a writable path for {what}", "请为{what}选择一个可写的路径"),
}
MESSAGES |= {
    # -- the job's deadline (driver/deadline.py) -------------------------------------------------------------
    "deadline.none": (
        "no job timeout known: aibcheck waits for the build to end",
        "未知作业超时：aibcheck 会一直等到生成结束",
    ),
    "deadline.describe": (
        "job timeout {job} min from {start}; aibcheck acts {margin} min before it",
        "作业超时为从{start}起 {job} 分钟；aibcheck 会在超时前 {margin} 分钟采取行动",
    ),
    "deadline.own-start": ("the time aibcheck started", " aibcheck 启动时"),
    "deadline.source": (" ({source})", "（{source}）"),
    "deadline.signal": ("the pipeline sent {signal}", "管道发送了 {signal}"),
    "deadline.near": ("the job's deadline is near", "作业即将到达截止时间"),
    # -- submitting and attaching (driver/run.py) ------------------------------------------------------------
    "run.no-location": ("template {template} has no location", "模板 {template} 没有 location"),
    "run.no-location.hint": ("pass --location (e.g. westeurope)", "请传入 --location（例如 chinanorth3）"),
    "run.missing": ("template {template} has no {fields}", "模板 {template} 缺少 {fields}"),
    "run.missing.or": (" or ", " 或 "),
    "run.missing.hint": (
        "an image template needs a source image and at least one distribution target",
        "映像模板需要一个源映像和至少一个分发目标",
    ),
    "run.bad-name": ("template name {name} is not valid", "模板名称 {name} 无效"),
    "run.bad-name.hint": (
        "use 1-64 letters, digits, '-', '_' or '.'",
        "请使用 1-64 个字母、数字、'-'、'_' 或 '.'",
    ),
    "run.no-template": ("no template {name} in resource group {group}", "资源组 {group} 中没有模板 {name}"),
    "run.no-template.hint": ("check --template and --resource-group", "请检查 --template 和 --resource-group"),
    "run.never-ran": ("template {name} has never run", "模板 {name} 从未运行过"),
    "run.never-ran.hint": (
        "start it with aibcheck run, or az image builder run",
        "请用 aibcheck run 或 az image builder run 启动它",
    ),
    "run.exists": ("a template named {name} already exists in {group}", "{group} 中已存在名为 {name} 的模板"),
    "run.exists.state": (" and is {state}", "，且状态为 {state}"),
    "run.exists.no-update": ("; the service does not update templates", "；服务不会更新已有模板"),
    "run.exists.hint": (
        "choose --if-exists replace (wait for its run, delete, recreate) or --if-exists unique (a new name per "
        "pipeline run), or delete it: az image builder delete -g {group} -n {name}",
        "请选择 --if-exists replace（等待其运行结束、删除后重新创建）或 --if-exists unique（每次管道运行使用新名称），"
        "或者删除它：az image builder delete -g {group} -n {name}",
    ),
    # -- the build log (logs/, cloud/logstore.py) ------------------------------------------------------------
    "logs.folder": ("cannot create the log folder {folder}: {reason}", "无法创建日志文件夹 {folder}：{reason}"),
    "logs.folder.hint": ("choose another --log-dir", "请换一个 --log-dir"),
    "logs.exists": ("{path} exists", "{path} 已存在"),
    "logs.exists.hint": (
        "choose a new file name for -o, or delete the old one",
        "请为 -o 指定新的文件名，或删除旧文件",
    ),
    "logs.cannot-create": ("cannot create {path}: {reason}", "无法创建 {path}：{reason}"),
    "logs.cannot-create.hint": ("choose a writable path for -o", "请为 -o 选择一个可写的路径"),
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
    # -- Azure access (cloud/) -------------------------------------------------------------------------------
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
    "preflight.no-auth.hint": ("sign in, or run preflight with --offline", "请先登录，或用 --offline 运行预检"),
    "preflight.unreachable": (
        "cannot reach Azure at {endpoint}: {detail}",
        "无法访问位于 {endpoint} 的 Azure：{detail}",
    ),
    "preflight.unreachable.hint": (
        "check the network, or run preflight with --offline",
        "请检查网络，或用 --offline 运行预检",
    ),
    "preflight.401": ("Azure did not accept the credential (401): {detail}", "Azure 不接受该凭据（401）：{detail}"),
    "preflight.401.hint": ("sign in again, or run preflight with --offline", "请重新登录，或用 --offline 运行预检"),
}
