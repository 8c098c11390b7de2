"""The storage side of the fakes (tests/fakes/azurite.py, FakeArm's storage routes and storage tokens) with the real
azure-storage-blob, azure-mgmt-storage and azure-identity packages against Azurite."""

from __future__ import annotations

import base64
import json
import re
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
from azure.core.credentials import AzureNamedKeyCredential
from azure.core.exceptions import ClientAuthenticationError, HttpResponseError
from azure.core.rest import HttpRequest
from azure.identity import DefaultAzureCredential, ManagedIdentityCredential
from azure.mgmt.imagebuilder import ImageBuilderClient
from azure.mgmt.storage import StorageManagementClient
from azure.storage.blob import BlobClient, BlobServiceClient

from tests.fakes.arm import (
    STAGING_CREATED_BY,
    STORAGE_API_VERSIONS,
    TENANT_ID,
    FakeArm,
    RunScript,
)
from tests.fakes.azurite import (
    DEV_ACCOUNT_KEY,
    DEV_ACCOUNT_NAME,
    Azurite,
    AzuriteNotInstalled,
)

pytest_plugins = ["tests.fakes.fixtures"]

SUB = "5b0e9c2d-1f3a-4c5b-9d7e-0a1b2c3d4e5f"
RG = "rg-images"
NAME = "ubuntu-base"
LOG = "line 1: starting\nline 2: provisioning\n==> azure-arm: ERROR: script exited with 1\n"

# The regexes of arm-contract §7.2, which the product is expected to use on the two message forms.
URL_RE = re.compile(r"(https?://[^\s]+?/packerlogs/[^\s]+?\.log)(?=[.,;]?(\s|$))")
ARM_RE = re.compile(
    r"(/subscriptions/[^/\s]+/resourceGroups/(?P<rg>[^/\s]+)/providers/Microsoft\.Storage/"
    r"storageAccounts/(?P<account>[^/\s]+)/blobServices/default/containers/(?P<container>[^/\s]+)/"
    r"(?P<blob>[^\s]+?\.log))(?=[.,;]?(\s|$))",
    re.I,
)

_TEMPLATE: dict[str, Any] = {
    "location": "westus",
    "identity": {"type": "UserAssigned", "userAssignedIdentities": {"/subscriptions/x/id1": {}}},
    "properties": {
        "source": {"type": "PlatformImage", "publisher": "Canonical", "offer": "o", "sku": "s", "version": "latest"},
        "distribute": [{"type": "ManagedImage", "imageId": "/x", "location": "westus", "runOutputName": "out"}],
        "managedResourceTags": {"owner": "aibcheck-tests"},
    },
}


def staging_group(arm: FakeArm, name: str = NAME) -> str:
    return str(arm.templates[(SUB.lower(), RG.lower(), name.lower())]["properties"]["exactStagingResourceGroup"])


def mgmt_storage(arm: FakeArm, credential: Any = None) -> StorageManagementClient:
    """As the product would build it: the normal credential, base_url and a CA bundle."""
    return StorageManagementClient(
        credential or ManagedIdentityCredential(),
        SUB,
        base_url=arm.url,
        credential_scopes=[arm.url + "/.default"],
        connection_verify=arm.ca_path,
        retry_total=0,
    )


def default_credential() -> DefaultAzureCredential:
    return DefaultAzureCredential(
        exclude_cli_credential=True,
        exclude_powershell_credential=True,
        exclude_developer_cli_credential=True,
        exclude_visual_studio_code_credential=True,
        exclude_interactive_browser_credential=True,
        exclude_shared_token_cache_credential=True,
        exclude_broker_credential=True,
    )


def jwt_claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return dict(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))))


