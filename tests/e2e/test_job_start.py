"""The job's start from the platform's API, against local GitHub and Azure DevOps REST servers."""

import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from aibcheck.ci.platform import detect
from aibcheck.driver.deadline import make_deadline
from tests.fakes.azdo import FakeAzureDevOps
from tests.fakes.github import FakeGitHub

STARTED = datetime(2026, 11, 27, 7, 0, 5, tzinfo=UTC)


@pytest.fixture
def github() -> Iterator[FakeGitHub]:
    with FakeGitHub() as server:
        yield server


def _github_env(server: FakeGitHub, **extra: str) -> dict[str, str]:
    return {
        "GITHUB_ACTIONS": "true",
        "GITHUB_API_URL": server.url,
        "GITHUB_TOKEN": server.token,
        "GITHUB_REPOSITORY": "contoso/images",
        "GITHUB_RUN_ID": "555",
        "GITHUB_RUN_ATTEMPT": "2",
        "RUNNER_NAME": "GitHub Actions 7",
        **extra,
    }


def test_github_job_by_id_and_by_runner(github: FakeGitHub) -> None:
    github.set_job("contoso/images", 42, STARTED, run_id=555, run_attempt=2, runner_name="GitHub Actions 7")
    github.set_job(
        "contoso/images", 43, STARTED + timedelta(hours=1), run_id=555, run_attempt=2, runner_name="GitHub Actions 8"
    )
    assert detect(_github_env(github, AIBCHECK_JOB_ID="42")).job_start() == (STARTED, "the job's start reported by GitHub")
    assert detect(_github_env(github)).job_start() == (STARTED, "the job's start reported by GitHub"), "matched by runner"
    github.forbid_actions = True
    started, why = detect(_github_env(github)).job_start()
    assert started is None and "403" in why and "actions: read" in why


def test_azure_devops_timeline_record_of_this_job() -> None:
    with FakeAzureDevOps() as azdo:
        job = "3f1c0d2e-1111-2222-3333-444455556666"
        azdo.set_timeline(
            88,
            [
                {"id": "00000000-0000-0000-0000-000000000001", "type": "Stage", "startTime": "2026-11-27T06:00:00Z"},
                {"id": job, "type": "Job", "startTime": "2026-11-27T07:00:05.1234567Z"},
            ],
        )
        env = {
            "TF_BUILD": "True",
            "SYSTEM_COLLECTIONURI": azdo.url,
            "SYSTEM_TEAMPROJECT": azdo.project,
            "BUILD_BUILDID": "88",
            "SYSTEM_JOBID": job.upper(),
            "SYSTEM_ACCESSTOKEN": azdo.token,
        }
        started, source = detect(env).job_start()
        assert source == "the job's start reported by Azure DevOps"
        assert started is not None and abs((started - STARTED).total_seconds()) < 1


def test_the_deadline_counts_from_the_job_start() -> None:
    now = time.monotonic()
    half_an_hour_ago = datetime.now(UTC) - timedelta(minutes=30)
    deadline = make_deadline(60, 5, None, now, half_an_hour_ago, "the job's start reported by GitHub")
    left = deadline.left(now)
    assert left is not None and 24 * 60 < left < 26 * 60
    assert "from the job's start reported by GitHub" in deadline.describe()
    fallback = make_deadline(60, 5, None, now, None, "no GitHub token to read the job's start")
    assert "the time aibcheck started (no GitHub token" in fallback.describe()
