"""The command line in Chinese, as a user or a pipeline runs it: a real `python -m aibcheck` process.

The language comes from --lang, else AIBCHECK_LANG, else the pipeline's culture (Azure DevOps: System.Culture,
exported as SYSTEM_CULTURE), else English; errors in reading the arguments are reported in it too.
"""

import json
import re
from pathlib import Path

import pytest
from test_cli import aibcheck

from tests.language_check import english_runs

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "tests" / "corpus"
CJK = re.compile(r"[\u4e00-\u9fff]")
CHINESE = {"AIBCHECK_LANG": "zh-CN", "SYSTEM_CULTURE": ""}
NEUTRAL = {"AIBCHECK_LANG": "", "SYSTEM_CULTURE": "", "TF_BUILD": "", "GITHUB_ACTIONS": ""}


def _error_line(*args: str, env: dict[str, str], code: int = 2, stdin: bytes = b"", quoted: bool = False) -> str:
    """The one line of a failed command, in Chinese; `quoted`: it carries a library's own (English) message."""
    result = aibcheck(*args, env={**NEUTRAL, **env}, stdin=stdin)
    assert result.returncode == code, result
    message = result.stderr.decode("utf-8")
    assert "Traceback" not in message and message.count("\n") == 1, message
    assert message.startswith("aibcheck: 错误："), message
    assert quoted or not english_runs(message), message
    return message


@pytest.mark.parametrize(
    ("env", "args", "expect"),
    [
        ({"AIBCHECK_FORMAT": "xml"}, ("diagnose", "x.log"), "AIBCHECK_FORMAT='xml'：应为以下之一：text, json, markdown"),
        ({}, ("diagnose", "--format", "yaml", "x.log"), "--format='yaml'：应为以下之一"),
        ({"AIBCHECK_POLL_SECONDS": "-1"}, ("attach",), "应为数字（不小于 0.01，不大于 3600）"),
        ({"AIBCHECK_LIVE_LOG": "maybe"}, ("attach",), "应为 true 或 false"),
        ({"AIBCHECK_ARM_ENDPOINT": "http://x"}, ("attach",), "应为以 https:// 开头的 URL"),
        ({}, ("diagnose", "--tag", "x", "y.log"), "无法识别的参数：--tag"),
        ({}, ("diagnose",), "缺少必需的参数：INPUT"),
    ],
)
def test_a_bad_option_value_in_chinese(env: dict[str, str], args: tuple[str, ...], expect: str) -> None:
    assert expect in _error_line(*args, env={**CHINESE, **env})


def test_missing_empty_binary_and_directory_inputs_in_chinese(tmp_path: Path) -> None:
    assert "文件不存在" in _error_line("diagnose", str(tmp_path / "nope.log"), env=CHINESE)
    assert "是一个目录" in _error_line("diagnose", str(tmp_path), env=CHINESE)
    empty = tmp_path / "empty.log"
    empty.write_bytes(b"")
    assert "为空；应为 AIB 的 customization.log" in _error_line("diagnose", str(empty), env=CHINESE)
    assert "标准输入 为空" in _error_line("diagnose", "-", env=CHINESE, stdin=b"\n \n")
    binary = tmp_path / "disk.vhd"
    binary.write_bytes(bytes(range(256)) * 64)
    assert "看起来是二进制数据" in _error_line("diagnose", str(binary), env=CHINESE)


def test_a_missing_subscription_or_resource_group_in_chinese() -> None:
    message = _error_line("attach", "--template", "web", env=CHINESE)
    assert "未指定订阅（请传入 --subscription，或设置 AIBCHECK_SUBSCRIPTION 或 AZURE_SUBSCRIPTION_ID）" in message
    message = _error_line("logs", "--template", "web", "--subscription", "0000", env=CHINESE)
    assert "未指定资源组" in message
    assert "联机预检需要一个订阅" in _error_line(
        "preflight", str(ROOT / "examples" / "templates" / "ubuntu-web.json"), env={**CHINESE, "AZURE_SUBSCRIPTION_ID": ""}
    )


