"""Which Azure cloud aibcheck talks to: its Resource Manager, sign-in authority, token audience and storage suffix.

The named clouds are data here, so that naming one costs no request. An explicit ARM endpoint wins over a name:
it is the endpoint of a named cloud (then that cloud's data), or aibcheck reads what that ARM publishes about
itself (`GET <endpoint>/metadata/endpoints`: one request, with the time limits of every ARM request), so that an
Azure Stack Hub or a private cloud whose token audience is not its URL needs nothing else. AzureStack and the
closed AzureGermanCloud have no data of their own: they need the endpoint.
"""

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from aibcheck.errors import AzureAccessError, InputError
from aibcheck.i18n import t
from aibcheck.logs.location import PUBLIC_STORAGE_SUFFIX

if TYPE_CHECKING:  # the settings read the names below without loading the Azure SDK
    from aibcheck.cloud.network import Network

METADATA_API = "2022-09-01"
# The token audience that reaches every storage account of the public cloud. Elsewhere the account's own blob
# endpoint is asked for: https://storage.azure.cn and https://storage.azure.us are not storage audiences, and the
# account's endpoint is the one audience every cloud's storage documents.
PUBLIC_STORAGE_AUDIENCE = "https://storage.azure.com"
# Sign-in hosts that Entra ID's instance discovery knows; any other authority is one the user's ARM named.
WELL_KNOWN_AUTHORITIES = frozenset(
    {
        "login.microsoftonline.com", "login.windows.net", "login.microsoft.com", "sts.windows.net",
        "login.chinacloudapi.cn", "login.partner.microsoftonline.cn",
        "login.microsoftonline.us", "login.usgovcloudapi.net", "login-us.microsoftonline.com",
    }
)  # fmt: skip


@dataclass(frozen=True)
class CloudEndpoints:
    name: str
    arm: str  # "https://management.chinacloudapi.cn", no trailing slash
    authority: str  # "https://login.chinacloudapi.cn"
    arm_audience: str  # what ARM tokens are for; not always the ARM URL (US Government, Azure Stack Hub)
    storage_suffix: str  # "core.chinacloudapi.cn"; "" when the cloud's metadata did not give one

    @property
    def arm_scope(self) -> str:
        return f"{self.arm_audience.rstrip('/')}/.default"

    def storage_audience(self, blob_endpoint: str) -> str:
        """The audience of storage tokens for the account at `blob_endpoint`."""
        if self.storage_suffix == PUBLIC_STORAGE_SUFFIX:
            return PUBLIC_STORAGE_AUDIENCE
        parts = urlsplit(blob_endpoint)
        return f"{parts.scheme}://{parts.netloc}"


AZURE_CLOUD = CloudEndpoints(
    "AzureCloud", "https://management.azure.com", "https://login.microsoftonline.com",
    "https://management.azure.com", PUBLIC_STORAGE_SUFFIX,
)  # fmt: skip
NAMED = {
    cloud.name: cloud
    for cloud in (
        AZURE_CLOUD,
        CloudEndpoints(
            "AzureChinaCloud", "https://management.chinacloudapi.cn", "https://login.chinacloudapi.cn",
            "https://management.chinacloudapi.cn", "core.chinacloudapi.cn",
        ),
        CloudEndpoints(
            "AzureUSGovernment", "https://management.usgovcloudapi.net", "https://login.microsoftonline.us",
            "https://management.core.usgovcloudapi.net", "core.usgovcloudapi.net",
        ),
    )
}  # fmt: skip
# What --cloud accepts: the named clouds, and the names an Azure DevOps service connection may carry besides.
CLOUD_NAMES = (*NAMED, "AzureStack", "AzureGermanCloud")


