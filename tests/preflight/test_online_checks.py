"""Every online check, both ways, through the real adapter (azure-core's ARM pipeline, azure-identity's managed
identity credential) against the fake ARM's subscription resources."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import trustme
from azure.identity import ManagedIdentityCredential

from aibcheck.cloud.subscription import ArmSubscription
from aibcheck.preflight import PreflightResult, run_preflight
from tests.e2e.environment import cloud_of
from tests.fakes import arm_subscription_bodies as bodies
from tests.fakes.arm import FakeArm
from tests.preflight.subscription import LOCATION, PRINCIPAL, seed_healthy
from tests.preflight.templates import GALLERY, IDENTITY, RG, SUB, line_of, linux, windows, write

pytest_plugins = ["tests.fakes.fixtures"]
Template = dict[str, Any]
IMAGES = f"/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.Compute/images"
VNET = f"/subscriptions/{SUB}/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet"
PLAN = {
    "name": "cis-ubuntu2204-l1-gen2",
    "product": "cis-ubuntu-linux-2204-l1",
    "publisher": "center-for-internet-security-inc",
}
CIS = (PLAN["publisher"], PLAN["product"], PLAN["name"])


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


def online(arm: FakeArm, folder: Path, template: Template, **options: Any) -> tuple[PreflightResult, Path]:
    path = write(folder, template)
    options.setdefault("resource_group", RG)
    return run_preflight(str(path), offline=False, arm=reader(arm), **options), path


def props(t: Template) -> dict[str, Any]:
    return t["properties"]  # type: ignore[no-any-return]


def test_healthy_subscription_has_no_findings(arm: FakeArm, tmp_path: Path) -> None:
    for template in (linux(), windows()):
        result, _ = online(arm, tmp_path, template, name="fresh")
        assert result.findings == () and result.online and result.arm_requests > 0


def _vnet(t: Template) -> None:
    props(t)["vmProfile"]["vnetConfig"] = {"subnetId": f"{VNET}/subnets/build"}


def _gallery_source(t: Template, definition: str = "tl-source", version: str = "1.0.0") -> object:
    props(t)["source"] = {
        "type": "SharedImageVersion",
        "imageVersionId": f"{GALLERY}/images/{definition}/versions/{version}",
    }
    return None  # an object, so that the cases can combine changes in a tuple


def _seed_gallery_source(
    arm: FakeArm, security: str | None = "TrustedLaunch", regions: tuple[str, ...] = ("West Europe",)
) -> object:
    definition = f"{GALLERY}/images/tl-source"
    arm.subscription.put_resource(bodies.gallery_image(definition, LOCATION, security_type=security))
    return arm.subscription.put_resource(
        bodies.gallery_image_version(f"{definition}/versions/1.0.0", LOCATION, list(regions))
    )


# (check id, change to the subscription, change to the template, text on the reported line)
Case = tuple[str, Callable[[FakeArm], object], Callable[[Template], object], str]
TRIGGERS: list[Case] = [
    ("provider-not-registered", lambda a: a.subscription.register_providers(SUB, "Microsoft.KeyVault", state="NotRegistered"), lambda t: None, "{"),
    ("provider-not-registered", lambda a: a.subscription.register_providers(SUB, "Microsoft.ContainerInstance", state="Unregistering"), _vnet, '"vnetConfig"'),
    ("source-not-found", lambda a: None, lambda t: props(t)["source"].update(sku="22_04-lts-gen3"), '"source"'),
    ("source-not-found", lambda a: None, lambda t: props(t)["source"].update(version="22.04.199901010"), '"source"'),
    ("source-not-found", lambda a: None, _gallery_source, '"imageVersionId"'),
    ("source-not-found", lambda a: _seed_gallery_source(a, None, ("North Europe",)), _gallery_source, '"imageVersionId"'),
    ("source-not-found", lambda a: None, lambda t: props(t).update(source={"type": "ManagedImage", "imageId": f"{IMAGES}/golden"}), '"imageId"'),
    ("marketplace-plan-missing", lambda a: a.subscription.add_marketplace_image(LOCATION, *CIS, "1.0.0", plan=PLAN), lambda t: props(t)["source"].update(dict(zip(("publisher", "offer", "sku"), CIS, strict=True))), '"source"'),
    ("marketplace-plan-missing", lambda a: a.subscription.add_marketplace_image(LOCATION, *CIS, "1.0.0", plan=PLAN), lambda t: props(t)["source"].update(dict(zip(("publisher", "offer", "sku"), CIS, strict=True)), planInfo={"planName": "other", "planProduct": PLAN["product"], "planPublisher": PLAN["publisher"]}), '"planInfo"'),
    ("distribution-target-missing", lambda a: a.subscription.remove_resource(f"{GALLERY}/images/ubuntu-web"), lambda t: None, '"galleryImageId"'),
    ("distribution-target-missing", lambda a: a.subscription.remove_resource(GALLERY), lambda t: None, '"galleryImageId"'),
    ("distribution-target-missing", lambda a: None, lambda t: props(t)["distribute"].append({"type": "ManagedImage", "imageId": f"/subscriptions/{SUB}/resourceGroups/rg-absent/providers/Microsoft.Compute/images/web", "location": LOCATION, "runOutputName": "mi"}), '"imageId"'),
    ("distribution-target-mismatch", lambda a: a.subscription.put_resource(bodies.gallery_image(f"{GALLERY}/images/ubuntu-web", LOCATION, generation="V1")), lambda t: None, '"galleryImageId"'),
    ("distribution-target-mismatch", lambda a: None, lambda t: props(t)["distribute"][0].update(galleryImageId=f"{GALLERY}/images/win2022"), '"galleryImageId"'),
    ("distribution-target-mismatch", lambda a: a.subscription.put_resource(bodies.managed_image(f"{IMAGES}/web", "northeurope")), lambda t: props(t).update(distribute=[{"type": "ManagedImage", "imageId": f"{IMAGES}/web", "location": LOCATION, "runOutputName": "mi"}]), '"imageId"'),
    ("trusted-launch-unsupported", lambda a: _seed_gallery_source(a), lambda t: (_gallery_source(t), props(t).update(distribute=[{"type": "ManagedImage", "imageId": f"{IMAGES}/web", "location": LOCATION, "runOutputName": "mi"}])), '"ManagedImage"'),
    ("trusted-launch-unsupported", lambda a: _seed_gallery_source(a), lambda t: (_gallery_source(t), props(t)["distribute"][0].update(galleryImageId=f"{GALLERY}/images/win2022")), '"galleryImageId"'),
    ("trusted-launch-unsupported", lambda a: (_seed_gallery_source(a), a.subscription.add_vm_sku(LOCATION, "Standard_D2_v4", "standardDv4Family", 2, 8, trusted_launch=False)), lambda t: (_gallery_source(t), props(t)["vmProfile"].update(vmSize="Standard_D2_v4")), '"vmSize"'),
    ("identity-not-found", lambda a: a.subscription.remove_resource(IDENTITY), lambda t: None, '"userAssignedIdentities"'),
    ("identity-missing-permission", lambda a: a.subscription.put_resource(bodies.identity(IDENTITY, LOCATION, "9e9e9e9e-0000-4000-8000-000000000001")), lambda t: None, '"galleryImageId"'),
    ("identity-missing-permission", lambda a: a.subscription.assign_role(PRINCIPAL, "Reader", "/"), _vnet, '"subnetId"'),
    ("identity-missing-permission", lambda a: None, lambda t: props(t).update(stagingResourceGroup=f"/subscriptions/{SUB}/resourceGroups/rg-staging"), '"stagingResourceGroup"'),
    ("vm-size-unavailable", lambda a: None, lambda t: props(t)["vmProfile"].update(vmSize="Standard_E2s_v5"), '"vmSize"'),
    ("vm-size-unavailable", lambda a: a.subscription.add_vm_sku(LOCATION, "Standard_D2as_v5", "standardDASv5Family", 2, 8, restricted=True), lambda t: props(t)["vmProfile"].update(vmSize="Standard_D2as_v5"), '"vmSize"'),
    ("vcpu-quota-exceeded", lambda a: a.subscription.set_usage(SUB, LOCATION, "standardDSv5Family", 19, 20), lambda t: None, '"vmSize"'),
    ("vcpu-quota-exceeded", lambda a: a.subscription.set_usage(SUB, LOCATION, "cores", 99, 100), lambda t: None, '"vmSize"'),
    ("generation-mismatch", lambda a: a.subscription.add_vm_sku(LOCATION, "Standard_E2_v3", "standardEv3Family", 2, 16, generations="V1"), lambda t: props(t)["vmProfile"].update(vmSize="Standard_E2_v3"), '"vmSize"'),
    ("template-exists", lambda a: a.put_template(SUB, RG, "web", linux()), lambda t: None, "{"),
]  # fmt: skip

NEAR_MISSES: list[tuple[str, Callable[[FakeArm], object], Callable[[Template], object]]] = [
    ("provider-not-registered", lambda a: a.subscription.register_providers(SUB, "Microsoft.ContainerInstance", state="NotRegistered"), lambda t: None),
    ("source-not-found", lambda a: _seed_gallery_source(a, None), _gallery_source),
    ("source-not-found", lambda a: a.subscription.put_resource(bodies.managed_image(f"{IMAGES}/golden", LOCATION)), lambda t: props(t).update(source={"type": "ManagedImage", "imageId": f"{IMAGES}/golden"})),
    ("marketplace-plan-missing", lambda a: a.subscription.add_marketplace_image(LOCATION, *CIS, "1.0.0", plan=PLAN), lambda t: props(t)["source"].update(dict(zip(("publisher", "offer", "sku"), CIS, strict=True)), planInfo={"planName": PLAN["name"], "planProduct": PLAN["product"], "planPublisher": PLAN["publisher"]})),
    ("distribution-target-missing", lambda a: None, lambda t: props(t)["distribute"].append({"type": "ManagedImage", "imageId": f"{IMAGES}/web", "location": LOCATION, "runOutputName": "mi"})),
    ("distribution-target-mismatch", lambda a: a.subscription.put_resource(bodies.managed_image(f"{IMAGES}/web", LOCATION)), lambda t: props(t).update(distribute=[{"type": "ManagedImage", "imageId": f"{IMAGES}/web", "location": LOCATION, "runOutputName": "mi"}])),
    ("trusted-launch-unsupported", lambda a: None, lambda t: props(t).update(distribute=[{"type": "ManagedImage", "imageId": f"{IMAGES}/web", "location": LOCATION, "runOutputName": "mi"}])),
    ("trusted-launch-unsupported", lambda a: _seed_gallery_source(a), _gallery_source),
    ("identity-missing-permission", lambda a: (a.subscription.put_resource(bodies.identity(IDENTITY, LOCATION, "9e9e9e9e-0000-4000-8000-000000000001")), a.subscription.assign_role("9e9e9e9e-0000-4000-8000-000000000001", "Contributor", f"/subscriptions/{SUB}")), lambda t: None),
    ("identity-missing-permission", lambda a: a.subscription.assign_role(PRINCIPAL, "Network Contributor", VNET), _vnet),
    ("vcpu-quota-exceeded", lambda a: a.subscription.set_usage(SUB, LOCATION, "standardDSv5Family", 18, 20), lambda t: None),
    ("generation-mismatch", lambda a: a.subscription.add_vm_sku(LOCATION, "Standard_E2s_v3", "standardESv3Family", 2, 16), lambda t: props(t)["vmProfile"].update(vmSize="Standard_E2s_v3")),
    ("template-exists", lambda a: a.put_template(SUB, "rg-other", "web", linux()), lambda t: None),
]  # fmt: skip


@pytest.mark.parametrize(("check_id", "arrange", "change", "needle"), TRIGGERS)
def test_online_check_triggers(
    arm: FakeArm,
    tmp_path: Path,
    check_id: str,
    arrange: Callable[[FakeArm], object],
    change: Callable[[Template], object],
    needle: str,
) -> None:
    arrange(arm)
    template = linux()
    change(template)
    result, path = online(arm, tmp_path, template, name="web")
    found = [f for f in result.findings if f.id == check_id]
    assert len(found) == 1, result.findings
    assert found[0].line == line_of(path, needle), (found[0], path.read_text())


@pytest.mark.parametrize(("check_id", "arrange", "change"), NEAR_MISSES)
def test_online_near_miss(
    arm: FakeArm,
    tmp_path: Path,
    check_id: str,
    arrange: Callable[[FakeArm], object],
    change: Callable[[Template], object],
) -> None:
    arrange(arm)
    template = linux()
    change(template)
    result, _ = online(arm, tmp_path, template, name="web")
    assert [f for f in result.findings if f.id == check_id] == [], result.findings
