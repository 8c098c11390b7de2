"""The fake ARM's subscription resources (tests/fakes/arm_subscription.py) through the real SDK pipeline."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import trustme
from azure.core.rest import HttpRequest
from azure.identity import ManagedIdentityCredential
from azure.mgmt.imagebuilder import ImageBuilderClient

from tests.fakes import arm_subscription_bodies as bodies
from tests.fakes.arm import FakeArm

pytest_plugins = ["tests.fakes.fixtures"]
SUB = "5b0e9c2d-1f3a-4c5b-9d7e-0a1b2c3d4e5f"
RG_ID = f"/subscriptions/{SUB}/resourceGroups/rg"
GALLERY = f"{RG_ID}/providers/Microsoft.Compute/galleries/gal"
PRINCIPAL = "0c0c0c0c-1111-4222-8333-444444444444"


@pytest.fixture
def arm(azure_env: pytest.MonkeyPatch, test_ca: trustme.CA) -> Iterator[FakeArm]:
    with FakeArm(ca=test_ca) as server:
        for key, value in server.identity_env.items():
            azure_env.setenv(key, value)
        yield server


def get(arm: FakeArm, path: str, **params: str) -> tuple[int, Any]:
    client = ImageBuilderClient(ManagedIdentityCredential(), SUB, base_url=arm.url, connection_verify=arm.ca_path)
    response = client.send_request(HttpRequest("GET", arm.url + path, params=params))
    return response.status_code, response.json() if response.content else None


def test_providers_and_api_versions(arm: FakeArm) -> None:
    arm.subscription.register_providers(SUB, "Microsoft.Compute")
    arm.subscription.register_providers(SUB, "Microsoft.KeyVault", state="NotRegistered")
    status, body = get(arm, f"/subscriptions/{SUB}/providers", **{"api-version": "2021-04-01"})
    assert status == 200 and {p["namespace"]: p["registrationState"] for p in body["value"]} == {
        "Microsoft.Compute": "Registered",
        "Microsoft.KeyVault": "NotRegistered",
    }
    assert get(arm, f"/subscriptions/{SUB}/providers/microsoft.keyvault", **{"api-version": "2021-04-01"})[0] == 200
    status, body = get(arm, f"/subscriptions/{SUB}/providers", **{"api-version": "1999-01-01"})
    assert status == 400 and body["error"]["code"] == "InvalidApiVersionParameter"


def test_marketplace_images_with_and_without_plan(arm: FakeArm) -> None:
    plan = {"name": "p", "product": "o", "publisher": "pub"}
    arm.subscription.add_marketplace_image("westus", "pub", "o", "p", "1.0.0", plan=plan)
    arm.subscription.add_marketplace_image("westus", "pub", "o", "free", "2.0.0")
    base = f"/subscriptions/{SUB}/providers/Microsoft.Compute/locations/westus/publishers/pub/artifacttypes/vmimage/offers/o/skus"
    status, versions = get(arm, f"{base}/p/versions", **{"api-version": "2024-07-01"})
    assert (
        status == 200 and [v["name"] for v in versions] == ["1.0.0"] and set(versions[0]) == {"location", "name", "id"}
    )
    assert get(arm, f"{base}/p/versions/1.0.0", **{"api-version": "2024-07-01"})[1]["properties"]["plan"] == plan
    assert "plan" not in get(arm, f"{base}/free/versions/2.0.0", **{"api-version": "2024-07-01"})[1]["properties"]
    assert get(arm, f"{base}/none/versions", **{"api-version": "2024-07-01"}) == (
        404,
        {"error": {"code": "NotFound", "message": "Artifact: VMImage was not found."}},
    )


def test_skus_filtered_by_location_with_restrictions(arm: FakeArm) -> None:
    arm.subscription.add_vm_sku("westus", "Standard_D2s_v5", "standardDSv5Family", 2, 8, restricted=True)
    arm.subscription.add_vm_sku("eastus", "Standard_D4s_v5", "standardDSv5Family", 4, 16)
    path = f"/subscriptions/{SUB}/providers/Microsoft.Compute/skus"
    status, body = get(arm, path, **{"api-version": "2021-07-01", "$filter": "location eq 'westus'"})
    assert status == 200 and {s["resourceType"] for s in body["value"]} == {"virtualMachines", "disks"}
    [vm] = [s for s in body["value"] if s["resourceType"] == "virtualMachines"]
    assert vm["restrictions"][0]["reasonCode"] == "NotAvailableForSubscription"
    assert {"name": "HyperVGenerations", "value": "V1,V2"} in vm["capabilities"]
    assert get(arm, path, **{"api-version": "2021-07-01", "$filter": "name eq 'x'"})[0] == 400


def test_usages(arm: FakeArm) -> None:
    arm.subscription.set_usage(SUB, "westus", "cores", 3, 10, "Total Regional vCPUs")
    path = f"/subscriptions/{SUB}/providers/Microsoft.Compute/locations/westus/usages"
    [usage] = get(arm, path, **{"api-version": "2024-07-01"})[1]["value"]
    assert usage == {
        "unit": "Count",
        "currentValue": 3,
        "limit": 10,
        "name": {"value": "cores", "localizedValue": "Total Regional vCPUs"},
    }


def test_role_assignments_at_above_and_below_and_paging(arm: FakeArm) -> None:
    arm.subscription.page_size = 2
    for scope in ("/", f"/subscriptions/{SUB}", RG_ID, f"{GALLERY}"):
        arm.subscription.assign_role(PRINCIPAL, "Reader", scope)
    arm.subscription.assign_role("another-principal", "Reader", f"/subscriptions/{SUB}")
    path = f"{RG_ID}/providers/Microsoft.Authorization/roleAssignments"
    status, page = get(arm, path, **{"api-version": "2022-04-01", "$filter": f"principalId eq '{PRINCIPAL}'"})
    assert status == 200 and len(page["value"]) == 2 and "$skipToken" in page["nextLink"]
    rest = get(arm, page["nextLink"].removeprefix(arm.url))[1]
    scopes = [a["properties"]["scope"] for a in page["value"] + rest["value"]]
    assert scopes == ["/", f"/subscriptions/{SUB}", RG_ID, GALLERY]  # above, at and below the group
    at_scope = get(arm, path, **{"api-version": "2022-04-01", "$filter": "atScope()"})[1]["value"]
    assert len(at_scope) == 2 and get(arm, path, **{"api-version": "2022-04-01", "$filter": "x eq 1"})[0] == 400


def test_role_definitions(arm: FakeArm) -> None:
    contributor = f"/subscriptions/{SUB}/providers/Microsoft.Authorization/roleDefinitions/{bodies.CONTRIBUTOR}"
    status, role = get(arm, contributor, **{"api-version": "2022-04-01"})
    assert status == 200 and role["id"] == contributor and role["properties"]["permissions"][0]["actions"] == ["*"]
    guid = arm.subscription.add_role_definition("Image Maker", ["Microsoft.Compute/images/*"])
    assert (
        get(arm, f"/providers/Microsoft.Authorization/roleDefinitions/{guid}", **{"api-version": "2022-04-01"})[0]
        == 200
    )
    assert (
        get(arm, contributor[:-3] + "000", **{"api-version": "2022-04-01"})[1]["error"]["code"]
        == "RoleDefinitionDoesNotExist"
    )


def test_resources_and_their_not_found_answers(arm: FakeArm) -> None:
    image = f"{GALLERY}/images/web"
    api = {"api-version": "2023-07-03"}
    assert get(arm, image, **api)[1]["error"]["code"] == "ParentResourceNotFound"
    arm.subscription.put_resource(bodies.gallery(GALLERY, "westus"))
    assert get(arm, image, **api)[1]["error"]["code"] == "ResourceNotFound"
    arm.subscription.put_resource(bodies.gallery_image(image, "westus", generation="V1"))
    status, body = get(arm, image, **api)
    assert (
        status == 200
        and body["properties"]["hyperVGeneration"] == "V1"
        and body["type"] == "Microsoft.Compute/galleries/images"
    )
    identity = f"{RG_ID}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id"
    arm.subscription.put_resource(bodies.identity(identity, "westus", PRINCIPAL))
    assert get(arm, identity, **{"api-version": "2023-01-31"})[1]["properties"]["principalId"] == PRINCIPAL
    assert get(arm, identity, **{"api-version": "2023-07-03"})[0] == 400  # a gallery api-version for an identity
