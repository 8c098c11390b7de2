"""What the subscription says about the template, read once and shared by the online checks.

Every lookup is cached, a refusal too (so a check that depends on a refused read is skipped without a
second request), which keeps each check to a few ARM requests.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from aibcheck.i18n import t
from aibcheck.preflight.model import quote
from aibcheck.preflight.ports import ReadRefused, SubscriptionReader
from aibcheck.preflight.view import TemplateView, items, mapping, text

T = TypeVar("T")


def region(name: str) -> str:
    return name.replace(" ", "").lower()


def resource_group_of(resource_id: str) -> str:
    """'/subscriptions/s/resourceGroups/g' of any resource id below a group, else ''."""
    parts = resource_id.split("/")
    return "/".join(parts[:5]) if len(parts) >= 5 and parts[3].lower() == "resourcegroups" else ""


def subscription_of(resource_id: str) -> str:
    parts = resource_id.split("/")
    return parts[2] if len(parts) > 2 and parts[1].lower() == "subscriptions" else ""


def feature(properties: Mapping[str, Any], name: str) -> str | None:
    for item in items(properties.get("features")):
        if isinstance(item, Mapping) and str(item.get("name", "")).lower() == name.lower():
            return str(item.get("value", ""))
    return None


@dataclass(frozen=True)
class SourceImage:
    pointer: str  # where the template names it
    label: str  # how to name it in a message
    found: bool
    problem: str = ""  # why it is not usable, when not found
    generation: str | None = None  # "V1" or "V2"
    security: str | None = None  # the SecurityType feature
    os_type: str | None = None  # "Linux" or "Windows"
    plan: Mapping[str, Any] | None = None  # a Marketplace image's purchase plan


class Facts:
    def __init__(self, reader: SubscriptionReader, view: TemplateView, resource_group: str | None, name: str | None):
        self.reader, self.view = reader, view
        self.resource_group, self.template_name = resource_group, name
        self._cache: dict[tuple[str, ...], Any] = {}

    def _once(self, key: tuple[str, ...], load: Callable[[], T]) -> T:
        if key not in self._cache:
            try:
                self._cache[key] = load()
            except ReadRefused as refused:
                self._cache[key] = refused
        value = self._cache[key]
        if isinstance(value, ReadRefused):
            raise value
        return value  # type: ignore[no-any-return]

    def get(self, resource_id: str) -> dict[str, Any] | None:
        return self._once(("get", resource_id.lower()), lambda: self.reader.get(resource_id))

    def providers(self) -> dict[str, str]:
        return self._once(("providers",), self.reader.providers)

    def skus(self) -> list[dict[str, Any]]:
        return self._once(("skus", self.view.location), lambda: self.reader.resource_skus(self.view.location))

    def usages(self) -> list[dict[str, Any]]:
        return self._once(("usages", self.view.location), lambda: self.reader.usages(self.view.location))

    def assignments(self, subscription: str, principal: str) -> list[dict[str, Any]]:
        key = ("assignments", subscription.lower(), principal)
        return self._once(key, lambda: self.reader.role_assignments(subscription, principal))

    def sku(self) -> dict[str, Any] | None:
        """The vmSize's virtual machine SKU in the template's location, or None when it is not offered there."""
        for sku in self.skus():
            if str(sku.get("resourceType", "")).lower() == "virtualmachines" and str(sku.get("name", "")).lower() == (
                self.view.vm_size.lower()
            ):
                return sku
        return None

    def source(self) -> SourceImage | None:
        """The source image as the subscription shows it; None when the template does not say enough."""
        return self._once(("source",), self._load_source)

    def _load_source(self) -> SourceImage | None:
        kind, source = self.view.source_type, self.view.source
        if kind == "platformimage":
            return self._marketplace(source)
        if kind == "sharedimageversion" and text(source.get("imageVersionId")):
            return self._gallery_version(text(source.get("imageVersionId")))
        if kind == "managedimage" and text(source.get("imageId")):
            image_id = text(source.get("imageId"))
            image = self.get(image_id)
            if image is None:
                return SourceImage(
                    "/properties/source/imageId", image_id, False, t("preflight.msg.image-missing", id=quote(image_id))
                )
            props = mapping(image.get("properties"))
            os_type = text(mapping(mapping(props.get("storageProfile")).get("osDisk")).get("osType")) or None
            return SourceImage(
                "/properties/source/imageId",
                image_id,
                True,
                "",
                text(props.get("hyperVGeneration")) or "V1",
                None,
                os_type,
            )
        return None

    def _marketplace(self, source: Mapping[str, Any]) -> SourceImage | None:
        publisher, offer, sku = (text(source.get(k)) for k in ("publisher", "offer", "sku"))
        version, location = text(source.get("version")) or "latest", self.view.location
        if not (publisher and offer and sku and location):
            return None
        label = ":".join([publisher, offer, sku, version])
        if version.lower() == "latest":
            versions = self.reader.image_versions(location, publisher, offer, sku)
            if not versions:
                return SourceImage(
                    "/properties/source",
                    label,
                    False,
                    t("preflight.msg.not-offered", image=quote(label), location=quote(location)),
                )
            version = max(versions, key=_version_key)
        image = self.reader.image_version(location, publisher, offer, sku, version)
        if image is None:
            return SourceImage(
                "/properties/source",
                label,
                False,
                t("preflight.msg.not-offered", image=quote(label), location=quote(location)),
            )
        props = mapping(image.get("properties"))
        os_type = text(mapping(props.get("osDiskImage")).get("operatingSystem")) or None
        plan = mapping(props.get("plan")) or None
        generation = text(props.get("hyperVGeneration")) or "V1"
        return SourceImage(
            "/properties/source", label, True, "", generation, feature(props, "SecurityType"), os_type, plan
        )

    def _gallery_version(self, version_id: str) -> SourceImage:
        pointer = "/properties/source/imageVersionId"
        has_version = "/versions/" in version_id.lower()
        definition_id = version_id[: version_id.lower().rindex("/versions/")] if has_version else version_id
        if has_version:
            version = self.get(version_id)
            if version is None:
                return SourceImage(
                    pointer, version_id, False, t("preflight.msg.version-missing", id=quote(version_id))
                )
            regions = _replicated_to(mapping(version.get("properties")))
            if regions and region(self.view.location) not in regions:
                problem = t("preflight.msg.not-replicated", id=quote(version_id), location=quote(self.view.location))
                return SourceImage(pointer, version_id, False, problem)
        definition = self.get(definition_id)
        if definition is None:
            return SourceImage(
                pointer, version_id, False, t("preflight.msg.definition-missing", id=quote(definition_id))
            )
        props = mapping(definition.get("properties"))
        generation, os_type = text(props.get("hyperVGeneration")) or "V1", text(props.get("osType")) or None
        return SourceImage(pointer, version_id, True, "", generation, feature(props, "SecurityType"), os_type)


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else -1 for part in version.split("."))


def _replicated_to(properties: Mapping[str, Any]) -> set[str]:
    targets = items(mapping(properties.get("publishingProfile")).get("targetRegions"))
    return {region(str(mapping(t).get("name", ""))) for t in targets if mapping(t).get("name")}
