"""The Image Builder service through azure-mgmt-imagebuilder, as plain dicts for the driver."""

from dataclasses import dataclass, field
from typing import Any

from azure.core.exceptions import (
    ClientAuthenticationError,
    HttpResponseError,
    ResourceNotFoundError,
    ServiceRequestError,
    ServiceResponseError,
)
from azure.core.pipeline import PipelineRequest
from azure.core.pipeline.policies import SansIOHTTPPolicy
from azure.mgmt.imagebuilder import ImageBuilderClient

from aibcheck.driver.ports import ProvisioningFailed, TransientServiceError
from aibcheck.errors import AzureAccessError
from aibcheck.i18n import t


@dataclass
class RequestCounter(SansIOHTTPPolicy):  # type: ignore[type-arg]
    """Counts every HTTP request the SDK sends, retries and polls included."""

    count: int = 0
    methods: dict[str, int] = field(default_factory=dict)

    def on_request(self, request: PipelineRequest) -> None:  # type: ignore[type-arg]
        self.count += 1
        method = request.http_request.method
        self.methods[method] = self.methods.get(method, 0) + 1


def _access_error(exc: Exception) -> AzureAccessError:
    status = getattr(exc, "status_code", None)
    detail = getattr(getattr(exc, "error", None), "message", None) or str(exc).splitlines()[0]
    if status == 403:
        return AzureAccessError(
            t("azure.refused", detail=detail),
            t("azure.refused.hint"),
        )
    return AzureAccessError(
        t("azure.no-auth", detail=detail),
        t("azure.no-auth.hint"),
    )


class ImageBuilder:
    """The template operations; authentication problems raise AzureAccessError.

    A private CA (Azure Stack) is trusted through REQUESTS_CA_BUNDLE, as for any requests-based client.
    """

    def __init__(self, credential: Any, subscription: str, endpoint: str, polling_seconds: float = 20.0) -> None:
        self.counter = RequestCounter()
        self._client = ImageBuilderClient(
            credential,
            subscription,
            base_url=endpoint,
            polling_interval=polling_seconds,
            # Sovereign clouds and Azure Stack: the token is for the ARM endpoint actually used.
            credential_scopes=[f"{endpoint.rstrip('/')}/.default"],
            per_call_policies=[self.counter],
        )
        self._templates = self._client.virtual_machine_image_templates

    def _call(self, function: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return function(*args, **kwargs)
        except ClientAuthenticationError as exc:
            raise _access_error(exc) from exc
        except HttpResponseError as exc:
            if exc.status_code == 403:
                raise _access_error(exc) from exc
            raise

    def get(self, group: str, name: str) -> dict[str, Any] | None:
        try:
            return dict(self._call(self._templates.get, group, name).as_dict())
        except ResourceNotFoundError:
            return None
        except (ServiceRequestError, ServiceResponseError) as exc:
            raise TransientServiceError(f"no answer: {str(exc).splitlines()[0]}") from exc
        except HttpResponseError as exc:
            if exc.status_code is not None and (exc.status_code >= 500 or exc.status_code == 429):
                raise TransientServiceError(
                    f"HTTP {exc.status_code} {getattr(exc.error, 'code', '') or ''}".strip()
                ) from exc
            raise

    def create(self, group: str, name: str, body: dict[str, Any]) -> dict[str, Any]:
        """PUT the template and wait for provisioning; ProvisioningFailed carries the template's own account."""
        poller = self._call(self._templates.begin_create_or_update, group, name, body)
        try:
            return dict(self._call(poller.result).as_dict())
        except HttpResponseError as exc:
            template = self.get(group, name)
            if template is not None and template.get("properties", {}).get("provisioningState") == "Failed":
                raise ProvisioningFailed(template) from exc
            raise

    def run(self, group: str, name: str) -> None:
        """Start a run; the driver watches lastRunStatus itself rather than block on the operation."""
        self._call(self._templates.begin_run, group, name, polling=False)

    def cancel(self, group: str, name: str) -> None:
        self._call(self._templates.begin_cancel, group, name, polling=False)

    def delete(self, group: str, name: str) -> None:
        self._call(self._call(self._templates.begin_delete, group, name).result)

    def run_outputs(self, group: str, name: str) -> list[dict[str, Any]]:
        return [dict(o.as_dict()) for o in self._call(lambda: list(self._templates.list_run_outputs(group, name)))]
