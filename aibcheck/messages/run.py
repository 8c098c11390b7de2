"""Submitting, watching and attaching: the headlines and lines of `run` and `attach`, the job's deadline."""

MESSAGES: dict[str, tuple[str, str]] = {
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
    "build.partial-log-failed": ("could not fetch the partial build log: {error}", "无法获取部分生成日志：{error}"),
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
    "run.no-location": ("template {template} has no location", "模板 {template} 没有 location"),
    "run.no-location.hint": ("pass --location (e.g. westeurope)", "请传入 --location（例如 chinanorth3）"),
    "run.missing": ("template {template} has no {fields}", "模板 {template} 缺少 {fields}"),
    "run.missing.or": (" or ", " 或 "),
    "run.missing.hint": (
        "an image template needs a source image and at least one distribution target",
        "映像模板需要一个源映像和至少一个分发目标",
    ),
    "run.bad-name": ("template name {name} is not valid", "模板名称 {name} 无效"),
    "run.bad-name.hint": ("use 1-64 letters, digits, '-', '_' or '.'", "请使用 1-64 个字母、数字、'-'、'_' 或 '.'"),
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
        "请选择 --if-exists replace（等待其运行结束、删除后重新创建）或 --if-exists "
        "unique（每次管道运行使用新名称），或者删除它：az image builder delete -g {group} -n {name}",
    ),
    "job-start.unreadable.azdo": (
        "the Azure DevOps API could not be read ({error})",
        "无法读取 Azure DevOps API（{error}）",
    ),
    "job-start.unreadable.github": ("GitHub's API could not be read ({error})", "无法读取 GitHub API（{error}）"),
    "job-start.no-token": ("no {token} to read the job's start", "没有可用于读取作业开始时间的 {token}"),
    "job-start.http": (
        "{platform} did not give the job's start (HTTP {status}{hint})",
        "{platform} 没有提供作业的开始时间（HTTP {status}{hint}）",
    ),
    "job-start.actions-read": ("; it needs actions: read", "；需要 actions: read 权限"),
    "job-start.unnamed": ("{platform} did not name this job", "{platform} 没有给出此作业"),
    "job-start.reported": ("the job's start reported by {platform}", " {platform} 报告的作业开始时间"),
    "job-start.no-pipeline": ("no pipeline", "不在管道中"),
}
