"""Every kind of secret, planted in every kind of input, reaches no output of `aibcheck diagnose` nor of redact().

Each context's inputs run through `python -m aibcheck diagnose` three times: on a terminal (Markdown and a
summary file), in GitHub Actions (JSON, annotations, step summary, step outputs, the pull-request comment on a
local fake of the API) and in Azure DevOps (text, logging commands, the uploaded summary, the pull-request
thread). No 8-character piece of a planted secret may appear in any of them, escaped for JSON, for workflow
or logging commands, or for Markdown, or not.
"""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from aibcheck.redact import redact
from tests.fakes.azdo import FakeAzureDevOps
from tests.fakes.github import FakeGitHub
from tests.planted_contexts import CONTEXTS, ONE_LINE, Input, leak_finder, readable_forms, write_inputs
from tests.planted_secrets import KINDS

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Outputs:
    inputs: list[Input] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # where -> what was written there
    runs: list[subprocess.CompletedProcess[str]] = field(default_factory=list)


def _clean_env() -> dict[str, str]:
    prefixes = ("GITHUB_", "TF_BUILD", "AIBCHECK_", "SYSTEM_", "BUILD_", "AGENT_", "RUNNER_")
    return {k: v for k, v in os.environ.items() if not k.startswith(prefixes)}


def _github_env(server: FakeGitHub, folder: Path) -> dict[str, str]:
    event = folder / "event.json"
    event.write_text(json.dumps({"number": 7, "pull_request": {"number": 7, "head": {"sha": "abc"}}}))
    return {
        **_clean_env(),
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_REPOSITORY": "contoso/images",
        "GITHUB_API_URL": server.url,
        "GITHUB_TOKEN": server.token,
        "GITHUB_STEP_SUMMARY": str(folder / "step-summary.md"),
        "GITHUB_OUTPUT": str(folder / "step-output.txt"),
        "GITHUB_WORKSPACE": str(folder),
    }


def _azdo_env(server: FakeAzureDevOps, folder: Path) -> dict[str, str]:
    return {
        **_clean_env(),
        "TF_BUILD": "True",
        "BUILD_REASON": "PullRequest",
        "SYSTEM_COLLECTIONURI": server.url,
        "SYSTEM_TEAMPROJECT": server.project,
        "BUILD_REPOSITORY_ID": server.repository_id,
        "SYSTEM_PULLREQUEST_PULLREQUESTID": "21",
        "SYSTEM_ACCESSTOKEN": server.token,
        "AGENT_TEMPDIRECTORY": str(folder),
        "BUILD_REPOSITORY_PROVIDER": "TfsGit",
    }


def _diagnose(path: Path, env: dict[str, str], *extra: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "aibcheck", "diagnose", str(path), "--comment-key", path.stem, *extra]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=env, cwd=ROOT)


def _run_everywhere(path: Path, folder: Path, github: FakeGitHub, azdo: FakeAzureDevOps, out: Outputs) -> None:
    platforms = {
        "terminal": ({**_clean_env()}, "markdown"),
        "github": (_github_env(github, folder), "json"),
        "azure-devops": (_azdo_env(azdo, folder), "text"),
    }
    for platform, (env, fmt) in platforms.items():
        summary = folder / f"{platform}-summary.md"
        run = _diagnose(path, env, "--format", fmt, "--summary-file", str(summary), "--comment", "always")
        out.runs.append(run)
        out.texts[f"{path.name} {platform} stdout ({fmt})"] = run.stdout + run.stderr
        out.texts[f"{path.name} {platform} --summary-file"] = summary.read_text(encoding="utf-8")
    for written in sorted(folder.glob("*")):
        if written.suffix in (".md", ".txt") and "-summary" not in written.name:
            out.texts[f"{path.name} {written.name}"] = written.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Outputs]]:
    found: dict[str, Outputs] = {}
    with FakeGitHub() as github, FakeAzureDevOps() as azdo:
        for context in CONTEXTS:
            out = found[context] = Outputs()
            for path, planted in write_inputs(context, tmp_path_factory.mktemp(context)):
                out.inputs.append(planted)
                _run_everywhere(path, tmp_path_factory.mktemp(path.stem), github, azdo, out)
                out.texts[f"{path.name} redact()"] = redact(planted.text)
            out.texts["pull-request comments"] = json.dumps(github.comments_for("contoso/images", 7))
            out.texts["pull-request threads"] = json.dumps(azdo.threads)
        yield found


# Every kind in every context, but for secrets spread over lines, which only a log's output can carry.
MATRIX = [
    (c, k) for c in CONTEXTS for k in KINDS if c == "customizer-output" or any(p.plant.kind == k for p in ONE_LINE)
]


def test_the_matrix_is_whole() -> None:
    assert len(KINDS) >= 36 and len(MATRIX) >= 5 * 36
    assert {k for c, k in MATRIX if c == "customizer-output"} == set(KINDS)


@pytest.mark.parametrize(("context", "kind"), MATRIX)
def test_no_piece_of_a_planted_secret_reaches_an_output(outputs: dict[str, Outputs], context: str, kind: str) -> None:
    out = outputs[context]
    placed = [p for planted in out.inputs for p in planted.placed if p.plant.kind == kind]
    assert placed, f"{kind} was not planted in {context}"
    finder = leak_finder(tuple(secret for p in placed for secret in p.plant.secrets))
    for where, text in out.texts.items():
        for form in readable_forms(text):
            leak = finder.search(form)
            assert leak is None, f"{kind} in {context}: {leak.group(0)!r} reached {where}"


@pytest.mark.parametrize("context", CONTEXTS)
def test_every_plant_reached_an_output_masked(outputs: dict[str, Outputs], context: str) -> None:
    """Else a missing secret would prove nothing: the line carrying it must be shown, masked."""
    out = outputs[context]
    assert all(run.returncode == 0 and "Traceback" not in run.stderr for run in out.runs), out.runs[0].stderr
    shown = " ".join(
        form for where, text in out.texts.items() if "redact()" not in where for form in readable_forms(text)
    )
    missing = [p.marker for planted in out.inputs for p in planted.placed if f"[{p.marker}]" not in shown]
    assert not missing, f"{context}: these plants reached no output: {missing}"
    assert "***" in shown
    for planted in out.inputs:  # the pull-request comment and thread of each input are among the outputs checked
        key = Path(planted.name).stem
        assert (
            f"aibcheck:sticky:{key}" in out.texts["pull-request comments"] and key in out.texts["pull-request threads"]
        )


def test_the_contexts_are_what_they_claim(outputs: dict[str, Outputs]) -> None:
    verdicts = {
        context: [json.loads(run.stdout.split("\n::", 1)[0]) for run in out.runs if run.args[-5] == "json"]
        for context, out in outputs.items()
    }
    assert all(v["signature"] is None and len(v["evidence"]) == 5 for v in verdicts["unknown-failure"])
    assert all(v["signature"] and v["customizer_output"] for v in verdicts["customizer-output"])
    assert all(v["input"]["kind"] == "json" for v in verdicts["arm-error-json"])
    assert all(v["input"]["kind"] == "message" for v in verdicts["pasted-message"])
    (error_lines,) = verdicts["error-line"]
    assert len({f["signature"] for f in error_lines["findings"]}) >= 5, "error lines from several signatures"
    annotated = [t for where, t in outputs["error-line"].texts.items() if "github stdout" in where]
    assert annotated and annotated[0].count("\n::warning ") >= 4, "other signals are annotated with their lines"