def resolve(cloud_name: str | None, arm_endpoint: str | None, network: "Network") -> CloudEndpoints:
    """The cloud of one command: the endpoint's when one is given, else the named cloud's (AzureCloud by default)."""
    if arm_endpoint:
        endpoint = arm_endpoint.rstrip("/")
        known = [cloud for cloud in NAMED.values() if _host(cloud.arm) == _host(endpoint)]
        return known[0] if known else from_metadata(endpoint, network)
    name = cloud_name or AZURE_CLOUD.name
    if name in NAMED:
        return NAMED[name]
    closed = t("cloud.germany-closed") if name == "AzureGermanCloud" else ""
    raise InputError(
        t("cloud.needs-endpoint", name=name, closed=closed), t("cloud.needs-endpoint.hint"), input_name="arm-endpoint"
    )


def from_metadata(endpoint: str, network: "Network") -> CloudEndpoints:
    """The cloud that the ARM at `endpoint` describes; the endpoint itself stays the ARM aibcheck talks to."""
    body = _read_metadata(endpoint, network)
    authentication = _object(body.get("authentication"))
    audiences = authentication.get("audiences")
    audience = _text(audiences[0]) if isinstance(audiences, list) and audiences else ""
    if not audience:
        raise _unusable(endpoint, t("cloud.no-audience"))
    login = _text(authentication.get("loginEndpoint"))
    if urlsplit(login).scheme != "https" or not urlsplit(login).netloc:
        raise _unusable(endpoint, t("cloud.no-login"))
    suffix = _text(_object(body.get("suffixes")).get("storage")).strip(".")
    return CloudEndpoints(_text(body.get("name")) or _host(endpoint), endpoint, _host(login), audience, suffix)


def _object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _read_metadata(endpoint: str, network: "Network") -> dict[str, Any]:
    """GET <endpoint>/metadata/endpoints: unauthenticated, counted and retried like every ARM request."""
    from azure.core import PipelineClient
    from azure.core.exceptions import AzureError
    from azure.core.pipeline.policies import HeadersPolicy, ProxyPolicy, RetryPolicy, UserAgentPolicy
    from azure.core.pipeline.transport import RequestsTransport
    from azure.core.rest import HttpRequest

    from aibcheck.cloud.failures import translate
    from aibcheck.cloud.network import ARM_CALL_SECONDS, ARM_READ_RETRIES, ARM_READ_SECONDS, CONNECT_SECONDS

    policies = [
        HeadersPolicy({"Accept": "application/json"}),
        UserAgentPolicy(sdk_moniker="aibcheck"),
        ProxyPolicy(),
        RetryPolicy(retry_read=ARM_READ_RETRIES, timeout=ARM_CALL_SECONDS),
        network.arm.policy(),
    ]
    transport = RequestsTransport(connection_timeout=CONNECT_SECONDS, read_timeout=ARM_READ_SECONDS)
    request = HttpRequest("GET", f"{endpoint}/metadata/endpoints", params={"api-version": METADATA_API})
    try:
        client: PipelineClient[HttpRequest, Any] = PipelineClient(endpoint, policies=policies, transport=transport)
        with client:
            response = client.send_request(request)
            response.read()
    except AzureError as exc:
        raise translate(exc, t("azure.arm"), endpoint, network) from exc
    if response.status_code != 200:
        raise _unusable(endpoint, f"HTTP {response.status_code}")
    try:
        body = response.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise _unusable(endpoint, t("cloud.no-json"))
    return body


def _unusable(endpoint: str, what: str) -> AzureAccessError:
    return AzureAccessError(
        t("cloud.undescribed", service=t("azure.arm"), host=_host(endpoint), what=what), t("cloud.undescribed.hint")
    )


def _host(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def is_well_known_authority(authority: str) -> bool:
    host = urlsplit(authority if "://" in authority else f"https://{authority}").hostname or ""
    return host.lower() in WELL_KNOWN_AUTHORITIES


def describe(cloud: CloudEndpoints) -> str:
    """One line naming where aibcheck goes, for the log of a command outside the public cloud."""
    storage = t("cloud.line.storage", suffix=cloud.storage_suffix) if cloud.storage_suffix else ""
    return t("cloud.line", name=cloud.name, arm=cloud.arm, authority=cloud.authority, storage=storage)
