"""Reporting in a pipeline: `aibcheck diagnose` as a real process against local GitHub and Azure DevOps APIs."""

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes.azdo import FakeAzureDevOps
from tests.fakes.github import FakeGitHub

ROOT = Path(__file__).resolve().parents[2]
FAILED_LOG = ROOT / "examples" / "customization-failed.log"
OK_LOG = ROOT / "tests" / "corpus" / "synthetic-none" / "input.log"
SAS = "sig=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA%3D%3D"
PASSWORD = "Hunter2-Plain!"
HOSTILE = (
    "[op] PACKER ERR 2026/03/04 10:00:00 [INFO] (telemetry) Starting provisioner shell\n"
    "[op] PACKER OUT     azure-arm: ::set-output name=x::y\n"
    "::add-mask::\n"
    "[op] PACKER OUT     azure-arm: ##vso[task.setvariable variable=x]y\n"
    f"[op] PACKER OUT     azure-arm: curl https://a.blob.core.windows.net/c/x.zip?sv=2022&{SAS} --password {PASSWORD}\n"
    "[op] PACKER ERR ==> azure-arm: Script exited with non-zero exit status: 1. ##vso[task.complete result=Succeeded]\n"
    "[op] PACKER ERR 2026/03/04 10:01:00 [INFO] (telemetry) ending shell\n"
    f"[op] PACKER OUT Build 'azure-arm' errored after 1 minute: Script exited with non-zero exit status: 1 {SAS}\n"
)


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    with FakeGitHub() as server:
        yield server


@pytest.fixture
def azdo() -> Iterator[FakeAzureDevOps]:
    with FakeAzureDevOps() as server:
        yield server


def _clean() -> dict[str, str]:
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GITHUB_", "TF_BUILD", "AIBCHECK_", "SYSTEM_", "BUILD_", "AGENT_", "RUNNER_"))
    }


def github_env(server: FakeGitHub, tmp_path: Path, number: int = 7) -> dict[str, str]:
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"number": number, "pull_request": {"number": number, "head": {"sha": "abc"}}}))
    (tmp_path / "summary.md").write_text("")
    (tmp_path / "output.txt").write_text("")
    return {
        **_clean(),
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": str(event),
        "GITHUB_REPOSITORY": "contoso/images",
        "GITHUB_API_URL": server.url,
        "GITHUB_TOKEN": server.token,
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
        "GITHUB_OUTPUT": str(tmp_path / "output.txt"),
        "GITHUB_WORKSPACE": str(ROOT),
    }


def azdo_env(server: FakeAzureDevOps, tmp_path: Path, pr: int = 21) -> dict[str, str]:
    return {
        **_clean(),
        "TF_BUILD": "True",
        "BUILD_REASON": "PullRequest",
        "SYSTEM_COLLECTIONURI": server.url,
        "SYSTEM_TEAMPROJECT": server.project,
        "BUILD_REPOSITORY_ID": server.repository_id,
        "SYSTEM_PULLREQUEST_PULLREQUESTID": str(pr),
        "SYSTEM_ACCESSTOKEN": server.token,
        "AGENT_TEMPDIRECTORY": str(tmp_path),
        "BUILD_REPOSITORY_PROVIDER": "TfsGit",
    }


def diagnose(path: Path, env: dict[str, str], *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aibcheck", "diagnose", str(path), "--comment-key", "images", *extra],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=ROOT,
    )


def test_github_annotations_summary_outputs_and_one_comment(github: FakeGitHub, tmp_path: Path) -> None:
    env = github_env(github, tmp_path)
    github.add_comment("contoso/images", 7, "an unrelated human comment")
    first = diagnose(FAILED_LOG, env)
    assert first.returncode == 0, first.stderr
    errors = [line for line in first.stdout.splitlines() if line.startswith("::error ")]
    assert len(errors) == 1
    assert "title=The package manager was locked by another process on the build VM" in errors[0]
    assert "file=examples/customization-failed.log,line=40::" in errors[0]
    summary = (tmp_path / "summary.md").read_text()
    assert summary.startswith("### ❌ aibcheck: The package manager was locked")
    outputs = (tmp_path / "output.txt").read_text()
    assert "category<<aibcheck_" in outputs and "\npackage-manager-busy\n" in outputs
    bots = [c for c in github.comments_for("contoso/images", 7) if c["user"]["type"] == "Bot"]
    assert len(bots) == 1 and "<!-- aibcheck:sticky:images -->" in bots[0]["body"]
    second = diagnose(OK_LOG, env)  # a later run of the same template succeeded
    assert second.returncode == 0
    bots = [c for c in github.comments_for("contoso/images", 7) if c["user"]["type"] == "Bot"]
    assert len(bots) == 1, "updated in place, never duplicated"
    assert bots[0]["body"].startswith("### ✅ aibcheck")
    assert [r.method for r in github.requests if r.method != "GET"] == ["POST", "PATCH"]
    assert all(r.headers.get("x-github-api-version") == "2022-11-28" for r in github.requests)


