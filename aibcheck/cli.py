"""The command line: the parser (from the settings table), the commands, and the one error boundary."""

import argparse
import contextlib
import json
import logging
import os
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NoReturn

from aibcheck import __version__, i18n
from aibcheck.ci.platform import Platform, detect
from aibcheck.driver.deadline import Stopped
from aibcheck.errors import AibcheckError, ExitCode, InputError
from aibcheck.i18n import pick, t
from aibcheck.settings import Option, Settings, load_settings, options_for, require

COMMANDS: dict[str, tuple[str, str]] = {
    "diagnose": (
        "diagnose a customization.log, Packer log, status JSON, pipeline log or error message",
        "Read INPUT, recognise its form, and print the root cause of the failure, the phase, the failed customizer, "
        "the fix and the evidence. Exit 0 when a diagnosis was made (whatever it found), 2 when INPUT cannot be read.",
    ),
    "run": (
        "submit an image template, run it and watch it to the end",
        "Submit the template, run the build, print its progress, and diagnose it if it fails. Exit 0 when the build "
        "succeeded, 1 when it failed, 2 for bad input, 3 when Azure refused or could not be reached, 4 when a template "
        "of that name exists and --if-exists does not allow replacing it.",
    ),
    "attach": (
        "pick up a build that is running or has ended, and finish it as run would",
        "Wait for the template's current build with the same progress output, then report and diagnose it exactly as "
        "run would. With run --on-deadline detach, lets a pipeline span builds longer than one job.",
    ),
    "template": ("print a template with aibcheck's changes, without submitting it", ""),
    "logs": (
        "fetch (or follow) the build log of a template",
        "Find the template's staging storage account and print its customization.log, or save it with -o. Pipe it "
        "into `aibcheck diagnose -`. Exit 5 when the log cannot be found or read.",
    ),
    "preflight": (
        "check a template for failures the build would meet, before submitting it",
        "Check TEMPLATE for the failures the troubleshooting guide explains after the fact, and (unless --offline) "
        "the subscription for what the build needs. Exit 0 without errors, 1 with at least one, 2 when the template "
        "cannot be read, 3 when Azure cannot be reached.",
    ),
    "catalogue": ("list the known failure signatures", ""),
}
POSITIONALS = {
    "diagnose": ("INPUT", "a file (plain or .gz), or - for standard input"),
    "template": ("FILE", "image template, JSON or YAML"),
    "preflight": ("TEMPLATE", "image template, JSON or YAML"),
}


# argparse's own messages (it has no Chinese catalogue): the common ones, in the language aibcheck speaks.
_ARGPARSE = (
    (re.compile(r"unrecognized arguments: (?P<value>.*)"), "argparse.unrecognized"),
    (re.compile(r"the following arguments are required: (?P<value>.*)"), "argparse.required"),
    (re.compile(r"argument (?P<value>\S+): expected one argument"), "argparse.one-value"),
    (
        re.compile(r"argument (?P<arg>\S+): invalid choice: (?P<value>.*) \(choose from (?P<choices>.*)\)"),
        "argparse.choice",
    ),
)


class _Parser(argparse.ArgumentParser):
    """argparse, but a mistake is an InputError for the error boundary instead of a usage dump and exit."""

    def error(self, message: str) -> NoReturn:
        for pattern, key in _ARGPARSE:
            found = pattern.fullmatch(message)
            if found:
                message = t(key, **found.groupdict())
                break
        raise InputError(message, t("error.see-help", command=self.prog))


def _help(option: Option) -> str:
    extra = [f"env {option.env}" if option.env else "", f"default {option.default}" if option.default else ""]
    extra = [e for e in extra if e]
    return option.help + (f" ({'; '.join(extra)})" if extra else "")


def _add(parser: argparse.ArgumentParser, option: Option) -> None:
    if option.kind == "flag":
        parser.add_argument(*option.flags, dest=option.field, action="store_true", default=None, help=_help(option))
    elif option.kind == "lines":
        parser.add_argument(*option.flags, dest=option.field, action="append", metavar=option.metavar,
                            help=_help(option))  # fmt: skip
    elif option.kind == "bool":
        parser.add_argument(*option.flags, dest=option.field, action="store_true", default=None, help=_help(option))
        negative = "--no-" + option.flags[0].removeprefix("--")
        parser.add_argument(negative, dest=option.field, action="store_false", help=f"not {option.flags[0]}")
    else:
        parser.add_argument(*option.flags, dest=option.field, metavar=option.metavar, help=_help(option))


