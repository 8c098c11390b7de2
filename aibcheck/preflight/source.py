"""The template as preflight sees it: the file's values, the line of each of them, and the imageTemplates resource.

A deployment template's expressions are resolved as `aibcheck run` resolves them (parameters(), variables(),
concat(), format()); what cannot be resolved stays as written and is listed, so that the checks which need
that value skip it instead of stopping the whole preflight.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from aibcheck.errors import InputError
from aibcheck.i18n import t
from aibcheck.preflight.positions import escape, json_lines, nearest, yaml_lines
from aibcheck.template.expressions import Unresolved, is_expression, resolve
from aibcheck.template.load import RESOURCE_TYPE, kind_of, parameter_values, read_parameters, template_text


@dataclass(frozen=True)
class TemplateSource:
    path: str
    lines: Mapping[str, int]  # JSON pointer into the file -> 1-based line
    base: str  # pointer of the imageTemplates resource in the file ("" for a bare resource)
    resource: Mapping[str, Any]  # the resource with its expressions resolved
    name: str | None  # the resource's own name, when the file gives one
    unresolved: tuple[str, ...]  # pointers (into the file) of values left as written

    def locate(self, relative: str) -> tuple[str, int]:
        """The file pointer and line of a pointer relative to the resource (its closest existing ancestor)."""
        found = nearest(dict(self.lines), self.base + relative)
        return found, self.lines.get(found, 1)


def _parse(path: str) -> tuple[Any, dict[str, int]]:
    text = template_text(path)
    try:
        return json.loads(text), json_lines(text)
    except json.JSONDecodeError as exc:
        json_error = t("template.at-line", line=exc.lineno, error=exc.msg)
    try:
        return yaml.safe_load(text), yaml_lines(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", "")
        yaml_error = t("template.at-line", line=mark.line + 1, error=problem) if mark else str(exc).splitlines()[0]
        found = json_error if text.lstrip().startswith(("{", "[")) else yaml_error
        raise InputError(t("template.syntax.where", path=path, error=found), t("template.syntax.hint")) from exc


def load_source(
    path: str, parameters_file: str | None = None, overrides: Mapping[str, str] | None = None
) -> TemplateSource:
    try:
        return _load_source(path, parameters_file, dict(overrides or {}))
    except RecursionError as exc:  # values nested deeper than Python's parsers and the resolver go
        raise InputError(t("template.too-deep", path=path), t("template.too-deep.hint")) from exc


def _load_source(path: str, parameters_file: str | None, overrides: dict[str, str]) -> TemplateSource:
    data, lines = _parse(path)
    if not isinstance(data, dict):
        raise InputError(t("template.not-object", path=path, found=kind_of(data)))
    if isinstance(data.get("resources"), list | dict):
        return _from_deployment(path, data, lines, parameters_file, overrides)
    if "properties" not in data:
        raise InputError(t("template.no-properties", path=path))
    if parameters_file:
        read_parameters(parameters_file)  # named, so it must be there, even where a bare resource has no use for it
    name = data.get("name") if isinstance(data.get("name"), str) else None
    return TemplateSource(path, lines, "", data, name, ())


def _find_resource(path: str, resources: Any) -> tuple[str, dict[str, Any]]:
    entries = list(resources.items()) if isinstance(resources, dict) else list(enumerate(resources))
    found = [
        (key, item)
        for key, item in entries
        if isinstance(item, dict) and str(item.get("type", "")).lower() == RESOURCE_TYPE
    ]
    if len(found) != 1:
        types = sorted({str(item.get("type")) for _, item in entries if isinstance(item, dict)})
        raise InputError(
            t("template.resources", path=path, count=len(found), types=", ".join(types) or t("template.none")),
            t("template.resources.hint", tool="preflight"),
        )
    key, resource = found[0]
    return f"/resources/{escape(str(key))}", resource


def _from_deployment(
    path: str, data: dict[str, Any], lines: dict[str, int], parameters_file: str | None, overrides: dict[str, str]
) -> TemplateSource:
    base, raw = _find_resource(path, data["resources"])
    parameters = parameter_values(data, parameters_file, overrides)
    unresolved: list[str] = []
    resource = _resolve(raw, parameters, data.get("variables") or {}, base, unresolved)
    name = resource.get("name")
    name = name if isinstance(name, str) and not is_expression(name) else None
    return TemplateSource(path, lines, base, resource, name, tuple(unresolved))


def _resolve(value: Any, parameters: Mapping[str, Any], variables: Any, where: str, unresolved: list[str]) -> Any:
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            child = f"{where}/{escape(str(key))}"
            resolved_key = _resolve(key, parameters, variables, child, unresolved)
            out[resolved_key if isinstance(resolved_key, str) else key] = _resolve(
                item, parameters, variables, child, unresolved
            )
        return out
    if isinstance(value, list):
        return [_resolve(item, parameters, variables, f"{where}/{i}", unresolved) for i, item in enumerate(value)]
    try:
        return resolve(value, parameters, variables if isinstance(variables, Mapping) else {})
    except Unresolved:
        if where not in unresolved:
            unresolved.append(where)
        return value
