"""The command line: `aibcheck diagnose INPUT`, `aibcheck catalogue`."""

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence

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
    diagnose.set_defaults(handler=_diagnose)

    catalogue = commands.add_parser("catalogue", help="list the known failure signatures")
    catalogue.add_argument("--format", "-f", choices=("text", "json"), default="text")
    catalogue.set_defaults(handler=_catalogue)
    return parser


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
    rendered = renderers[args.format](diagnose_path(args.input))
    _write(rendered, args.output)
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