def build_parser() -> argparse.ArgumentParser:
    """The parser: no defaults and no values read while it is built, so --help works whatever the environment."""
    parser = _Parser(
        prog="aibcheck", description="Find out why an Azure VM Image Builder build failed, and what to do about it."
    )
    parser.add_argument("--version", action="version", version=f"aibcheck {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)
    for name, (summary, description) in COMMANDS.items():
        sub = commands.add_parser(name, help=summary, description=description or summary)
        if name in POSITIONALS:
            metavar, text = POSITIONALS[name]
            sub.add_argument("positional", metavar=metavar, help=text)
        for option in options_for(name):
            _add(sub, option)
    return parser


# -- commands ----------------------------------------------------------------------------------------------


def _diagnose(settings: Settings, platform: Platform) -> int:
    from aibcheck.diagnose import diagnose_path
    from aibcheck.render.context import BuildContext
    from aibcheck.render.json import render_json
    from aibcheck.render.markdown import render_markdown
    from aibcheck.render.text import render_text

    diagnosis = diagnose_path(settings.input)
    renderers: dict[str, Callable[[Any], str]] = {
        "text": render_text,
        "json": render_json,
        "markdown": lambda d: render_markdown(d, mermaid=platform.renders_mermaid),
    }
    write_output(renderers[settings.format](diagnosis), settings.output)
    if not platform.in_pipeline and not settings.summary_file:
        return ExitCode.OK  # on a terminal the text above is the report
    from aibcheck.ci.report import Report, report

    name = "standard input" if settings.input == "-" else os.path.basename(settings.input)
    outputs = {
        "category": diagnosis.category.value,
        "phase": diagnosis.phase.value,
        "failed-customizer": diagnosis.failed_customizer or "",
    }
    data = Report(
        settings.comment_key or ("stdin" if settings.input == "-" else name),
        False,
        diagnosis,
        outputs=outputs,
        input_path=settings.input,
        context=BuildContext(diagnosed=name),
    )
    report(data, platform, command_stream(settings), settings.comment, settings.summary_file)
    return ExitCode.OK


def command_stream(settings: Settings) -> Any:
    """Platform commands go with the text output, or to standard error when standard output holds a document."""
    document = settings.format in ("json", "markdown") and not settings.output
    return sys.stderr if document else sys.stdout


def _catalogue(settings: Settings, platform: Platform) -> int:
    from aibcheck.catalogue import catalogue

    signatures = catalogue()
    if settings.catalogue_format == "json":
        rows = [
            {
                "id": s.id,
                "category": s.category.value,
                "phase": s.phase.value,
                "role": s.role.value,
                "priority": s.priority,
                "title": pick(s.title, s.title_zh),
            }
            for s in signatures
        ]
        write_output(json.dumps(rows, indent=2, ensure_ascii=False) + "\n", None)
    else:
        width = max(len(s.id) for s in signatures)
        table = [(s.id, s.category.value, s.phase.value, pick(s.title, s.title_zh)) for s in signatures]
        lines = [f"{key:<{width}}  {category:<34} {phase:<12} {title}" for key, category, phase, title in table]
        write_output("\n".join(lines) + "\n\n" + t("catalogue.count", count=len(signatures)) + "\n", None)
    return ExitCode.OK


def _template(settings: Settings, platform: Platform) -> int:
    from aibcheck.driver.submission import prepare
    from aibcheck.render.safe import neutralise

    _, body = prepare(settings, platform, lambda note: print(f"aibcheck: {neutralise(note)}", file=sys.stderr))
    write_output(template_json(body), None)
    return ExitCode.OK


def template_json(body: Mapping[str, Any]) -> str:
    """A template body to print: its secrets masked (inline passwords, SAS URLs), and JSON in which no line can act
    as a runner command (see render.json). Only the printed copy is masked; run submits the template as written."""
    from aibcheck.redact import redact_tree

    return json.dumps(redact_tree(body), indent=2, ensure_ascii=False).replace("##", "#\\u0023") + "\n"


def _run(settings: Settings, platform: Platform) -> int:
    from aibcheck.driver.compose import run_command

    require(settings, "template")
    return run_command(settings, platform)


def _attach(settings: Settings, platform: Platform) -> int:
    from aibcheck.driver.compose import attach_command

    require(settings, "template_name", "subscription", "resource_group")
    return attach_command(settings, platform)


def _logs(settings: Settings, platform: Platform) -> int:
    from aibcheck.driver.compose import logs_command

    if settings.log_url:
        if settings.follow:
            raise InputError(t("logs.follow-needs-template"), t("logs.follow-needs-template.hint"))
    else:
        require(settings, "template_name", "subscription", "resource_group")
    return logs_command(settings, platform)


def _preflight(settings: Settings, platform: Platform) -> int:
    from aibcheck.preflight import check_template
    from aibcheck.preflight.annotate import annotation_lines
    from aibcheck.preflight.render import render_json, render_markdown, render_text

    result = check_template(settings, platform, settings.input, offline=settings.offline)
    renderers = {"text": render_text, "json": render_json, "markdown": render_markdown}
    stream = command_stream(settings)
    stream.writelines(line + "\n" for line in annotation_lines(result, platform))
    stream.flush()
    write_output(renderers[settings.format](result), settings.output)
    return int(result.exit_code)


HANDLERS: dict[str, Callable[[Settings, Platform], int]] = {
    "diagnose": _diagnose,
    "run": _run,
    "attach": _attach,
    "template": _template,
    "logs": _logs,
    "catalogue": _catalogue,
    "preflight": _preflight,
}


def write_output(text: str, path: str | None) -> None:
    if path is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    from aibcheck.files import replace_text

    replace_text(path, text, t("file.output"))


# -- the error boundary ------------------------------------------------------------------------------------


def _quiet_libraries() -> None:
    """The Azure SDKs log every refused credential of a chain: aibcheck says what matters in one line instead."""
    level = logging.DEBUG if os.environ.get("AIBCHECK_DEBUG") else logging.CRITICAL
    for name in ("azure", "urllib3", "msal"):
        logging.getLogger(name).setLevel(level)


def _safe_streams() -> None:
    """Never fail on an encoding: a cp1252 or ASCII console gets '?' for what it cannot show."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def error_line(exc: AibcheckError, platform: Platform) -> str:
    from aibcheck.redact import redact
    from aibcheck.render.safe import neutralise

    hint = exc.hint
    if platform.in_pipeline and exc.input_name:
        hint = t("error.check-input", input=platform.input_label(exc.input_name)) + (
            t("error.and-then", hint=hint) if hint else ""
        )
    return neutralise(redact(t("error.prefix") + exc.message + (t("error.hint", hint=hint) if hint else "")))


def _fail(platform: Platform, line: str, code: int) -> int:
    """One line on standard error and, in a pipeline, one annotation: the step never fails silently."""
    annotation = platform.annotation("error", line.removeprefix(t("error.prefix")), "aibcheck")
    with contextlib.suppress(OSError, ValueError):
        print(annotation or line, file=sys.stderr, flush=True)
    return code


def _internal(exc: BaseException) -> str:
    from aibcheck.redact import redact

    where = exc.__traceback__
    while where is not None and where.tb_next is not None:
        where = where.tb_next
    place = f"{os.path.basename(where.tb_frame.f_code.co_filename)}:{where.tb_lineno}" if where else ""
    text = str(exc).splitlines()[0][:200] if str(exc) else ""
    error = f"{type(exc).__name__}{': ' + text if text else ''}"
    place = t("error.at", place=place) if place else ""
    return redact(t("error.internal", error=error, place=place, version=__version__))


def parse_settings(argv: Sequence[str] | None, env: Mapping[str, str]) -> Settings:
    """The command's settings from its arguments and the environment; InputError for anything wrong."""
    args = build_parser().parse_args(argv)
    given = vars(args)
    return load_settings(args.command, given, env, given.get("positional") or "")


def _language(chosen: str | None, env: Mapping[str, str]) -> str:
    """--lang, else AIBCHECK_LANG, else the pipeline's culture, else English."""
    wanted = (chosen or env.get("AIBCHECK_LANG", "")).strip().lower()
    if wanted in ("zh-cn", "zh"):
        return "zh-CN"
    return "en" if wanted == "en" else i18n.from_culture(env) or "en"


def main(argv: Sequence[str] | None = None) -> int:
    i18n.use(_language(None, os.environ))  # first, so that even a bad argument is reported in that language
    if sys.stdout is None or sys.stderr is None:  # started with a closed standard output or error
        if sys.stderr is not None:
            print(t("error.prefix") + t("error.stdout-closed"), file=sys.stderr)
        return int(ExitCode.USAGE)
    _safe_streams()
    _quiet_libraries()
    platform = detect(os.environ)
    try:
        try:
            settings = parse_settings(argv, os.environ)
            i18n.use(_language(settings.lang, os.environ))
            code = int(HANDLERS[settings.command](settings, platform))
        finally:
            sys.stdout.flush()
    except AibcheckError as exc:
        return _fail(platform, error_line(exc, platform), int(exc.exit_code))
    except KeyboardInterrupt:
        return _fail(platform, t("error.interrupted"), 130)
    except Stopped as stopped:  # a signal outside the watch, which reports for itself
        return _fail(platform, t("error.stopped", reason=stopped.reason), stopped.exit_code or 130)
    except BrokenPipeError:
        _discard_stdout()
        return int(ExitCode.OK)  # the reader went away (e.g. `| head`): nothing left to say
    except OSError as exc:
        if exc.filename is None and exc.errno is not None:  # writing standard output failed (a full disk)
            _discard_stdout()
            line = t("error.prefix") + t("error.cannot-write", reason=exc.strerror)
            return _fail(platform, line, int(ExitCode.USAGE))
        return _fail(platform, _internal(exc), int(ExitCode.INTERNAL))
    except MemoryError:
        return _fail(platform, t("error.prefix") + t("error.memory"), int(ExitCode.INTERNAL))
    except (SystemExit, GeneratorExit):
        raise
    except Exception as exc:  # the boundary: anything unexpected is one line and exit 70, never a traceback
        return _fail(platform, _internal(exc), int(ExitCode.INTERNAL))
    return code


def _discard_stdout() -> None:
    """Point standard output at the null device, so the interpreter's last flush cannot fail again."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass

