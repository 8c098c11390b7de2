"""Where a build's customization.log is, from the service's own words or from the template."""

import re
from dataclasses import dataclass

CONTAINER = "packerlogs"
PUBLIC_STORAGE_SUFFIX = "core.windows.net"
BLOB_READER = "Storage Blob Data Reader"  # the role that reads the log
LOG_NAME = "customization.log"
VALIDATION_LOG = "validation.log"  # written beside it when the template has validators

# A sentence may end right after the log's name, in English or in Chinese ("customization.log。OperationId：").
_CHINESE_END = "。，；）"
# "Image Build log location: https://<account>.blob.core.windows.net/packerlogs/<run>/customization.log."
_URL_FORM = re.compile(
    r"https?://(?P<account>[a-z0-9]{3,24})\.blob\.(?P<suffix>[^/\s]+)/packerlogs/"
    rf"(?P<blob>[^\s?{_CHINESE_END}]+?\.log)(?=[.,;]?(?:\s|$|\?)|[{_CHINESE_END}])"
)
# "Packer build logs are at location /subscriptions/.../resourceGroups/<IT_...>/providers/Microsoft.Storage/
#  storageAccounts/<account>/blobServices/default/containers/packerlogs/<run>/customization.log."
_PATH_FORM = re.compile(
    r"(?P<group>/subscriptions/[^/\s]+/resourceGroups/[^/\s]+)/providers/Microsoft\.Storage/storageAccounts/"
    r"(?P<account>[a-z0-9]{3,24})/blobServices/default/containers/packerlogs/"
    rf"(?P<blob>[^\s{_CHINESE_END}]+?\.log)(?=[.,;]?(?:\s|$)|[{_CHINESE_END}])",
    re.IGNORECASE,
)


def blob_endpoint(account: str, storage_suffix: str) -> str:
    """An account's blob endpoint in the cloud whose storage suffix is given ("core.chinacloudapi.cn")."""
    return f"https://{account}.blob.{storage_suffix}/"


@dataclass(frozen=True)
class LogLocation:
    account: str
    blob: str | None = None  # "<run>/customization.log"; None until the newest run is looked up
    blob_endpoint: str | None = None  # "https://<account>.blob.core.windows.net/", as ARM or the message gives it
    staging_group: str | None = None  # resource id of the IT_ group, when known
    storage_suffix: str = PUBLIC_STORAGE_SUFFIX  # the cloud's, for an endpoint nobody gave

    @property
    def url(self) -> str:
        endpoint = self.blob_endpoint or blob_endpoint(self.account, self.storage_suffix)
        return f"{endpoint.rstrip('/')}/{CONTAINER}/{self.blob or ''}"

    @property
    def run(self) -> str | None:
        return self.blob.split("/", 1)[0] if self.blob and "/" in self.blob else None


def from_message(message: str) -> LogLocation | None:
    """The log named in a lastRunStatus message or an operation error, in either of its two forms."""
    url = _URL_FORM.search(message)
    if url:
        return LogLocation(url["account"], url["blob"], f"https://{url['account']}.blob.{url['suffix']}/")
    path = _PATH_FORM.search(message)
    if path:
        return LogLocation(path["account"], path["blob"], None, path["group"])
    return None
