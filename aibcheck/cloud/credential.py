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


def make_credential(env: Mapping[str, str]) -> Any:
    from azure.identity import AzurePipelinesCredential, DefaultAzureCredential

    if all(env.get(name) for name in _PIPELINE_VARIABLES):
        return AzurePipelinesCredential(
            tenant_id=env["AZURESUBSCRIPTION_TENANT_ID"],
            client_id=env["AZURESUBSCRIPTION_CLIENT_ID"],
            service_connection_id=env["AZURESUBSCRIPTION_SERVICE_CONNECTION_ID"],
            system_access_token=env["SYSTEM_ACCESSTOKEN"],
        )
    # Interactive sign-ins would hang a pipeline; everything else (environment, workload identity such as
    # GitHub OIDC after azure/login, managed identity, Azure CLI) stays in the chain.
    return DefaultAzureCredential(exclude_interactive_browser_credential=True)