def test_template_errors_in_chinese(tmp_path: Path) -> None:
    assert "模板 " in _error_line("template", str(tmp_path / "none.json"), env=CHINESE)
    broken = tmp_path / "broken.json"
    broken.write_text('{"properties": [', encoding="utf-8")
    assert "既不是 JSON 也不是 YAML" in _error_line("template", str(broken), env=CHINESE, quoted=True)
    bare = tmp_path / "bare.json"
    bare.write_text('{"location": "chinanorth3"}', encoding="utf-8")
    assert "没有 'properties'" in _error_line("template", str(bare), env=CHINESE)


def test_english_is_the_default_and_the_flag_wins(tmp_path: Path) -> None:
    result = aibcheck("diagnose", str(tmp_path / "nope.log"), env=NEUTRAL)
    assert result.stderr.decode().startswith("aibcheck: error: ")
    result = aibcheck("diagnose", "--lang", "en", str(tmp_path / "nope.log"), env={**NEUTRAL, **CHINESE})
    assert result.stderr.decode().startswith("aibcheck: error: "), "--lang en over AIBCHECK_LANG"


def test_a_bad_language_is_reported_in_english() -> None:
    result = aibcheck("diagnose", "x.log", env={**NEUTRAL, "AIBCHECK_LANG": "fr"})
    assert result.returncode == 2
    assert "AIBCHECK_LANG='fr': expected one of en, zh-CN" in result.stderr.decode()


def _azure_devops(tmp_path: Path, culture: str) -> dict[str, str]:
    return {
        **NEUTRAL,
        "TF_BUILD": "True",
        "SYSTEM_CULTURE": culture,
        "AGENT_TEMPDIRECTORY": str(tmp_path),
        "BUILD_SOURCESDIRECTORY": str(ROOT),
        "BUILD_BUILDID": "12",
        "SYSTEM_JOBATTEMPT": "1",
    }


def test_an_azure_devops_pipeline_in_a_chinese_culture_reports_in_chinese(tmp_path: Path) -> None:
    log = CORPUS / "synthetic-customize" / "input.log"
    result = aibcheck("diagnose", str(log), env=_azure_devops(tmp_path, "zh-CN"))
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode("utf-8")
    assert "\n  类别：" in out and "\n原因：" in out and "\n解决方法：" in out
    issue = next(line for line in out.splitlines() if line.startswith("##vso[task.logissue type=error"))
    assert "解决方法：" in issue
    (summary,) = tmp_path.glob("**/*.md")
    markdown = summary.read_text(encoding="utf-8")
    assert "**原因**：" in markdown and "#### 时间线" in markdown
    english = aibcheck("diagnose", str(log), env=_azure_devops(tmp_path / "en", "en-US"))
    assert "\n  category:" in english.stdout.decode() and not CJK.search(english.stdout.decode())


def test_the_lang_flag_overrides_the_pipelines_culture(tmp_path: Path) -> None:
    log = CORPUS / "synthetic-customize" / "input.log"
    result = aibcheck("diagnose", "--lang", "en", str(log), env=_azure_devops(tmp_path, "zh-CN"))
    assert "\n  category:" in result.stdout.decode() and not CJK.search(result.stdout.decode())


def test_json_in_chinese_keeps_english_keys_and_slugs() -> None:
    log = str(CORPUS / "guide-zh-template-update-conflict" / "input.txt")
    english = json.loads(aibcheck("diagnose", "-f", "json", log, env=NEUTRAL).stdout)
    chinese = json.loads(aibcheck("diagnose", "-f", "json", "--lang", "zh-CN", log, env=NEUTRAL).stdout)
    assert list(chinese) == list(english)
    assert chinese["category"] == english["category"] == "template-update-conflict"
    assert chinese["phase"] == english["phase"] == "submission"
    assert chinese["findings"] == english["findings"]
    assert CJK.search(chinese["title"]) and not CJK.search(english["title"])


def test_the_catalogue_in_chinese() -> None:
    result = aibcheck("catalogue", "--lang", "zh-CN", env=NEUTRAL)
    out = result.stdout.decode("utf-8")
    assert "已存在同名的映像模板，且无法就地更改" in out
    assert out.rstrip().endswith("个故障特征")
