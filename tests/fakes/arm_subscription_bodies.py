"""Resource bodies as ARM shows them, for tests/fakes/arm_subscription.py (and for tests that seed it).

Shapes follow the REST API references and spec examples: VirtualMachineImages_Get, Galleries_Get,
GalleryImages_Get, GalleryImageVersions_Get, Images_Get, UserAssignedIdentities_Get, VirtualNetworks_Get,
ResourceSkus_List, Usage_List, RoleAssignments_ListForScope, RoleDefinitions_Get, Providers_List.
"""

from __future__ import annotations

import uuid
from typing import Any

TENANT = "3f5c2b1a-6d7e-4f80-9a1b-2c3d4e5f6a70"
CREATED = "2025-01-15T09:30:00.0000000Z"
CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c"
READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
NETWORK_CONTRIBUTOR = "4d97b98b-1d4f-4787-a291-c67834d212e7"
_RP = "/providers/Microsoft.Authorization"


def role_definition(guid: str, name: str, kind: str, actions: list[str], not_actions: list[str]) -> dict[str, Any]:
    return {
        "name": guid,
        "type": "Microsoft.Authorization/roleDefinitions",
        "properties": {
            "roleName": name,
            "type": kind,
            "description": f"{name} (fake ARM)",
            "assignableScopes": ["/"],
            "permissions": [{"actions": actions, "notActions": not_actions, "dataActions": [], "notDataActions": []}],
            "createdOn": CREATED,
            "updatedOn": CREATED,
            "createdBy": None,
            "updatedBy": None,
        },
    }


BUILT_IN_ROLES = (
    role_definition(
        CONTRIBUTOR,
        "Contributor",
        "BuiltInRole",
        ["*"],
        [
            "Microsoft.Authorization/*/Delete",
            "Microsoft.Authorization/*/Write",
            "Microsoft.Authorization/elevateAccess/Action",
            "Microsoft.Blueprint/blueprintAssignments/write",
            "Microsoft.Blueprint/blueprintAssignments/delete",
            "Microsoft.Compute/galleries/share/action",
            "Microsoft.Purview/consents/write",
            "Microsoft.Purview/consents/delete",
            "Microsoft.Resources/deploymentStacks/manageDenySetting/action",
            "Microsoft.Subscription/cancel/action",
            "Microsoft.Subscription/enable/action",
        ],
    ),
    role_definition(READER, "Reader", "BuiltInRole", ["*/read"], []),
    role_definition(
        NETWORK_CONTRIBUTOR,
        "Network Contributor",
        "BuiltInRole",
        [
            "Microsoft.Authorization/*/read",
            "Microsoft.Insights/alertRules/*",
            "Microsoft.Network/*",
            "Microsoft.ResourceHealth/availabilityStatuses/read",
            "Microsoft.Resources/deployments/*",
            "Microsoft.Resources/subscriptions/resourceGroups/read",
            "Microsoft.Support/*",
        ],
        [],
    ),
)


def role_assignment(principal_id: str, role_guid: str, scope: str) -> dict[str, Any]:
    name = str(uuid.uuid4())
    subscription = (
        scope.split("/")[2] if scope.lower().startswith("/subscriptions/") else "00000000-0000-0000-0000-000000000000"
    )
    return {
        "properties": {
            "roleDefinitionId": f"/subscriptions/{subscription}{_RP}/roleDefinitions/{role_guid}",
            "principalId": principal_id,
            "principalType": "ServicePrincipal",
            "scope": scope,
            "condition": None,
            "conditionVersion": None,
            "createdOn": CREATED,
            "updatedOn": CREATED,
            "createdBy": None,
            "updatedBy": None,
            "delegatedManagedIdentityResourceId": None,
            "description": None,
        },
        "id": f"{scope.rstrip('/')}{_RP}/roleAssignments/{name}",
        "type": "Microsoft.Authorization/roleAssignments",
        "name": name,
    }


def provider(sub: str, namespace: str, state: str) -> dict[str, Any]:
    return {
        "id": f"/subscriptions/{sub}/providers/{namespace}",
        "namespace": namespace,
        "registrationState": state,
        "registrationPolicy": "RegistrationRequired",
        "resourceTypes": [],
    }


def marketplace_image(
    location: str, publisher: str, offer: str, sku: str, version: str,
    plan: dict[str, str] | None, generation: str, security_type: str | None, os_type: str,
) -> dict[str, Any]:  # fmt: skip
    features = [
        {"name": "IsAcceleratedNetworkSupported", "value": "True"},
        {"name": "DiskControllerTypes", "value": "SCSI, NVMe"},
    ]
    if security_type:
        features.insert(0, {"name": "SecurityType", "value": security_type})
    properties: dict[str, Any] = {
        "hyperVGeneration": generation,
        "architecture": "x64",
        "replicaType": "Unmanaged",
        "disallowed": {"vmDiskType": "Unmanaged"},
        "automaticOSUpgradeProperties": {"automaticOSUpgradeSupported": False},
        "imageDeprecationStatus": {"imageState": "Active"},
        "features": features,
        "osDiskImage": {"operatingSystem": os_type},
        "dataDiskImages": [],
    }
    if plan:
        properties["plan"] = dict(plan)
    return {
        "properties": properties,
        "location": location,
        "name": version,
        "id": f"/Subscriptions/00000000-0000-0000-0000-000000000000/Providers/Microsoft.Compute/Locations/{location}"
        f"/Publishers/{publisher}/ArtifactTypes/VMImage/Offers/{offer}/Skus/{sku}/Versions/{version}",
    }


def _resource(resource_id: str, kind: str, location: str, properties: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": resource_id,
        "name": resource_id.rstrip("/").rsplit("/", 1)[1],
        "type": kind,
        "location": location,
        "tags": {},
        "properties": {**properties, "provisioningState": "Succeeded"},
    }


