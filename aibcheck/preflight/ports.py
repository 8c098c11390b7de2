"""What the online checks read from Azure: a small read-only port. `aibcheck.cloud.subscription` implements
it with the Azure SDK's ARM pipeline; tests use the same adapter against the local fake ARM."""

from typing import Any, Protocol


class ReadRefused(Exception):
    """One read failed in a way that concerns only that check (403, an unexpected answer): it is skipped."""


class SubscriptionReader(Protocol):
    """Read-only views of one subscription. Every method sends at most one ARM request, except as noted.

    Missing resources are None, not errors. Authentication and connection failures raise
    aibcheck.errors.AzureAccessError (exit 3); a refused or failed single read raises ReadRefused.
    """

    subscription: str

    @property
    def requests(self) -> int:
        """ARM requests sent so far (retries included)."""
        ...

    def providers(self) -> dict[str, str]:
        """Resource provider namespace (lower case) -> registrationState."""
        ...

    def get(self, resource_id: str) -> dict[str, Any] | None:
        """Any ARM resource by id (galleries, images, identities, role definitions, templates, groups...)."""
        ...

    def image_versions(self, location: str, publisher: str, offer: str, sku: str) -> list[str] | None:
        """The Marketplace image's versions in a location; None when the publisher, offer or SKU is unknown."""
        ...

    def image_version(
        self, location: str, publisher: str, offer: str, sku: str, version: str
    ) -> dict[str, Any] | None: ...

    def role_assignments(self, subscription: str, principal_id: str) -> list[dict[str, Any]]:
        """The principal's role assignments at, above and below the subscription's scope."""
        ...

    def resource_skus(self, location: str) -> list[dict[str, Any]]:
        """The Compute resource SKUs offered in a location, restrictions and capabilities included."""
        ...

    def usages(self, location: str) -> list[dict[str, Any]]:
        """Compute usages and limits (vCPUs per family, total regional vCPUs) in a location."""
        ...

    def content_length(self, url: str) -> int | None:
        """The size a HEAD request reports for a URL (not an ARM request), else None."""
        ...
