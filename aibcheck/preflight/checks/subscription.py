"""Online checks of what the template names: providers, the source image, the targets, the template itself."""

from collections.abc import Iterator, Mapping
from typing import Any

from aibcheck.i18n import t
from aibcheck.preflight.model import Hit, Severity, quote
from aibcheck.preflight.online import Facts, SourceImage, feature, region, resource_group_of
from aibcheck.preflight.view import TemplateView, mapping, text
from aibcheck.redact import redact

PROVIDERS = (
    "Microsoft.VirtualMachineImages",
    "Microsoft.Compute",
    "Microsoft.KeyVault",
    "Microsoft.Storage",
    "Microsoft.Network",
)
VNET_PROVIDER = "Microsoft.ContainerInstance"  # the service's proxy container in a vnet build
TRUSTED_LAUNCH_REQUIRED = {"trustedlaunch", "confidentialvm"}
TRUSTED_LAUNCH_CAPABLE = {"trustedlaunch", "trustedlaunchsupported", "trustedlaunchandconfidentialvmsupported"}
LARGE_FILE_BYTES = 20 * 1000 * 1000  # the guide: the File customizer is for files under 20 MB


def check_providers(view: TemplateView, facts: Facts) -> Iterator[Hit]:
    states = facts.providers()
    needed = [(name, "") for name in PROVIDERS]
    if view.subnet_id:
        needed.append((VNET_PROVIDER, "/properties/vmProfile/vnetConfig"))
    for name, pointer in needed:
        state = states.get(name.lower(), "NotRegistered")
        if state.lower() != "registered":
            subscription = quote(facts.reader.subscription)
            yield Hit(pointer, t("preflight.msg.provider", name=name, state=quote(state), subscription=subscription))


def check_source(view: TemplateView, facts: Facts) -> Iterator[Hit]:
    source = facts.source()
    if source is not None and not source.found:
        yield Hit(source.pointer, source.problem)


def check_plan(view: TemplateView, facts: Facts) -> Iterator[Hit]:
    source = facts.source()
    if source is None or not source.found or not source.plan:
        return
    plan = {k: str(source.plan.get(k, "")) for k in ("name", "product", "publisher")}
    given = mapping(view.source.get("planInfo"))
    wanted = {"planName": plan["name"], "planProduct": plan["product"], "planPublisher": plan["publisher"]}
    described = t("preflight.msg.plan", **{k: quote(v) for k, v in plan.items()})
    if not given:
        yield Hit(
            "/properties/source",
            t("preflight.msg.plan-missing", image=quote(source.label), plan=described),
        )
        return
    wrong = [k for k, v in wanted.items() if text(given.get(k)).lower() != v.lower()]
    if wrong:
        yield Hit(
            "/properties/source/planInfo", t("preflight.msg.plan-differs", plan=described, fields=", ".join(wrong))
        )


def _gallery_of(definition_id: str) -> str:
    lowered = definition_id.lower()
    return definition_id[: lowered.index("/images/")] if "/images/" in lowered else definition_id


def _target(view: TemplateView, facts: Facts, target: Mapping[str, Any]) -> tuple[str, dict[str, Any] | None]:
    """(kind, resource as it exists) of one distribution target; kind "" when there is nothing to read."""
    kind = text(target.get("type")).lower()
    resource_id = text(target.get("galleryImageId" if kind == "sharedimage" else "imageId"))
    if kind not in ("sharedimage", "managedimage") or not resource_id:
        return "", None
    return kind, facts.get(resource_id)


def check_targets_exist(view: TemplateView, facts: Facts) -> Iterator[Hit]:
    for i, target in view.distributions():
        kind, found = _target(view, facts, target)
        if kind == "sharedimage" and found is None:
            definition = text(target.get("galleryImageId"))
            gallery = _gallery_of(definition)
            what = (
                t("preflight.msg.definition", id=quote(definition))
                if facts.get(gallery)
                else t("preflight.msg.gallery", id=quote(gallery))
            )
            yield Hit(f"/properties/distribute/{i}/galleryImageId", t("preflight.msg.does-not-exist", what=what))
        elif kind == "managedimage" and found is None:
            group = resource_group_of(text(target.get("imageId")))
            if group and facts.get(group) is None:
                yield Hit(f"/properties/distribute/{i}/imageId", t("preflight.msg.group-missing", group=quote(group)))


