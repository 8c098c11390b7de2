"""Read-only ARM requests for preflight, through the Azure SDK's ARM pipeline (authentication, retries on
429 and 5xx, the request counter) with `send_request`, so that any resource type can be read without one
SDK package per resource provider. Implements aibcheck.preflight.ports.SubscriptionReader."""

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import requests
from azure.core.exceptions import AzureError
from azure.core.rest import HttpRequest
from azure.mgmt.imagebuilder import ImageBuilderClient

from aibcheck.cloud.clouds import CloudEndpoints
from aibcheck.cloud.failures import translate
from aibcheck.cloud.network import Network
from aibcheck.errors import AzureAccessError
from aibcheck.i18n import t
from aibcheck.preflight.model import quote as quoted
from aibcheck.preflight.ports import ReadRefused

PROVIDERS_API = "2021-04-01"
COMPUTE_API = "2024-07-01"
SKUS_API = "2021-07-01"
AUTHORIZATION_API = "2022-04-01"
# api-version by resource type (lower case, the longest prefix of "<namespace>/<type>" wins).
RESOURCE_APIS = {
    "microsoft.compute/galleries": "2023-07-03",
    "microsoft.compute/images": COMPUTE_API,
    "microsoft.managedidentity/userassignedidentities": "2023-01-31",
    "microsoft.authorization/roledefinitions": AUTHORIZATION_API,
    "microsoft.virtualmachineimages/imagetemplates": "2025-10-01",
    "microsoft.network/virtualnetworks": "2024-05-01",
    "resourcegroups": PROVIDERS_API,
    "": PROVIDERS_API,  # a subscription
}
MAX_PAGES = 20


def api_version(resource_id: str) -> str:
    lowered = resource_id.lower().rstrip("/")
    if not lowered.startswith(("/subscriptions/", "/providers/")):
        raise ReadRefused(t("preflight.not-a-resource-id", id=quoted(resource_id)))
    if "/providers/" in lowered:
        kind = "/".join(lowered.rsplit("/providers/", 1)[1].split("/")[:2])  # <namespace>/<top-level type>
    else:
        kind = "resourcegroups" if "/resourcegroups/" in lowered else ""
    if kind not in RESOURCE_APIS:
        raise ReadRefused(t("preflight.unknown-type", kind=kind or t("preflight.a-resource"), id=resource_id))
    return RESOURCE_APIS[kind]


class ArmSubscription:
    """SubscriptionReader over the cloud's ARM, for `subscription`, with any azure-identity credential."""

    def __init__(
        self, credential: Any, subscription: str, cloud: CloudEndpoints, network: Network | None = None
    ) -> None:
        self.subscription = subscription
        self.endpoint = cloud.arm
        self.network = network or Network()
        self._client = ImageBuilderClient(
            credential,
            subscription,
            base_url=self.endpoint,
            credential_scopes=[cloud.arm_scope],
            **self.network.arm_options(),
        )

    @property
    def requests(self) -> int:
        return int(self.network.arm.count)

    def _send(self, url: str, params: dict[str, str] | None = None) -> Any:
        """The JSON of a GET, None for 404; AzureAccessError when Azure cannot be reached or refuses who we are."""
        try:
            response = self._client.send_request(HttpRequest("GET", url, params=params))
        except AzureError as exc:
            raise translate(exc, t("azure.arm"), self.endpoint, self.network) from exc
        if response.status_code == 404:
            return None
        if response.status_code == 401:
            raise AzureAccessError(t("preflight.401", detail=_error(response)), t("preflight.401.hint"))
        if response.status_code >= 300:
            raise ReadRefused(f"HTTP {response.status_code} {_error(response)}")
        return response.json()

    def _list(self, url: str, params: dict[str, str]) -> list[dict[str, Any]]:
        body = self._send(url, params)
        values = list((body or {}).get("value") or [])
        for _ in range(MAX_PAGES):
            link = (body or {}).get("nextLink")
            if not link:
                break
            body = self._send(link)
            values += list((body or {}).get("value") or [])
        return [v for v in values if isinstance(v, dict)]

    def _subscription_url(self, subscription: str | None = None) -> str:
        return f"{self.endpoint}/subscriptions/{quote(subscription or self.subscription)}"

    def providers(self) -> dict[str, str]:
        found = self._list(f"{self._subscription_url()}/providers", {"api-version": PROVIDERS_API})
        return {str(p.get("namespace", "")).lower(): str(p.get("registrationState", "")) for p in found}

    def get(self, resource_id: str) -> dict[str, Any] | None:
        body = self._send(self.endpoint + quote(resource_id), {"api-version": api_version(resource_id)})
        return body if isinstance(body, dict) else None

    def _image_url(self, location: str, publisher: str, offer: str, sku: str) -> str:
        parts = [quote(p, safe="") for p in (location, publisher, offer, sku)]
        return (
            f"{self._subscription_url()}/providers/Microsoft.Compute/locations/{parts[0]}/publishers/{parts[1]}"
            f"/artifacttypes/vmimage/offers/{parts[2]}/skus/{parts[3]}/versions"
        )

    def image_versions(self, location: str, publisher: str, offer: str, sku: str) -> list[str] | None:
        body = self._send(self._image_url(location, publisher, offer, sku), {"api-version": COMPUTE_API})
        return None if body is None else [str(v.get("name")) for v in body if isinstance(v, dict) and v.get("name")]

    def image_version(self, location: str, publisher: str, offer: str, sku: str, version: str) -> dict[str, Any] | None:
        url = f"{self._image_url(location, publisher, offer, sku)}/{quote(version, safe='')}"
        body = self._send(url, {"api-version": COMPUTE_API})
        return body if isinstance(body, dict) else None

    def role_assignments(self, subscription: str, principal_id: str) -> list[dict[str, Any]]:
        url = f"{self._subscription_url(subscription)}/providers/Microsoft.Authorization/roleAssignments"
        params = {"api-version": AUTHORIZATION_API, "$filter": f"principalId eq '{principal_id}'"}
        return self._list(url, params)

    def resource_skus(self, location: str) -> list[dict[str, Any]]:
        url = f"{self._subscription_url()}/providers/Microsoft.Compute/skus"
        return self._list(url, {"api-version": SKUS_API, "$filter": f"location eq '{location}'"})

    def usages(self, location: str) -> list[dict[str, Any]]:
        url = f"{self._subscription_url()}/providers/Microsoft.Compute/locations/{quote(location, safe='')}/usages"
        return self._list(url, {"api-version": COMPUTE_API})

    def content_length(self, url: str) -> int | None:
        try:
            response = requests.head(url, allow_redirects=True, timeout=15)
        except requests.RequestException:
            return None
        length = response.headers.get("Content-Length", "")
        return int(length) if response.ok and length.isdigit() else None


def connect(
    subscription: str, cloud: CloudEndpoints, env: Mapping[str, str], network: Network | None = None
) -> ArmSubscription:
    """The reader for `subscription` with the pipeline's (or the developer's) credential."""
    from aibcheck.cloud.credential import make_credential

    network = network or Network()
    return ArmSubscription(make_credential(env, network, cloud), subscription, cloud, network)


def _error(response: Any) -> str:
    try:
        error = response.json().get("error") or {}
        return f"{error.get('code', '')}: {error.get('message', '')}".strip(": ")
    except (ValueError, AttributeError):
        return response.text()[:200] if hasattr(response, "text") else ""
