"""Read-only subscription resources for the fake ARM: what `aibcheck preflight` reads online.

Resource providers, Marketplace image versions (with and without a purchase plan), galleries, image
definitions and versions, managed images, user-assigned identities, virtual networks, role assignments and
role definitions, Compute resource SKUs (with restrictions) and usages, on their real REST paths, api-versions
and body shapes (azure-rest-api-specs: Microsoft.Resources providers, Microsoft.Compute virtualMachineImages,
galleries, images, resourceSkus, usages; Microsoft.Authorization roleAssignments and roleDefinitions).

`FakeArm.subscription` is one of these; `FakeArm` asks it first (after auth and the api-version presence
check) with `answer(method, path, query, url)`, which returns `(status, body)` or None for a path it does
not serve. See tests/fakes/README.md, "Subscription resources".
"""

from __future__ import annotations

import copy
import re
import threading
import uuid
from typing import Any
from urllib.parse import quote, urlencode

from tests.fakes import arm_subscription_bodies as bodies

COMPUTE_API_VERSIONS = (
    "2025-04-01",
    "2024-11-01",
    "2024-07-01",
    "2024-03-01",
    "2023-09-01",
    "2023-07-01",
    "2023-03-01",
)
GALLERY_API_VERSIONS = ("2024-03-03", "2023-07-03", "2022-08-03", "2022-03-03", "2022-01-03", "2021-10-01")
SKUS_API_VERSIONS = ("2021-07-01", "2019-04-01", "2017-09-01")
IDENTITY_API_VERSIONS = ("2024-11-30", "2023-07-31-preview", "2023-01-31", "2018-11-30")
NETWORK_API_VERSIONS = ("2024-07-01", "2024-05-01", "2024-03-01", "2023-11-01", "2023-09-01", "2023-05-01")
AUTHORIZATION_API_VERSIONS = (
    "2022-04-01",
    "2020-10-01-preview",
    "2020-04-01-preview",
    "2018-01-01-preview",
    "2015-07-01",
)
PROVIDERS_API_VERSIONS = (
    "2025-04-01",
    "2024-11-01",
    "2024-03-01",
    "2022-09-01",
    "2021-04-01",
    "2021-01-01",
    "2020-06-01",
)

_S = r"/subscriptions/(?P<sub>[^/]+)"
_IMAGE = (
    _S
    + r"/providers/microsoft\.compute/locations/(?P<loc>[^/]+)/publishers/(?P<pub>[^/]+)/artifacttypes/vmimage/offers/(?P<offer>[^/]+)/skus/(?P<sku>[^/]+)/versions"
)
_RG = _S + r"/resourcegroups/(?P<rg>[^/]+)/providers/"
# (kind, pattern, api-versions): first match wins.
_ROUTES: list[tuple[str, re.Pattern[str], tuple[str, ...]]] = [
    ("providers", re.compile(_S + r"/providers/?$", re.I), PROVIDERS_API_VERSIONS),
    ("provider", re.compile(_S + r"/providers/(?P<ns>[^/]+)/?$", re.I), PROVIDERS_API_VERSIONS),
    ("image_versions", re.compile(_IMAGE + r"/?$", re.I), COMPUTE_API_VERSIONS),
    ("image_version", re.compile(_IMAGE + r"/(?P<version>[^/]+)/?$", re.I), COMPUTE_API_VERSIONS),
    (
        "usages",
        re.compile(_S + r"/providers/microsoft\.compute/locations/(?P<loc>[^/]+)/usages/?$", re.I),
        COMPUTE_API_VERSIONS,
    ),
    ("skus", re.compile(_S + r"/providers/microsoft\.compute/skus/?$", re.I), SKUS_API_VERSIONS),
    (
        "assignments",
        re.compile(r"(?P<scope>.*)/providers/microsoft\.authorization/roleassignments/?$", re.I),
        AUTHORIZATION_API_VERSIONS,
    ),
    (
        "definition",
        re.compile(r".*/providers/microsoft\.authorization/roledefinitions/(?P<role>[^/]+)/?$", re.I),
        AUTHORIZATION_API_VERSIONS,
    ),
    ("resource", re.compile(_RG + r"microsoft\.compute/galleries/.+$", re.I), GALLERY_API_VERSIONS),
    ("resource", re.compile(_RG + r"microsoft\.compute/images/[^/]+/?$", re.I), COMPUTE_API_VERSIONS),
    (
        "resource",
        re.compile(_RG + r"microsoft\.managedidentity/userassignedidentities/[^/]+/?$", re.I),
        IDENTITY_API_VERSIONS,
    ),
    ("resource", re.compile(_RG + r"microsoft\.network/virtualnetworks/[^/]+/?$", re.I), NETWORK_API_VERSIONS),
]
_PRINCIPAL_FILTER = re.compile(r"principalId\s+eq\s+'?(?P<id>[0-9a-fA-F-]+)'?", re.I)
Reply = tuple[int, Any]


def _error(status: int, code: str, message: str) -> Reply:
    return status, {"error": {"code": code, "message": message}}


