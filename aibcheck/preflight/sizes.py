"""What a VM size's name says about it, without asking Azure.

Azure size names follow `<tier>_<family><vCPUs>[-<active vCPUs>]<features>[_<accelerator>][_v<version>]`.
The name gives the vCPU count; memory per vCPU is known here only for the common general-purpose families,
and Hyper-V generation support only where it is certain. Online preflight reads the real capabilities from
the resource SKUs instead.
"""

import re
from dataclasses import dataclass

_NAME = re.compile(
    r"^(?P<tier>standard|basic)_(?P<family>[a-z]+?)(?P<vcpus>\d+)(?:-(?P<active>\d+))?(?P<features>[a-z]*)"
    r"(?:_.*)?$",
    re.IGNORECASE,
)

# Exact memory (GiB) of burstable sizes, whose ratio varies size by size.
_B_SERIES: dict[str, float] = {
    "b1ls": 0.5, "b1s": 1, "b1ms": 2, "b2s": 4, "b2ms": 8,
    "b2ats_v2": 1, "b2als_v2": 4, "b2as_v2": 8, "b2ts_v2": 1, "b2ls_v2": 4, "b2s_v2": 8,
    "b2pts_v2": 1, "b2pls_v2": 4, "b2ps_v2": 8,
}  # fmt: skip


@dataclass(frozen=True)
class SizeName:
    name: str
    family: str  # lower case: "d", "ds", "e", "b", "nc", ...
    vcpus: int  # active vCPUs (constrained-core sizes: the smaller number)
    memory_vcpus: int  # the vCPU count memory is sized for (constrained-core sizes keep the full memory)
    features: str  # lower-case feature letters: "s", "ds", "ads", "ms", ...
    version: int  # 1 when the name has no _vN

    @property
    def memory_gib(self) -> float | None:
        key = self.name.lower().split("_", 1)[1]
        if self.family == "b":
            return _B_SERIES.get(key)
        per_vcpu = _memory_per_vcpu(self.family, self.features, self.version)
        return None if per_vcpu is None else per_vcpu * self.memory_vcpus

    @property
    def generation2(self) -> bool | None:
        """True: only Gen2 images boot on it; False: only Gen1; None: both, or not known from the name."""
        if self.version >= 6 and self.family in ("d", "e"):
            return True
        if self.family == "m" and self.version == 2:
            return True
        premium = "s" in self.features or self.family.endswith("s")
        if self.family == "a" or (self.family in ("d", "f") and self.version <= 3 and not premium):
            return False
        return None


def _memory_per_vcpu(family: str, features: str, version: int) -> float | None:
    if family in ("d", "ds"):
        if version <= 2:
            return 3.5
        return 2.0 if "l" in features else 4.0
    if family == "e":
        return 8.0
    if family == "f":
        return 2.0
    if family == "a" and version == 2:
        return 8.0 if "m" in features else 2.0
    return None


def parse_size(name: str) -> SizeName | None:
    match = _NAME.match(name.strip())
    if match is None:
        return None
    total = int(match.group("vcpus"))
    vcpus = int(match.group("active") or total)
    version = re.search(r"_v(\d+)$", name.strip(), re.IGNORECASE)
    family, features = match.group("family").lower(), match.group("features").lower()
    return SizeName(name.strip(), family, vcpus, total, features, int(version.group(1)) if version else 1)
