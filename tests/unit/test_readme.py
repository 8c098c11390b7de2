"""The README's front door: what it shows is what aibcheck prints, and a team sees both pipeline steps first."""

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
FIRST_SCREEN = 80  # lines


def test_the_sample_output_is_what_the_command_prints() -> None:
    block = re.search(r"```console\n\$ (aibcheck diagnose [^\n]+)\n(.*?)```", README, re.S)
    assert block, "the README shows a diagnosis"
    command, shown = block.group(1).split(), block.group(2)
    printed = subprocess.run(
        [sys.executable, "-m", "aibcheck", *command[1:]], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert printed.returncode == 0 and printed.stdout == shown, "regenerate the README's sample from the tool"


def test_a_github_and_an_azure_devops_step_on_the_first_screen() -> None:
    first = "\n".join(README.splitlines()[:FIRST_SCREEN])
    assert "# GitHub Actions" in first and "uses: your-org/aibcheck@" in first
    assert "# Azure DevOps" in first and "task: AibcheckImageBuilder@" in first


def test_benchmarks_and_internals_live_in_docs() -> None:
    assert "scripts/bench_diagnose.py" not in README and "## Layout" not in README
    assert "scripts/bench_diagnose.py" in (ROOT / "docs" / "internals.md").read_text(encoding="utf-8")
