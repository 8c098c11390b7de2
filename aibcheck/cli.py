"""The command line: `aibcheck diagnose INPUT`, `aibcheck catalogue`."""

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from aibcheck import __version__
from aibcheck.errors import AibcheckError, ExitCode, InputError

FORMATS = ("text", "json", "markdown")


def _env(name: str, default: str) -> str:
    return os.environ.get(f"AIBCHECK_{name}", default)


def _format_choice(value: str) -> str:
    if value not in FORMATS:
        raise argparse.ArgumentTypeError(f"expected one of {', '.join(FORMATS)}, got {value!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="aibcheck",
        description="Find out why an Azure VM Image Builder build failed, and what to do about it.",
    )
    parser.add_argument("--version", action="version", version=f"aibcheck {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    diagnose = commands.add_parser(
        "diagnose",
        help="diagnose a customization.log, Packer log, status JSON, pipeline log or error message",
        description="Read INPUT, recognise its form, and print the root cause of the failure, the phase, "
        "the failed customizer, the fix and the evidence. Exit 0 when a diagnosis was made (whatever it "
        "found), 2 when INPUT cannot be read.",
    )
    diagnose.add_argument("input", metavar="INPUT", help="a file (plain or .gz), or - for standard input")
    diagnose.add_argument(
        "--format",
        "-f",
        type=_format_choice,
        default=_format_choice(_env("FORMAT", "text")),
        help="text (default; env AIBCHECK_FORMAT), json (the stable contract) or markdown",
    )
    diagnose.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        default=_env("OUTPUT", "") or None,
        help="write the diagnosis to FILE instead of standard output (env AIBCHECK_OUTPUT)",
    )
    _report_arguments(diagnose)
    diagnose.add_argument(
        "--comment-key",
        default=_env("COMMENT_KEY", "") or None,
        help="which pull-request comment is this one's (default: the input's file name)",
    )
    diagnose.set_defaults(handler=_diagnose)

    _add_run_parsers(commands)
    _add_preflight_parser(commands)

    logs = commands.add_parser(
        "logs",
        help="fetch (or follow) the build log of a template",
        description="Find the template's staging storage account and print its customization.log, or save it "
        "with -o. Pipe it into `aibcheck diagnose -`. Exit 5 when the log cannot be found or read.",
    )
    logs.add_argument("--template", "-n", required=True, metavar="NAME", help="the image template's name")
    logs.add_argument(
        "--resource-group", "-g", default=_env("RESOURCE_GROUP", ""), required=not _env("RESOURCE_GROUP", "")
    )
    logs.add_argument("--subscription", default=_env("SUBSCRIPTION", os.environ.get("AZURE_SUBSCRIPTION_ID", "")))
    logs.add_argument("--run", default="latest", help="latest (default), or the run id (the log's folder name)")
    logs.add_argument(
        "--follow", "-f", action="store_true", help="keep printing as the log grows, until it is complete"
    )
    logs.add_argument("--output", "-o", metavar="FILE", help="save the log to FILE instead of printing it")
    logs.add_argument("--arm-endpoint", default=_env("ARM_ENDPOINT", "https://management.azure.com"))
    logs.add_argument("--poll-seconds", type=float, default=float(_env("POLL_SECONDS", "20")))
    logs.set_defaults(handler=_logs)

    catalogue = commands.add_parser("catalogue", help="list the known failure signatures")
    catalogue.add_argument("--format", "-f", choices=("text", "json"), default="text")
    catalogue.set_defaults(handler=_catalogue)
    return parser


def _report_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--comment",
        default=_env("COMMENT", "on-failure"),
        choices=("on-failure", "always", "never"),
        help="the pull-request comment: on-failure (default), always or never (AIBCHECK_COMMENT)",
    )
    parser.add_argument(
        "--summary-file",
        default=_env("SUMMARY_FILE", "") or None,
        metavar="FILE",
        help="also write the Markdown summary to FILE (AIBCHECK_SUMMARY_FILE)",
    )


