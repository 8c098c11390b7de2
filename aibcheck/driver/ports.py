"""What the driver needs from Azure, as a protocol: the cloud adapter implements it, tests may too."""

from typing import Any, Protocol


class ProvisioningFailed(Exception):
    """The service accepted the template but could not provision it; the template says why."""

    def __init__(self, template: dict[str, Any]) -> None:
        super().__init__("provisioning failed")
        self.template = template


class TransientServiceError(Exception):
    """Reading the status failed in a way that usually passes (5xx, a dropped connection), after retries."""


class ImageBuilderPort(Protocol):
    def get(self, group: str, name: str) -> dict[str, Any] | None: ...
    def create(self, group: str, name: str, body: dict[str, Any]) -> dict[str, Any]: ...
    def run(self, group: str, name: str) -> None: ...
    def cancel(self, group: str, name: str) -> None: ...
    def delete(self, group: str, name: str) -> None: ...
    def run_outputs(self, group: str, name: str) -> list[dict[str, Any]]: ...
