"""Every corpus case diagnosed in Chinese: a whole Chinese report, the same verdict, the same JSON contract.

"No English left" is checked in two ways (tests/language_check.py explains the heuristic):
- the title, cause and fix have no run of four or more English words outside code, quotes and commands;
- every fixed label is Chinese: once the values a report shows (slugs, names, times, log lines, the texts above)
  are taken out of the text report and of the rendered Markdown, no English word is left but "aibcheck".
"""

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from aibcheck import i18n
from aibcheck.ci.platform import detect
from aibcheck.ci.report import Report, annotations, markdown_of
from aibcheck.diagnose import diagnose_path
from aibcheck.diagnose.model import Diagnosis
from aibcheck.render.context import BuildContext
from aibcheck.render.json import render_json
from aibcheck.render.safe import neutralise
from aibcheck.render.text import render_text
from aibcheck.render.timeline import clock, duration
from tests.language_check import english_runs, english_words
from tests.markdown_check import elements, links, rendered_text

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
CASES = sorted(p for p in CORPUS.iterdir() if p.is_dir())
CONTEXT = {"template": "web-image", "log_url": "https://aibstaging01.blob.core.chinacloudapi.cn/packerlogs/r1/x.log"}
OURS = {"h3", "h4", "p", "strong", "code", "a", "table", "thead", "tbody", "tr", "th", "td", "pre", "em"}  # fmt: skip
ALLOWED_WORDS = {"aibcheck"}


def _input(case: Path) -> str:
    (found,) = [p for p in case.iterdir() if p.name.startswith("input")]
    return str(found)


def _diagnose(case: Path, language: str) -> Diagnosis:
    with i18n.language(language):  # the texts are decided, in the language, when the diagnosis is made
        return diagnose_path(_input(case))


def _values(diagnosis: Diagnosis) -> list[str]:
    """What the report shows that is not a label: taken out before looking for English words."""
    values = [diagnosis.title, diagnosis.cause, diagnosis.fix, *diagnosis.docs, *CONTEXT.values()]
    values += [diagnosis.category.value, diagnosis.phase.value, diagnosis.scan.kind.value]
    values += [diagnosis.failed_customizer or ""]
    values += [line.text for line in (*diagnosis.evidence, *diagnosis.customizer_output)]
    for step in diagnosis.timeline:
        values += [step.name, step.phase.value, clock(step), clock(step, end=True), duration(step)]
    values += [neutralise(v) for v in values]  # as a log line is printed: it can never act as a runner command
    return sorted({v for v in values if v}, key=len, reverse=True)


def _without(text: str, values: Iterable[str]) -> str:
    for value in values:
        text = text.replace(value, " ")
    return text


def _shown(text: str) -> str:
    """Text with backtick code spans as the rendered Markdown shows them (as code, without the backticks)."""
    return " ".join(text.replace("`", "").split())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_a_chinese_report_of_every_case(case: Path) -> None:
    english, chinese = _diagnose(case, "en"), _diagnose(case, "zh-CN")
    # The same verdict: the language changes texts, never the diagnosis.
    for field in ("outcome", "category", "phase", "failed_customizer", "confidence", "signature", "evidence"):
        assert getattr(chinese, field) == getattr(english, field), field
    for text in (chinese.title, chinese.cause, chinese.fix):
        assert not english_runs(text), f"English prose left in {text!r}"
    assert chinese.title != english.title and chinese.fix != english.fix

    with i18n.language("zh-CN"):
        report = render_text(chinese, BuildContext(**CONTEXT))
        markdown = markdown_of(Report(case.name, True, chinese, context=BuildContext(**CONTEXT)), mermaid=False)
    values = _values(chinese)
    left = english_words(_without("\n".join(line for line in report.splitlines() if " | " not in line), values))
    assert set(left) <= ALLOWED_WORDS, f"English labels in the text report: {sorted(set(left))}"

    shown = rendered_text(markdown)
    for text in (chinese.title, chinese.cause, chinese.fix):
        assert _shown(text) in shown, f"not shown word for word: {text!r}"
    # Rendered Markdown folds whitespace, shows code without its backticks, and cuts log lines at 400 characters.
    variants = {" ".join(v.split()) for v in values} | {_shown(v) for v in values} | {" ".join(v[:400].split()) for v in values}
    folded = sorted(variants, key=len, reverse=True)
    left = english_words(_without(shown, folded))
    assert set(left) <= ALLOWED_WORDS, f"English labels in the Markdown: {sorted(set(left))}"
    assert set(elements(markdown)) <= OURS, "only the elements aibcheck writes"
    assert set(links(markdown)) <= set(chinese.docs)
    assert elements(markdown).count("strong") >= 4, "the bold labels render as bold (CommonMark's flanking rules)"


def _json(diagnosis: Diagnosis) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(render_json(diagnosis))
    return document


def _shape(value: Any) -> Any:
    """The document's keys, recursively: what the JSON contract fixes."""
    if isinstance(value, dict):
        return {key: _shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_shape(item) for item in value]
    return type(value).__name__


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_json_in_chinese_keeps_its_english_keys_and_slugs(case: Path) -> None:
    english, chinese = _json(_diagnose(case, "en")), _json(_diagnose(case, "zh-CN"))
    assert _shape(chinese) == _shape(english)
    texts = {"title", "cause", "fix"}
    assert {k: v for k, v in chinese.items() if k not in texts} == {k: v for k, v in english.items() if k not in texts}


def test_annotations_and_the_notice_in_chinese() -> None:
    env = {"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(CORPUS.parent.parent)}
    case = CORPUS / "synthetic-customize"
    chinese = _diagnose(case, "zh-CN")
    with i18n.language("zh-CN"):
        lines = annotations(Report("web", True, chinese, input_path=_input(case)), detect(env))
    assert lines and lines[0].startswith("::error")
    assert "解决方法：" in lines[0] and "Fix:" not in lines[0]
    assert chinese.title in lines[0]


def test_the_success_headline_in_chinese() -> None:
    from aibcheck.driver.finish import success_headline

    with i18n.language("zh-CN"):
        headline = success_headline("web", {"run-state": "Succeeded", "image-id": "/subscriptions/0/images/web"})
    shown = rendered_text("\n".join(headline))
    assert shown.startswith("✅ aibcheck：模板 web 已生成")
    values = ["run-state", "image-id", "Succeeded", "/subscriptions/0/images/web", "web"]
    assert set(english_words(_without(shown, values))) <= {"aibcheck"}