class SubscriptionResources:
    """State and routes; every seeding method returns the body as GET will show it."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.providers: dict[tuple[str, str], str] = {}  # (sub lower, namespace lower) -> registrationState
        self._namespaces: dict[str, str] = {}  # lower -> as spelled
        self._images: dict[tuple[str, ...], dict[str, Any]] = {}  # (loc, pub, offer, sku, version) lower
        self._resources: dict[str, dict[str, Any]] = {}  # resource id lower -> body
        self._definitions: dict[str, dict[str, Any]] = {}  # role guid lower -> body (without id)
        self._assignments: list[dict[str, Any]] = []
        self._skus: list[dict[str, Any]] = []
        self._usages: dict[tuple[str, str], list[dict[str, Any]]] = {}  # (sub, location) lower
        self.page_size = 100  # list answers longer than this are paged with nextLink
        for role in bodies.BUILT_IN_ROLES:
            self._definitions[role["name"]] = role

    # ---- seeding ----------------------------------------------------------------------------------------------

    def register_providers(self, sub: str, *namespaces: str, state: str = "Registered") -> None:
        with self._lock:
            for namespace in namespaces:
                self._namespaces[namespace.lower()] = namespace
                self.providers[(sub.lower(), namespace.lower())] = state

    def add_marketplace_image(
        self, location: str, publisher: str, offer: str, sku: str, version: str, *,
        plan: dict[str, str] | None = None, hyper_v_generation: str = "V2", security_type: str | None = None,
        os_type: str = "Linux",
    ) -> dict[str, Any]:  # fmt: skip
        body = bodies.marketplace_image(
            location, publisher, offer, sku, version, plan, hyper_v_generation, security_type, os_type
        )
        with self._lock:
            self._images[tuple(p.lower() for p in (location, publisher, offer, sku, version))] = body
        return copy.deepcopy(body)

    def put_resource(self, body: dict[str, Any]) -> dict[str, Any]:
        """Any resource body with an "id" (see arm_subscription_bodies for the builders)."""
        with self._lock:
            self._resources[body["id"].lower()] = copy.deepcopy(body)
        return copy.deepcopy(body)

    def remove_resource(self, resource_id: str) -> None:
        with self._lock:
            self._resources.pop(resource_id.lower(), None)

    def add_role_definition(self, name: str, actions: list[str], not_actions: list[str] | None = None) -> str:
        """A custom role; returns its guid (use it, or a built-in's, in `assign_role`)."""
        guid = str(uuid.uuid5(uuid.NAMESPACE_URL, "role:" + name))
        with self._lock:
            self._definitions[guid] = bodies.role_definition(guid, name, "CustomRole", actions, not_actions or [])
        return guid

    def assign_role(self, principal_id: str, role: str, scope: str) -> dict[str, Any]:
        """Assign role (guid, or a built-in's roleName) to the principal at scope ("/" or an ARM id)."""
        guid = next(
            (g for g, d in self._definitions.items() if d["properties"]["roleName"].lower() == role.lower()), role
        )
        body = bodies.role_assignment(principal_id, guid, scope)
        with self._lock:
            self._assignments.append(body)
        return copy.deepcopy(body)

    def add_vm_sku(
        self, location: str, name: str, family: str, vcpus: int, memory_gb: float, *,
        generations: str = "V1,V2", restricted: bool = False, trusted_launch: bool = True,
    ) -> dict[str, Any]:  # fmt: skip
        body = bodies.vm_sku(location, name, family, vcpus, memory_gb, generations, restricted, trusted_launch)
        with self._lock:
            if not any(s["resourceType"] == "disks" and location in s["locations"] for s in self._skus):
                self._skus.append(bodies.disk_sku(location))  # the list holds every Compute resource type
            self._skus.append(body)
        return copy.deepcopy(body)

    def set_usage(self, sub: str, location: str, name: str, current: int, limit: int, localized: str = "") -> None:
        with self._lock:
            usages = self._usages.setdefault((sub.lower(), location.lower()), [])
            usages[:] = [u for u in usages if u["name"]["value"].lower() != name.lower()]
            usages.append(bodies.usage(name, current, limit, localized or name))

    # ---- answering --------------------------------------------------------------------------------------------

    def answer(self, method: str, path: str, query: dict[str, str], url: str) -> Reply | None:
        for kind, pattern, versions in _ROUTES:
            match = pattern.match(path)
            if match is None:
                continue
            if query.get("api-version") not in versions:
                return _error(
                    400, "InvalidApiVersionParameter",
                    f"The api-version '{query.get('api-version')}' is invalid. The supported versions are '{','.join(versions)}'.",
                )  # fmt: skip
            if method != "GET":
                return _error(
                    405, "MethodNotAllowed", f"The requested resource does not support http method '{method}'."
                )
            with self._lock:
                return getattr(self, "_get_" + kind)(match.groupdict(), path, query, url)  # type: ignore[no-any-return]
        return None

    def _page(self, values: list[dict[str, Any]], query: dict[str, str], url: str) -> Reply:
        start = int(query.get("$skipToken") or 0)
        body: dict[str, Any] = {"value": copy.deepcopy(values[start : start + self.page_size])}
        if start + self.page_size < len(values):
            rest = {k: v for k, v in query.items() if k != "$skipToken"}
            body["nextLink"] = (
                url.split("?", 1)[0]
                + "?"
                + urlencode({**rest, "$skipToken": start + self.page_size}, safe="$'()", quote_via=quote)
            )
        return 200, body

    def _get_providers(self, g: dict[str, str], path: str, query: dict[str, str], url: str) -> Reply:
        found = [
            bodies.provider(g["sub"], self._namespaces[ns], state)
            for (sub, ns), state in sorted(self.providers.items())
            if sub == g["sub"].lower()
        ]
        return self._page(found, query, url)

    def _get_provider(self, g: dict[str, str], path: str, query: dict[str, str], url: str) -> Reply:
        state = self.providers.get((g["sub"].lower(), g["ns"].lower()))
        if state is None:
            return _error(404, "InvalidResourceNamespace", f"The resource namespace '{g['ns']}' is invalid.")
        return 200, bodies.provider(g["sub"], self._namespaces[g["ns"].lower()], state)

    def _image_key(self, g: dict[str, str]) -> tuple[str, ...]:
        return tuple(g[k].lower() for k in ("loc", "pub", "offer", "sku"))

    def _get_image_versions(self, g: dict[str, str], path: str, query: dict[str, str], url: str) -> Reply:
        found = [b for key, b in self._images.items() if key[:4] == self._image_key(g)]
        if not found:
            return _error(404, "NotFound", "Artifact: VMImage was not found.")
        return 200, [{"location": b["location"], "name": b["name"], "id": b["id"]} for b in found]

    def _get_image_version(self, g: dict[str, str], path: str, query: dict[str, str], url: str) -> Reply:
        body = self._images.get((*self._image_key(g), g["version"].lower()))
        if body is None:
            return _error(404, "NotFound", "Artifact: VMImage was not found.")
        return 200, copy.deepcopy(body)

    def _get_usages(self, g: dict[str, str], path: str, query: dict[str, str], url: str) -> Reply:
        return self._page(self._usages.get((g["sub"].lower(), g["loc"].lower()), []), query, url)

    def _get_skus(self, g: dict[str, str], path: str, query: dict[str, str], url: str) -> Reply:
        flt = query.get("$filter", "")
        match = re.fullmatch(r"\s*location\s+eq\s+'(?P<loc>[^']+)'\s*", flt, re.I)
        if flt and match is None:
            return _error(
                400, "InvalidFilter", f"The filter '{flt}' is not supported. Only location eq '<location>' is."
            )
        loc = match.group("loc").replace(" ", "").lower() if match else None
        found = [s for s in self._skus if loc is None or loc in [x.lower() for x in s["locations"]]]
        return self._page(found, query, url)

    def _get_assignments(self, g: dict[str, str], path: str, query: dict[str, str], url: str) -> Reply:
        scope = g["scope"].rstrip("/").lower()
        flt = query.get("$filter", "")
        principal = _PRINCIPAL_FILTER.search(flt)
        at_scope = "atscope()" in flt.replace(" ", "").lower()
        if flt and principal is None and not at_scope:
            return _error(400, "UnsupportedQuery", f"The filter '{flt}' is not supported.")
        found = []
        for a in self._assignments:
            own = a["properties"]["scope"].rstrip("/").lower()
            above = own == "" or not own.startswith("/subscriptions/") or scope == own or scope.startswith(own + "/")
            below = own.startswith(scope + "/")
            if principal and a["properties"]["principalId"].lower() != principal.group("id").lower():
                continue
            if above or (below and not at_scope):
                found.append(a)
        return self._page(found, query, url)

    def _get_definition(self, g: dict[str, str], path: str, query: dict[str, str], url: str) -> Reply:
        role = self._definitions.get(g["role"].lower())
        if role is None:
            return _error(
                404,
                "RoleDefinitionDoesNotExist",
                "The specified role definition with ID '" + g["role"] + "' does not exist.",
            )
        body = copy.deepcopy(role)
        body["id"] = path.rstrip("/")
        return 200, body

    def _get_resource(self, g: dict[str, str], path: str, query: dict[str, str], url: str) -> Reply:
        parts = path.rstrip("/").split("/")
        nested = len(parts) > 9 and parts[6].lower() == "microsoft.compute" and parts[7].lower() == "galleries"
        if nested and "/".join(parts[:9]).lower() not in self._resources:
            return _error(
                404,
                "ParentResourceNotFound",
                f"Can not perform requested operation on nested resource. Parent resource '{parts[8]}' not found.",
            )
        body = self._resources.get(path.rstrip("/").lower())
        if body is not None:
            return 200, copy.deepcopy(body)
        kind = "/".join(parts[6:8] + parts[9:-1:2])
        return _error(
            404, "ResourceNotFound",
            f"The Resource '{kind}/{'/'.join(parts[8::2])}' under resource group '{g['rg']}' was not found. "
            "For more details please go to https://aka.ms/ARMResourceNotFoundFix",
        )  # fmt: skip
