"""The code tables behind {hresult_meaning}, {exit_code_meaning}, {role} and {aadsts_meaning}, and that every
placeholder a signature's texts use can be filled by something."""

import re
from collections.abc import Callable

import pytest

from aibcheck import i18n
from aibcheck.catalogue import Signature, catalogue
from aibcheck.catalogue.facts import code_tables, derive, exit_code_meaning, hresult_meaning, role_for
from tests.language_check import english_runs

# Filled by the verdict from the failed step, by the catalogue's tables, by the log location or by the template.
DERIVED = {
    "customizer",
    "hresult_meaning",
    "hresult_search_error",
    "hresult_install_error",
    "hresult_access_denied",
    "exit_code_meaning",
    "role",
    "aadsts_meaning",
    "log_url",
    "template",
    "template_group",
}
TEMPLATE = {"build_timeout", "vm_size", "os_disk_gb", "template_name", "resource_group"}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_GROUP = re.compile(r"\(\?P<(\w+)>")
_CJK = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]")


def test_tables_are_well_formed() -> None:
    tables = code_tables()
    assert {"hresults", "hresult_families", "exit_codes", "roles", "aadsts"} <= set(tables)
    for code, (meaning, _) in tables["hresults"].items():
        assert re.fullmatch(r"0x8[0-9A-F]{7}", code), code
        assert meaning and meaning[0].islower() and not meaning.endswith("."), code
    assert all(re.fullmatch(r"\d+", code) for code in tables["exit_codes"])
    assert all(re.fullmatch(r"AADSTS\d{5,7}", code) for code in tables["aadsts"])
    assert all(key.startswith("Microsoft.") for key in tables["roles"])


@pytest.mark.parametrize("table", ["hresults", "hresult_families", "exit_codes", "roles", "aadsts"])
def test_every_meaning_has_a_chinese_text(table: str) -> None:
    for code, (english, chinese) in code_tables()[table].items():
        assert not _CJK.search(english), f"{table} {code}: Chinese in the English text"
        # role names stay in English (az role assignment takes them), so a bare role name is the same in both
        assert _CJK.search(chinese) or (table == "roles" and chinese == english), f"{table} {code}: no Chinese"
        assert not english_runs(chinese), f"{table} {code}: English prose left in the Chinese text"
        assert not chinese.endswith(("。", ".")), f"{table} {code}: a meaning is part of a sentence"


@pytest.mark.parametrize(
    ("fact", "english", "chinese"),
    [
        (lambda: hresult_meaning("0x8024402C"), "could not resolve", "无法解析"),
        (lambda: hresult_meaning("0x8024ABCD"), "Windows Update agent error", "Windows 更新代理错误"),
        (lambda: hresult_meaning("0x80070BB8"), "(Win32) error 3000", "(Win32) 错误 3000"),
        (lambda: exit_code_meaning("1603"), "fatal error", "严重错误"),
        (lambda: role_for("Microsoft.KeyVault/vaults/write"), "Key Vault Contributor (or Contributor)",
         "Key Vault Contributor（或 Contributor）"),
        (lambda: derive({"aadsts": "aadsts7000222"}, "")["aadsts_meaning"], "expired", "已过期"),
    ],
)
def test_facts_speak_the_current_language(fact: Callable[[], str], english: str, chinese: str) -> None:
    assert english in fact() and not _CJK.search(fact())
    with i18n.language("zh-CN"):
        assert chinese in fact()
        assert not english_runs(fact())


def test_common_windows_update_codes_are_covered() -> None:
    for code in ("0x8024402C", "0x80244022", "0x80240438", "0x8024401C", "0x800F0922", "0x800F081F", "0x80070005"):
        assert code in code_tables()["hresults"], code


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("0x800f0922", "servicing stack"),  # an installation error, not a search error
        ("0x8024402c", "resolve"),
        ("0x8024ABCD", "Windows Update agent"),  # unknown code: its family
        ("0x80070BB8", "Win32) error 3000"),
        ("nonsense", ""),
    ],
)
def test_hresult_meaning(code: str, expected: str) -> None:
    assert expected in hresult_meaning(code)
    if expected:
        assert hresult_meaning(code)


def test_a_servicing_error_is_not_called_a_search_error() -> None:
    assert "not a search or network error" in hresult_meaning("0x800F0922")


def test_access_denied_from_windows_update_is_told_apart() -> None:
    """0x80070005 from the update API is a session that is not elevated: the fix says so, other codes do not."""
    assert derive({"hresult": "0x80070005"}, "")["hresult_access_denied"] == "0x80070005"
    assert "hresult_access_denied" not in derive({"hresult": "0x800F0922"}, "")


def test_exit_codes_and_roles() -> None:
    assert "fatal error" in exit_code_meaning("1603")
    assert exit_code_meaning("99999") == ""
    assert role_for("Microsoft.KeyVault/vaults/write").startswith("Key Vault Contributor")
    assert role_for("Microsoft.Compute/galleries/images/versions/write").startswith("Contributor")
    assert role_for("Microsoft.Network/virtualNetworks/subnets/join/action").startswith("Network Contributor")
    assert role_for("Contoso.Custom/thing/write") == ""


def test_derive_reads_the_log_location_in_both_forms() -> None:
    url = "https://abc123def.blob.core.windows.net/packerlogs/7c2d/customization.log"
    assert derive({}, f"Image Build log location: {url}. OperationId: 7c2d.")["log_url"] == url
    path = (
        "Packer build logs are at location /subscriptions/0000/resourceGroups/IT_rg_t_0000/providers/"
        "Microsoft.Storage/storageAccounts/abc123def/blobServices/default/containers/packerlogs/7c2d/customization.log."
    )
    assert derive({}, path)["log_url"] == url
    assert derive({"hresult": "0x80240438", "exit_code": "127"}, "")["exit_code_meaning"] == "the command was not found"


@pytest.mark.parametrize("signature", catalogue(), ids=lambda s: s.id)
def test_every_placeholder_can_be_filled(signature: Signature) -> None:
    groups = {name for pattern in signature.patterns for name in _GROUP.findall(pattern)}
    texts = [signature.title, signature.cause, signature.fix, signature.title_zh, signature.cause_zh, signature.fix_zh]
    used = {name for text in texts for name in _PLACEHOLDER.findall(text)}
    assert used <= groups | DERIVED | TEMPLATE, f"{signature.id}: nothing fills {used - groups - DERIVED - TEMPLATE}"


@pytest.mark.parametrize("signature", catalogue(), ids=lambda s: s.id)
def test_chinese_texts_keep_the_english_placeholders(signature: Signature) -> None:
    for english, chinese in ((signature.title, signature.title_zh), (signature.cause, signature.cause_zh), (signature.fix, signature.fix_zh)):
        if chinese:
            assert set(_PLACEHOLDER.findall(chinese)) == set(_PLACEHOLDER.findall(english)), signature.id
