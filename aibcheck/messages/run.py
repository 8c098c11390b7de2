"""Submitting, watching and attaching: the headlines and lines of `run` and `attach`, the job's deadline."""

MESSAGES: dict[str, tuple[str, str]] = {
    "build.stopped": ("aibcheck stopped: {reason}.", "aibcheck 已停止：{reason}。"),
    "build.stopped.headline": ("### ⏸️ aibcheck: {line}", "### ⏸️ aibcheck：{line}"),
    "build.not-started": ("No image build was started.", "没有启动任何映像生成。"),
    "build.may-exist": (
        "Template {template} was being submitted and may exist: delete it with az image builder delete -g {group} "
        "-n {name}, or run again with --if-exists replace.",
        "模板 {template} 当时正在提交，可能已经存在：请用 az image builder delete -g {group} -n {name} 删除它，"
        "或者用 --if-exists replace 重新运行。",
    ),
    "build.ended": ("ended", "已结束"),
    "build.had-ended": (
        "The image build had ended ({state}); the report was not complete.",
        "映像生成已经结束（{state}）；报告没有完成。",
    ),
    "build.report-again": ("Report it again with: {command}", "可用以下命令重新报告：{command}"),
    "build.left-running": (
        "the image build was left running at the job's deadline; pick it up with: {command}",
        "到作业截止时间时映像生成仍在运行，已让它继续；可用以下命令接续：{command}",
    ),
    "build.lost-azure": ("aibcheck lost touch with Azure: {error}.", "aibcheck 与 Azure 失去了联系：{error}。"),
    "build.pick-up-later": ("Pick the build up later with: {command}", "稍后可用以下命令接续该生成：{command}"),
    "build.goes-on.hint": (
        "the build goes on in Azure; pick it up with: {command}",
        "生成仍在 Azure 中继续；可用以下命令接续：{command}",
    ),
    "build.not-deleted": (
        "the image was built, but template {name} could not be deleted ({error})",
        "映像已生成，但无法删除模板 {name}（{error}）",
    ),
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
    "build.requests": (
        "aibcheck sent {arm} ARM requests and {storage} storage requests",
        "aibcheck 共发出 {arm} 个 ARM 请求和 {storage} 个存储请求",
    ),
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
    "progress.keep-alive": ("keep-alive: {note}", "保活：{note}"),
    "progress.submitting": (
        "submitting template {name} to resource group {group} ({location})",
        "正在将模板 {name} 提交到资源组 {group}（{location}）",
    ),
    "progress.refused": (
        "the service refused the template at submission (there is no build log for this)",
        "服务在提交时拒绝了该模板（因此没有生成日志）",
    ),
    "progress.delete.failed": (
        "it failed to provision and would block the next submission",
        "它预配失败，会阻碍下一次提交",
    ),
    "progress.provisioned": ("provisioned; staging resource group {group}", "已预配；暂存资源组 {group}"),
    "progress.none": ("(none)", "（无）"),
    "progress.not-reported": ("(not reported)", "（未报告）"),
    "progress.run-started": ("run started; watching lastRunStatus", "运行已开始；正在监视 lastRunStatus"),
    "progress.attached": (
        "attached to template {name}; watching lastRunStatus",
        "已接续模板 {name}；正在监视 lastRunStatus",
    ),
    "progress.delete.succeeded": ("the build succeeded", "生成已成功"),
    "progress.too-long": (
        "warning: buildTimeoutInMinutes ({build}) plus about {queueing} minutes of queueing may not fit in the "
        "{left} minutes left before the job's deadline ({deadline}); use a self-hosted agent, a longer job timeout, "
        "--on-deadline detach with a later aibcheck attach, or fewer customizations",
        "警告：buildTimeoutInMinutes（{build}）加上约 {queueing} 分钟的排队时间，可能超出作业截止时间前剩余的 {left} "
        "分钟（{deadline}）；请使用自托管代理、更长的作业超时、--on-deadline detach 并在之后运行 aibcheck attach，"
        "或者减少自定义",
    ),
    "progress.run-in-progress": (
        "template {name} has a run in progress ({state}); waiting for it to end",
        "模板 {name} 有一个正在进行的运行（{state}）；正在等待它结束",
    ),
    "progress.deleting": ("deleting template {name} ({why})", "正在删除模板 {name}（{why}）"),
    "progress.not-deleted": ("the template {name} was not deleted: {error}", "模板 {name} 未被删除：{error}"),
    "progress.dry-run": (
        "dry run: would submit template {name} to {group}:",
        "试运行：将把模板 {name} 提交到 {group}：",
    ),
    "progress.no-group": ("(no resource group)", "（未指定资源组）"),
    "progress.run-output": ("run output {name}: {artifact}", "运行输出 {name}：{artifact}"),
    "progress.unreadable": (
        "reading the status failed ({error}); the build goes on in Azure, aibcheck keeps watching",
        "读取状态失败（{error}）；生成仍在 Azure 中继续，aibcheck 会继续监视",
    ),
    "progress.internal-error": (
        "the service reports an internal error; a build often goes on after one, so aibcheck keeps "
        "watching ({count}/{tolerated})",
        "服务报告了内部错误；出现这种错误后生成往往仍会继续，因此 aibcheck 会继续监视（{count}/{tolerated}）",
    ),
    "progress.still": ("still {where}", "仍处于 {where}"),
    "progress.still-waiting": ("still waiting for the run to start", "仍在等待运行开始"),
    "progress.early-verdict": (
        "early verdict from the end of the log: {title} ({category}, {phase})",
        "根据日志末尾得出的初步结论：{title}（{category}，{phase}）",
    ),
    "progress.fetching": (
        "fetching the whole build log {url} to {path}",
        "正在获取完整的生成日志 {url}，保存到 {path}",
    ),
    "progress.no-validation-log": ("no validation log: {reason}", "没有验证日志：{reason}"),
    "progress.validation-log": ("validation log saved to {path}", "验证日志已保存到 {path}"),
    "progress.live.following": ("live log: following {url}", "实时日志：正在跟踪 {url}"),
    "progress.live.stopped": ("live log: stopped ({why})", "实时日志：已停止（{why}）"),
    "progress.live.no-answer": (
        "live log: no answer from storage, trying again ({why})",
        "实时日志：存储没有应答，将再次尝试（{why}）",
    ),
    "progress.live.customizer": ("customizer {name}", "定制器 {name}"),
    "progress.live.paused": (
        "keep-alive: the build VM is paused for inspection. Look at:",
        "保活：生成 VM 已暂停，以便检查。请查看：",
    ),
    "progress.live.group": ("  staging resource group: {group}", "  暂存资源组：{group}"),
    "progress.live.vm": ("  build VM: {vm}", "  生成 VM：{vm}"),
    "progress.live.see-group": ("(see the staging resource group)", "（请在暂存资源组中查看）"),
    "progress.live.log": ("  build log: {url}", "  生成日志：{url}"),
    "progress.keep-alive.added": (
        "added a {type} customizer '{name}' that sleeps {minutes} minutes at the end",
        "已添加一个 {type} 定制器“{name}”，在最后休眠 {minutes} 分钟",
    ),
    "progress.keep-alive.raised": (
        "raised buildTimeoutInMinutes from {before} to {after}",
        "已将 buildTimeoutInMinutes 从 {before} 调高到 {after}",
    ),
    "progress.keep-alive.maximum": (" (the service's maximum)", "（服务允许的最大值）"),
    "preflight.checking": ("preflight: checking {template}", "预检：正在检查 {template}"),
    "preflight.checking.dry-run": (
        "preflight: checking {template} (the template only: dry run)",
        "预检：正在检查 {template}（试运行：只检查模板）",
    ),
    "preflight.refused": (
        "preflight found {count} error(s): template {name} was not submitted (--preflight warn submits anyway)",
        "预检发现 {count} 个错误：未提交模板 {name}（使用 --preflight warn 可仍然提交）",
    ),
    "logs.not-a-location": ("--url {url!r} is not a build log's location", "--url {url!r} 不是生成日志的位置"),
    "logs.not-a-location.hint": (
        "give the https://<account>.blob.<suffix>/packerlogs/<run>/customization.log URL, or the "
        "/subscriptions/.../packerlogs/<run>/customization.log path, as the failure message wrote it",
        "请按失败消息中的原样给出 https://<account>.blob.<suffix>/packerlogs/<run>/customization.log 网址，或 "
        "/subscriptions/.../packerlogs/<run>/customization.log 路径",
    ),
    "logs.follow-needs-template": ("--follow needs --template", "--follow 需要 --template"),
    "logs.follow-needs-template.hint": (
        "aibcheck knows a build has ended only from its template",
        "aibcheck 只能从映像模板得知生成何时结束",
    ),
    "cloud.line": (
        "cloud: {name}: Resource Manager {arm}, sign-in {authority}{storage}",
        "云：{name}：资源管理器 {arm}，登录 {authority}{storage}",
    ),
    "cloud.line.storage": (", storage *.blob.{suffix}", "，存储 *.blob.{suffix}"),
}