def test_a_success_with_no_earlier_comment_posts_nothing(github: FakeGitHub, tmp_path: Path) -> None:
    result = diagnose(OK_LOG, github_env(github, tmp_path))
    assert result.returncode == 0 and not [r for r in github.requests if r.method == "POST"]
    assert "::error" not in result.stdout


@pytest.mark.parametrize("trouble", ["fork", "server-error", "no-token"])
def test_comment_trouble_is_a_notice_never_a_failure(github: FakeGitHub, tmp_path: Path, trouble: str) -> None:
    env = github_env(github, tmp_path)
    if trouble == "fork":
        github.read_only = True
    elif trouble == "server-error":
        github.fail_next(status=502, times=5)
    else:
        del env["GITHUB_TOKEN"]
    result = diagnose(FAILED_LOG, env)
    assert result.returncode == 0, result.stderr
    notices = [line for line in result.stdout.splitlines() if line.startswith("::notice::")]
    if trouble == "no-token":
        assert not notices and not github.requests
    else:
        assert len(notices) == 1 and "pull-request comment was not updated" in notices[0]
        assert ("403" in notices[0]) == (trouble == "fork")


def test_azure_devops_issues_summary_outputs_thread_and_result(azdo: FakeAzureDevOps, tmp_path: Path) -> None:
    env = azdo_env(azdo, tmp_path)
    first = diagnose(FAILED_LOG, env)
    assert first.returncode == 0, first.stderr
    lines = first.stdout.splitlines()
    assert any(line.startswith("##vso[task.logissue type=error]The package manager was locked") for line in lines)
    (upload,) = [line for line in lines if line.startswith("##vso[task.uploadsummary]")]
    assert Path(upload.split("]", 1)[1]).read_text().startswith("### ❌ aibcheck")
    assert "##vso[task.setvariable variable=category;isoutput=true]package-manager-busy" in lines
    assert lines[-1] == "##vso[task.complete result=SucceededWithIssues]"
    (thread,) = azdo.threads[21]
    assert thread["comments"][0]["content"].startswith("### ❌ aibcheck")
    second = diagnose(OK_LOG, env)
    assert second.stdout.splitlines()[-1] == "##vso[task.complete result=Succeeded]"
    (thread,) = azdo.threads[21]
    assert thread["comments"][0]["content"].startswith("### ✅ aibcheck"), "the same thread, updated"


def test_azure_devops_flat_properties_and_a_refused_token(azdo: FakeAzureDevOps, tmp_path: Path) -> None:
    env = azdo_env(azdo, tmp_path)
    diagnose(FAILED_LOG, env)
    azdo.envelope_properties = False
    diagnose(FAILED_LOG, env)
    assert len(azdo.threads[21]) == 1, "found again through a flat property value too"
    azdo.read_only = True
    refused = diagnose(FAILED_LOG, env)
    assert refused.returncode == 0
    assert any(line.startswith("##[warning]") and "403" in line for line in refused.stdout.splitlines())


@pytest.mark.parametrize("platform", ["github", "azdo"])
def test_untrusted_lines_and_secrets_never_reach_the_platform(
    github: FakeGitHub, azdo: FakeAzureDevOps, tmp_path: Path, platform: str
) -> None:
    log = tmp_path / "hostile.log"
    log.write_text(HOSTILE, encoding="utf-8")
    env = github_env(github, tmp_path) if platform == "github" else azdo_env(azdo, tmp_path)
    result = diagnose(log, env, "--format", "markdown")
    ours = ("::error ", "::warning ", "::notice", "::add-mask::", "::group::", "::endgroup::")
    for line in result.stdout.splitlines():
        if line.lstrip().startswith("::"):
            assert line.startswith(ours) and "::set-output" not in line.split("::", 2)[1], line
        if "##vso[" in line:
            assert line.startswith("##vso[") and line.count("##vso[") == 1, line
            assert not line.startswith("##vso[task.setvariable variable=x"), line
    assert "##vso[task.complete result=Succeeded]" not in result.stdout, "the log's own command never runs"
    written = result.stdout
    for name in ("summary.md", "output.txt"):
        written += (tmp_path / name).read_text() if (tmp_path / name).exists() else ""
    written += json.dumps(github.comments_for("contoso/images", 7)) + json.dumps(azdo.threads)
    for path in tmp_path.glob("aibcheck-*.md"):
        written += path.read_text()
    assert SAS.removeprefix("sig=") not in written and PASSWORD not in written


