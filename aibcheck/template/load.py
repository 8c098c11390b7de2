"""Read an image template from JSON or YAML: a bare imageTemplates resource, or an ARM deployment template."""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from aibcheck.errors import InputError
from aibcheck.i18n import t
from aibcheck.template.expressions import Unresolved, resolve

RESOURCE_TYPE = "microsoft.virtualmachineimages/imagetemplates"


@dataclass(frozen=True)
class LoadedTemplate:
    resource: dict[str, Any]  # location, identity, tags, properties: what the PUT sends
    name: str | None  # the resource's own name, when the file gives one


@dataclass(frozen=True)
class _FileWords:
    """The message keys for a file that is missing or unreadable."""

    missing: str
    missing_hint: str
    unreadable: str
    unreadable_hint: str


_TEMPLATE = _FileWords("template.no-file", "template.no-file.hint", "template.unreadable", "template.unreadable.hint")
_PARAMETERS = _FileWords(
    "parameters.no-file", "parameters.no-file.hint", "parameters.unreadable", "parameters.no-file.hint"
)


def _text_of(path: str, words: _FileWords) -> str:
    file = Path(path)
    if not file.is_file():
        raise InputError(t(words.missing, path=path), t(words.missing_hint))
    try:
        return file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(t(words.unreadable, path=path, error=exc), t(words.unreadable_hint)) from exc


def template_text(path: str) -> str:
    """The text of a template file; one InputError when it is missing or not UTF-8."""
    return _text_of(path, _TEMPLATE)


def _json_or_yaml(text: str) -> Any:
    """JSON first (templates usually are), then YAML; yaml.YAMLError when neither reads it."""
    try:
        return json.loads(text)
    except ValueError:
        return yaml.safe_load(text)


def _read(path: str) -> Any:
    try:
        return _json_or_yaml(template_text(path))
    except yaml.YAMLError as exc:
        raise InputError(t("template.syntax", path=path, error=exc), t("template.syntax.hint")) from exc


def read_parameters(path: str) -> dict[str, Any]:
    """The parameter values of an ARM parameters file (its `parameters` object, or the file's own top level)."""
    text = _text_of(path, _PARAMETERS)
    try:
        data = _json_or_yaml(text)
    except yaml.YAMLError as exc:
        raise InputError(t("parameters.syntax", path=path, error=exc), t("template.syntax.hint")) from exc
    except RecursionError as exc:
        raise InputError(t("parameters.too-deep", path=path), t("parameters.no-file.hint")) from exc
    given = data.get("parameters", data) if isinstance(data, dict) else data
    if not isinstance(given, dict):
        raise InputError(t("parameters.not-object", path=path, found=kind_of(given)), t("parameters.no-file.hint"))
    return given


def kind_of(value: Any) -> str:
    """What a JSON or YAML value is, in words, for a message that expected an object."""
    if value is None:
        return t("template.kind.nothing")
    if isinstance(value, bool):
        return t("template.kind.boolean")
    if isinstance(value, int | float):
        return t("template.kind.number")
    return t("template.kind.list") if isinstance(value, list) else t("template.kind.text")


def load_template(
    path: str, parameters_file: str | None = None, overrides: dict[str, str] | None = None
) -> LoadedTemplate:
    try:
        return _load_template(path, parameters_file, overrides or {})
    except RecursionError as exc:  # values nested deeper than Python's parsers and the resolver go
        raise InputError(t("template.too-deep", path=path), t("template.too-deep.hint")) from exc


def _load_template(path: str, parameters_file: str | None, overrides: dict[str, str]) -> LoadedTemplate:
    data = _read(path)
    if not isinstance(data, dict):
        raise InputError(t("template.not-object", path=path, found=kind_of(data)))
    if isinstance(data.get("resources"), list | dict):
        return _from_deployment(path, data, parameters_file, overrides)
    if "properties" not in data:
        raise InputError(t("template.no-properties", path=path))
    if parameters_file:
        read_parameters(parameters_file)  # named, so it must be there, even where a bare resource has no use for it
    return LoadedTemplate(_resource_fields(data), data.get("name") if isinstance(data.get("name"), str) else None)


def _resource_fields(resource: dict[str, Any]) -> dict[str, Any]:
    return {k: resource[k] for k in ("location", "identity", "tags", "properties") if k in resource}


def _from_deployment(
    path: str, data: dict[str, Any], parameters_file: str | None, overrides: dict[str, str]
) -> LoadedTemplate:
    resources = data["resources"].values() if isinstance(data["resources"], dict) else data["resources"]
    found = [r for r in resources if isinstance(r, dict) and str(r.get("type", "")).lower() == RESOURCE_TYPE]
    if len(found) != 1:
        types = sorted({str(r.get("type")) for r in resources if isinstance(r, dict)})
        raise InputError(
            t("template.resources", path=path, count=len(found), types=", ".join(types) or t("template.none")),
            t("template.resources.hint", tool="aibcheck"),
        )
    parameters = parameter_values(data, parameters_file, overrides)
    variables = data.get("variables") or {}
    unresolved: list[str] = []
    resource = _resolve_tree(found[0], parameters, variables, "", unresolved)
    if unresolved:
        raise InputError(
            t("template.unresolved", path=path, values="; ".join(unresolved[:5])),
            t("template.unresolved.hint"),
        )
    name = resource.get("name") if isinstance(resource.get("name"), str) else None
    return LoadedTemplate(_resource_fields(resource), name)


def parameter_values(data: dict[str, Any], parameters_file: str | None, overrides: dict[str, str]) -> dict[str, Any]:
    """A deployment template's parameter values: defaults, then the parameters file, then NAME=VALUE overrides."""
    values = {
        name: spec["defaultValue"]
        for name, spec in (data.get("parameters") or {}).items()
        if isinstance(spec, dict) and "defaultValue" in spec
    }
    if parameters_file:
        given = read_parameters(parameters_file)
        values.update({k: v["value"] if isinstance(v, dict) and "value" in v else v for k, v in given.items()})
    for name, text in overrides.items():
        try:
            values[name] = json.loads(text)
        except ValueError:
            values[name] = text
    return values


def _resolve_tree(value: Any, parameters: dict[str, Any], variables: Any, where: str, unresolved: list[str]) -> Any:
    if isinstance(value, dict):
        return {
            _resolve_tree(key, parameters, variables, f"{where} key", unresolved): _resolve_tree(
                item, parameters, variables, f"{where}.{key}", unresolved
            )
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_resolve_tree(item, parameters, variables, f"{where}[{i}]", unresolved) for i, item in enumerate(value)]
    try:
        return resolve(value, parameters, variables)
    except Unresolved as exc:
        unresolved.append(f"{where.lstrip('.')} = {value} ({exc})")
        return value
