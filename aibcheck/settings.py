"""One owner of configuration: every option, its flag, its AIBCHECK_* variable, its type and range, in one table.

The command line is built from the table with no defaults of its own, so that nothing is parsed while the
parser is built (a bad variable never breaks `--help`). `load_settings` then takes each value from its flag,
else its variable, else its default, checks it once, and says exactly which flag or variable was wrong and
what it accepts. The wrappers' input tables are checked against this table too.
"""

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any, Literal

from aibcheck.cloud.clouds import CLOUD_NAMES
from aibcheck.errors import InputError
from aibcheck.i18n import t

Kind = Literal["text", "int", "float", "choice", "bool", "lines", "flag", "url"]

WATCH = ("run", "attach")
REPORT = ("diagnose", "run", "attach")
TEMPLATE = ("run", "template")
CHECKED = ("run", "template", "preflight")  # the commands that read a template file
ALL = ("diagnose", "run", "attach", "template", "logs", "catalogue", "preflight")


@dataclass(frozen=True)
class Option:
    field: str  # the Settings attribute it fills
    flags: tuple[str, ...]  # e.g. ("--poll-seconds",); the first is the one named in messages
    env: str | None  # the AIBCHECK_* variable, when it has one
    kind: Kind
    commands: tuple[str, ...]
    help: str
    default: Any = None
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    input: str | None = None  # the pipeline step's input that sets `env`, when it has one
    fallback_env: str | None = None  # a second variable read when `env` is unset (a platform's own)
    metavar: str | None = None

    def accepts(self) -> str:
        """What a valid value looks like, for messages."""
        if self.kind == "choice":
            return t("accepts.choice", choices=", ".join(self.choices))
        if self.kind in ("bool", "url"):
            return t(f"accepts.{self.kind}")
        if self.kind in ("int", "float"):
            bounds = []
            if self.minimum is not None:
                bounds.append(t("accepts.minimum", value=f"{self.minimum:g}"))
            if self.maximum is not None:
                bounds.append(t("accepts.maximum", value=f"{self.maximum:g}"))
            noun = t(f"accepts.{self.kind}")
            return noun + (t("accepts.bounds", bounds=t("accepts.and").join(bounds)) if bounds else "")
        return t("accepts.value")


def _o(field: str, flags: str | tuple[str, ...], env: str | None, kind: Kind, commands: tuple[str, ...], help: str,
       **extra: Any) -> Option:  # fmt: skip
    return Option(field, (flags,) if isinstance(flags, str) else flags, env, kind, commands, help, **extra)


