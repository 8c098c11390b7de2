"""Table tests for every escaping rule of the platform syntax (docs: GitHub command.ts, the agent's convertor)."""

import pytest

from aibcheck.ci import commands


@pytest.mark.parametrize(
    ("raw", "data", "prop"),
    [
        ("plain", "plain", "plain"),
        ("100%", "100%25", "100%25"),
        ("a\nb", "a%0Ab", "a%0Ab"),
        ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
        ("k: v", "k: v", "k%3A v"),
        ("a,b", "a,b", "a%2Cb"),
        ("%0A", "%250A", "%250A"),  # percent first, so an escape in the text is not undone
    ],
)
def test_github_escaping(raw: str, data: str, prop: str) -> None:
    assert commands.github_escape_data(raw) == data
    assert commands.github_escape_property(raw) == prop


def test_github_annotations() -> None:
    assert commands.github_annotation("error", "boom\n::set-output name=x::y", "A, title: here") == (
        "::error title=A%2C title%3A here::boom%0A::set-output name=x::y"
    )
    assert commands.github_annotation("warning", "w", file="templates/t.json", line=12) == (
        "::warning file=templates/t.json,line=12::w"
    )
    assert commands.github_annotation("notice", "n", line=3) == "::notice::n", "a line needs a file"
    assert commands.github_mask("s3cr3t%") == "::add-mask::s3cr3t%25"
    with pytest.raises(ValueError, match="expected one of"):
        commands.github_annotation("info", "x")


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [("a;b", "a%3Bb"), ("x]y", "x%5Dy"), ("50%", "50%AZP25"), ("l1\nl2\r", "l1%0Al2%0D"), ("%3B", "%AZP253B")],
)
def test_azdo_escaping(raw: str, escaped: str) -> None:
    assert commands.azdo_escape(raw) == escaped


def test_azdo_commands() -> None:
    assert (
        commands.azdo_logissue("error", "bad ] thing; here") == "##vso[task.logissue type=error]bad %5D thing%3B here"
    )
    assert commands.azdo_logissue("warning", "w", "templates/t.json", 7) == (
        "##vso[task.logissue type=warning;sourcepath=templates/t.json;linenumber=7]w"
    )
    assert commands.azdo_output("image-id", "a\nb") == "##vso[task.setvariable variable=image-id;isoutput=true]a%0Ab"
    assert commands.azdo_secret("k;ey") == "##vso[task.setsecret]k%3Bey"
    assert commands.azdo_upload_summary("/tmp/s.md") == "##vso[task.uploadsummary]/tmp/s.md"
    assert commands.azdo_complete("SucceededWithIssues") == "##vso[task.complete result=SucceededWithIssues]"
    with pytest.raises(ValueError, match="expected one of"):
        commands.azdo_complete("Partial")