def _template_arguments(parser: argparse.ArgumentParser, positional: bool) -> None:
    if positional:
        parser.add_argument("template", metavar="FILE", help="image template, JSON or YAML")
    else:
        parser.add_argument(
            "--template",
            "-t",
            metavar="FILE",
            default=_env("TEMPLATE", "") or None,
            required=not _env("TEMPLATE", ""),
            help="image template, JSON or YAML (AIBCHECK_TEMPLATE)",
        )
    parser.add_argument(
        "--parameters-file",
        default=_env("PARAMETERS_FILE", "") or None,
        help="ARM parameters file for a deployment template (AIBCHECK_PARAMETERS_FILE)",
    )
    parser.add_argument(
        "--parameter",
        action="append",
        default=_env("PARAMETERS", "").splitlines(),
        metavar="NAME=VALUE",
        help="a deployment template parameter; repeatable (AIBCHECK_PARAMETERS, one per line)",
    )
    parser.add_argument(
        "--location", default=_env("LOCATION", "") or None, help="override the template's location (AIBCHECK_LOCATION)"
    )
    parser.add_argument(
        "--tag",
        action="append",
        default=_env("TAGS", "").splitlines(),
        metavar="NAME=VALUE",
        help="a tag for the template, the image and the staging resources; repeatable (AIBCHECK_TAGS)",
    )
    parser.add_argument(
        "--keep-alive-minutes",
        type=int,
        default=int(_env("KEEP_ALIVE_MINUTES", "0") or 0),
        help="add a last customizer that sleeps N minutes so the build VM and logs can be inspected",
    )


def _watch_arguments(parser: argparse.ArgumentParser) -> None:
    """What `run` and `attach` share: where, how to watch, what to report, and the pipeline's clock."""
    parser.add_argument(
        "--subscription",
        default=_env("SUBSCRIPTION", os.environ.get("AZURE_SUBSCRIPTION_ID", "")),
        help="subscription id (AIBCHECK_SUBSCRIPTION, else AZURE_SUBSCRIPTION_ID)",
    )
    parser.add_argument(
        "--resource-group",
        "-g",
        default=_env("RESOURCE_GROUP", ""),
        help="resource group of the template (AIBCHECK_RESOURCE_GROUP)",
    )
    parser.add_argument(
        "--delete",
        default=_env("DELETE", "on-success"),
        help="delete the template afterwards: on-success (default), always or never (AIBCHECK_DELETE)",
    )
    parser.add_argument(
        "--arm-endpoint",
        default=_env("ARM_ENDPOINT", "https://management.azure.com"),
        help="Azure Resource Manager endpoint, for sovereign clouds and Azure Stack (AIBCHECK_ARM_ENDPOINT)",
    )
    parser.add_argument(
        "--poll-seconds",
        type=float,
        default=float(_env("POLL_SECONDS", "20")),
        help="seconds between status reads (AIBCHECK_POLL_SECONDS, default 20)",
    )
    parser.add_argument(
        "--heartbeat-minutes",
        type=float,
        default=float(_env("HEARTBEAT_MINUTES", "5")),
        help="print a line at least this often while nothing changes (default 5)",
    )
    _report_arguments(parser)
    live = {"true": True, "false": False}.get(_env("LIVE_LOG", "").lower())
    parser.add_argument(
        "--live-log",
        dest="live_log",
        action="store_true",
        default=live,
        help="follow the build log into this log while the build runs (default: on in a pipeline; AIBCHECK_LIVE_LOG)",
    )
    parser.add_argument("--no-live-log", dest="live_log", action="store_false", help="do not follow the build log")
    job = _env("JOB_TIMEOUT_MINUTES", "")
    parser.add_argument(
        "--job-timeout-minutes",
        type=float,
        default=float(job) if job else None,
        help="the job's timeout (AIBCHECK_JOB_TIMEOUT_MINUTES; default: 60 on Microsoft-hosted Azure DevOps agents, "
        "360 on GitHub-hosted runners, else none); fractions are allowed",
    )
    parser.add_argument(
        "--deadline-margin-minutes",
        type=float,
        default=float(_env("DEADLINE_MARGIN_MINUTES", "5")),
        help="act this long before the job's timeout (default 5)",
    )
    parser.add_argument(
        "--on-deadline",
        default=_env("ON_DEADLINE", "detach"),
        help="at the deadline: detach (default: leave the build running, say how to attach), cancel "
        "(cancel the image build, diagnose the partial log) or fail (AIBCHECK_ON_DEADLINE)",
    )
    parser.add_argument(
        "--on-cancel",
        default=_env("ON_CANCEL", "report"),
        help="when the pipeline cancels the step: report (default) or cancel-build (AIBCHECK_ON_CANCEL)",
    )


