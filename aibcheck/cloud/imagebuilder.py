"""The Image Builder service through azure-mgmt-imagebuilder, as plain dicts for the driver (ImageBuilderPort).

Every failure leaves here as one of aibcheck's errors (see cloud.failures). A private CA (Azure Stack) is trusted
through REQUESTS_CA_BUNDLE, as for any requests-based client.
"""

from collections.abc import Callable
from typing import Any, TypeVar

from azure.core.exceptions import AzureError, HttpResponseError, ResourceNotFoundError
from azure.mgmt.imagebuilder import ImageBuilderClient

from aibcheck.cloud.clouds import CloudEndpoints
from aibcheck.cloud.failures import translate
from aibcheck.cloud.network import Network
from aibcheck.driver.ports import ProvisioningFailed
from aibcheck.i18n import t

T = TypeVar("T")


class ImageBuilder:
    def __init__(
        self, credential: Any, subscription: str, cloud: CloudEndpoints, network: Network, polling_seconds: float = 20.0
    ) -> None:
        self._endpoint, self._network = cloud.arm, network
        self._client = ImageBuilderClient(
            credential,
            subscription,
            base_url=cloud.arm,
            polling_interval=polling_seconds,
            # National clouds and Azure Stack: the token is for the audience the cloud's ARM accepts.
            credential_scopes=[cloud.arm_scope],
            **network.arm_options(),
        )
        self._templates = self._client.virtual_machine_image_templates

    def _call(self, function: Callable[[], T]) -> T:
        try:
            return function()
        except AzureError as exc:
            raise translate(exc, t("azure.arm"), self._endpoint, self._network) from exc

    def get(self, group: str, name: str) -> dict[str, Any] | None:
        return self._get(group, name)

    def read_status(self, group: str, name: str) -> dict[str, Any] | None:
        """A status read for the watch: one quick retry, as the watch retries on its own schedule."""
        return self._get(group, name, retry_total=1)

    def _get(self, group: str, name: str, **options: Any) -> dict[str, Any] | None:
        try:
            return dict(self._templates.get(group, name, **options).as_dict())
        except ResourceNotFoundError:
            return None
        except AzureError as exc:
            raise translate(exc, t("azure.arm"), self._endpoint, self._network) from exc

    def create(self, group: str, name: str, body: dict[str, Any]) -> dict[str, Any]:
        """PUT the template and wait for provisioning; ProvisioningFailed carries the template's own account."""
        poller = self._call(lambda: self._templates.begin_create_or_update(group, name, body))
        try:
            return dict(poller.result().as_dict())
        except HttpResponseError as exc:
            template = self.get(group, name)
            if template is not None and template.get("properties", {}).get("provisioningState") == "Failed":
                raise ProvisioningFailed(template) from exc
            raise translate(exc, t("azure.arm"), self._endpoint, self._network) from exc
        except AzureError as exc:
            raise translate(exc, t("azure.arm"), self._endpoint, self._network) from exc

    def run(self, group: str, name: str) -> None:
        """Start a run; the driver watches lastRunStatus itself rather than block on the operation."""
        self._call(lambda: self._templates.begin_run(group, name, polling=False))

    def cancel(self, group: str, name: str) -> None:
        self._call(lambda: self._templates.begin_cancel(group, name, polling=False))

    def delete(self, group: str, name: str) -> None:
        self._call(lambda: self._templates.begin_delete(group, name).result())

    def run_outputs(self, group: str, name: str) -> list[dict[str, Any]]:
        return [dict(o.as_dict()) for o in self._call(lambda: list(self._templates.list_run_outputs(group, name)))]