def _differences(expected: Mapping[str, str | None], actual: Mapping[str, str | None]) -> list[str]:
    return [
        t("preflight.msg.difference", field=k, actual=quote(str(actual[k])), built=quote(v))
        for k, v in expected.items()
        if v and actual.get(k) and str(actual[k]).lower() != v.lower()
    ]


def check_targets_match(view: TemplateView, facts: Facts) -> Iterator[Hit]:
    source = facts.source()
    made = {"hyperVGeneration": source.generation, "osType": source.os_type} if source and source.found else {}
    for i, target in view.distributions():
        kind, found = _target(view, facts, target)
        if not found:
            continue
        props = mapping(found.get("properties"))
        if kind == "sharedimage":
            actual = {
                "hyperVGeneration": text(props.get("hyperVGeneration")) or "V1",
                "osType": text(props.get("osType")),
            }
            diff = _differences(made, actual)
            if diff:
                listed = t("preflight.msg.separator").join(diff)
                yield Hit(f"/properties/distribute/{i}/galleryImageId", t("preflight.msg.definition-has", diff=listed))
        else:
            actual = {
                "location": region(text(found.get("location"))),
                "hyperVGeneration": text(props.get("hyperVGeneration")),
            }
            expected = {
                "location": region(text(target.get("location"))),
                "hyperVGeneration": made.get("hyperVGeneration"),
            }
            diff = _differences(expected, actual)
            if diff:
                yield Hit(
                    f"/properties/distribute/{i}/imageId",
                    t("preflight.msg.image-exists", diff=t("preflight.msg.separator").join(diff)),
                )


def _requires_trusted_launch(source: SourceImage | None) -> bool:
    return bool(source and source.found and (source.security or "").lower() in TRUSTED_LAUNCH_REQUIRED)


def check_trusted_launch(view: TemplateView, facts: Facts) -> Iterator[Hit]:
    source = facts.source()
    if source is None or not _requires_trusted_launch(source):
        return
    for i, target in view.distributions():
        kind, found = _target(view, facts, target)
        if kind == "managedimage":
            yield Hit(f"/properties/distribute/{i}/type", t("preflight.msg.managed-trusted-launch"))
        elif kind == "sharedimage" and found is not None:
            security = (feature(mapping(found.get("properties")), "SecurityType") or "Standard").lower()
            if security not in TRUSTED_LAUNCH_CAPABLE:
                yield Hit(
                    f"/properties/distribute/{i}/galleryImageId",
                    t("preflight.msg.security-type", security=quote(security)),
                )
    sku = facts.sku() if view.vm_size else None
    if sku is not None and capability(sku, "TrustedLaunchDisabled").lower() == "true":
        yield Hit("/properties/vmProfile/vmSize", t("preflight.msg.size-trusted-launch", size=quote(view.vm_size)))


def capability(sku: Mapping[str, Any], name: str) -> str:
    """A resource SKU capability's value ("vCPUs", "MemoryGB", "HyperVGenerations"...), "" when absent."""
    for item in sku.get("capabilities") or []:
        if isinstance(item, Mapping) and str(item.get("name", "")).lower() == name.lower():
            return str(item.get("value", ""))
    return ""


def check_template_exists(view: TemplateView, facts: Facts) -> Iterator[Hit]:
    group, name = facts.resource_group, facts.template_name
    if not group or not name:
        return
    provider = "providers/Microsoft.VirtualMachineImages/imageTemplates"
    if facts.get(f"/subscriptions/{facts.reader.subscription}/resourceGroups/{group}/{provider}/{name}") is None:
        return
    exists, policy = t("preflight.msg.template-exists", name=quote(name), group=quote(group)), view.if_exists
    if policy == "fail":
        yield Hit("", t("preflight.msg.template-exists.fail", exists=exists))
    else:
        handled = t("preflight.msg.replaced" if policy == "replace" else "preflight.msg.renamed")
        message = t("preflight.msg.template-exists.policy", exists=exists, handled=handled, policy=policy)
        yield Hit("", message, Severity.NOTICE)


def check_file_sizes(view: TemplateView, facts: Facts) -> Iterator[Hit]:
    for i, customizer in view.customizers():
        uri = text(customizer.get("sourceUri"))
        if text(customizer.get("type")).lower() != "file" or not uri.lower().startswith(("https://", "http://")):
            continue
        size = facts.reader.content_length(uri)
        if size is not None and size > LARGE_FILE_BYTES:
            shown = quote(redact(uri))
            yield Hit(
                f"/properties/customize/{i}/sourceUri", t("preflight.msg.large-file", uri=shown, mb=f"{size / 1e6:.0f}")
            )