def _add_run_parsers(commands: Any) -> None:
    run = commands.add_parser(
        "run",
        help="submit an image template, run it and watch it to the end",
        description="Submit the template, run the build, print its progress, and diagnose it if it fails. "
        "Exit 0 when the build succeeded, 1 when it failed, 2 for bad input, 3 for Azure access problems, "
        "4 when a template of that name exists and --if-exists does not allow replacing it.",
    )
    _template_arguments(run, positional=False)
    run.add_argument(
        "--name",
        "-n",
        default=_env("TEMPLATE_NAME", "") or None,
        help="template name (AIBCHECK_TEMPLATE_NAME; default: the file's resource name, else its file name)",
    )
    run.add_argument(
        "--if-exists", default=_env("IF_EXISTS", "fail"), help="fail (default), replace or unique (AIBCHECK_IF_EXISTS)"
    )
    run.add_argument("--dry-run", action="store_true", help="validate and print what would be submitted, then stop")
    _watch_arguments(run)
    run.set_defaults(handler=_run)

    attach = commands.add_parser(
        "attach",
        help="pick up a build that is running or has ended, and finish it as run would",
        description="Wait for the template's current build with the same progress output, then report and diagnose "
        "it exactly as run would. With run --on-deadline detach, lets a pipeline span builds longer than one job.",
    )
    attach.add_argument(
        "--template",
        "-n",
        default=_env("TEMPLATE_NAME", "") or None,
        required=not _env("TEMPLATE_NAME", ""),
        metavar="NAME",
        help="the image template's name (AIBCHECK_TEMPLATE_NAME)",
    )
    _watch_arguments(attach)
    attach.set_defaults(handler=_attach)

    template = commands.add_parser("template", help="print a template with aibcheck's changes, without submitting it")
    _template_arguments(template, positional=True)
    template.set_defaults(handler=_template)


def _add_preflight_parser(commands: Any) -> None:
    preflight = commands.add_parser(
        "preflight",
        help="check a template for failures the build would meet, before submitting it",
        description="Check TEMPLATE for the failures the troubleshooting guide explains after the fact, and (unless "
        "--offline) the subscription for what the build needs. Exit 0 without errors, 1 with at least one, 2 when "
        "the template cannot be read, 3 when Azure cannot be reached.",
    )
    preflight.add_argument("template", metavar="TEMPLATE", help="image template, JSON or YAML")
    preflight.add_argument(
        "--parameters",
        "--parameters-file",
        dest="parameters_file",
        metavar="FILE",
        default=_env("PARAMETERS_FILE", "") or None,
        help="ARM parameters file for a deployment template (AIBCHECK_PARAMETERS_FILE)",
    )
    preflight.add_argument(
        "--parameter",
        action="append",
        default=_env("PARAMETERS", "").splitlines(),
        metavar="NAME=VALUE",
        help="a deployment template parameter; repeatable (AIBCHECK_PARAMETERS, one per line)",
    )
    preflight.add_argument(
        "--format",
        "-f",
        type=_format_choice,
        default=_format_choice(_env("FORMAT", "text")),
        help="text (default; env AIBCHECK_FORMAT), json (the stable contract) or markdown",
    )
    preflight.add_argument("--output", "-o", metavar="FILE", help="write the findings to FILE, not standard output")
    offline = _env("OFFLINE", "").lower() in ("1", "true", "yes")
    preflight.add_argument(
        "--offline", action="store_true", default=offline, help="check the template only (AIBCHECK_OFFLINE)"
    )
    preflight.add_argument("--subscription", default=_env("SUBSCRIPTION", os.environ.get("AZURE_SUBSCRIPTION_ID", "")))
    preflight.add_argument("--resource-group", "-g", default=_env("RESOURCE_GROUP", ""))
    preflight.add_argument("--name", "-n", default=_env("TEMPLATE_NAME", "") or None)
    preflight.add_argument("--location", default=_env("LOCATION", "") or None)
    preflight.add_argument("--arm-endpoint", default=_env("ARM_ENDPOINT", "https://management.azure.com"))
    preflight.add_argument("--if-exists", default=_env("IF_EXISTS", "fail"))
    job = _env("JOB_TIMEOUT_MINUTES", "")
    preflight.add_argument("--job-timeout-minutes", type=float, default=float(job) if job else None)
    preflight.add_argument("--on-deadline", default=_env("ON_DEADLINE", "detach"))
    preflight.set_defaults(handler=_preflight)


