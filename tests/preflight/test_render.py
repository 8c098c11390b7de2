"""The renderers and annotations: the JSON contract, and template text that can never become a command, HTML,
a mention, a reference or a link (the Markdown is rendered with cmarkgfm, GitHub's own cmark)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import cmarkgfm
from cmarkgfm.cmark import Options

from aibcheck.ci.platform import detect
from aibcheck.preflight import PreflightResult, Severity, run_preflight
from aibcheck.preflight.annotate import annotation_lines
from aibcheck.preflight.model import Finding
from aibcheck.preflight.render import render_json, render_markdown, render_text
from tests.preflight.templates import linux, windows, write

HOSTILE = (
    "sudo apt-get install <img src=x onerror=alert(1)> @octocat #12 https://evil.example/x [click](https://evil.example) "
    "www.evil.example me@evil.example `tick` | pipe **bold** ::error::pwned ##vso[task.setvariable variable=X]1 "
    "0123456789abcdef0123456789abcdef01234567 https://store.blob.core.windows.net/c/f?sv=2024&sig=SECRETSIG"
)
ALLOWED_TAGS = {"h3", "p", "table", "thead", "tbody", "tr", "th", "td", "code"}


def hostile_result(tmp_path: Path) -> PreflightResult:
    """Template text quoted in messages (a customizer type, a command), and Azure text as prose."""
    t = linux()
    t["properties"]["customize"][1]["type"] = HOSTILE
    t["properties"]["customize"].append({"type": "Shell", "inline": ["::warning::x && sudo reboot"]})
    result = run_preflight(str(write(tmp_path, t)))
    azure = Finding("online-check-skipped", Severity.NOTICE, result.template, 1, "", f"not checked: {HOSTILE}", HOSTILE)
    return PreflightResult(result.template, (*result.findings, azure), False)


def test_json_contract(tmp_path: Path) -> None:
    result = hostile_result(tmp_path)
    data = json.loads(render_json(result))
    assert list(data) == ["findings"]
    assert data["findings"] and all(
        list(item) == ["id", "severity", "file", "line", "path", "message", "fix"] for item in data["findings"]
    )
    first = data["findings"][0]
    assert first["severity"] in ("error", "warning", "notice") and isinstance(first["line"], int)
    assert first["path"].startswith("/properties/customize/")
    assert "SECRETSIG" not in render_json(result)


def test_text_lines_never_become_commands(tmp_path: Path) -> None:
    text = render_text(hostile_result(tmp_path))
    for line in text.splitlines():
        assert not line.lstrip().startswith("::"), line
        assert "##vso[" not in line.lower() and "##[" not in line, line
    assert "SECRETSIG" not in text
    assert text.splitlines()[-1].startswith("preflight: ")


def _outside_code(html: str) -> str:
    return re.sub(r"<code>.*?</code>", "", html, flags=re.DOTALL)


def test_markdown_carries_no_html_mention_reference_or_link(tmp_path: Path) -> None:
    markdown = render_markdown(hostile_result(tmp_path))
    html = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    assert set(re.findall(r"<([a-z0-9]+)", html)) <= ALLOWED_TAGS, html
    text = _outside_code(html)
    assert not re.search(r"@[A-Za-z0-9]", text) and not re.search(r"#\d", text), text
    assert not re.search(r"\b[0-9a-f]{7,40}\b", text), text  # commit-like hashes only ever inside code
    assert "SECRETSIG" not in markdown
    rows = [line for line in markdown.splitlines() if line.startswith("| ")]
    assert rows and all(len(re.split(r"(?<!\\)\|", row)) == 7 for row in rows), rows  # no cell broken by a pipe


def test_markdown_of_a_clean_template(tmp_path: Path) -> None:
    markdown = render_markdown(run_preflight(str(write(tmp_path, windows()))))
    assert markdown.startswith("### ✅ aibcheck preflight: 0 errors, 0 warnings, 0 notices")


def _finding(severity: Severity, n: int = 0) -> Finding:
    return Finding(f"check-{n}", severity, "/work/repo/t.json", 7 + n, "/properties", "::stop::x ##vso[a]b", "fix it")


def test_annotations_at_file_and_line() -> None:
    result = PreflightResult("/work/repo/images/t.json", (_finding(Severity.ERROR), _finding(Severity.NOTICE)), False)
    github = annotation_lines(result, detect({"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": "/work/repo"}))
    assert github[0].startswith("::error title=aibcheck preflight%3A check-0,file=images/t.json,line=7::: :stop::x")
    assert github[1].startswith("::notice title=aibcheck preflight%3A check-0,file=images/t.json,line=7::")
    azdo = annotation_lines(result, detect({"TF_BUILD": "True", "BUILD_SOURCESDIRECTORY": "/work/repo"}))
    assert azdo[1].startswith("##[warning]aibcheck preflight: check-0: "), "a notice is a log line, not an issue"
    assert azdo[0].startswith(
        "##vso[task.logissue type=error;sourcepath=images/t.json;linenumber=7]aibcheck preflight: check-0: "
    )
    assert "##vso[a]" not in azdo[0] and "##vso[a]" not in github[0]
    assert annotation_lines(result, detect({})) == []


def test_annotations_outside_the_repository_have_no_file() -> None:
    result = PreflightResult("/elsewhere/t.json", (_finding(Severity.WARNING),), False)
    [line] = annotation_lines(result, detect({"GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": "/work/repo"}))
    assert line.startswith("::warning title=aibcheck preflight%3A check-0::")


def test_annotations_are_capped_per_level() -> None:
    many = tuple(_finding(Severity.ERROR, n) for n in range(14))
    lines = annotation_lines(PreflightResult("t.json", many, False), detect({"GITHUB_ACTIONS": "true"}))
    assert len(lines) == 9 and lines[-1] == "::notice::6 more preflight findings: see the log"