OPTIONS: tuple[Option, ...] = (
    # diagnose
    _o("format", ("--format", "-f"), "AIBCHECK_FORMAT", "choice", ("diagnose", "preflight"),
       "text (default) for terminals and CI logs, json (the stable contract) or markdown",
       default="text", choices=("text", "json", "markdown")),
    _o("output", ("--output", "-o"), "AIBCHECK_OUTPUT", "text", ("diagnose", "preflight"),
       "write the report to FILE instead of standard output", metavar="FILE"),
    _o("comment_key", "--comment-key", "AIBCHECK_COMMENT_KEY", "text", ("diagnose",),
       "which pull-request comment is this one's (default: the input's file name)"),
    _o("catalogue_format", ("--format", "-f"), None, "choice", ("catalogue",), "text (default) or json",
       default="text", choices=("text", "json")),
    # reporting, shared by diagnose, run and attach
    _o("comment", "--comment", "AIBCHECK_COMMENT", "choice", REPORT,
       "the pull-request comment: on-failure (default), always or never",
       default="on-failure", choices=("on-failure", "always", "never"), input="comment"),
    _o("summary_file", "--summary-file", "AIBCHECK_SUMMARY_FILE", "text", REPORT,
       "also write the Markdown summary to FILE (a file is replaced whole, never written through a link; "
       "a pipe is written into)",
       metavar="FILE"),
    # the template, for run and template
    _o("template", ("--template", "-t"), "AIBCHECK_TEMPLATE", "text", ("run",), "image template, JSON or YAML",
       metavar="FILE", input="template"),
    _o("parameters_file", ("--parameters-file", "--parameters"), "AIBCHECK_PARAMETERS_FILE", "text", CHECKED,
       "ARM parameters file for a deployment template", metavar="FILE", input="parameters-file"),
    _o("parameters", "--parameter", "AIBCHECK_PARAMETERS", "lines", CHECKED,
       "a deployment template parameter; repeatable (the variable: one per line)", metavar="NAME=VALUE",
       input="parameters"),
    _o("location", "--location", "AIBCHECK_LOCATION", "text", CHECKED, "override the template's location",
       input="location"),
    _o("tags", "--tag", "AIBCHECK_TAGS", "lines", TEMPLATE,
       "a tag for the template, the image and the staging resources; repeatable (the variable: one per line)",
       metavar="NAME=VALUE", input="tags"),
    _o("keep_alive_minutes", "--keep-alive-minutes", "AIBCHECK_KEEP_ALIVE_MINUTES", "int", TEMPLATE,
       "add a last customizer that sleeps N minutes so the build VM and logs can be inspected",
       default=0, minimum=0, maximum=960, input="keep-alive-minutes"),
    _o("template_name", ("--name", "-n"), "AIBCHECK_TEMPLATE_NAME", "text", ("run", "preflight"),
       "template name (default: the file's resource name, else its file name)", input="name"),
    _o("template_name", ("--template", "-n"), "AIBCHECK_TEMPLATE_NAME", "text", ("attach", "logs"),
       "the image template's name", metavar="NAME", input="name"),
    _o("if_exists", "--if-exists", "AIBCHECK_IF_EXISTS", "choice", ("run", "preflight"),
       "when a template of that name exists: fail (default), replace or unique",
       default="fail", choices=("fail", "replace", "unique"), input="if-exists"),
    _o("dry_run", "--dry-run", None, "flag", ("run",), "validate and print what would be submitted, then stop",
       default=False),
    _o("preflight", "--preflight", "AIBCHECK_PREFLIGHT", "choice", ("run",),
       "check the template before submitting it: fail (default: refuse to submit on an error), warn or off",
       default="fail", choices=("fail", "warn", "off"), input="preflight"),
    _o("offline", "--offline", "AIBCHECK_OFFLINE", "bool", ("preflight",),
       "check the template only, not the subscription", default=False),
    # where, for run, attach and logs
    _o("subscription", "--subscription", "AIBCHECK_SUBSCRIPTION", "text", (*WATCH, "logs", "preflight"),
       "subscription id",
       fallback_env="AZURE_SUBSCRIPTION_ID", input="subscription"),
    _o("resource_group", ("--resource-group", "-g"), "AIBCHECK_RESOURCE_GROUP", "text", (*WATCH, "logs", "preflight"),
       "resource group of the template", input="resource-group"),
    _o("cloud", "--cloud", "AIBCHECK_CLOUD", "choice", (*WATCH, "logs", "preflight"),
       "the Azure cloud: AzureCloud (default), AzureChinaCloud or AzureUSGovernment, in any case; AzureStack "
       "needs --arm-endpoint, which wins over the name", choices=CLOUD_NAMES),
    _o("arm_endpoint", "--arm-endpoint", "AIBCHECK_ARM_ENDPOINT", "url", (*WATCH, "logs", "preflight"),
       "Azure Resource Manager endpoint (default: the cloud's); its own metadata gives the sign-in authority, "
       "the token audience and the storage suffix", input="arm-endpoint"),
    _o("poll_seconds", "--poll-seconds", "AIBCHECK_POLL_SECONDS", "float", (*WATCH, "logs"),
       "base seconds between status reads (longer while nothing changes)", default=20.0, minimum=0.01,
       maximum=3600, input="poll-seconds"),
    _o("log_dir", "--log-dir", "AIBCHECK_LOG_DIR", "text", (*WATCH,),
       "folder for fetched build logs (default: the runner's temp folder, else ./aibcheck-logs)", metavar="DIR"),
    # the watch, for run and attach
    _o("delete", "--delete", "AIBCHECK_DELETE", "choice", WATCH,
       "delete the template afterwards: on-success (default), always or never",
       default="on-success", choices=("on-success", "always", "never"), input="delete-template"),
    _o("heartbeat_minutes", "--heartbeat-minutes", "AIBCHECK_HEARTBEAT_MINUTES", "float", WATCH,
       "print a line at least this often while nothing changes", default=5.0, minimum=0.01, maximum=60),
    _o("live_log", "--live-log", "AIBCHECK_LIVE_LOG", "bool", WATCH,
       "follow the build log into this log while the build runs (default: on in a pipeline)", input="live-log"),
    _o("job_timeout_minutes", "--job-timeout-minutes", "AIBCHECK_JOB_TIMEOUT_MINUTES", "float", (*WATCH, "preflight"),
       "the job's timeout (default: 60 on Microsoft-hosted Azure DevOps agents, 360 on GitHub-hosted runners, "
       "else none); fractions are allowed", minimum=0.01, maximum=60 * 24 * 35, input="job-timeout-minutes"),
    _o("margin_minutes", "--deadline-margin-minutes", "AIBCHECK_DEADLINE_MARGIN_MINUTES", "float", WATCH,
       "act this long before the job's timeout", default=5.0, minimum=0, maximum=600,
       input="deadline-margin-minutes"),
    _o("on_deadline", "--on-deadline", "AIBCHECK_ON_DEADLINE", "choice", (*WATCH, "preflight"),
       "at the deadline: detach (leave the build running, say how to attach), cancel (cancel the image build, "
       "diagnose the partial log) or fail", default="detach", choices=("detach", "cancel", "fail"),
       input="on-deadline"),
    _o("on_cancel", "--on-cancel", "AIBCHECK_ON_CANCEL", "choice", WATCH,
       "when the pipeline cancels the step: report (default) or cancel-build",
       default="report", choices=("report", "cancel-build"), input="on-cancel"),
    _o("lang", "--lang", "AIBCHECK_LANG", "choice", ALL,
       "the language of every text aibcheck prints: en or zh-CN (default: the pipeline's culture where it has "
       "one, else en); JSON keys and slugs stay English", choices=("en", "zh-CN"), input="lang"),
    # logs
    _o("run_id", "--run", None, "text", ("logs",), "latest (default), or the run id (the log's folder name)",
       default="latest"),
    _o("log_url", "--url", None, "text", ("logs",),
       "the log's URL or ARM path as a failure message gives it: fetch that log without naming the template",
       metavar="URL"),
    _o("follow", ("--follow", "-f"), None, "flag", ("logs",),
       "keep printing as the log grows, until it is complete", default=False),
    _o("output", ("--output", "-o"), None, "text", ("logs",), "save the log to FILE instead of printing it",
       metavar="FILE"),
)


