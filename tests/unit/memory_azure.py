"""Image Builder and the log store in memory, on a scripted clock: the driver's ports without a network.

`InMemoryAzure` implements ImageBuilderPort and LogStorePort. A run goes through `states`, one per status read,
then ends with `outcome`; its log is `log`. `stop_in` names a method (or "sleep", or "clock" when the test's
clock goes through `_enter`) that raises `stop_with` on its `stop_after`-th call, once, as a signal would where
the program is; "stopped" is then recorded in `calls`.
"""

from collections.abc import Iterator
from typing import Any

from aibcheck.driver.deadline import Stopped
from aibcheck.driver.ports import ProvisioningFailed
from aibcheck.logs.location import LogLocation

SUB, GROUP = "0000-sub", "rg-images"
STAGING = f"/subscriptions/{SUB}/resourceGroups/IT_rg-images_web_1234"
IMAGE = f"/subscriptions/{SUB}/resourceGroups/{GROUP}/providers/Microsoft.Compute/images/web"


class InMemoryAzure:
    def __init__(self, states: list[tuple[str, str]], outcome: str = "Succeeded", log: bytes = b"") -> None:
        self.states, self.outcome, self.log = list(states), outcome, log
        self.now = 0.0
        self.templates: dict[str, dict[str, Any]] = {}
        self.calls: list[str] = []
        self.secrets: list[str] = []
        self.refuse_provisioning = False
        self.failing: dict[str, Exception] = {}  # method -> error raised on every call
        self.stop_in: str | None = None
        self.stop_after = 1
        self.stop_with = Stopped("the pipeline sent SIGINT", 2)
        self._counts: dict[str, int] = {}
        self._position: dict[str, int] = {}
        self._cancelled: dict[str, int] = {}

    # -- the scripted clock and sleep ------------------------------------------------------------------------
    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self._enter("sleep")
        self.now += seconds

    def _enter(self, method: str) -> None:
        self.calls.append(method)
        self._counts[method] = self._counts.get(method, 0) + 1
        if method == self.stop_in and self._counts[method] == self.stop_after:
            self.stop_in = None  # a signal stops once: the second one ends the process
            self.calls.append("stopped")
            raise self.stop_with
        if method in self.failing:
            raise self.failing[method]

    # -- ImageBuilderPort ------------------------------------------------------------------------------------
    def get(self, group: str, name: str) -> dict[str, Any] | None:
        self._enter("get")
        template = self.templates.get(name)
        if template is not None and name in self._cancelled:
            self._cancelling(template, name)
        return template

    def _cancelling(self, template: dict[str, Any], name: str) -> None:
        """A cancelled run shows Canceling at the next read, then Canceled."""
        self._cancelled[name] += 1
        state = "Canceling" if self._cancelled[name] == 1 else "Canceled"
        template["properties"]["lastRunStatus"] = {"runState": state, "message": ""}

    def read_status(self, group: str, name: str) -> dict[str, Any] | None:
        self._enter("read_status")
        template = self.templates.get(name)
        if template is None:
            return None
        if name in self._cancelled:
            self._cancelling(template, name)
            return template
        position = self._position.get(name, 0)
        self._position[name] = position + 1
        if position < len(self.states):
            state, sub = self.states[position]
            template["properties"]["lastRunStatus"] = {"runState": state, "runSubState": sub, "message": ""}
        else:
            template["properties"]["lastRunStatus"] = {"runState": self.outcome, "message": self._end_message()}
        return template

    def _end_message(self) -> str:
        if self.outcome != "Failed":
            return ""
        return (
            "Packer build command has failed. Image Build log location: "
            "https://acct.blob.core.windows.net/packerlogs/run-1/customization.log. OperationId: 1."
        )

    def create(self, group: str, name: str, body: dict[str, Any]) -> dict[str, Any]:
        self._enter("create")
        template = {"id": f"/subscriptions/{SUB}/resourceGroups/{group}/providers/x/imageTemplates/{name}", **body}
        template["properties"] = {**body.get("properties", {}), "exactStagingResourceGroup": STAGING}
        self.templates[name] = template
        if self.refuse_provisioning:
            template["properties"]["provisioningState"] = "Failed"
            template["properties"]["provisioningError"] = {"provisioningErrorCode": "BadSourceType", "message": "no"}
            raise ProvisioningFailed(template)
        return template

    def run(self, group: str, name: str) -> None:
        self._enter("run")
        self.templates[name]["properties"]["lastRunStatus"] = {"runState": "Running", "runSubState": "Queued"}

    def cancel(self, group: str, name: str) -> None:
        self._enter("cancel")
        self._cancelled[name] = 0

    def delete(self, group: str, name: str) -> None:
        self._enter("delete")
        self.templates.pop(name, None)

    def run_outputs(self, group: str, name: str) -> list[dict[str, Any]]:
        self._enter("run_outputs")
        return [{"name": "web", "properties": {"artifactId": IMAGE}}]

    # -- LogStorePort ----------------------------------------------------------------------------------------
    def locate(self, found: LogLocation | None, staging_group: str | None, run: str | None = None) -> LogLocation:
        self._enter("locate")
        return LogLocation("acct", "run-1/customization.log", "https://acct.blob.core.windows.net/", staging_group)

    def staging_group_by_tags(self, template: str, template_group: str) -> str | None:
        return None

    def size(self, location: LogLocation) -> int:
        self._enter("size")
        return len(self.log) if location.blob and location.blob.endswith("customization.log") else 0

    def chunks(self, location: LogLocation, offset: int = 0, length: int | None = None) -> Iterator[bytes]:
        self._enter("chunks")
        data = self.log if location.blob and location.blob.endswith("customization.log") else b""
        end = len(data) if length is None else offset + length
        for start in range(offset, end, 4096):
            yield data[start : min(end, start + 4096)]
