"""Facts derived from what a failure's line holds: what its HRESULT or exit code means, the role an action
needs, where the build log is. They fill the {placeholders} of a signature's texts beside its named groups."""

import re
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import yaml

from aibcheck.catalogue.loader import YAML_LOADER
from aibcheck.errors import CatalogueError
from aibcheck.i18n import pick
from aibcheck.logs.location import from_message

_HEX = re.compile(r"0x([0-9a-f]{8})", re.IGNORECASE)
# A code's meaning: its English text and its Chinese text.
Meaning = tuple[str, str]


@cache
def code_tables() -> dict[str, dict[str, Meaning]]:
    """The tables of aibcheck/catalogue/codes.yaml: hresults, hresult_families, exit_codes, roles, aadsts."""
    text = (resources.files("aibcheck.catalogue") / "codes.yaml").read_text(encoding="utf-8")
    data: Any = yaml.load(text, Loader=YAML_LOADER)
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise CatalogueError("codes.yaml: expected mappings of code to meaning")
    return {name: {str(k): _meaning(v, f"{name} {k}") for k, v in table.items()} for name, table in data.items()}


def _meaning(value: Any, where: str) -> Meaning:
    if not (isinstance(value, dict) and isinstance(value.get("en"), str) and isinstance(value.get("zh"), str)):
        raise CatalogueError(f"codes.yaml: {where} needs its meaning in English (en) and in Chinese (zh)")
    return value["en"], value["zh"]


def _say(meaning: Meaning | None) -> str:
    """A meaning in the current language; "" for a code the table does not know."""
    return pick(*meaning) if meaning else ""


def hresult_meaning(code: str) -> str:
    """What an HRESULT such as 0x800F0922 means, from the table, else from its family."""
    match = _HEX.fullmatch(code.strip())
    if match is None:
        return ""
    digits = match.group(1).upper()
    tables = code_tables()
    known = tables["hresults"].get("0x" + digits)
    if known:
        return _say(known)
    family = _say(tables["hresult_families"].get(digits[:4]))
    if family and digits[:4] == "8007":
        return f"{family} {int(digits[4:], 16)}"
    return family


def _searching(code: str) -> bool:
    """A code of the Windows Update agent or of the network: reaching the update service failed."""
    digits = code.strip().upper().removeprefix("0X")
    return digits.startswith(("8024", "80072E", "80072F", "8019"))


def exit_code_meaning(code: str) -> str:
    return _say(code_tables()["exit_codes"].get(code.strip().lstrip("0") or "0"))


def role_for(action: str) -> str:
    """The built-in role that grants an ARM action (the longest matching entry of the table)."""
    roles = code_tables()["roles"]
    if action in roles:
        return _say(roles[action])
    prefixes = [key for key in roles if key.endswith("*") and action.lower().startswith(key[:-1].lower())]
    return _say(roles[max(prefixes, key=len)]) if prefixes else ""


def derive(values: Mapping[str, str], text: str) -> dict[str, str]:
    """Facts that follow from the values a match captured and from its line."""
    derived: dict[str, str] = {}
    if values.get("hresult"):
        derived["hresult_meaning"] = hresult_meaning(values["hresult"])
        # which advice applies: reaching Windows Update (search, download) or installing into Windows
        kind = "hresult_search_error" if _searching(values["hresult"]) else "hresult_install_error"
        derived[kind] = values["hresult"]
        if values["hresult"].strip().upper() == "0X80070005":
            # the Windows Update API refuses a remote session that is not elevated
            derived["hresult_access_denied"] = values["hresult"]
    if values.get("exit_code"):
        derived["exit_code_meaning"] = exit_code_meaning(values["exit_code"])
    if values.get("action"):
        derived["role"] = role_for(values["action"])
    if values.get("aadsts"):
        derived["aadsts_meaning"] = _say(code_tables()["aadsts"].get(values["aadsts"].upper()))
    # the arguments of aibcheck's own commands: the template's, or a stand-in to replace
    derived["template"] = values.get("template_name") or "<template>"
    derived["template_group"] = values.get("resource_group") or "<group>"
    location = from_message(text)
    if location is not None and location.blob:
        derived["log_url"] = location.url
    return {key: value for key, value in derived.items() if value}
