"""Azure SDK errors in aibcheck's own words: refused, unreachable, passing, or (for the log) unavailable.

Nothing above `cloud/` sees an AzureError: the driver decides on these errors alone.
"""

from azure.core.exceptions import AzureError, ClientAuthenticationError, HttpResponseError

from aibcheck.cloud.network import Network, failure_kind, host_of
from aibcheck.errors import AibcheckError, AzureAccessError, AzureTransient, AzureUnreachable

SIGN_IN_HINT = (
    "sign in (azure/login, az login), or set AZURE_CLIENT_ID, AZURE_TENANT_ID and a secret or federated token"
)
NETWORK_HINT = "check the address, this machine's network, its proxy (HTTPS_PROXY, NO_PROXY) and firewall"


def _detail(exc: AzureError) -> str:
    message = getattr(getattr(exc, "error", None), "message", None) or str(exc)
    return message.strip().splitlines()[0][:300] if message.strip() else type(exc).__name__


def _code(exc: HttpResponseError) -> str:
    return str(getattr(getattr(exc, "error", None), "code", "") or "")


def _sign_in(exc: ClientAuthenticationError, network: Network) -> AibcheckError:
    unreached = network.unreached_sign_in
    if unreached is not None:
        return AzureUnreachable(f"cannot reach the sign-in endpoint {unreached.host} ({unreached.kind})", NETWORK_HINT)
    return AzureAccessError(f"cannot authenticate to Azure: {_detail(exc)}", SIGN_IN_HINT)


def translate(exc: AzureError, service: str, url: str, network: Network) -> AibcheckError:
    """The error to raise for a failed call to `service` ("Azure Resource Manager") at `url`."""
    if isinstance(exc, ClientAuthenticationError):
        return _sign_in(exc, network)  # the credential failed, or the service did not accept its token
    kind = failure_kind(exc)
    if kind is not None:
        return AzureUnreachable(f"cannot reach {service} at {host_of(url)} ({kind})", NETWORK_HINT)
    if not isinstance(exc, HttpResponseError) or exc.status_code is None:
        return AzureTransient(f"{service} failed: {_detail(exc)}")
    status = exc.status_code
    answer = f"HTTP {status}{' ' + _code(exc) if _code(exc) else ''}"
    if status == 429 or status >= 500:
        return AzureTransient(f"{service} answered {answer}: {_detail(exc)}")
    if status == 403:
        return AzureAccessError(
            f"Azure refused the request (403): {_detail(exc)}",
            "the identity aibcheck runs as needs a role on the template's resource group, e.g. Contributor",
        )
    return AzureAccessError(f"Azure refused the request ({answer}): {_detail(exc)}")
