"""Preflight findings as text (terminals and CI logs), JSON (the tools' contract) and Markdown (summaries, comments).

Messages quote template text in backticks (model.quote). Every output redacts secrets; the text output is
neutralised line by line so that no line can become a workflow or logging command; the Markdown puts
quoted template text in code spans and escapes everything else, so that no HTML, mention, reference or link
can come from a template.
"""

import json
import re

from aibcheck.i18n import t
from aibcheck.preflight.model import Finding, PreflightResult, Severity
from aibcheck.redact import redact
from aibcheck.render.safe import neutralise

_ICON = {Severity.ERROR: "❌", Severity.WARNING: "⚠️", Severity.NOTICE: "\N{INFORMATION SOURCE}\ufe0f"}
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+!|~])")
_JOINER = "\u2060"  # an invisible word joiner: breaks @mentions, #references and autolinks without showing


def render_text(result: PreflightResult) -> str:
    lines = []
    for f in result.findings:
        severity = t(f"preflight.{f.severity.value}.one")
        lines.append(neutralise(redact(f"{f.file}:{f.line}: {severity}: {f.message} [{f.id}]")))
        lines.append(neutralise(redact(t("preflight.text.fix", fix=f.fix))))
    lines.append(t("preflight.text.summary", summary=result.summary()))
    return "\n".join(lines) + "\n"


def render_json(result: PreflightResult) -> str:
    findings = []
    for finding in result.findings:
        item = finding.as_dict()
        item["message"], item["fix"] = redact(finding.message), redact(finding.fix)
        findings.append(item)
    return json.dumps({"findings": findings}, indent=2, ensure_ascii=False) + "\n"


def _prose(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MARKDOWN_PUNCTUATION.sub(r"\\\1", text)
    text = re.sub(r"([@#])", rf"\1{_JOINER}", text)
    # Runs of 7 or more hex digits read as commit references: no run that long survives.
    text = re.sub(r"[0-9a-fA-F]{7,}", lambda m: _JOINER.join(re.findall(".{1,6}", m.group(0))), text)
    return re.sub(r"(://|www\.)", lambda m: m.group(1)[0] + _JOINER + m.group(1)[1:], text, flags=re.IGNORECASE)


def _code(text: str) -> str:
    text = " ".join(neutralise(text).replace("`", "'").split())
    return "`" + text.replace("|", "\\|") + "`" if text else ""


def markdown_text(text: str) -> str:
    """One line of Markdown for a table cell: backtick-quoted parts as code, the rest escaped."""
    text = " ".join(neutralise(redact(text)).split())
    parts = text.split("`")
    if len(parts) % 2 == 0:  # an unpaired backtick: show it all as prose
        return _prose(text.replace("`", "'"))
    return "".join(_code(part) if i % 2 else _prose(part) for i, part in enumerate(parts))


def _row(finding: Finding) -> str:
    where = _code(f"{finding.file}:{finding.line}")
    cells = [f"{_ICON[finding.severity]} {t(f'preflight.{finding.severity.value}.one')}", _code(finding.id), where]
    cells += [markdown_text(finding.message), markdown_text(finding.fix)]
    return "| " + " | ".join(cells) + " |"


def render_markdown(result: PreflightResult) -> str:
    verdict = "❌" if result.errors else "⚠️" if result.warnings else "✅"
    out = [t("preflight.md.headline", verdict=verdict, summary=_prose(result.summary())), ""]
    if not result.findings:
        return "\n".join([*out, _prose(t("preflight.md.none")), ""])
    out += [t("preflight.md.header"), "|---|---|---|---|---|"]
    out += [_row(finding) for finding in result.findings]
    out += ["", _prose(t("preflight.md.docs")), ""]
    return "\n".join(out)