@dataclass(frozen=True)
class Settings:
    """Every option's value, checked; a command reads the ones it takes."""

    command: str = ""
    input: str = ""  # diagnose's INPUT, template's FILE
    format: str = "text"
    output: str | None = None
    comment_key: str | None = None
    catalogue_format: str = "text"
    comment: str = "on-failure"
    summary_file: str | None = None
    template: str | None = None
    parameters_file: str | None = None
    parameters: Mapping[str, str] = field(default_factory=dict)
    location: str | None = None
    tags: Mapping[str, str] = field(default_factory=dict)
    keep_alive_minutes: int = 0
    template_name: str | None = None
    if_exists: str = "fail"
    dry_run: bool = False
    preflight: str = "fail"
    offline: bool = False
    subscription: str = ""
    resource_group: str = ""
    cloud: str | None = None  # None: the endpoint's cloud, else AzureCloud
    arm_endpoint: str | None = None  # None: the cloud's own
    poll_seconds: float = 20.0
    log_dir: str | None = None
    delete: str = "on-success"
    heartbeat_minutes: float = 5.0
    live_log: bool | None = None  # None: on in a pipeline, off on a terminal
    job_timeout_minutes: float | None = None  # None: the platform's known limit, if any
    margin_minutes: float = 5.0
    on_deadline: str = "detach"
    on_cancel: str = "report"
    lang: str | None = None  # None: the pipeline's culture, else English
    run_id: str = "latest"
    log_url: str | None = None
    follow: bool = False
    sources: Mapping[str, str] = field(default_factory=dict, repr=False)  # field -> where its value came from

    @property
    def heartbeat_seconds(self) -> float:
        return self.heartbeat_minutes * 60

    def named(self, field_name: str) -> str:
        """How to name an option in a message: the flag or variable its value came from."""
        return self.sources.get(field_name) or next(o.flags[0] for o in OPTIONS if o.field == field_name)


