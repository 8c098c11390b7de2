"""Every signature speaks Chinese too: its title, cause and fix, with the same placeholders, and no English prose.

Chinese input is recognised as well: the Chinese corpus cases (the guide's error blocks as a Chinese reader pastes
them, the portal's Chinese wording of ARM errors, logs of Chinese build VMs) reach the verdict of their English
originals, and reach it through the Chinese patterns: with those taken out, the verdict is another.
"""

import json
import re
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from aibcheck import i18n
from aibcheck.catalogue import Signature, catalogue, hints
from aibcheck.catalogue.loader import signature_files
from aibcheck.diagnose import diagnose_path
from aibcheck.diagnose.matcher import LineMatcher
from aibcheck.messages import MESSAGES
from aibcheck.render.json import to_dict
from tests.language_check import english_runs

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
SIGNATURES = [*catalogue(), *hints()]
FILES = [*signature_files(), *signature_files("hints")]
CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]")
PLACEHOLDER = re.compile(r"\{(\w+)\}")
ZH_KEYS = ["title_zh", "cause_zh", "fix_zh"]


def _texts(signature: Signature) -> list[tuple[str, str, str]]:
    return [
        ("title", signature.title, signature.title_zh),
        ("cause", signature.cause, signature.cause_zh),
        ("fix", signature.fix, signature.fix_zh),
    ]


@pytest.mark.parametrize("signature", SIGNATURES, ids=[s.id for s in SIGNATURES])
def test_every_signature_has_its_texts_in_chinese(signature: Signature) -> None:
    for name, english, chinese in _texts(signature):
        assert chinese, f"{signature.id} has no {name}_zh"
        assert CJK.search(chinese), f"{signature.id}: {name}_zh is not Chinese"
        assert sorted(PLACEHOLDER.findall(chinese)) == sorted(PLACEHOLDER.findall(english)), (
            f"{signature.id}: {name}_zh has other placeholders than {name}"
        )
        assert chinese.count("[[") == english.count("[[") and chinese.count("]]") == english.count("]]"), (
            f"{signature.id}: {name}_zh has other optional passages than {name}"
        )
        assert not english_runs(chinese), f"{signature.id}: English prose left in {name}_zh"


@pytest.mark.parametrize("file", FILES, ids=[f.name for f in FILES])
def test_the_chinese_texts_are_the_last_keys_of_each_file(file: Path) -> None:
    keys = list(yaml.safe_load(file.read_text(encoding="utf-8")))
    assert keys[-3:] == ZH_KEYS


@pytest.mark.parametrize("signature", SIGNATURES, ids=[s.id for s in SIGNATURES])
def test_a_chinese_title_with_nothing_to_fill_leaves_no_dangling_mark(signature: Signature) -> None:
    with i18n.language("zh-CN"):
        title = signature.title_for({})
    assert title and not title.endswith(("：", "，", "（", "“")) and "（）" not in title


def test_the_heuristic_finds_every_english_text_of_the_catalogue_and_the_table() -> None:
    """The check above is only as good as the heuristic: it must flag the English originals themselves."""
    for signature in SIGNATURES:
        for name, english, _ in _texts(signature):
            assert english_runs(english), f"{signature.id}: the heuristic misses the English {name}"
    long_english = [e for e, _ in MESSAGES.values() if len(re.findall(r"\b[a-z]{2,}\b", e)) >= 6]
    assert len(long_english) > 30
    missed = [e for e in long_english if not english_runs(e)]
    assert len(missed) <= len(long_english) // 10, missed


@pytest.mark.parametrize(
    "text",
    [
        "请运行 `az image builder show -n web -g rg-images`，然后查看 lastRunStatus。",
        "为模板的标识授予“Storage Blob Data Reader”角色。",
        "生成 VM 上的 Microsoft Defender for Endpoint 阻止了通用化。",
        "用 az vm list-skus -l chinanorth3 --size Standard_D2s_v5 --output table 检查。",
        "Azure Linux 代理（walinuxagent / WALinuxAgent 软件包，/usr/sbin/waagent）",
        "连接中断（unexpected EOF），通常是因为生成 VM 过载",
    ],
)
def test_the_heuristic_leaves_commands_names_and_terms_alone(text: str) -> None:
    assert english_runs(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "The build VM ran out of disk space",
        "请把 vmProfile.vmSize set to a larger size 再重试",
        "运行 az vm list-skus --output table shows it without restrictions",
        "原因：Packer gave up waiting for the connection。",
    ],
)
def test_the_heuristic_finds_english_prose(text: str) -> None:
    assert english_runs(text)


# -- Chinese input ---------------------------------------------------------------------------------------------

ZH_CASES = sorted(p for p in CORPUS.iterdir() if p.is_dir() and "-zh-" in p.name)
GUIDE = sorted(p for p in CORPUS.iterdir() if p.is_dir() and p.name.startswith("guide-") and "-zh-" not in p.name)
# The English cases that are not an error block of the guide (a case built from a restart the guide only hints at).
NOT_A_GUIDE_BLOCK = {"guide-windows-restart-timeout-1190"}


def _english_only() -> LineMatcher:
    def english(items: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(item for item in items if not CJK.search(item))

    return LineMatcher(
        [replace(s, keywords=english(s.keywords), patterns=english(s.patterns)) for s in catalogue()]
    )


def _input(case: Path) -> Path:
    (found,) = [p for p in case.iterdir() if p.name.startswith("input")]
    return found


def test_every_error_block_of_the_guide_has_a_chinese_case() -> None:
    blocks = {case.name.removeprefix("guide-") for case in GUIDE} - {
        name.removeprefix("guide-") for name in NOT_A_GUIDE_BLOCK
    }
    chinese = {case.name.removeprefix("guide-zh-") for case in ZH_CASES if case.name.startswith("guide-zh-")}
    assert len(blocks) == 16
    assert blocks == chinese


@pytest.mark.parametrize(
    "case", [c for c in ZH_CASES if c.name.startswith("guide-zh-")], ids=lambda c: c.name.removeprefix("guide-zh-")
)
def test_a_guide_block_pasted_in_chinese_gets_the_verdict_of_its_english_form(case: Path) -> None:
    english = CORPUS / case.name.replace("guide-zh-", "guide-")
    wanted = json.loads((english / "expected.json").read_text(encoding="utf-8"))
    got = to_dict(diagnose_path(str(_input(case))))
    assert (got["category"], got["phase"]) == (wanted["category"], wanted["phase"])
    assert (got["category"], got["phase"]) == (
        to_dict(diagnose_path(str(_input(english))))["category"],
        to_dict(diagnose_path(str(_input(english))))["phase"],
    )


@pytest.mark.parametrize("case", ZH_CASES, ids=[c.name for c in ZH_CASES])
def test_the_verdict_of_a_chinese_case_comes_from_a_chinese_pattern(case: Path) -> None:
    assert CJK.search(_input(case).read_text(encoding="utf-8"))
    with_chinese = to_dict(diagnose_path(str(_input(case))))
    without = to_dict(diagnose_path(str(_input(case)), _english_only()))
    assert with_chinese["signature"] is not None
    assert without["signature"] != with_chinese["signature"], "English patterns alone reach the same verdict"
