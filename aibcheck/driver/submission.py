"""The template as `run` submits it: loaded, checked, changed (keep-alive, tags) and named."""

import hashlib
import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from aibcheck.ci.platform import Platform
from aibcheck.errors import InputError
from aibcheck.i18n import t
from aibcheck.settings import Settings
from aibcheck.template.changes import add_keep_alive, add_tags
from aibcheck.template.load import load_template

NAME_PATTERN = re.compile(r"^[A-Za-z0-9-_.]{1,64}$")


def unique_suffix(run_id: str | None, resource: Mapping[str, Any]) -> str:
    """The pipeline's run id (and attempt), or a short hash of the template when there is no pipeline."""
    if run_id:
        return run_id
    return hashlib.sha256(json.dumps(resource, sort_keys=True).encode()).hexdigest()[:8]


def prepare(settings: Settings, platform: Platform, say: Callable[[str], None]) -> tuple[str, dict[str, Any]]:
    """The template name and the body to PUT, with every change aibcheck makes announced."""
    template = settings.input or settings.template or ""
    loaded = load_template(template, settings.parameters_file, dict(settings.parameters))
    body = loaded.resource
    if settings.location:
        body["location"] = settings.location
    if not body.get("location"):
        raise InputError(t("run.no-location", template=template), t("run.no-location.hint"))
    properties = body.get("properties") or {}
    missing = [key for key in ("source", "distribute") if not properties.get(key)]
    if missing:
        fields = t("run.missing.or").join(f"properties.{key}" for key in missing)
        raise InputError(t("run.missing", template=template, fields=fields), t("run.missing.hint"))
    if settings.keep_alive_minutes:
        body, notes = add_keep_alive(body, settings.keep_alive_minutes)
        for note in notes:
            say(t("progress.keep-alive", note=note))
    tags = {k: v[:256] for k, v in platform.ci_tags().items() if v}
    body = add_tags(body, {**tags, **settings.tags})
    name = settings.template_name or loaded.name or Path(template).stem
    if settings.if_exists == "unique":
        name = f"{name}-{unique_suffix(platform.run_id(), body)}"
    if not NAME_PATTERN.match(name):
        raise InputError(t("run.bad-name", name=repr(name)), t("run.bad-name.hint"))
    return name, body
