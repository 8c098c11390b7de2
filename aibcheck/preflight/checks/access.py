"""Online checks of the template's identity: it exists, and its roles allow what the service does with it.

Role assignments of the identity's principal are read per subscription (at, above and below its scope),
their role definitions once each, and every action the build needs is matched against the actions and
notActions of the roles assigned at or above the resource. Deny assignments and role conditions are not
evaluated: a finding here is a missing grant, never a proof that access works.
"""

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from aibcheck.i18n import t
from aibcheck.preflight.model import Hit, quote
from aibcheck.preflight.online import Facts, subscription_of
from aibcheck.preflight.view import TemplateView, items, mapping, text

GALLERY_READ = ("Microsoft.Compute/galleries/read", "Microsoft.Compute/galleries/images/read")
VERSION_READ = "Microsoft.Compute/galleries/images/versions/read"
VERSION_WRITE = "Microsoft.Compute/galleries/images/versions/write"
IMAGE_WRITE = ("Microsoft.Compute/images/write", "Microsoft.Compute/images/read", "Microsoft.Compute/images/delete")
VNET_JOIN = ("Microsoft.Network/virtualNetworks/read", "Microsoft.Network/virtualNetworks/subnets/join/action")
STAGING = (
    "Microsoft.Resources/deployments/write",
    "Microsoft.Compute/virtualMachines/write",
    "Microsoft.Network/networkInterfaces/write",
    "Microsoft.Storage/storageAccounts/write",
)


@dataclass(frozen=True)
class Need:
    pointer: str
    scope: str  # the resource id the actions are performed on
    actions: tuple[str, ...]
    what: str


def _distribution_needs(view: TemplateView) -> Iterator[Need]:
    for i, target in view.distributions():
        kind = text(target.get("type")).lower()
        if kind == "sharedimage" and text(target.get("galleryImageId")):
            actions = (*GALLERY_READ, VERSION_READ, VERSION_WRITE)
            yield Need(
                f"/properties/distribute/{i}/galleryImageId",
                text(target.get("galleryImageId")),
                actions,
                t("preflight.need.publish-version"),
            )
        elif kind == "managedimage" and text(target.get("imageId")):
            yield Need(
                f"/properties/distribute/{i}/imageId",
                text(target.get("imageId")),
                IMAGE_WRITE,
                t("preflight.need.create-image"),
            )


def needs(view: TemplateView) -> list[Need]:
    """What the identity acts on, where the template names it, and the actions it needs there."""
    source, subnet, kind = view.source, view.subnet_id, view.source_type
    image = text(source.get("imageId")) if kind == "managedimage" else ""
    version = text(source.get("imageVersionId")) if kind == "sharedimageversion" else ""
    vnet = subnet[: subnet.lower().rfind("/subnets/")] if "/subnets/" in subnet.lower() else subnet
    staging = text(view.properties.get("stagingResourceGroup"))
    candidates = [
        Need("/properties/source/imageId", image, ("Microsoft.Compute/images/read",), t("preflight.need.read-image")),
        Need("/properties/source/imageVersionId", version, (*GALLERY_READ, VERSION_READ), t("preflight.need.version")),
        Need("/properties/vmProfile/vnetConfig/subnetId", vnet, VNET_JOIN, t("preflight.need.join-subnet")),
        Need("/properties/stagingResourceGroup", staging, STAGING, t("preflight.need.staging")),
    ]
    return [need for need in candidates if need.scope] + list(_distribution_needs(view))


@cache
def _pattern(action: str) -> re.Pattern[str]:
    return re.compile(".*".join(re.escape(part) for part in action.split("*")), re.IGNORECASE)


def _covers(scope: str, resource: str) -> bool:
    scope, resource = scope.rstrip("/").lower(), resource.rstrip("/").lower()
    if not scope.startswith("/subscriptions/"):
        return True  # the root or a management group: listed for this principal only when it applies
    return resource == scope or resource.startswith(scope + "/")


def granted(action: str, permissions: list[Mapping[str, Any]]) -> bool:
    for block in permissions:
        allowed = any(_pattern(str(a)).fullmatch(action) for a in items(block.get("actions")))
        if allowed and not any(_pattern(str(n)).fullmatch(action) for n in items(block.get("notActions"))):
            return True
    return False


def _principal(view: TemplateView, facts: Facts) -> str | None:
    ids = view.identity_ids
    identity = facts.get(ids[0]) if len(ids) == 1 else None
    return text(mapping(identity.get("properties")).get("principalId")) if identity else None


def check_identity_exists(view: TemplateView, facts: Facts) -> Iterator[Hit]:
    ids = view.identity_ids
    if len(ids) == 1 and facts.get(ids[0]) is None:
        yield Hit("/identity/userAssignedIdentities", t("preflight.msg.identity-missing", identity=quote(ids[0])))


def _permissions_at(facts: Facts, principal: str, resource: str) -> list[Mapping[str, Any]]:
    blocks: list[Mapping[str, Any]] = []
    for assignment in facts.assignments(subscription_of(resource) or facts.reader.subscription, principal):
        props = mapping(assignment.get("properties"))
        if _covers(text(props.get("scope")), resource) and text(props.get("roleDefinitionId")):
            role = facts.get(text(props.get("roleDefinitionId")))
            blocks += [mapping(p) for p in items(mapping(mapping(role).get("properties")).get("permissions"))]
    return blocks


def check_permissions(view: TemplateView, facts: Facts) -> Iterator[Hit]:
    principal = _principal(view, facts)
    if not principal:
        return
    for need in needs(view):
        permissions = _permissions_at(facts, principal, need.scope)
        missing = [action for action in need.actions if not granted(action, permissions)]
        if missing:
            yield Hit(need.pointer, t("preflight.msg.identity-cannot", what=need.what, missing=", ".join(missing)))
