"""The Azure credential: a pipeline's service connection on Azure DevOps, DefaultAzureCredential elsewhere, each
signing in at the cloud's own authority.

The credential object, not a token, goes to the SDK clients: their bearer policy asks for a fresh token
whenever the current one nears expiry, so builds that outlive a token keep working.
"""

from collections.abc import Mapping
from typing import Any

from aibcheck.cloud.clouds import CloudEndpoints, is_well_known_authority
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


def sign_in_options(env: Mapping[str, str], cloud: CloudEndpoints) -> dict[str, Any]:
    """Where Entra ID credentials sign in: AZURE_AUTHORITY_HOST when set (the task sets it from its connection),
    else the cloud's authority; instance discovery, which only knows Microsoft's own hosts, is off for any other."""
    authority = env.get("AZURE_AUTHORITY_HOST", "").strip() or cloud.authority
    options: dict[str, Any] = {"authority": authority}
    if not is_well_known_authority(authority):
        options["disable_instance_discovery"] = True
    return options


def make_credential(env: Mapping[str, str], network: Network, cloud: CloudEndpoints) -> Any:
    from azure.identity import AzurePipelinesCredential, DefaultAzureCredential

    # Time limits and retries as for every other request, and the cloud's sign-in authority for every path
    # (a managed identity has none to choose: it lives in one cloud).
    options = {**network.credential_options(), **sign_in_options(env, cloud)}
    if all(env.get(name) for name in _PIPELINE_VARIABLES):
        return AzurePipelinesCredential(
            tenant_id=env["AZURESUBSCRIPTION_TENANT_ID"],
            client_id=env["AZURESUBSCRIPTION_CLIENT_ID"],
            service_connection_id=env["AZURESUBSCRIPTION_SERVICE_CONNECTION_ID"],
            system_access_token=env["SYSTEM_ACCESSTOKEN"],
            **options,
        )
    federated = _federated(env, network, options)
    if federated is not None:
        return federated
    # Interactive sign-ins would hang a pipeline; everything else (environment, managed identity, Azure CLI)
    # stays in the chain.
    return DefaultAzureCredential(exclude_interactive_browser_credential=True, **options)


def _federated(env: Mapping[str, str], network: Network, options: dict[str, Any]) -> Any:
    """GitHub OIDC or a workload identity's token file, with the step's own client and tenant ids and no secret."""
    from azure.identity import ClientAssertionCredential, WorkloadIdentityCredential

    ids = ("AZURE_CLIENT_ID", "AZURE_TENANT_ID")
    if env.get("AZURE_CLIENT_SECRET") or not all(env.get(name) for name in ids):
        return None
    if env.get("ACTIONS_ID_TOKEN_REQUEST_URL") and env.get("ACTIONS_ID_TOKEN_REQUEST_TOKEN"):
        # GitHub OIDC: no secret, and no azure/login step needed.
        assertion = _github_oidc(env, network)
        return ClientAssertionCredential(env["AZURE_TENANT_ID"], env["AZURE_CLIENT_ID"], assertion, **options)
    if env.get("AZURE_FEDERATED_TOKEN_FILE") and not env.get("AZURE_CLIENT_CERTIFICATE_PATH"):
        # Built here because DefaultAzureCredential gives its workload identity no authority.
        return WorkloadIdentityCredential(
            tenant_id=env["AZURE_TENANT_ID"],
            client_id=env["AZURE_CLIENT_ID"],
            token_file_path=env["AZURE_FEDERATED_TOKEN_FILE"],
            **options,
        )
    return None
