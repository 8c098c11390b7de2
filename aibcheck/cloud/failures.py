"""Azure SDK errors in aibcheck's own words: refused, unreachable, passing, or (for the log) unavailable.

Nothing above `cloud/` sees an AzureError: the driver decides on these errors alone.
"""

from azure.core.exceptions import AzureError, ClientAuthenticationError, HttpResponseError

from aibcheck.cloud.network import Network, failure_kind, host_of
from aibcheck.errors import AibcheckError, AzureAccessError, AzureTransient, AzureUnreachable
from aibcheck.i18n import t


def _detail(exc: AzureError) -> str:
    message = getattr(getattr(exc, "error", None), "message", None) or str(exc)
    return message.strip().splitlines()[0][:300] if message.strip() else type(exc).__name__


def _code(exc: HttpResponseError) -> str:
    return str(getattr(getattr(exc, "error", None), "code", "") or "")


def _sign_in(exc: ClientAuthenticationError, network: Network) -> AibcheckError:
    unreached = network.unreached_sign_in
    if unreached is not None:
        kind = _said(unreached.kind)
        return AzureUnreachable(t("azure.sign-in-unreachable", host=unreached.host, kind=kind), t("azure.network.hint"))
    return AzureAccessError(t("azure.no-auth", detail=_detail(exc)), t("azure.no-auth.hint"))


def _said(kind: str) -> str:
    """How a host could not be reached (failure_kind's English words), in the current language."""
    return t(f"azure.reach.{kind.replace(' ', '-')}")


def translate(exc: AzureError, service: str, url: str, network: Network) -> AibcheckError:
    """The error to raise for a failed call to `service` ("Azure Resource Manager") at `url`."""
    if isinstance(exc, ClientAuthenticationError):
        return _sign_in(exc, network)  # the credential failed, or the service did not accept its token
    kind = failure_kind(exc)
    if kind is not None:
        return AzureUnreachable(
            t("azure.unreachable", service=service, host=host_of(url), kind=_said(kind)), t("azure.network.hint")
        )
    if not isinstance(exc, HttpResponseError) or exc.status_code is None:
        return AzureTransient(t("azure.failed", service=service, detail=_detail(exc)))
    status = exc.status_code
    answer = f"HTTP {status}{' ' + _code(exc) if _code(exc) else ''}"
    if status == 429 or status >= 500:
        return AzureTransient(t("azure.answered", service=service, answer=answer, detail=_detail(exc)))
    if status == 403:
        return AzureAccessError(t("azure.refused", detail=_detail(exc)), t("azure.refused.hint"))
    return AzureAccessError(t("azure.refused.other", answer=answer, detail=_detail(exc)))
