"""Step outputs for later steps: GITHUB_OUTPUT on GitHub Actions, output variables on Azure DevOps."""

import os
import secrets
import sys
from collections.abc import Mapping
from typing import TextIO

from aibcheck.ci.commands import azdo_output


def github_output_entry(name: str, value: str) -> str:
    """One entry of the GITHUB_OUTPUT file, in the multi-line form with a random delimiter."""
    delimiter = f"aibcheck_{secrets.token_hex(16)}"
    while delimiter in value:
        delimiter = f"aibcheck_{secrets.token_hex(16)}"
    return f"{name}<<{delimiter}\n{value}\n{delimiter}\n"


def azdo_name(name: str) -> str:
    """The task's name of an output: task.json output names allow no hyphen (run-state is runState there)."""
    head, *rest = name.split("-")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def publish(outputs: Mapping[str, str], env: Mapping[str, str] = os.environ, stdout: TextIO = sys.stdout) -> None:
    """Hand outputs to the pipeline, if there is one; on a terminal they are printed by the caller."""
    values = {name: value for name, value in outputs.items() if value}
    if env.get("GITHUB_ACTIONS") == "true" and env.get("GITHUB_OUTPUT"):
        with open(env["GITHUB_OUTPUT"], "a", encoding="utf-8") as handle:
            handle.writelines(github_output_entry(name, value) for name, value in values.items())
    elif env.get("TF_BUILD", "").lower() == "true":
        stdout.writelines(azdo_output(azdo_name(name), value) + "\n" for name, value in values.items())
        stdout.flush()
