"""A healthy subscription in the fake ARM for the templates of tests/preflight/templates.py: every online check
passes on it, and each test breaks one thing."""

from __future__ import annotations

from tests.fakes import arm_subscription_bodies as bodies
from tests.fakes.arm import FakeArm
from tests.preflight.templates import GALLERY, IDENTITY, RG, SUB

PRINCIPAL = "1f0c8a52-4b7e-4d0a-9c3e-6a5b4c3d2e1f"
LOCATION = "westeurope"
GROUP_ID = f"/subscriptions/{SUB}/resourceGroups/{RG}"
PROVIDERS = (
    "Microsoft.VirtualMachineImages",
    "Microsoft.Compute",
    "Microsoft.KeyVault",
    "Microsoft.Storage",
    "Microsoft.Network",
    "Microsoft.ContainerInstance",
    "Microsoft.ManagedIdentity",
)
# The custom role of the Image Builder permissions documentation ("Azure Image Builder Service Image Creation Role").
IMAGE_CREATION_ACTIONS = [
    "Microsoft.Compute/galleries/read",
    "Microsoft.Compute/galleries/images/read",
    "Microsoft.Compute/galleries/images/versions/read",
    "Microsoft.Compute/galleries/images/versions/write",
    "Microsoft.Compute/images/write",
    "Microsoft.Compute/images/read",
    "Microsoft.Compute/images/delete",
]
UBUNTU = ("Canonical", "0001-com-ubuntu-server-jammy", "22_04-lts-gen2")
WINDOWS = ("MicrosoftWindowsServer", "WindowsServer", "2022-datacenter-g2")


def seed_healthy(arm: FakeArm) -> None:
    resources = arm.subscription
    resources.register_providers(SUB, *PROVIDERS)
    for version in ("22.04.202409010", "22.04.202411190"):
        resources.add_marketplace_image(LOCATION, *UBUNTU, version, security_type="TrustedLaunchSupported")
    resources.add_marketplace_image(LOCATION, *WINDOWS, "20348.2849.241106", os_type="Windows")
    resources.add_vm_sku(LOCATION, "Standard_D2s_v5", "standardDSv5Family", 2, 8)
    resources.add_vm_sku(LOCATION, "Standard_D4s_v5", "standardDSv5Family", 4, 16)
    resources.set_usage(SUB, LOCATION, "standardDSv5Family", 4, 20, "Standard DSv5 Family vCPUs")
    resources.set_usage(SUB, LOCATION, "cores", 4, 100, "Total Regional vCPUs")
    arm.put_resource_group(SUB, RG, LOCATION)
    resources.put_resource(bodies.gallery(GALLERY, LOCATION))
    resources.put_resource(
        bodies.gallery_image(f"{GALLERY}/images/ubuntu-web", LOCATION, security_type="TrustedLaunchSupported")
    )
    resources.put_resource(bodies.gallery_image(f"{GALLERY}/images/win2022", LOCATION, os_type="Windows"))
    resources.put_resource(bodies.identity(IDENTITY, LOCATION, PRINCIPAL))
    role = resources.add_role_definition("Azure Image Builder Service Image Creation Role", IMAGE_CREATION_ACTIONS)
    resources.assign_role(PRINCIPAL, role, GROUP_ID)
