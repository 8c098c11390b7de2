"""The fake ARM's cloud side: what it publishes about its cloud, and its own Entra ID sign-in endpoint.

`GET /metadata/endpoints?api-version=2022-09-01` answers one object of the shape ARM gives (the fields
azure-cli's `az cloud register --endpoint-resource-manager` and go-azure-sdk's metadata client read:
`name`, `resourceManager`, `authentication {loginEndpoint, audiences, tenant, identityProvider}`, `suffixes
{storage, keyVaultDns, ...}`, `portal`, `graph`, ...). The sign-in endpoint speaks the OAuth 2.0 client-credentials
grant of Entra ID v2.0 (`POST /{tenant}/oauth2/v2.0/token` with a client secret or a client assertion, and the
`/{tenant}/v2.0/.well-known/openid-configuration` document MSAL reads first). See tests/fakes/README.md.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

METADATA_API_VERSIONS = ("2022-09-01",)
LOGIN_TOKEN_PATH = "/oauth2/v2.0/token"
OPENID_PATH = "/v2.0/.well-known/openid-configuration"


def metadata_body(arm_url: str, login_url: str, name: str, audience: str, storage_suffix: str) -> dict[str, Any]:
    """What `GET <arm>/metadata/endpoints?api-version=2022-09-01` answers for this cloud."""
    return {
        "name": name,
        "portal": "https://portal.invalid",
        "resourceManager": f"{arm_url}/",
        "authentication": {
            "loginEndpoint": f"{login_url}/",
            "audiences": [audience, f"{arm_url}/"],
            "tenant": "common",
            "identityProvider": "AAD",
        },
        "media": "https://rest.media.invalid",
        "graphAudience": "https://graph.invalid",
        "graph": "https://graph.invalid",
        "suffixes": {
            "acrLoginServer": "azurecr.invalid",
            "sqlServerHostname": "database.invalid",
            "keyVaultDns": "vault.invalid",
            "storage": storage_suffix,
            "storageSyncEndpointSuffix": "afs.invalid",
        },
        "batch": "https://batch.invalid/",
        "vmImageAliasDoc": "https://raw.githubusercontent.invalid/aliases.json",
        "activeDirectoryDataLake": "https://datalake.invalid/",
        "sqlManagement": "https://management.invalid:8443/",
        "microsoftGraphResourceId": "https://graph.invalid/",
    }


def openid_configuration(login_url: str, tenant: str) -> dict[str, Any]:
    """The discovery document MSAL reads before its first token request."""
    base = f"{login_url}/{tenant}"
    return {
        "token_endpoint": f"{base}{LOGIN_TOKEN_PATH}",
        "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
        "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
        "issuer": f"{base}/v2.0",
        "jwks_uri": f"{login_url}/{tenant}/discovery/v2.0/keys",
        "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "tenant_region_scope": None,
        "cloud_instance_name": "fakecloud.invalid",
    }


def token_request_error(form: dict[str, str]) -> tuple[int, dict[str, Any]] | None:
    """Entra ID's answer to a client-credentials request it would refuse, or None when the form is whole."""
    if form.get("grant_type") != "client_credentials":
        return _oauth_error("unsupported_grant_type", "AADSTS70003: The app requested an unsupported grant type.")
    if not form.get("client_id"):
        return _oauth_error("invalid_request", "AADSTS900144: The request body must contain 'client_id'.")
    scope = form.get("scope", "")
    if not scope.endswith("/.default") or " " in scope.strip():
        return _oauth_error("invalid_scope", f"AADSTS1002012: The provided value for scope {scope} is not valid.")
    assertion = form.get("client_assertion") and form.get("client_assertion_type", "").endswith("jwt-bearer")
    if not form.get("client_secret") and not assertion:
        return _oauth_error(
            "invalid_client", "AADSTS7000216: 'client_assertion', 'client_secret' or 'request' is required."
        )
    return None


def parse_form(raw: bytes) -> dict[str, str]:
    return dict(parse_qsl(raw.decode("utf-8", "replace"), keep_blank_values=True))


def _oauth_error(error: str, description: str) -> tuple[int, dict[str, Any]]:
    return 400, {"error": error, "error_description": description, "error_codes": [int(description[6 : description.index(":")])]}
