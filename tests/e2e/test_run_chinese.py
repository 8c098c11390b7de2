"""`aibcheck run` in Simplified Chinese (AIBCHECK_LANG=zh-CN), end to end against the local ARM: the progress
lines, the stop report and its outputs speak Chinese, and the build is driven exactly as in English."""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from aibcheck import i18n
from aibcheck.i18n import t
from tests.e2e.test_deadline import long_build
from tests.e2e.test_run import GROUP, LINUX, SUB, _sent, aibcheck_run
from tests.fakes.arm import FakeArm
from tests.language_check import english_runs
from tests.markdown_check import rendered_text

CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]")


@pytest.fixture
def arm() -> Iterator[FakeArm]:
    with FakeArm() as server:
        yield server


def _chinese(key: str, **values: object) -> str:
    with i18n.language("zh-CN"):
        return t(key, **values)


def _english(key: str, **values: object) -> str:
    with i18n.language("en"):
        return t(key, **values)


def test_a_run_detached_at_the_deadline_reports_in_chinese(arm: FakeArm, tmp_path: Path) -> None:
    long_build(arm, reads=120)
    summary = tmp_path / "summary.md"
    pipeline = {"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(tmp_path / "out")}
    result = aibcheck_run(
        arm, "--template", str(LINUX), "--name", "zh", "--no-live-log", "--job-timeout-minutes", "0.04",
        "--deadline-margin-minutes", "0", env={**pipeline, "AIBCHECK_LANG": "zh-CN"},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    # the build was driven as in English: submitted, started, left running
    assert _sent(arm, "PUT", "/imageTemplates/zh") and _sent(arm, "POST", "/run")
    assert not _sent(arm, "POST", "/cancel") and not _sent(arm, "DELETE")

    stopped = _chinese("build.stopped", reason=_chinese("deadline.near"))
    attach = f"aibcheck attach --template zh --resource-group {GROUP} --subscription {SUB} --arm-endpoint {arm.url}"
    for line in (
        _chinese("progress.submitting", name="zh", group=GROUP, location="westeurope"),
        _chinese("progress.run-started"),
        stopped,
        _chinese("build.attach-later", command=attach),
    ):
        assert line in out, f"{line!r} not printed"
    assert "已预配；暂存资源组 /subscriptions/" in out and "可能超出作业截止时间前剩余的" in out
    assert re.search(r"aibcheck 共发出 \d+ 个 ARM 请求和 \d+ 个存储请求", out)
    assert re.search(r"映像生成仍在 Azure 中继续：模板 /subscriptions/\S+/zh，暂存资源组 /subscriptions/\S+。", out)
    assert _english("build.stopped", reason=_english("deadline.near")) not in out
    assert "submitting template" not in out and "Pick it up later" not in out

    # every line aibcheck wrote is free of English prose, and every line of its own words is Chinese
    for line in out.splitlines():
        assert not english_runs(line), f"English prose left in {line!r}"
    own = [line for line in out.splitlines() if not re.match(r"^(?:::|\[\d+:\d\d\] |\w[\w-]*<<|ghadelimiter)", line)]
    assert own and all(CJK.search(line) for line in own if line.strip()), own

    # the stop report: the annotation and the job summary
    (warning,) = [line for line in out.splitlines() if line.startswith("::warning")]
    assert _chinese("build.left-running", command=attach).split("：")[0] in warning and attach in warning
    shown = rendered_text(summary.read_text(encoding="utf-8"))
    assert shown.startswith(f"⏸️ aibcheck：{stopped}"), shown
    assert not english_runs(shown), shown


def test_a_refused_name_is_reported_in_chinese(arm: FakeArm) -> None:
    arm.put_template(SUB, GROUP, "taken", {"location": "westeurope", "properties": {}})
    result = aibcheck_run(arm, "--template", str(LINUX), "--name", "taken", env={"AIBCHECK_LANG": "zh-CN"})
    assert result.returncode == 4, result.stdout + result.stderr
    assert result.stderr.startswith(_chinese("error.prefix") + _chinese("run.exists", name="taken", group=GROUP))
    assert "--if-exists replace" in result.stderr and not english_runs(result.stderr), result.stderr
    assert not _sent(arm, "PUT")
