"""One contract for every CI platform: the same questions asked of GitHub Actions, Azure DevOps and a terminal.

A new platform is one module in aibcheck/ci/ and one entry in PLATFORMS below.
"""

import re
import stat
from pathlib import Path

import pytest

from aibcheck.ci.azdo import AzureDevOps
from aibcheck.ci.github import GitHub
from aibcheck.ci.local import Local
from aibcheck.ci.platform import Platform, detect

HOSTILE = "x\n::error::y ##vso[task.complete result=Succeeded] ##[group]z \x1b[31m\u202eevil\x9b"


def _env(name: str, tmp: Path) -> dict[str, str]:
    if name == "github":
        return {
            "GITHUB_ACTIONS": "true",
            "GITHUB_OUTPUT": str(tmp / "output"),
            "GITHUB_STEP_SUMMARY": str(tmp / "summary"),
            "GITHUB_WORKSPACE": str(tmp),
            "RUNNER_TEMP": str(tmp),
            "GITHUB_RUN_ID": "12",
            "GITHUB_RUN_ATTEMPT": "3",
            "RUNNER_ENVIRONMENT": "github-hosted",
        }
    if name == "azure-devops":
        return {
            "TF_BUILD": "True",
            "AGENT_TEMPDIRECTORY": str(tmp),
            "BUILD_SOURCESDIRECTORY": str(tmp),
            "BUILD_BUILDID": "12",
            "SYSTEM_JOBATTEMPT": "3",
            "AGENT_NAME": "Azure Pipelines 4",
        }
    return {}


PLATFORMS = {"github": GitHub, "azure-devops": AzureDevOps, "local": Local}


@pytest.fixture(params=sorted(PLATFORMS))
def platform(request: pytest.FixtureRequest, tmp_path: Path) -> Platform:
    found = detect(_env(request.param, tmp_path))
    assert isinstance(found, PLATFORMS[request.param]) and found.name == request.param
    return found


def _commands(line: str | None) -> list[str]:
    """The runner syntax a printed line holds: a leading '::name', and '##vso[' or '##[' anywhere."""
    if line is None:
        return []
    found = re.findall(r"##(?:vso)?\[[\w.]+", line)
    if line.lstrip().startswith("::"):
        found.append(line.lstrip().split("::")[1].split(" ")[0])
    return found


def test_groups_carry_no_syntax_from_their_title(platform: Platform) -> None:
    line = platform.group_start(HOSTILE)
    assert "\n" not in line and len(_commands(line)) <= 1
    end = platform.group_end()
    assert (end is None) == (platform.name == "local")


def test_an_annotation_is_one_command_whatever_its_text(platform: Platform) -> None:
    line = platform.annotation("error", HOSTILE * 3, HOSTILE, None, 3)
    if not platform.in_pipeline:
        assert line is None
        return
    assert line is not None and "\n" not in line and "\x1b" not in line and "\u202e" not in line
    assert len(_commands(line)) == 1, line
    notice = platform.annotation("notice", "n")
    assert notice is not None and _commands(notice)


def test_outputs_reach_the_next_steps(platform: Platform, tmp_path: Path) -> None:
    lines = platform.publish_outputs({"run-state": "Failed", "log-path": "/x;y]z\nw", "empty": ""})
    if platform.name == "github":
        text = (tmp_path / "output").read_text()
        assert "run-state<<" in text and "/x;y]z\nw" in text and "empty" not in text and lines == []
    elif platform.name == "azure-devops":
        assert lines[0] == "##vso[task.setvariable variable=runState;isoutput=true]Failed"
        assert lines[1].endswith("]/x%3By%5Dz%0Aw") and len(lines) == 2
    else:
        assert lines == []


def test_the_summary_is_published_privately(platform: Platform, tmp_path: Path) -> None:
    lines = platform.publish_summary("### hello", "tmpl/../x")
    if platform.name == "github":
        assert (tmp_path / "summary").read_text() == "### hello\n" and lines == []
    elif platform.name == "azure-devops":
        (line,) = lines
        path = Path(line.split("]", 1)[1])
        assert path.parent == tmp_path and path.read_text() == "### hello"
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        second = Path(platform.publish_summary("### again", "tmpl/../x")[0].split("]", 1)[1])
        assert second != path and path.read_text() == "### hello", "an earlier summary is never overwritten"
    else:
        assert lines == []


def test_the_pipeline_facts(platform: Platform, tmp_path: Path) -> None:
    expected = {
        "github": ("12-3", 360.0, "job-timeout-minutes", "Failed"),
        "azure-devops": ("12-3", 60.0, "jobTimeoutMinutes", "Failed"),
        "local": (None, None, "job-timeout-minutes", None),
    }[platform.name]
    complete = platform.complete("Failed")
    assert (platform.run_id(), platform.default_job_minutes(), platform.input_label("job-timeout-minutes")) == (
        expected[:3]
    )
    assert (complete is not None and "result=Failed" in complete) == (platform.name == "azure-devops")
    assert platform.pull_request() is None, "no pull request without its variables and a token"
    assert (platform.workspace() == tmp_path) == platform.in_pipeline
    assert (platform.temp_dir() == tmp_path) == platform.in_pipeline
    assert all(isinstance(v, str) for v in platform.ci_tags().values())


def test_masking_is_a_command_only_in_a_pipeline(platform: Platform) -> None:
    line = platform.mask("s3cr3t-value")
    assert (line is not None) == platform.in_pipeline
    if line:
        assert "s3cr3t-value" in line and len(_commands(line)) == 1