@pytest.mark.parametrize("which", ["managed_identity", "default"])
def test_token_auth_to_azurite_over_https_with_ranged_reads(arm_storage: FakeArm, azurite: Azurite, which: str) -> None:
    run = str(uuid.uuid4())
    url = azurite.put_log(run, LOG)
    assert url == f"{azurite.blob_url}/packerlogs/{run}/customization.log"
    assert url.startswith("https://127.0.0.1:") and azurite.account_name != DEV_ACCOUNT_NAME
    cred = ManagedIdentityCredential() if which == "managed_identity" else default_credential()
    blob = BlobClient.from_blob_url(url, credential=cred, connection_verify=arm_storage.ca_path)
    assert (blob.account_name, blob.container_name, blob.blob_name) == (
        azurite.account_name,
        "packerlogs",
        f"{run}/customization.log",
    )
    assert blob.download_blob(offset=8, length=9).readall() == b"starting\n"
    assert blob.download_blob(offset=len(LOG) - 5).readall() == LOG[-5:].encode()
    assert blob.get_blob_properties().size == len(LOG)
    # the storage token is a JWT with the claims Azurite checks; ARM tokens stay opaque
    assert arm_storage.identity_requests[-1].query["resource"] == "https://storage.azure.com"
    token = arm_storage.issued_storage_tokens[-1]
    claims = jwt_claims(token)
    assert claims["aud"] == "https://storage.azure.com"
    assert claims["iss"] == f"https://sts.windows.net/{TENANT_ID}/"
    assert claims["nbf"] <= time.time() < claims["exp"] and claims["exp"] - claims["iat"] == 3600
    assert not arm_storage.token_is_valid(token)


def test_one_ca_serves_arm_and_azurite(arm_storage: FakeArm, azurite: Azurite) -> None:
    assert Path(arm_storage.ca_path).read_bytes() == Path(azurite.ca_path).read_bytes()


def test_key_auth_over_http(azurite_http: Azurite) -> None:
    assert (azurite_http.account_name, azurite_http.account_key) == (DEV_ACCOUNT_NAME, DEV_ACCOUNT_KEY)
    assert azurite_http.blob_url.startswith("http://127.0.0.1:") and azurite_http.blob_url.endswith("/devstoreaccount1")
    run = str(uuid.uuid4())
    url = azurite_http.put_log(run, LOG)
    blob = BlobClient.from_blob_url(url, credential={"account_name": DEV_ACCOUNT_NAME, "account_key": DEV_ACCOUNT_KEY})
    assert blob.download_blob(offset=0, length=6).readall() == b"line 1"
    svc = BlobServiceClient.from_connection_string(azurite_http.connection_string)
    assert [b.name for b in svc.get_container_client("packerlogs").list_blobs()] == [f"{run}/customization.log"]
    with pytest.raises(ValueError, match="Token credential is only supported with HTTPS"):
        BlobClient.from_blob_url(url, credential=ManagedIdentityCredential())


def test_mgmt_storage_finds_the_staging_account_and_its_key(arm_storage: FakeArm, azurite: Azurite) -> None:
    arm_storage.put_template(SUB, RG, NAME, _TEMPLATE)
    staging = staging_group(arm_storage)
    staging_rg = staging.rsplit("/", 1)[1]
    client = mgmt_storage(arm_storage)
    accounts = list(client.storage_accounts.list_by_resource_group(staging_rg))
    assert [a.name for a in accounts] == [azurite.account_name]
    assert len(azurite.account_name) == 24 and azurite.account_name.isalnum() and azurite.account_name.islower()
    account = accounts[0]
    assert account.id == f"{staging}/providers/Microsoft.Storage/storageAccounts/{azurite.account_name}"
    assert account.primary_endpoints is not None and account.primary_endpoints.blob == azurite.blob_url + "/"
    assert account.tags == {"owner": "aibcheck-tests"}
    got = client.storage_accounts.get_properties(staging_rg, azurite.account_name)
    assert got.primary_endpoints is not None and got.primary_endpoints.blob == azurite.blob_url + "/"
    keys = client.storage_accounts.list_keys(staging_rg, azurite.account_name).keys_property or []
    assert [k.value for k in keys] == [azurite.account_key, azurite.account_key2]
    assert [k.key_name for k in keys] == ["key1", "key2"]
    # the SDK's default api-version is accepted, and the requests carried ARM tokens
    storage_requests = [r for r in arm_storage.requests if "/microsoft.storage/" in r.path.lower()]
    assert {r.query["api-version"] for r in storage_requests} == {client._config.api_version}
    assert client._config.api_version in STORAGE_API_VERSIONS
    assert all(r.status == 200 and arm_storage.token_is_valid(r.token) for r in storage_requests)
    # both keys work with the endpoint from ARM
    run = str(uuid.uuid4())
    azurite.put_log(run, LOG)
    for key in (keys[0].value, keys[1].value):
        assert key is not None
        svc = BlobServiceClient(
            got.primary_endpoints.blob,
            credential=AzureNamedKeyCredential(azurite.account_name, key),
            connection_verify=arm_storage.ca_path,
        )
        assert svc.get_blob_client("packerlogs", f"{run}/customization.log").download_blob().readall() == LOG.encode()
    # nothing in other groups, 404 for unknown groups and accounts
    assert list(client.storage_accounts.list_by_resource_group(RG)) == []
    with pytest.raises(HttpResponseError) as err:
        list(client.storage_accounts.list_by_resource_group("nope"))
    assert err.value.status_code == 404 and err.value.error is not None
    assert err.value.error.code == "ResourceGroupNotFound"
    with pytest.raises(HttpResponseError) as err:
        client.storage_accounts.get_properties(staging_rg, "someotheraccount")
    assert err.value.status_code == 404
    assert [a.name for a in client.storage_accounts.list()] == [azurite.account_name]


