"""What the driver needs from Azure, as protocols: the cloud adapters implement them, tests may too.

Implementations raise only aibcheck's own errors: AzureAccessError (refused), AzureUnreachable, AzureTransient
(a passing service error that outlasted the retries) and LogUnavailable, plus ProvisioningFailed below.
"""

from collections.abc import Iterator
from typing import Any, Protocol

from aibcheck.logs.location import LogLocation


class ProvisioningFailed(Exception):
    """The service accepted the template but could not provision it; the template says why."""

    def __init__(self, template: dict[str, Any]) -> None:
        super().__init__("provisioning failed")
        self.template = template


class ImageBuilderPort(Protocol):
    def get(self, group: str, name: str) -> dict[str, Any] | None: ...
    def read_status(self, group: str, name: str) -> dict[str, Any] | None: ...
    def create(self, group: str, name: str, body: dict[str, Any]) -> dict[str, Any]: ...
    def run(self, group: str, name: str) -> None: ...
    def cancel(self, group: str, name: str) -> None: ...
    def delete(self, group: str, name: str) -> None: ...
    def run_outputs(self, group: str, name: str) -> list[dict[str, Any]]: ...


class LogStorePort(Protocol):
    @property
    def secrets(self) -> list[str]: ...  # account keys it had to use, for the pipeline to mask
    def locate(self, found: LogLocation | None, staging_group: str | None, run: str | None = None) -> LogLocation: ...
    def staging_group_by_tags(self, template: str, template_group: str) -> str | None: ...
    def size(self, location: LogLocation) -> int: ...
    def chunks(self, location: LogLocation, offset: int = 0, length: int | None = None) -> Iterator[bytes]: ...
