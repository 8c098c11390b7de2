"""Every workflow and pipeline people may copy parses and validates, and zizmor finds nothing to fix in them.

The YAML blocks of README.md, docs/*.md and the extension's overview page, and every file under examples/,
are parsed and validated: GitHub workflows against check-jsonschema's vendored SchemaStore schema (with a
timeout on each job), Azure Pipelines against the pipelines schema plus this project's task (built from
task/task.json, as tests/unit/test_azure_pipelines_examples.py does). Each block says its platform in its
first line (`# GitHub Actions` or `# Azure DevOps`). The Action's `with:` keys must be inputs of action.yml.
zizmor runs offline on action.yml, the example workflows and the GitHub blocks: no finding of medium or high
severity.
"""

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from tests.pipelines_schema import pipelines_schema

ROOT = Path(__file__).resolve().parents[2]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "extension" / "overview.md"]
GITHUB_EXAMPLES = sorted((ROOT / "examples" / "github").glob("*.yml"))
PIPELINE_EXAMPLES = sorted((ROOT / "examples" / "azure-pipelines").glob("*.yml"))
FENCE = re.compile(r"^```ya?ml\n(.*?)^```", re.MULTILINE | re.DOTALL)
ACTION_INPUTS = set(yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))["inputs"])


def yaml_blocks() -> list[tuple[str, str]]:
    """(where, text) of each fenced YAML block of the documents."""
    blocks = []
    for document in DOCUMENTS:
        text = document.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            blocks.append((f"{document.relative_to(ROOT)}:{line}", match.group(1)))
    return blocks


BLOCKS = yaml_blocks()
GITHUB_BLOCKS = [(where, text) for where, text in BLOCKS if text.startswith("# GitHub Actions")]
PIPELINE_BLOCKS = [(where, text) for where, text in BLOCKS if text.startswith("# Azure DevOps")]


def _write(tmp_path: Path, where: str, text: str) -> Path:
    target = tmp_path / (re.sub(r"\W+", "-", where) + ".yml")
    target.write_text(text, encoding="utf-8")
    return target


def test_the_documents_have_yaml_blocks_and_each_names_its_platform() -> None:
    assert len(GITHUB_BLOCKS) >= 2 and len(PIPELINE_BLOCKS) >= 3
    unnamed = [where for where, text in BLOCKS if (where, text) not in GITHUB_BLOCKS + PIPELINE_BLOCKS]
    assert not unnamed, f"start these blocks with '# GitHub Actions' or '# Azure DevOps': {unnamed}"


@pytest.mark.parametrize(("where", "text"), BLOCKS, ids=[where for where, _ in BLOCKS])
def test_every_block_parses(where: str, text: str) -> None:
    document = yaml.safe_load(text)
    assert isinstance(document, dict), f"{where}: a whole workflow or pipeline, not a fragment"


