"""The message table, the language switch and the helpers Chinese output needs."""

import ast
import re
import string
import threading
from pathlib import Path

import pytest

from aibcheck import i18n
from aibcheck.catalogue.loader import fold
from aibcheck.cli import _language
from aibcheck.messages import MESSAGES
from tests.language_check import english_runs

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]")


def _fields(text: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_message_has_both_texts_with_the_same_placeholders(key: str) -> None:
    english, chinese = MESSAGES[key]
    assert english and chinese
    assert _fields(english) == _fields(chinese), f"{key}: the placeholders differ"
    # Chinese, or a text that reads the same in both (a flag name)
    assert CJK.search(chinese) or chinese.strip() == english.strip(), key
    assert not english_runs(chinese), f"{key}: English prose left in the Chinese text"
    assert not CJK.search(english), f"{key}: the English text has Chinese in it"


def test_the_table_is_one_table_without_a_key_twice() -> None:
    from aibcheck.messages import errors, preflight, report, run

    parts = (report.MESSAGES, errors.MESSAGES, run.MESSAGES, preflight.MESSAGES)
    assert sum(len(part) for part in parts) == len(MESSAGES), "a key is defined in two modules"


def _calls() -> tuple[set[str], set[str], set[str]]:
    """The keys code passes to t() literally, the prefixes of t(f"prefix.{...}"), and every string constant of the
    code outside the table itself (where every key is a constant)."""
    keys: set[str] = set()
    prefixes: set[str] = set()
    constants: set[str] = set()
    for path in (ROOT / "aibcheck").rglob("*.py"):
        if path.parent.name == "messages":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                constants.add(node.value)
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "t"):
                continue
            first = node.args[0] if node.args else None
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                keys.add(first.value)
            elif isinstance(first, ast.JoinedStr) and isinstance(first.values[0], ast.Constant):
                prefixes.add(str(first.values[0].value))
    return keys, prefixes, constants


def test_every_key_used_exists_and_every_key_is_used() -> None:
    keys, prefixes, constants = _calls()
    assert len(keys) > 100
    assert keys <= set(MESSAGES), f"t() with unknown keys: {sorted(keys - set(MESSAGES))}"
    unused = [k for k in MESSAGES if k not in constants and not any(k.startswith(p) for p in prefixes)]
    assert not unused, f"keys no code uses: {unused}"


def test_every_enum_value_a_report_shows_has_a_text() -> None:
    from aibcheck.diagnose.model import Outcome, StepStatus
    from aibcheck.taxonomy import Confidence

    for prefix, enum in (("outcome", Outcome), ("confidence", Confidence), ("status", StepStatus)):
        for member in enum:
            assert f"{prefix}.{member.value}" in MESSAGES


def test_t_speaks_the_current_language() -> None:
    assert i18n.t("verdict.running.title", step="shell") == "The input ends while the shell step is still running"
    with i18n.language("zh-CN"):
        assert i18n.t("verdict.running.title", step="shell") == "输入在 shell 步骤仍在运行时就结束了"
        assert i18n.pick("English", "") == "English", "no translation: the English text"
    assert i18n.current() == "en"


def test_a_thread_speaks_the_process_language() -> None:
    seen: list[str] = []
    i18n.use("zh-CN")
    try:
        worker = threading.Thread(target=lambda: seen.append(i18n.t("outcome.failed")))
        worker.start()
        worker.join()
    finally:
        i18n.use("en")
    assert seen == ["失败"]
    assert i18n.t("outcome.failed") == "failed"


@pytest.mark.parametrize(
    ("flag", "env", "expected"),
    [
        (None, {}, "en"),
        ("zh-CN", {}, "zh-CN"),
        ("zh-cn", {}, "zh-CN"),
        (None, {"AIBCHECK_LANG": "zh-CN"}, "zh-CN"),
        (None, {"SYSTEM_CULTURE": "zh-CN"}, "zh-CN"),
        (None, {"SYSTEM_CULTURE": "zh-Hans"}, "zh-CN"),
        (None, {"SYSTEM_CULTURE": "en-US"}, "en"),
        (None, {"SYSTEM_CULTURE": "zh-TW"}, "en"),
        ("en", {"SYSTEM_CULTURE": "zh-CN"}, "en"),
        (None, {"AIBCHECK_LANG": "en", "SYSTEM_CULTURE": "zh-CN"}, "en"),
    ],
)
def test_the_language_comes_from_the_flag_the_variable_or_the_culture(
    flag: str | None, env: dict[str, str], expected: str
) -> None:
    assert _language(flag, env) == expected


def test_columns_count_chinese_characters_twice() -> None:
    assert i18n.width("结果：") == 6
    assert i18n.pad("结果：", 11) == "结果：     "
    assert i18n.pad("outcome:", 11) == "outcome:   "


@pytest.mark.parametrize(
    ("written", "folded"),
    [
        ("生成\nVM", "生成 VM"),
        ("映像\n生成器", "映像生成器"),
        ("完成，\nAzure", "完成，Azure"),
        ("运行 `cloud-init\nstatus --wait`。", "运行 `cloud-init status --wait`。"),
        ("Azure\n（计算库）", "Azure（计算库）"),
        ("one\ntwo", "one two"),
    ],
)
def test_a_chinese_text_over_several_lines_folds_without_stray_spaces(written: str, folded: str) -> None:
    assert fold(written) == folded