def _preflight(args: argparse.Namespace) -> int:
    from aibcheck.driver.deadline import ON_DEADLINE, default_job_minutes
    from aibcheck.driver.settings import IF_EXISTS, pairs
    from aibcheck.preflight import run_preflight

    choices = (("--if-exists", args.if_exists, IF_EXISTS), ("--on-deadline", args.on_deadline, ON_DEADLINE))
    for flag, value, allowed in choices:
        if value not in allowed:
            raise InputError(f"{flag} {value!r}: expected one of {', '.join(allowed)}")
    arm = None
    if not args.offline:
        if not args.subscription:
            raise InputError("online preflight needs a subscription", "pass --subscription, or --offline")
        from aibcheck.cloud.subscription import connect

        arm = connect(args.subscription, args.arm_endpoint, os.environ)
    job = args.job_timeout_minutes if args.job_timeout_minutes is not None else default_job_minutes(os.environ)
    result = run_preflight(
        args.template,
        args.parameters_file,
        pairs(args.parameter, "--parameter"),
        offline=args.offline,
        arm=arm,
        resource_group=args.resource_group or None,
        name=args.name,
        location=args.location,
        job_timeout_minutes=job,
        on_deadline=args.on_deadline,
        if_exists=args.if_exists,
    )
    _preflight_report(result, args)
    return int(result.exit_code)


def _preflight_report(result: Any, args: argparse.Namespace) -> None:
    from aibcheck.ci.platform import detect
    from aibcheck.preflight.annotate import annotation_lines
    from aibcheck.preflight.render import render_json, render_markdown, render_text

    renderers = {"text": render_text, "json": render_json, "markdown": render_markdown}
    notes = "".join(line + "\n" for line in annotation_lines(result, detect(os.environ), os.environ))
    # Annotations never go into a JSON or Markdown document: to the log (stderr) when the report takes stdout.
    (sys.stdout if args.format == "text" or args.output else sys.stderr).write(notes)
    _write(renderers[args.format](result), args.output)


def _run_settings(args: argparse.Namespace) -> Any:
    from aibcheck.driver.settings import RunSettings, pairs

    return RunSettings(
        template=args.template,
        subscription=args.subscription,
        resource_group=args.resource_group,
        name=args.name,
        location=args.location,
        parameters_file=args.parameters_file,
        parameters=pairs(args.parameter, "--parameter"),
        if_exists=args.if_exists,
        delete=args.delete,
        endpoint=args.arm_endpoint.rstrip("/"),
        tags=pairs(args.tag, "--tag"),
        keep_alive_minutes=args.keep_alive_minutes,
        dry_run=args.dry_run,
        poll_seconds=args.poll_seconds,
        heartbeat_seconds=args.heartbeat_minutes * 60,
        live_log=args.live_log,
        comment=args.comment,
        summary_file=args.summary_file,
        job_timeout_minutes=args.job_timeout_minutes,
        margin_minutes=args.deadline_margin_minutes,
        on_deadline=args.on_deadline,
        on_cancel=args.on_cancel,
    )