def check_workflows(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_github_blocks_are_valid_workflows(tmp_path: Path) -> None:
    files = [_write(tmp_path, where, text) for where, text in GITHUB_BLOCKS]
    for schema in ("vendor.github-workflows", "custom.github-workflows-require-timeout"):
        result = subprocess.run(
            [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, files)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_catches_the_flow_mapping_that_does_not_parse(tmp_path: Path) -> None:
    """`with: { client-id: ${{ vars.X }} }` is YAML's flow mapping around a `{`: it does not even parse."""
    broken = (
        "on: push\njobs:\n  j:\n    runs-on: x\n    steps:\n      - uses: a/b@v1\n        with: { id: ${{ vars.X }} }\n"
    )
    with pytest.raises(yaml.YAMLError):
        yaml.safe_load(broken)
    assert check_workflows(_write(tmp_path, "broken", broken)).returncode != 0


def _action_steps(document: dict[str, Any]) -> list[dict[str, Any]]:
    steps = [step for job in document["jobs"].values() for step in job.get("steps", [])]
    return [step for step in steps if str(step.get("uses", "")).startswith("your-org/aibcheck@")]


@pytest.mark.parametrize(
    ("where", "text"),
    GITHUB_BLOCKS + [(str(p.relative_to(ROOT)), p.read_text(encoding="utf-8")) for p in GITHUB_EXAMPLES],
    ids=[w for w, _ in GITHUB_BLOCKS] + [p.name for p in GITHUB_EXAMPLES],
)
def test_the_action_is_given_only_its_inputs_and_pinned_by_commit(where: str, text: str) -> None:
    steps = _action_steps(yaml.safe_load(text))
    assert steps, f"{where} does not use the action"
    for step in steps:
        unknown = set(step.get("with", {})) - ACTION_INPUTS
        assert not unknown, f"{where}: not inputs of action.yml: {unknown}"
        assert re.fullmatch(r"your-org/aibcheck@[0-9a-f]{40}", step["uses"])
    uses = re.findall(r"uses: (\S+)( # v[\d.]+)?", text)
    assert all(re.search(r"@[0-9a-f]{40}$", u) and comment for u, comment in uses), f"{where}: pin by commit"
    assert "uses: azure/login" not in text, f"{where}: the Azure CLI cannot renew a federated sign-in in a long job"
    assert "pip install aibcheck" not in text


@pytest.mark.parametrize(
    ("where", "text"),
    PIPELINE_BLOCKS + [(str(p.relative_to(ROOT)), p.read_text(encoding="utf-8")) for p in PIPELINE_EXAMPLES],
    ids=[w for w, _ in PIPELINE_BLOCKS] + [p.name for p in PIPELINE_EXAMPLES],
)
def test_the_pipeline_blocks_are_valid_pipelines(where: str, text: str) -> None:
    document = yaml.safe_load(text)
    jsonschema.validate(document, pipelines_schema())
    assert "AibcheckImageBuilder@0" in text, f"{where}: the task signs in with the service connection"
    assert "AzureCLI@2" not in text and "pip install aibcheck" not in text
    outputs = re.findall(r"\$\(image\.([\w-]+)\)|outputs\['image\.([\w-]+)'\]", text)
    assert all("-" not in a + b for a, b in outputs), f"{where}: output variables are camelCase"


def test_no_hosted_job_asks_for_more_than_a_free_private_project_gets() -> None:
    """A Microsoft-hosted job of a free private project ends at 60 minutes, whatever timeoutInMinutes says."""
    for where, text in PIPELINE_BLOCKS + [(p.name, p.read_text(encoding="utf-8")) for p in PIPELINE_EXAMPLES]:
        document = yaml.safe_load(text)
        default_pool = document.get("pool")
        for job in document.get("jobs", []):
            pool = job.get("pool", default_pool)
            if isinstance(pool, dict) and "vmImage" in pool:
                assert int(job.get("timeoutInMinutes", 60)) <= 60, f"{where}: job {job.get('job')}"


def zizmor(*files: Path) -> list[dict[str, Any]]:
    zizmor_bin = Path(sys.executable).with_name("zizmor")
    result = subprocess.run(
        [str(zizmor_bin), "--offline", "--no-config", "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.startswith("["), result.stdout + result.stderr
    findings: list[dict[str, Any]] = json.loads(result.stdout)
    return findings


def test_zizmor_finds_nothing_of_medium_or_high_severity(tmp_path: Path) -> None:
    snippets = [_write(tmp_path, where, text) for where, text in GITHUB_BLOCKS]
    findings = zizmor(ROOT / "action.yml", *GITHUB_EXAMPLES, *snippets)
    serious = [
        f"{f['ident']} ({f['determinations']['severity']}) in "
        f"{f['locations'][0]['symbolic']['key']['Local']['verbatim_path']}: {f['desc']}"
        for f in findings
        if f["determinations"]["severity"] in ("Medium", "High")
    ]
    assert not serious, "\n".join(serious)


def test_zizmor_would_catch_what_it_is_here_for(tmp_path: Path) -> None:
    workflow = tmp_path / "unpinned.yml"
    job = "    runs-on: ubuntu-latest\n    timeout-minutes: 5\n    steps:\n      - uses: actions/checkout@v4\n"
    workflow.write_text(
        f"on: push\npermissions:\n  contents: read\n  id-token: write\njobs:\n  a:\n{job}  b:\n{job}",
        encoding="utf-8",
    )
    found = {f["ident"] for f in zizmor(workflow)}
    assert {"unpinned-uses", "artipacked", "excessive-permissions"} <= found
