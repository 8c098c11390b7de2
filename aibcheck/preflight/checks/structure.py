"""Template structure the service accepts at submission but rejects or fails on later."""

from collections.abc import Iterator

from aibcheck.i18n import t
from aibcheck.preflight.model import Hit, quote
from aibcheck.preflight.sizes import parse_size
from aibcheck.preflight.view import TemplateView, items, mapping, text

SOURCE_TYPES = ("PlatformImage", "ManagedImage", "SharedImageVersion")
CUSTOMIZER_TYPES = ("Shell", "PowerShell", "File", "WindowsRestart", "WindowsUpdate")
DISTRIBUTE_TYPES = ("ManagedImage", "SharedImage", "VHD")
VALIDATOR_TYPES = ("Shell", "PowerShell", "File")


def _type_hit(pointer: str, value: object, known: tuple[str, ...], what: str) -> Hit | None:
    written = text(value)
    if not written or written in known:
        return None
    for name in known:
        if name.lower() == written.lower():
            return Hit(pointer, t("preflight.msg.type-case", what=what, written=quote(written), name=quote(name)))
    return Hit(pointer, t("preflight.msg.type-unknown", what=what, written=quote(written), known=", ".join(known)))


def check_type_case(view: TemplateView) -> Iterator[Hit]:
    found = [_type_hit("/properties/source/type", view.source.get("type"), SOURCE_TYPES, "source")]
    for i, customizer in view.customizers():
        found.append(
            _type_hit(f"/properties/customize/{i}/type", customizer.get("type"), CUSTOMIZER_TYPES, "customizer")
        )
    for i, target in view.distributions():
        found.append(_type_hit(f"/properties/distribute/{i}/type", target.get("type"), DISTRIBUTE_TYPES, "distribute"))
    validations = items(mapping(view.properties.get("validate")).get("inVMValidations"))
    for i, validator in enumerate(validations):
        pointer = f"/properties/validate/inVMValidations/{i}/type"
        found.append(_type_hit(pointer, mapping(validator).get("type"), VALIDATOR_TYPES, "validator"))
    yield from (hit for hit in found if hit is not None)


def check_run_output_names(view: TemplateView) -> Iterator[Hit]:
    seen: dict[str, int] = {}
    for i, target in view.distributions():
        name = text(target.get("runOutputName"))
        if not name:
            continue
        if name.lower() in seen:
            first = seen[name.lower()]
            yield Hit(
                f"/properties/distribute/{i}/runOutputName",
                t("preflight.msg.run-output-used", name=quote(name), first=first),
            )
        else:
            seen[name.lower()] = i


def check_gallery_regions(view: TemplateView) -> Iterator[Hit]:
    for i, target in view.distributions():
        if text(target.get("type")).lower() != "sharedimage":
            continue
        legacy, regions = target.get("replicationRegions"), target.get("targetRegions")
        if not legacy and not regions:
            yield Hit(
                f"/properties/distribute/{i}/type",
                t("preflight.msg.no-regions"),
            )
        elif legacy and regions:
            yield Hit(
                f"/properties/distribute/{i}/targetRegions",
                t("preflight.msg.both-regions"),
            )


def marketplace_generation(sku: str) -> str | None:
    """The Hyper-V generation a Marketplace SKU's name states ('V1', 'V2'), else None."""
    lowered = sku.lower()
    if "gen1" in lowered:
        return "V1"
    if "gen2" in lowered or "gensecond" in lowered or lowered.endswith(("-g2", "_g2")):
        return "V2"
    return None


def size_mismatch(size_name: str, generation: str, boots: set[str] | None) -> str | None:
    """Why a size cannot run an image of that generation; `boots` are the generations it runs, when known."""
    if boots is None:
        size = parse_size(size_name)
        gen2_only = size.generation2 if size else None
        boots = {"V2"} if gen2_only else {"V1"} if gen2_only is False else {"V1", "V2"}
    if generation in boots:
        return None
    runs = "/".join(sorted(g[1:] for g in boots))
    return t("preflight.msg.generation", generation=generation[1:], size=quote(size_name), runs=runs)


def check_generation(view: TemplateView) -> Iterator[Hit]:
    if view.source_type != "platformimage" or not view.vm_size:
        return
    generation = marketplace_generation(text(view.source.get("sku")))
    problem = size_mismatch(view.vm_size, generation, None) if generation else None
    if problem:
        yield Hit("/properties/vmProfile/vmSize", problem)


def check_identity(view: TemplateView) -> Iterator[Hit]:
    identity = view.resource.get("identity")
    if not isinstance(identity, dict):
        yield Hit("", t("preflight.msg.no-identity"))
        return
    kind = text(identity.get("type"))
    if identity.get("type") and not kind:
        return  # an expression preflight could not resolve
    if kind.lower() != "userassigned":
        yield Hit("/identity/type", t("preflight.msg.identity-type", kind=quote(kind or "missing")))
    elif not mapping(identity.get("userAssignedIdentities")):
        yield Hit("/identity", t("preflight.msg.identity-none"))
    elif len(mapping(identity.get("userAssignedIdentities"))) > 1:
        yield Hit("/identity/userAssignedIdentities", t("preflight.msg.identity-many"))
