"""Preflight in Chinese: every finding of every check, offline and online, has its message and fix in Chinese,
at the same place and severity as in English; the reports render with Chinese labels."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from aibcheck import i18n
from aibcheck.preflight import Finding
from aibcheck.preflight.registry import CHECKS
from aibcheck.preflight.render import render_markdown, render_text
from tests.fakes.arm import FakeArm
from tests.language_check import english_runs, english_words
from tests.markdown_check import elements, rendered_text
from tests.preflight.templates import check, of
from tests.preflight.test_online_checks import TRIGGERS as ONLINE
from tests.preflight.test_online_checks import arm, online
from tests.preflight.test_template_checks import TRIGGERS as OFFLINE

pytest_plugins = ["tests.fakes.fixtures"]
__all__ = ["arm"]  # the fixture, shared with the online checks' tests
CJK = re.compile(r"[\u4e00-\u9fff]")
Template = dict[str, Any]


def _chinese(english: Finding, chinese: Finding) -> None:
    assert (chinese.id, chinese.line, chinese.path, chinese.severity) == (
        english.id,
        english.line,
        english.path,
        english.severity,
    )
    for text in (chinese.message, chinese.fix):
        assert CJK.search(text), text
        assert not english_runs(text), f"English prose left in {text!r}"


@pytest.mark.parametrize("check_entry", CHECKS, ids=[c.id for c in CHECKS])
def test_every_check_has_its_fix_in_chinese(check_entry: Any) -> None:
    assert CJK.search(check_entry.fix_zh) and not english_runs(check_entry.fix_zh)


@pytest.mark.parametrize(("check_id", "template", "needle", "severity"), OFFLINE)
def test_every_offline_finding_in_chinese(
    tmp_path: Path, check_id: str, template: Template, needle: str, severity: str
) -> None:
    english = of(check(tmp_path, template), check_id)
    with i18n.language("zh-CN"):
        chinese = of(check(tmp_path, template), check_id)
    assert len(english) == len(chinese) == 1
    _chinese(english[0], chinese[0])


@pytest.mark.parametrize(("check_id", "arrange", "change", "needle"), ONLINE)
def test_every_online_finding_in_chinese(
    arm: FakeArm,
    tmp_path: Path,
    check_id: str,
    arrange: Callable[[FakeArm], object],
    change: Callable[[Template], object],
    needle: str,
) -> None:
    from tests.preflight.templates import linux

    arrange(arm)
    template = linux()
    change(template)
    english, _ = online(arm, tmp_path, template, name="web")
    with i18n.language("zh-CN"):
        chinese, _ = online(arm, tmp_path, template, name="web")
    assert len(of(english, check_id)) == len(of(chinese, check_id)) == 1
    _chinese(of(english, check_id)[0], of(chinese, check_id)[0])


def test_the_reports_in_chinese(tmp_path: Path) -> None:
    template = OFFLINE[0][1]
    with i18n.language("zh-CN"):
        result = check(tmp_path, template)
        text = render_text(result)
        markdown = render_markdown(result)
    assert "    解决方法：" in text and text.rstrip().splitlines()[-1].startswith("预检：")
    shown = rendered_text(markdown)
    assert shown.startswith("❌ aibcheck 预检：1 个错误") and "严重性" in shown
    assert set(elements(markdown)) <= {"h3", "p", "table", "thead", "tbody", "tr", "th", "td", "code"}
    finding = result.findings[0]
    shown_texts = [" ".join(text.replace("`", "").split()) for text in (finding.message, finding.fix)]
    values = [finding.file, str(finding.line), finding.id, "aibcheck", "docs/preflight.md", *shown_texts]
    left = shown
    for value in sorted(values, key=len, reverse=True):
        left = left.replace(value, " ")
    assert english_words(left) == [], "every label of the Markdown report is Chinese"