def gallery(resource_id: str, location: str) -> dict[str, Any]:
    unique = f"{uuid.uuid5(uuid.NAMESPACE_URL, resource_id.lower())}-{resource_id.rsplit('/', 1)[1].upper()}"
    return _resource(resource_id, "Microsoft.Compute/galleries", location, {"identifier": {"uniqueName": unique}})


def gallery_image(
    resource_id: str, location: str, *, generation: str = "V2", security_type: str | None = None, os_type: str = "Linux"
) -> dict[str, Any]:
    properties: dict[str, Any] = {
        "osType": os_type,
        "osState": "Generalized",
        "hyperVGeneration": generation,
        "identifier": {"publisher": "contoso", "offer": "images", "sku": resource_id.rsplit("/", 1)[1]},
        "architecture": "x64",
    }
    if security_type:
        properties["features"] = [{"name": "SecurityType", "value": security_type}]
    return _resource(resource_id, "Microsoft.Compute/galleries/images", location, properties)


def gallery_image_version(resource_id: str, location: str, regions: list[str]) -> dict[str, Any]:
    targets = [{"name": r, "regionalReplicaCount": 1, "storageAccountType": "Standard_LRS"} for r in regions]
    profile = {
        "targetRegions": targets,
        "replicaCount": 1,
        "excludeFromLatest": False,
        "publishedDate": CREATED,
        "storageAccountType": "Standard_LRS",
    }
    storage = {"osDiskImage": {"sizeInGB": 30, "hostCaching": "ReadWrite"}}
    return _resource(
        resource_id,
        "Microsoft.Compute/galleries/images/versions",
        location,
        {"publishingProfile": profile, "storageProfile": storage},
    )


def managed_image(resource_id: str, location: str, *, generation: str = "V2", os_type: str = "Linux") -> dict[str, Any]:
    disk = {
        "osType": os_type,
        "osState": "Generalized",
        "caching": "ReadWrite",
        "storageAccountType": "Standard_LRS",
        "diskSizeGB": 30,
    }
    storage = {"osDisk": disk, "dataDisks": [], "zoneResilient": False}
    return _resource(
        resource_id, "Microsoft.Compute/images", location, {"storageProfile": storage, "hyperVGeneration": generation}
    )


def identity(resource_id: str, location: str, principal_id: str) -> dict[str, Any]:
    client = str(uuid.uuid5(uuid.NAMESPACE_URL, principal_id))
    body = _resource(
        resource_id, "Microsoft.ManagedIdentity/userAssignedIdentities", location,
        {"tenantId": TENANT, "principalId": principal_id, "clientId": client},
    )  # fmt: skip
    del body["properties"]["provisioningState"]  # identities show none
    return body


def virtual_network(resource_id: str, location: str, subnets: list[str]) -> dict[str, Any]:
    items = [
        {"name": s, "id": f"{resource_id}/subnets/{s}", "properties": {"addressPrefix": f"10.0.{i}.0/24"}}
        for i, s in enumerate(subnets)
    ]
    return _resource(
        resource_id,
        "Microsoft.Network/virtualNetworks",
        location,
        {"addressSpace": {"addressPrefixes": ["10.0.0.0/16"]}, "subnets": items},
    )


def vm_sku(
    location: str, name: str, family: str, vcpus: int, memory_gb: float,
    generations: str, restricted: bool, trusted_launch: bool,
) -> dict[str, Any]:  # fmt: skip
    capabilities = [
        ("MaxResourceVolumeMB", "0"), ("OSVhdSizeMB", "1047552"), ("vCPUs", str(vcpus)),
        ("MemoryPreservingMaintenanceSupported", "True"), ("HyperVGenerations", generations),
        ("MemoryGB", f"{memory_gb:g}"), ("MaxDataDiskCount", str(max(4, vcpus * 2))), ("CpuArchitectureType", "x64"),
        ("LowPriorityCapable", "True"), ("PremiumIO", "True"), ("VMDeploymentTypes", "IaaS"),
        ("vCPUsAvailable", str(vcpus)), ("vCPUsPerCore", "2"), ("EphemeralOSDiskSupported", "False"),
        ("AcceleratedNetworkingEnabled", "True"),
    ]  # fmt: skip
    if not trusted_launch:
        capabilities.append(("TrustedLaunchDisabled", "True"))
    restrictions = []
    if restricted:
        restrictions.append(
            {
                "type": "Location",
                "values": [location],
                "restrictionInfo": {"locations": [location]},
                "reasonCode": "NotAvailableForSubscription",
            }
        )
    return {
        "resourceType": "virtualMachines",
        "name": name,
        "tier": "Standard",
        "size": name.split("_", 1)[1],
        "family": family,
        "locations": [location],
        "locationInfo": [{"location": location, "zones": ["1", "2", "3"], "zoneDetails": []}],
        "capabilities": [{"name": k, "value": v} for k, v in capabilities],
        "restrictions": restrictions,
    }


def usage(name: str, current: int, limit: int, localized: str) -> dict[str, Any]:
    return {
        "unit": "Count",
        "currentValue": current,
        "limit": limit,
        "name": {"value": name, "localizedValue": localized},
    }


def disk_sku(location: str) -> dict[str, Any]:
    capabilities = [{"name": "MaxSizeGiB", "value": "32767"}, {"name": "MinSizeGiB", "value": "0"}]
    return {
        "resourceType": "disks",
        "name": "Premium_LRS",
        "tier": "Premium",
        "size": "P1",
        "locations": [location],
        "locationInfo": [{"location": location, "zones": [], "zoneDetails": []}],
        "capabilities": capabilities,
        "restrictions": [],
    }