def test_resource_groups_and_staging_tags(arm_storage: FakeArm) -> None:
    arm_storage.put_template(SUB, RG, NAME, _TEMPLATE)
    arm_storage.put_resource_group(SUB, "rg-other", tags={"team": "x"})
    staging = staging_group(arm_storage)
    client = ImageBuilderClient(
        ManagedIdentityCredential(), SUB, base_url=arm_storage.url, connection_verify=arm_storage.ca_path
    )

    def get(path: str, **params: str) -> Any:
        resp = client.send_request(HttpRequest("GET", path, params={"api-version": "2021-04-01", **params}))
        return resp.status_code, resp.json()

    status, rg = get(staging.replace("/resourceGroups/", "/resourcegroups/"))
    assert status == 200
    assert rg["id"] == staging and rg["type"] == "Microsoft.Resources/resourceGroups" and rg["location"] == "westus"
    assert rg["tags"] == {
        "createdBy": STAGING_CREATED_BY,
        "imageTemplateName": NAME,
        "imageTemplateResourceGroupName": RG,
        "owner": "aibcheck-tests",
    }
    assert get(f"/subscriptions/{SUB}/resourcegroups/{RG}")[1]["tags"] == {}
    assert get(f"/subscriptions/{SUB}/resourcegroups/rg-other")[1]["tags"] == {"team": "x"}
    status, missing = get(f"/subscriptions/{SUB}/resourcegroups/nope")
    assert status == 404 and missing["error"]["code"] == "ResourceGroupNotFound"
    flt = f"tagName eq 'imageTemplateName' and tagValue eq '{NAME}'"
    status, listed = get(f"/subscriptions/{SUB}/resourcegroups", **{"$filter": flt})
    assert status == 200 and [g["id"] for g in listed["value"]] == [staging]
    assert len(get(f"/subscriptions/{SUB}/resourcegroups")[1]["value"]) == 3
    status, bad = get(f"/subscriptions/{SUB}/resourcegroups/{RG}", **{"api-version": "2025-10-01"})
    assert status == 400 and bad["error"]["code"] == "InvalidApiVersionParameter"


def test_refuse_storage_tokens_then_fall_back_to_account_keys(arm_storage: FakeArm, azurite: Azurite) -> None:
    arm_storage.put_template(SUB, RG, NAME, _TEMPLATE)
    run = str(uuid.uuid4())
    url = azurite.put_log(run, LOG)
    arm_storage.refuse_storage_tokens = True
    blob = BlobClient.from_blob_url(url, credential=ManagedIdentityCredential(), connection_verify=arm_storage.ca_path)
    with pytest.raises(HttpResponseError) as err:
        blob.download_blob(offset=0, length=4).readall()
    assert err.value.status_code == 403 and getattr(err.value, "error_code", None) == "AuthenticationFailed"
    assert isinstance(err.value, ClientAuthenticationError)
    assert jwt_claims(arm_storage.issued_storage_tokens[-1])["aud"] != "https://storage.azure.com"
    # the fallback: listKeys through ARM, then shared key
    staging_rg = staging_group(arm_storage).rsplit("/", 1)[1]
    keys = mgmt_storage(arm_storage).storage_accounts.list_keys(staging_rg, azurite.account_name).keys_property or []
    assert keys[0].value is not None
    by_key = BlobClient.from_blob_url(
        url,
        credential=AzureNamedKeyCredential(azurite.account_name, keys[0].value),
        connection_verify=arm_storage.ca_path,
    )
    assert by_key.download_blob(offset=0, length=4).readall() == b"line"


