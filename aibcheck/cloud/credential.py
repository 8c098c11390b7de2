"""The Azure credential: a pipeline's service connection on Azure DevOps, DefaultAzureCredential elsewhere.

The credential object, not a token, goes to the SDK clients: their bearer policy asks for a fresh token
whenever the current one nears expiry, so builds that outlive a token keep working.
"""

from collections.abc import Mapping
from typing import Any

from aibcheck.cloud.network import SIGN_IN_READ_SECONDS, Network, Unreached, host_of
from aibcheck.i18n import t

_PIPELINE_VARIABLES = (
    "AZURESUBSCRIPTION_TENANT_ID",
    "AZURESUBSCRIPTION_CLIENT_ID",
    "AZURESUBSCRIPTION_SERVICE_CONNECTION_ID",
    "SYSTEM_ACCESSTOKEN",
)


def _github_oidc(env: Mapping[str, str], network: Network) -> Any:
    """A function that asks the GitHub runner for a fresh OIDC token each time the credential needs one."""
    import requests
    from azure.core.exceptions import ClientAuthenticationError

    url = env["ACTIONS_ID_TOKEN_REQUEST_URL"]

    def assertion() -> str:
        try:
            response = requests.get(
                url,
                params={"audience": "api://AzureADTokenExchange"},
                headers={"Authorization": f"Bearer {env['ACTIONS_ID_TOKEN_REQUEST_TOKEN']}"},
                timeout=(10, SIGN_IN_READ_SECONDS),
            )
        except requests.RequestException as exc:
            network.unreached_sign_in = Unreached(host_of(url), _requests_kind(exc))
            raise ClientAuthenticationError(t("azure.oidc-unreachable")) from exc
        if response.status_code >= 400:
            raise ClientAuthenticationError(t("azure.oidc-http", status=response.status_code))
        return str(response.json()["value"])

    return assertion


def _requests_kind(exc: Exception) -> str:
    import requests

    if isinstance(exc, requests.Timeout):
        return "no answer in time"
    text = str(exc).lower()
    if "resolve" in text or "name or service" in text:
        return "the host name does not resolve"
    return "connection refused" if "refused" in text else "cannot connect"


def make_credential(env: Mapping[str, str], network: Network) -> Any:
    from azure.identity import AzurePipelinesCredential, ClientAssertionCredential, DefaultAzureCredential

    options = network.credential_options()  # time limits and retries, as for every other request
    if all(env.get(name) for name in _PIPELINE_VARIABLES):
        return AzurePipelinesCredential(
            tenant_id=env["AZURESUBSCRIPTION_TENANT_ID"],
            client_id=env["AZURESUBSCRIPTION_CLIENT_ID"],
            service_connection_id=env["AZURESUBSCRIPTION_SERVICE_CONNECTION_ID"],
            system_access_token=env["SYSTEM_ACCESSTOKEN"],
            **options,
        )
    oidc = ("ACTIONS_ID_TOKEN_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "AZURE_CLIENT_ID", "AZURE_TENANT_ID")
    if all(env.get(name) for name in oidc) and not env.get("AZURE_CLIENT_SECRET"):
        # GitHub OIDC with the step's own client and tenant ids: no secret, and no azure/login step needed.
        assertion = _github_oidc(env, network)
        return ClientAssertionCredential(env["AZURE_TENANT_ID"], env["AZURE_CLIENT_ID"], assertion, **options)
    # Interactive sign-ins would hang a pipeline; everything else (environment, workload identity such as
    # GitHub OIDC after azure/login, managed identity, Azure CLI) stays in the chain.
    return DefaultAzureCredential(exclude_interactive_browser_credential=True, **options)
