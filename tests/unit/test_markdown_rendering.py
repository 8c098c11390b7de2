"""What people read, rendered by GitHub's own engine (cmark-gfm): every text intact, no HTML but aibcheck's own."""

from pathlib import Path

import pytest

from aibcheck.catalogue import catalogue
from aibcheck.ci.comment import GITHUB_LIMIT, body_of, marker
from aibcheck.ci.report import Report, blocks_of, markdown_of
from aibcheck.diagnose import diagnose_bytes, diagnose_path
from aibcheck.diagnose.model import Diagnosis
from aibcheck.render.context import BuildContext
from aibcheck.render.md import inline
from tests.markdown_check import dropped_html, elements, links, rendered_text

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
# The elements aibcheck writes itself; anything else came from text that should have stayed text.
OURS = {"h3", "h4", "p", "strong", "code", "a", "table", "thead", "tbody", "tr", "th", "td", "pre", "em",
        "!--"}  # fmt: skip


def _words(text: str) -> str:
    return " ".join(text.split())


def _check(diagnosis: Diagnosis, context: BuildContext | None = None) -> None:
    markdown = markdown_of(Report("key", True, diagnosis, context=context))
    shown = rendered_text(markdown)
    for text in (diagnosis.title, diagnosis.cause, diagnosis.fix):
        assert _words(text) in shown, f"not shown word for word: {text!r}"
    unexpected = set(elements(markdown)) - OURS
    assert not unexpected, f"HTML elements from text: {unexpected}"
    assert set(links(markdown)) <= set(diagnosis.docs), "only the catalogue's documentation links"
    assert dropped_html(markdown) == 0, "raw HTML that a renderer in safe mode drops"


EXAMPLES = [(s.id, example) for s in catalogue() for example in s.examples]


@pytest.mark.parametrize(("signature", "example"), EXAMPLES, ids=[f"{s}-{i}" for i, (s, _) in enumerate(EXAMPLES)])
def test_every_catalogue_example_reads_intact(signature: str, example: str) -> None:
    _check(diagnose_bytes(example.encode(), "example"))


CASES = sorted(p for p in CORPUS.iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_every_corpus_case_reads_intact(case: Path) -> None:
    (source,) = [p for p in case.iterdir() if p.name.startswith("input")]
    _check(diagnose_path(str(source)), BuildContext(template="t", log_url="https://a.blob.core.windows.net/x"))


HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "[click](https://evil.example/x)",
    "@org/team",
    "#1",
    "</details><script>x</script>",
    "```",
    "*Preview*",
    "https://evil.example/a",
    "www.evil.example",
    "$x^2$",
    "&lt;b&gt;",
    "<template>",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_stays_text(text: str) -> None:
    shown = rendered_text(f"{inline(text)}")
    assert _words(text) in shown.replace("\u200b", "")
    assert set(elements(inline(text))) <= {"p", "code"}


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_log_lines_and_template_fields_in_a_whole_report(text: str) -> None:
    log = (
        f"[0c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f] PACKER OUT     azure-arm: bash: line 3: {text}: command not found\n"
        f"[0c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f] PACKER ERR ==> azure-arm: Script exited with non-zero exit status: 127\n"
    )
    diagnosis = diagnose_bytes(log.encode(), "x.log")
    context = BuildContext(template=text, resource_group=text, staging_group=text, log_problem=text)
    _check(diagnosis, context)
    markdown = markdown_of(Report(text, True, diagnosis, context=context))
    assert "img" not in elements(markdown) and "script" not in elements(markdown)


def test_a_cut_comment_closes_what_it_opens_and_keeps_its_marker() -> None:
    diagnosis = diagnose_path(str(CORPUS / "synthetic-deprovision" / "input.log"))
    blocks = blocks_of(Report("web", True, diagnosis))
    whole = body_of(blocks, "web", GITHUB_LIMIT)
    for limit in range(400, len(whole.encode()), 97):
        body = body_of(blocks, "web", limit)
        assert len(body.encode()) <= limit
        assert body.rstrip().endswith(marker("web")), "the hidden marker is intact, last"
        assert dropped_html(body.replace(marker("web"), "")) == 0, "no raw HTML but the hidden marker"
        assert body.count("```") % 2 == 0, "no fence is left open"
        assert rendered_text(body).startswith("❌ aibcheck: " + diagnosis.title), "the verdict comes first"


def test_the_marker_survives_a_hostile_key() -> None:
    assert "-->" not in marker("x --> <img src=x>").removesuffix("-->")