def test_refuse_list_keys(arm_storage: FakeArm, azurite: Azurite) -> None:
    arm_storage.put_template(SUB, RG, NAME, _TEMPLATE)
    staging_rg = staging_group(arm_storage).rsplit("/", 1)[1]
    arm_storage.refuse_list_keys = True
    with pytest.raises(HttpResponseError) as err:
        mgmt_storage(arm_storage).storage_accounts.list_keys(staging_rg, azurite.account_name)
    assert err.value.status_code == 403 and err.value.error is not None
    assert err.value.error.code == "AuthorizationFailed"
    assert "Microsoft.Storage/storageAccounts/listKeys/action" in str(err.value.error.message)


def test_arm_refuses_storage_tokens_and_azurite_refuses_arm_tokens(arm_storage: FakeArm, azurite: Azurite) -> None:
    storage_token = ManagedIdentityCredential().get_token("https://storage.azure.com/.default").token

    class Fixed:
        def __init__(self, token: str) -> None:
            self.token = token

        def get_token(self, *scopes: str, **kwargs: Any) -> Any:
            from azure.core.credentials import AccessToken

            return AccessToken(self.token, int(time.time()) + 3600)

    with pytest.raises(ClientAuthenticationError) as err:
        list(mgmt_storage(arm_storage, credential=Fixed(storage_token)).storage_accounts.list())
    assert err.value.status_code == 401 and "wrong audience" in str(err.value)
    arm_token = ManagedIdentityCredential().get_token(arm_storage.url + "/.default").token
    assert arm_storage.token_is_valid(arm_token)
    azurite.put_log("r", "x")
    blob = BlobClient.from_blob_url(
        azurite.log_url("r"), credential=Fixed(arm_token), connection_verify=arm_storage.ca_path
    )
    with pytest.raises(HttpResponseError) as err2:
        blob.download_blob().readall()
    assert err2.value.status_code == 403


@pytest.mark.parametrize("append_blob", [True, False])
def test_appended_log_grows_through_ranged_reads(arm_storage: FakeArm, azurite: Azurite, append_blob: bool) -> None:
    run = str(uuid.uuid4())
    url = azurite.put_log(run, "first\n", append_blob=append_blob)
    blob = BlobClient.from_blob_url(url, credential=ManagedIdentityCredential(), connection_verify=arm_storage.ca_path)
    offset = blob.get_blob_properties().size
    assert offset == 6
    size = azurite.append_log(run, "second\n")
    assert size == 13
    assert blob.download_blob(offset=offset).readall() == b"second\n"
    assert blob.download_blob(offset=offset, length=3).readall() == b"sec"
    assert blob.get_blob_properties().blob_type == ("AppendBlob" if append_blob else "BlockBlob")
    assert azurite.read_log(run) == b"first\nsecond\n"


def test_put_log_orders_last_modified(azurite: Azurite) -> None:
    runs = [str(uuid.uuid4()) for _ in range(2)]
    for r in runs:
        azurite.put_log(r, r)
    listed = azurite.list_logs()
    assert [n for n, _ in listed] == [f"{r}/customization.log" for r in runs]
    assert listed[0][1] < listed[1][1]


