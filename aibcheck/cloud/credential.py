"""The Azure credential: a pipeline's service connection on Azure DevOps, DefaultAzureCredential elsewhere.

The credential object, not a token, goes to the SDK clients: their bearer policy asks for a fresh token
whenever the current one nears expiry, so builds that outlive a token keep working.
"""

from collections.abc import Mapping
from typing import Any

_PIPELINE_VARIABLES = (
    "AZURESUBSCRIPTION_TENANT_ID",
    "AZURESUBSCRIPTION_CLIENT_ID",
    "AZURESUBSCRIPTION_SERVICE_CONNECTION_ID",
    "SYSTEM_ACCESSTOKEN",
)


def _github_oidc(env: Mapping[str, str]) -> Any:
    """A function that asks the GitHub runner for a fresh OIDC token each time the credential needs one."""
    import requests

    def assertion() -> str:
        response = requests.get(
            env["ACTIONS_ID_TOKEN_REQUEST_URL"],
            params={"audience": "api://AzureADTokenExchange"},
            headers={"Authorization": f"Bearer {env['ACTIONS_ID_TOKEN_REQUEST_TOKEN']}"},
            timeout=30,
        )
        response.raise_for_status()
        return str(response.json()["value"])

    return assertion


def make_credential(env: Mapping[str, str]) -> Any:
    from azure.identity import AzurePipelinesCredential, ClientAssertionCredential, DefaultAzureCredential

    if all(env.get(name) for name in _PIPELINE_VARIABLES):
        return AzurePipelinesCredential(
            tenant_id=env["AZURESUBSCRIPTION_TENANT_ID"],
            client_id=env["AZURESUBSCRIPTION_CLIENT_ID"],
            service_connection_id=env["AZURESUBSCRIPTION_SERVICE_CONNECTION_ID"],
            system_access_token=env["SYSTEM_ACCESSTOKEN"],
        )
    oidc = ("ACTIONS_ID_TOKEN_REQUEST_URL", "ACTIONS_ID_TOKEN_REQUEST_TOKEN", "AZURE_CLIENT_ID", "AZURE_TENANT_ID")
    if all(env.get(name) for name in oidc) and not env.get("AZURE_CLIENT_SECRET"):
        # GitHub OIDC with the step's own client and tenant ids: no secret, and no azure/login step needed.
        return ClientAssertionCredential(env["AZURE_TENANT_ID"], env["AZURE_CLIENT_ID"], _github_oidc(env))
    # Interactive sign-ins would hang a pipeline; everything else (environment, workload identity such as
    # GitHub OIDC after azure/login, managed identity, Azure CLI) stays in the chain.
    return DefaultAzureCredential(exclude_interactive_browser_credential=True)
