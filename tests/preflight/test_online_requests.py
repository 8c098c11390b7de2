"""What online preflight costs and how it fails: ARM requests per check (from the fake's request log), paging,
a refused read, an unreachable ARM, and the HEAD request behind the File customizer check."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
import trustme
from azure.identity import ManagedIdentityCredential

from aibcheck.cloud.subscription import ArmSubscription
from aibcheck.errors import AzureAccessError
from aibcheck.preflight import CHECKS, run_preflight
from aibcheck.preflight.checks.compute import check_windows_update_size_online
from aibcheck.preflight.online import Facts
from aibcheck.preflight.view import TemplateView
from tests.e2e.environment import cloud_of
from tests.fakes.arm import FakeArm, Fault
from tests.preflight.subscription import LOCATION, seed_healthy
from tests.preflight.templates import RG, SUB, line_of, linux, windows, write

pytest_plugins = ["tests.fakes.fixtures"]
MAX_REQUESTS_PER_CHECK = 4


@pytest.fixture
def arm(azure_env: pytest.MonkeyPatch, test_ca: trustme.CA) -> Iterator[FakeArm]:
    with FakeArm(ca=test_ca) as server:
        for key, value in server.identity_env.items():
            azure_env.setenv(key, value)
        azure_env.setenv("REQUESTS_CA_BUNDLE", server.ca_path)
        seed_healthy(server)
        yield server


def reader(arm: FakeArm) -> ArmSubscription:
    return ArmSubscription(ManagedIdentityCredential(), SUB, cloud_of(arm))


def _vnet_template() -> dict[str, Any]:
    t = linux()
    vnet = f"/subscriptions/{SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet"
    t["properties"]["vmProfile"]["vnetConfig"] = {"subnetId": f"{vnet}/subnets/build"}
    t["properties"]["stagingResourceGroup"] = f"/subscriptions/{SUB}/resourceGroups/rg-staging"
    return t


def test_each_online_check_makes_at_most_a_few_arm_requests(arm: FakeArm) -> None:
    """Every check alone, with nothing cached, on the template that makes it read the most."""
    view = TemplateView(_vnet_template())
    counts = {}
    for check in CHECKS:
        if check.subscription is None:
            continue
        before = len(arm.requests)
        list(check.subscription(view, Facts(reader(arm), view, RG, "web")))
        counts[check.id] = len(arm.requests) - before
    assert all(n <= MAX_REQUESTS_PER_CHECK for n in counts.values()), counts
    assert counts["provider-not-registered"] == 1 and counts["template-exists"] == 1
    assert counts["vm-size-unavailable"] == 1 and counts["vcpu-quota-exceeded"] == 2
    assert counts["file-customizer-large"] == 0  # no File customizer; and a HEAD is not an ARM request


def test_a_whole_online_preflight_shares_its_reads(arm: FakeArm, tmp_path: Path) -> None:
    before = len(arm.requests)
    result = run_preflight(str(write(tmp_path, linux())), offline=False, arm=reader(arm), resource_group=RG, name="web")
    made = arm.requests[before:]
    assert result.findings == () and result.arm_requests == len(made)
    assert all(r.method == "GET" for r in made)  # read-only
    paths = [r.path.lower() for r in made]
    assert len(paths) == len(set(paths)) <= 12, paths  # nothing is read twice


def test_lists_follow_next_links(arm: FakeArm, tmp_path: Path) -> None:
    arm.subscription.page_size = 1
    arm.subscription.register_providers(SUB, "Microsoft.KeyVault", state="Registering")
    result = run_preflight(str(write(tmp_path, linux())), offline=False, arm=reader(arm), resource_group=RG)
    assert [f.id for f in result.findings] == ["provider-not-registered"]  # KeyVault was on a later page
    assert any("$skipToken" in r.query for r in arm.requests)


def test_a_refused_read_skips_only_its_checks(arm: FakeArm, tmp_path: Path) -> None:
    arm.add_fault(
        Fault("GET", r"/providers/Microsoft\.Compute/skus$", status=403, times=None, code="AuthorizationFailed")
    )
    path = write(tmp_path, linux())
    result = run_preflight(str(path), offline=False, arm=reader(arm), resource_group=RG)
    skipped = [f for f in result.findings if f.id == "online-check-skipped"]
    assert {f.severity.value for f in skipped} == {"notice"} and len(skipped) >= 2
    assert all("AuthorizationFailed" in f.message for f in skipped)
    assert not result.errors and not result.warnings


def test_an_unreachable_arm_is_an_access_error(arm: FakeArm, tmp_path: Path) -> None:
    arm.add_fault(Fault("*", ".*", drop_connection=True, times=None))
    with pytest.raises(AzureAccessError, match="cannot reach Azure"):
        run_preflight(str(write(tmp_path, linux())), offline=False, arm=reader(arm), resource_group=RG)


def test_online_windows_update_check_reads_the_size_capabilities(arm: FakeArm) -> None:
    """A size whose name preflight does not know: only the resource SKU tells how small it is."""
    arm.subscription.add_vm_sku(LOCATION, "Standard_DC2s_v2", "standardDCSv2Family", 2, 3)
    small, roomy = windows(), windows()
    small["properties"]["vmProfile"]["vmSize"] = "Standard_DC2s_v2"
    for template, expected in ((small, 1), (roomy, 0)):
        view = TemplateView(template)
        assert len(list(check_windows_update_size_online(view, Facts(reader(arm), view, RG, "w")))) == expected


class _Files(BaseHTTPRequestHandler):
    sizes: ClassVar[dict[str, int]] = {"/big.iso": 4_700_000_000, "/small.zip": 2_000_000}

    def do_HEAD(self) -> None:
        size = self.sizes.get(self.path.split("?")[0])
        self.send_response(200 if size else 404)
        self.send_header("Content-Length", str(size or 0))
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def files() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Files)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(("name", "found"), [("big.iso", True), ("small.zip", False), ("absent.bin", False)])
def test_file_customizer_size_from_a_head_request(
    arm: FakeArm, tmp_path: Path, files: str, name: str, found: bool
) -> None:
    t = linux()
    uri = f"{files}/{name}?sv=2024-01-01&sig=SECRETSIGNATURE"
    t["properties"]["customize"].append({"type": "File", "sourceUri": uri, "destination": "/tmp/f"})
    path = write(tmp_path, t)
    result = run_preflight(str(path), offline=False, arm=reader(arm), resource_group=RG)
    large = [f for f in result.findings if f.id == "file-customizer-large"]
    assert [(f.line, f.severity.value) for f in large] == ([(line_of(path, "sourceUri"), "warning")] if found else [])
    assert all("SECRETSIGNATURE" not in f.message and "4700 MB" in f.message for f in large)