def _template(args: argparse.Namespace) -> int:
    from aibcheck.driver.run import prepare
    from aibcheck.driver.settings import RunSettings, pairs

    settings = RunSettings(
        template=args.template,
        subscription="",
        resource_group="",
        location=args.location,
        parameters_file=args.parameters_file,
        parameters=pairs(args.parameter, "--parameter"),
        tags=pairs(args.tag, "--tag"),
        keep_alive_minutes=args.keep_alive_minutes,
        dry_run=True,
    )
    _, body = prepare(settings, os.environ, lambda note: print(f"aibcheck: {note}", file=sys.stderr))
    _write(json.dumps(body, indent=2) + "\n", None)
    return ExitCode.OK


def _attach(args: argparse.Namespace) -> int:
    from aibcheck.driver.build import run_build

    args.name, args.if_exists, args.dry_run = args.template, "fail", False
    args.location, args.parameters_file, args.parameter, args.tag, args.keep_alive_minutes = None, None, [], [], 0
    return run_build(_run_settings(args), args.template, None)


def _run(args: argparse.Namespace) -> int:
    from aibcheck.driver.build import run_build
    from aibcheck.driver.run import prepare, write_line

    settings = _run_settings(args)
    name, body = prepare(settings, os.environ, write_line)
    if settings.dry_run:
        write_line(f"dry run: would submit template {name} to {settings.resource_group or '(no resource group)'}:")
        _write(json.dumps(body, indent=2) + "\n", None)
        return ExitCode.OK
    return int(run_build(settings, name, body))


def _logs(args: argparse.Namespace) -> int:
    from azure.core.exceptions import AzureError

    from aibcheck.errors import LogUnavailable
    from aibcheck.logs.command import logs_command

    if not args.subscription:
        raise InputError("no subscription", "pass --subscription or set AIBCHECK_SUBSCRIPTION or AZURE_SUBSCRIPTION_ID")
    try:
        return logs_command(args)
    except AzureError as exc:
        raise LogUnavailable(f"Azure request failed: {str(exc).splitlines()[0]}") from exc


def _diagnose(args: argparse.Namespace) -> int:
    from aibcheck.diagnose import diagnose_path
    from aibcheck.render.json import render_json
    from aibcheck.render.markdown import render_markdown
    from aibcheck.render.text import render_text

    renderers: dict[str, Callable[..., str]] = {
        "text": render_text,
        "json": render_json,
        "markdown": render_markdown,
    }
    diagnosis = diagnose_path(args.input)
    _write(renderers[args.format](diagnosis), args.output)
    from aibcheck.ci.platform import Platform, detect

    if detect(os.environ) is Platform.LOCAL and not args.summary_file:
        return ExitCode.OK  # on a terminal the text above is the report
    from aibcheck.ci.report import Report, report

    key = args.comment_key or ("stdin" if args.input == "-" else os.path.basename(args.input))
    outputs = {
        "category": diagnosis.category.value,
        "phase": diagnosis.phase.value,
        "failed-customizer": diagnosis.failed_customizer or "",
    }
    report(
        Report(key, False, diagnosis, outputs=outputs, input_path=args.input),
        os.environ,
        sys.stdout,
        args.comment,
        args.summary_file,
    )
    return ExitCode.OK


def _catalogue(args: argparse.Namespace) -> int:
    from aibcheck.catalogue import catalogue

    signatures = catalogue()
    if args.format == "json":
        rows = [
            {
                "id": s.id,
                "category": s.category.value,
                "phase": s.phase.value,
                "role": s.role.value,
                "priority": s.priority,
                "title": s.title,
            }
            for s in signatures
        ]
        _write(json.dumps(rows, indent=2) + "\n", None)
    else:
        width = max(len(s.id) for s in signatures)
        lines = [f"{s.id:<{width}}  {s.category.value:<34} {s.phase.value:<12} {s.title}" for s in signatures]
        _write("\n".join(lines) + f"\n\n{len(signatures)} signatures\n", None)
    return ExitCode.OK


def _write(text: str, path: str | None) -> None:
    if path is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror}", "choose a writable path for --output") from exc


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except AibcheckError as exc:
        print(exc.render(), file=sys.stderr)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        print("aibcheck: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        sys.stderr.close()  # the reader went away (e.g. `| head`): nothing left to say
        return int(ExitCode.OK)
    except MemoryError:
        print("aibcheck: error: out of memory while reading the input", file=sys.stderr)
        return int(ExitCode.INTERNAL)