def test_failure_message_names_the_attached_account_in_both_forms(arm_storage: FakeArm, azurite: Azurite) -> None:
    client = ImageBuilderClient(
        ManagedIdentityCredential(),
        SUB,
        base_url=arm_storage.url,
        connection_verify=arm_storage.ca_path,
        polling_interval=0,
    )
    ops = client.virtual_machine_image_templates
    ops.begin_create_or_update(RG, NAME, _TEMPLATE).result()
    run = str(uuid.uuid4())
    azurite.put_log(run, LOG)
    arm_storage.set_run_script(RunScript.failure(log_run_id=run))
    with pytest.raises(HttpResponseError) as err:
        ops.begin_run(RG, NAME).result()
    assert err.value.error is not None and err.value.error.code == "PackerBuildFailed"
    op_message = str(err.value.error.message)
    status_message = ops.get(RG, NAME)["properties"]["lastRunStatus"]["message"]
    assert arm_storage.log_run_ids == [run]

    # newer form (operation error): ARM path naming the staging group and THE account
    m = ARM_RE.search(op_message)
    assert m is not None and m.group(1) == arm_storage.log_location(run, "path")
    assert "Packer build logs are at location" in op_message
    assert m.group("account") == azurite.account_name and m.group("container") == "packerlogs"
    assert m.group("rg") == staging_group(arm_storage).rsplit("/", 1)[1]
    assert m.group("blob") == f"{run}/customization.log"
    endpoint = mgmt_storage(arm_storage).storage_accounts.get_properties(m.group("rg"), m.group("account"))
    assert endpoint.primary_endpoints is not None and endpoint.primary_endpoints.blob is not None
    via_arm = BlobServiceClient(
        endpoint.primary_endpoints.blob, credential=ManagedIdentityCredential(), connection_verify=arm_storage.ca_path
    ).get_blob_client(m.group("container"), m.group("blob"))
    assert via_arm.download_blob().readall() == LOG.encode()

    # older form (lastRunStatus.message): the Azurite blob URL
    u = URL_RE.search(status_message)
    assert u is not None and u.group(1) == arm_storage.log_location(run, "url") == azurite.log_url(run)
    assert "Image Build log location:" in status_message
    direct = BlobClient.from_blob_url(
        u.group(1), credential=ManagedIdentityCredential(), connection_verify=azurite.ca_path
    )
    assert direct.download_blob(offset=0, length=6).readall() == b"line 1"


@pytest.mark.parametrize("form", ["url", "path"])
def test_log_form_and_preseeded_failed_template(arm_storage: FakeArm, form: str) -> None:
    arm_storage.set_run_script(RunScript.failure(log_run_id="f00d", log_form=form))
    arm_storage.put_template(SUB, RG, NAME, _TEMPLATE, run_state="Failed")
    message = arm_storage.templates[(SUB.lower(), RG.lower(), NAME.lower())]["properties"]["lastRunStatus"]["message"]
    assert arm_storage.log_location("f00d", form) in message
    # without storage the default message is unchanged
    arm_storage.detach_storage()
    arm_storage.put_template(SUB, RG, "plain", _TEMPLATE, run_state="Failed")
    plain = arm_storage.templates[(SUB.lower(), RG.lower(), "plain")]["properties"]["lastRunStatus"]["message"]
    assert "blob.core.windows.net/packerlogs/" in plain


def test_log_chunks_are_written_while_the_run_goes_on(arm_storage: FakeArm, azurite: Azurite) -> None:
    run = "7c4d9a1e-2b3f-4e5a-8c6d-0f1e2d3c4b5a"
    arm_storage.set_run_script(RunScript.failure(log_run_id=run, log_chunks=["a\n", "b\n", "c\n", "d\n"]))
    arm_storage.put_template(SUB, RG, NAME, _TEMPLATE, run_state="Running")
    assert azurite.read_log(run) == b"a\n"
    client = ImageBuilderClient(
        ManagedIdentityCredential(), SUB, base_url=arm_storage.url, connection_verify=arm_storage.ca_path
    )
    blob = BlobClient.from_blob_url(
        azurite.log_url(run), credential=ManagedIdentityCredential(), connection_verify=arm_storage.ca_path
    )
    offset, seen = 0, b""
    for _ in range(10):
        state = client.virtual_machine_image_templates.get(RG, NAME)["properties"]["lastRunStatus"]["runState"]
        size = blob.get_blob_properties().size
        if size > offset:
            seen += blob.download_blob(offset=offset, length=size - offset).readall()
            offset = size
        if state == "Failed":
            break
    assert seen == b"a\nb\nc\nd\n"


def test_missing_binary_names_npm_ci(tmp_path: Path) -> None:
    with pytest.raises(AzuriteNotInstalled, match="npm ci"):
        Azurite(binary=tmp_path / "azurite-blob").start()
