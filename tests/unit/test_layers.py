"""The layers hold: only aibcheck/cloud/ imports the Azure SDKs, so nothing above it can catch an AzureError."""

import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "aibcheck"
AZURE_IMPORT = re.compile(r"^\s*(?:from\s+azure[\s.]|import\s+azure\b)", re.MULTILINE)


def test_nothing_above_cloud_imports_azure() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path.parent.name != "cloud" and AZURE_IMPORT.search(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, f"these modules import azure.*: {offenders}"


def test_the_check_sees_an_azure_import() -> None:
    assert AZURE_IMPORT.search("def f():\n    from azure.core.exceptions import AzureError\n")
    assert AZURE_IMPORT.search("import azure.identity\n")
    assert not AZURE_IMPORT.search('name = "azure-devops"\nfrom aibcheck.cloud import x\n')