def options_for(command: str) -> list[Option]:
    return [option for option in OPTIONS if command in option.commands]


def _convert(option: Option, raw: str, where: str, command: str | None = None) -> Any:
    """One raw value, checked against the option's type and range; InputError naming `where` otherwise."""
    value: Any = raw.strip()
    from_env = where in (option.env, option.fallback_env)
    wrong = InputError(
        t("settings.bad-value", where=where, raw=repr(raw), accepts=option.accepts()),
        t("error.see-help", command=f"aibcheck {command or option.commands[0]}"),
        input_name=option.input if from_env else None,
    )
    if option.kind == "choice":
        matched = [choice for choice in option.choices if choice.lower() == value.lower()]
        if not matched:
            raise wrong
        return matched[0]
    if option.kind == "bool":
        lowered = value.lower()
        if lowered not in ("true", "false", "1", "0", "yes", "no"):
            raise wrong
        return lowered in ("true", "1", "yes")
    if option.kind == "url":
        if not re.fullmatch(r"https://[^\s/?#]+(?:/[^\s?#]*)?", value):
            raise wrong
        return value.rstrip("/")
    if option.kind in ("int", "float"):
        try:
            number = int(value) if option.kind == "int" else float(value)
        except ValueError:
            raise wrong from None
        if not math.isfinite(number) or (option.minimum is not None and number < option.minimum):
            raise wrong
        if option.maximum is not None and number > option.maximum:
            raise wrong
        return number
    return raw


def _pairs(items: Sequence[str], where: str) -> dict[str, str]:
    """NAME=VALUE items (repeated flags, or lines of a variable) as a mapping."""
    result = {}
    for item in items:
        if not item.strip():
            continue
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise InputError(t("settings.bad-pair", where=where, item=repr(item)))
        result[name.strip()] = value
    return result


def _raw(option: Option, given: Any, env: Mapping[str, str]) -> tuple[Any, str] | None:
    """The raw value and where it came from: the flag, else the variable, else None (the default)."""
    if given is not None and given != []:
        return given, option.flags[0]
    for variable in (option.env, option.fallback_env):
        if variable and env.get(variable, "").strip():
            return env[variable], variable
    return None


def load_settings(command: str, given: Mapping[str, Any], env: Mapping[str, str], positional: str = "") -> Settings:
    """The settings of one command from its parsed flags (None when not given) and the environment."""
    values: dict[str, Any] = {"command": command, "input": positional}
    sources: dict[str, str] = {}
    for option in options_for(command):
        found = _raw(option, given.get(option.field), env)
        if found is None:
            continue
        raw, where = found
        sources[option.field] = where
        if option.kind == "flag":
            values[option.field] = bool(raw)
        elif option.kind == "lines":
            items = raw if isinstance(raw, list) else str(raw).splitlines()
            values[option.field] = _pairs(items, where)
        elif isinstance(raw, bool):  # --live-log / --no-live-log
            values[option.field] = raw
        else:
            values[option.field] = _convert(option, str(raw), where, command)
    known = {f.name for f in fields(Settings)}
    return Settings(**{k: v for k, v in values.items() if k in known}, sources=sources)


def require(settings: Settings, *names: str) -> None:
    """Options a command cannot do without; InputError naming the flag and the variable."""
    for name in names:
        if not getattr(settings, name):
            option = next(o for o in options_for(settings.command) if o.field == name)
            variables = t("accepts.or").join(v for v in (option.env, option.fallback_env) if v)
            raise InputError(
                t("settings.missing", what=t(f"option.{name}")),
                t("settings.missing.hint", flag=option.flags[0])
                + (t("settings.missing.or-set", variables=variables) if variables else ""),
                input_name=option.input,
            )
