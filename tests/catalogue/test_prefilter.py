"""Keywords must be rare in healthy logs of every kind, or the pre-filter stops filtering on gigabyte logs."""

import collections
import io

import pytest
from synthlog import FLAVOURS, write_build

from aibcheck.diagnose.matcher import default_matcher

MAX_CANDIDATES = 120  # the markers of a whole build are about 40 lines

# Lines every healthy build of that kind prints many times over: none may reach the per-line matcher.
HEALTHY = {
    "windows-update": [
        "PACKER OUT     azure-arm: Waiting for operation to complete (system performance: 61% cpu; 47% memory)...",
        "PACKER OUT     azure-arm: Waiting for operation to complete (system performance: 9% cpu; 89% memory)...",
        "PACKER OUT     azure-arm: Pending Windows updates require a restart.",
        "PACKER OUT     azure-arm: Found Windows update (2026-03-11; 64.21 MB): 2026-03 Cumulative Update for .NET Framework (KB5034441)",
    ],
    "sysprep": [
        "PACKER OUT     azure-arm: IMAGE_STATE_COMPLETE",
        "PACKER OUT     azure-arm: >>> Sysprepping VM ...",
    ],
    "linux": [
        "PACKER OUT     azure-arm: Setting up nginx-common (1.18.0-6ubuntu14.4) ...",
        "PACKER OUT     azure-arm: Cloud-init v. 23.4.4 finished at Wed, 04 Mar 2026 10:00:00 +0000. Datasource DataSourceAzure.",
        "PACKER OUT     azure-arm: W: https://packages.microsoft.com/repos/azure-cli/dists/jammy/InRelease: Key is stored in legacy trusted.gpg keyring (/etc/apt/trusted.gpg)",
        "PACKER OUT     azure-arm: mkdir: cannot create directory '/opt/app': File exists; the directory already exists",
        "PACKER OUT     azure-arm: Fetched 25.3 MB in 3s (8456 kB/s)",
        "PACKER OUT     azure-arm: Get:12 http://azure.archive.ubuntu.com/ubuntu jammy-updates/main amd64 libssl3 amd64 3.0.2-0ubuntu1.15 [1905 kB]",
    ],
}


@pytest.mark.parametrize("flavour", FLAVOURS)
def test_a_healthy_chatty_log_yields_few_candidate_lines(flavour: str) -> None:
    buffer = io.StringIO()
    write_build(buffer, "none", 3 * 1024 * 1024, flavour=flavour)
    data = buffer.getvalue().encode()
    hits = collections.Counter(m.group(0).lower() for m in default_matcher().prefilter.finditer(data))
    assert sum(hits.values()) <= MAX_CANDIDATES, f"keywords too common in a healthy log: {hits.most_common(5)}"


@pytest.mark.parametrize("line", [line for lines in HEALTHY.values() for line in lines])
def test_lines_healthy_builds_repeat_are_not_candidates(line: str) -> None:
    found = default_matcher().prefilter.search(line.encode())
    assert found is None, f"keyword {found.group(0) if found else ''!r} is common in healthy logs"