def test_the_comment_is_found_again_beyond_the_first_page(github: FakeGitHub, tmp_path: Path) -> None:
    env = github_env(github, tmp_path)
    for index in range(130):  # a busy pull request: aibcheck's comment lands on the second page
        github.add_comment("contoso/images", 7, f"review remark {index}")
    diagnose(FAILED_LOG, env)
    diagnose(FAILED_LOG, env)
    bots = [c for c in github.comments_for("contoso/images", 7) if c["user"]["type"] == "Bot"]
    assert len(bots) == 1
    pages = [r.query.get("page") for r in github.requests if r.method == "GET"]
    assert pages.count("2") == 2, "each run followed the Link header to the second page"


def test_azure_pipelines_on_a_github_repository_leaves_threads_alone(azdo: FakeAzureDevOps, tmp_path: Path) -> None:
    env = {**azdo_env(azdo, tmp_path), "BUILD_REPOSITORY_PROVIDER": "GitHub"}
    result = diagnose(FAILED_LOG, env)
    assert result.returncode == 0 and not azdo.requests


def test_steps_that_went_on_fine_leave_no_annotation(github: FakeGitHub, tmp_path: Path) -> None:
    """A WinRM retry that then connected and a restart's 1115 codes are not failures: one error, no warnings."""
    log = ROOT / "tests" / "corpus" / "windows-powershell-failure-after-restart" / "input.log"
    result = diagnose(log, github_env(github, tmp_path))
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert [line.split(" ", 1)[0] for line in annotations] == ["::error"], annotations
    assert "1115" not in result.stdout and "5986" not in result.stdout


def test_json_on_standard_output_stays_one_document_in_both_pipelines(
    github: FakeGitHub, azdo: FakeAzureDevOps, tmp_path: Path
) -> None:
    for env in (github_env(github, tmp_path), azdo_env(azdo, tmp_path)):
        result = diagnose(FAILED_LOG, env, "--format", "json")
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["category"] == "package-manager-busy", "exactly one JSON document"
        errors = ("::error", "##vso[task.logissue type=error]")
        commands = [line for line in result.stderr.splitlines() if line.startswith(errors)]
        assert len(commands) == 1, "the annotation still reaches the runner, on standard error"


def test_pagination_never_takes_the_token_to_another_host(github: FakeGitHub, tmp_path: Path) -> None:
    with FakeGitHub(token=github.token) as elsewhere:
        github.link_origin = elsewhere.url
        for index in range(120):
            github.add_comment("contoso/images", 7, f"comment {index}")
        result = diagnose(FAILED_LOG, github_env(github, tmp_path))
        assert result.returncode == 0, result.stderr
        assert not elsewhere.requests, "the Link header's other host never saw the token"


def test_a_thread_someone_else_created_is_never_taken_over(azdo: FakeAzureDevOps, tmp_path: Path) -> None:
    planted = azdo.add_thread(21, "please keep this text", properties={"aibcheck.sticky": "images"}, author="Mallory")
    result = diagnose(FAILED_LOG, azdo_env(azdo, tmp_path))
    assert result.returncode == 0, result.stderr
    threads = {t["id"]: t for t in azdo.threads[21]}
    assert threads[planted["id"]]["comments"][0]["content"] == "please keep this text"
    ours = [t for t in threads.values() if t["id"] != planted["id"]]
    assert len(ours) == 1 and ours[0]["comments"][0]["content"].startswith("### ❌ aibcheck")
    again = diagnose(FAILED_LOG, azdo_env(azdo, tmp_path))
    assert again.returncode == 0 and len(azdo.threads[21]) == 2, "aibcheck's own thread is updated, not duplicated"
