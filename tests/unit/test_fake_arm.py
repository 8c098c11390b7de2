"""Tests of the fake ARM server (tests/fakes/arm.py) with the real azure-mgmt-imagebuilder SDK and azure-identity."""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Iterator
from typing import Any, cast

import pytest
from azure.core.exceptions import (
    ClientAuthenticationError,
    HttpResponseError,
    ResourceExistsError,
    ResourceNotFoundError,
)
from azure.core.rest import HttpRequest
from azure.identity import DefaultAzureCredential, ManagedIdentityCredential
from azure.mgmt.imagebuilder import ImageBuilderClient

from tests.fakes.arm import INTERNAL_ERROR_MESSAGE, FakeArm, Fault, RunScript

SUB = "5b0e9c2d-1f3a-4c5b-9d7e-0a1b2c3d4e5f"
RG = "rg-images"
NAME = "ubuntu-base"
TEMPLATE_PATH = r"/imageTemplates/[^/]+$"

_LINUX_BODY: dict[str, Any] = {
    "identity": {
        "type": "UserAssigned",
        "userAssignedIdentities": {
            f"/subscriptions/{SUB}/resourcegroups/rg1/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id1": {}
        },
    },
    "location": "westus",
    "properties": {
        "customize": [{"name": "Shell Customizer Example", "type": "Shell", "scriptUri": "https://example.com/s.sh"}],
        "distribute": [
            {
                "type": "ManagedImage",
                "artifactTags": {"tagName": "value"},
                "imageId": f"/subscriptions/{SUB}/resourceGroups/rg1/providers/Microsoft.Compute/images/image_it_1",
                "location": "westus",
                "runOutputName": "image_it_pir_1",
            }
        ],
        "source": {
            "type": "ManagedImage",
            "imageId": f"/subscriptions/{SUB}/resourceGroups/rg1/providers/Microsoft.Compute/images/source_image",
        },
        "vmProfile": {"osDiskSizeGB": 64, "vmSize": "Standard_D2s_v3"},
    },
    "tags": {"imagetemplate_tag1": "IT_T1"},
}
_CLEAR_ENV = (
    "AZURE_CLIENT_ID",
    "AZURE_TENANT_ID",
    "AZURE_CLIENT_SECRET",
    "AZURE_CLIENT_CERTIFICATE_PATH",
    "AZURE_USERNAME",
    "AZURE_PASSWORD",
    "AZURE_FEDERATED_TOKEN_FILE",
    "AZURE_TOKEN_CREDENTIALS",
    "IDENTITY_SERVER_THUMBPRINT",
    "IMDS_ENDPOINT",
    "MSI_ENDPOINT",
    "MSI_SECRET",
    "REQUESTS_CA_BUNDLE",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
)


def body() -> dict[str, Any]:
    return copy.deepcopy(_LINUX_BODY)


@pytest.fixture
def arm(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeArm]:
    for var in _CLEAR_ENV:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    with FakeArm() as fake:
        for k, v in fake.identity_env.items():
            monkeypatch.setenv(k, v)
        yield fake


def make_client(arm: FakeArm, credential: Any = None, **kwargs: Any) -> ImageBuilderClient:
    """As product code would build it: a real credential, base_url and a CA bundle."""
    kwargs.setdefault("retry_backoff_factor", 0.01)
    return ImageBuilderClient(
        credential or ManagedIdentityCredential(),
        SUB,
        base_url=arm.url,
        connection_verify=arm.ca_path,
        polling_interval=0,
        **kwargs,
    )


def props(model: object) -> Any:
    """The model's ``.properties``, untyped (every field of the SDK models is Optional)."""
    return cast(Any, model).properties


def wait_run_end(client: ImageBuilderClient, name: str = NAME) -> str:
    """GET the template until its run is over (each GET advances the fake's run script by one step)."""
    for _ in range(50):
        state = str(client.virtual_machine_image_templates.get(RG, name)["properties"]["lastRunStatus"]["runState"])
        if state not in ("Running", "Canceling"):
            return state
    raise AssertionError("the run did not end")


def create(client: ImageBuilderClient, name: str = NAME) -> Any:
    return client.virtual_machine_image_templates.begin_create_or_update(RG, name, body()).result()


def run_states(template: Any) -> tuple[str, str | None, str]:
    """lastRunStatus as wire strings (the SDK's enum members would print as RunState.RUNNING)."""
    s = template["properties"]["lastRunStatus"]
    return (s["runState"], s.get("runSubState"), s["message"])


def test_create_get_and_wire_shape(arm: FakeArm) -> None:
    client = make_client(arm)
    created = create(client)
    assert props(created).provisioning_state == "Succeeded"
    staging = props(created).exact_staging_resource_group
    assert staging.startswith(f"/subscriptions/{SUB}/resourceGroups/IT_{RG}_{NAME}_")
    assert (
        created.id
        == f"/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.VirtualMachineImages/imageTemplates/{NAME}"
    )

    put = arm.requests[0]
    assert (put.method, put.status) == ("PUT", 201)
    assert put.query == {"api-version": "2025-10-01"}
    assert put.json is not None and put.json["location"] == "westus"
    # the first poll sees InProgress, the second Succeeded, then the SDK GETs the template
    assert [r.status for r in arm.requests] == [201, 200, 200, 200]
    assert "/locations/westus/operations/" in arm.requests[1].path

    got = client.virtual_machine_image_templates.get(RG, NAME)
    assert props(got).last_run_status is None
    assert props(got).vm_profile.vm_size == "Standard_D2s_v3"
    assert got["properties"]["stagingResourceGroup"] == ""
    stored = arm.templates[(SUB.lower(), RG.lower(), NAME.lower())]
    assert stored["properties"]["exactStagingResourceGroup"] == staging
    assert all(r.token in arm.issued_tokens for r in arm.requests)
    assert arm.identity_requests[0].query["resource"] == "https://management.azure.com"


def test_create_answer_is_201_creating_with_async_header(arm: FakeArm) -> None:
    client = make_client(arm)
    poller = client.virtual_machine_image_templates.begin_create_or_update(RG, NAME, body(), polling=False)
    first = poller.result()
    assert props(first).provisioning_state == "Creating"
    assert props(first).exact_staging_resource_group == ""
    # without polling the operation, GETs of the template also move provisioning along
    ops = client.virtual_machine_image_templates
    assert props(ops.get(RG, NAME)).provisioning_state == "Creating"
    assert props(ops.get(RG, NAME)).provisioning_state == "Succeeded"


def test_paths_are_case_insensitive_and_api_version_required(arm: FakeArm) -> None:
    client = make_client(arm)
    create(client)
    path = f"/subscriptions/{SUB}/resourcegroups/{RG.upper()}/providers/microsoft.virtualmachineimages/IMAGETEMPLATES/{NAME.upper()}"
    ok = client.send_request(HttpRequest("GET", path, params={"api-version": "2025-10-01"}))
    assert ok.status_code == 200 and ok.json()["name"] == NAME
    missing = client.send_request(HttpRequest("GET", path))
    assert missing.status_code == 400 and missing.json()["error"]["code"] == "MissingApiVersionParameter"
    old = make_client(arm, api_version="2024-02-01")
    with pytest.raises(HttpResponseError) as err:
        old.virtual_machine_image_templates.get(RG, NAME)
    assert err.value.status_code == 400
    assert err.value.error is not None and err.value.error.code == "InvalidApiVersionParameter"


def test_run_success_script_states_and_run_outputs(arm: FakeArm) -> None:
    client = make_client(arm)
    ops = client.virtual_machine_image_templates
    create(client)
    ops.begin_run(RG, NAME, polling=False).result()
    run_post = arm.requests[-1]
    assert run_post.status == 202
    seen = [run_states(ops.get(RG, NAME)) for _ in range(5)]
    assert seen == [
        ("Running", "Queued", ""),
        ("Running", "Building", ""),
        ("Running", "Customizing", ""),
        ("Running", "Distributing", ""),
        ("Succeeded", None, ""),
    ]
    final = props(ops.get(RG, NAME)).last_run_status
    assert final.end_time.year > 1 and final.start_time <= final.end_time

    names = sorted(str(o.name) for o in ops.list_run_outputs(RG, NAME))
    assert names == ["myManagedImageOutput", "mySharedImageOutput"]
    one = ops.get_run_output(RG, NAME, "myManagedImageOutput")
    assert props(one).artifact_id == (
        f"/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.Compute/images/output_managed_image"
    )
    with pytest.raises(ResourceNotFoundError):
        ops.get_run_output(RG, NAME, "nope")


def test_running_end_time_and_scripted_run_outputs(arm: FakeArm) -> None:
    client = make_client(arm)
    ops = client.virtual_machine_image_templates
    create(client)
    arm.set_run_script(RunScript.success(run_outputs=[{"name": "vhd", "artifactUri": "https://x/y.vhd"}]))
    ops.begin_run(RG, NAME, polling=False).result()
    running = props(ops.get(RG, NAME)).last_run_status
    assert running.run_state == "Running"
    assert running.end_time.year == 1
    assert ops.get(RG, NAME)["properties"]["lastRunStatus"]["endTime"] == "0001-01-01T00:00:00Z"
    assert wait_run_end(client) == "Succeeded"
    post = next(r for r in arm.requests if r.method == "POST")
    assert post.path.endswith("/run") and post.json is None
    assert [props(o).artifact_uri for o in ops.list_run_outputs(RG, NAME)] == ["https://x/y.vhd"]


def test_failed_run_raises_packer_build_failed(arm: FakeArm) -> None:
    client = make_client(arm)
    ops = client.virtual_machine_image_templates
    create(client)
    message = "Packer build command has failed: exit status 1. Image Build log location: http://127.0.0.1:1/devstoreaccount1/packerlogs/abc/customization.log. OperationId: x."
    arm.set_run_script(RunScript.failure(message=message))
    with pytest.raises(HttpResponseError) as err:
        ops.begin_run(RG, NAME).result()
    assert err.value.error is not None
    assert err.value.error.code == "PackerBuildFailed"
    assert err.value.error.message == message
    tpl = ops.get(RG, NAME)
    assert props(tpl).provisioning_state == "Succeeded"
    assert props(tpl).last_run_status.run_state == "Failed"
    assert props(tpl).last_run_status.message == message
    assert list(ops.list_run_outputs(RG, NAME)) == []


def test_second_put_is_conflict_and_bad_body_is_validation_failed(arm: FakeArm) -> None:
    client = make_client(arm)
    ops = client.virtual_machine_image_templates
    create(client)
    with pytest.raises(ResourceExistsError) as err:
        ops.begin_create_or_update(RG, NAME, body())
    assert err.value.status_code == 409
    assert err.value.error is not None and err.value.error.code == "Conflict"
    assert "Update/Upgrade of image templates is currently not supported" in str(err.value)

    bad = body()
    bad["properties"]["distribute"] = []
    with pytest.raises(HttpResponseError) as err2:
        ops.begin_create_or_update(RG, "other", bad)
    assert err2.value.status_code == 400
    assert err2.value.error is not None and err2.value.error.code == "ValidationFailed"


def test_fail_next_submission(arm: FakeArm) -> None:
    client = make_client(arm)
    arm.fail_next_submission(code="BadSourceType", message="Validation failed: bad source")
    with pytest.raises(HttpResponseError) as err:
        create(client)
    assert err.value.error is not None and err.value.error.message == "Validation failed: bad source"
    tpl = client.virtual_machine_image_templates.get(RG, NAME)
    assert props(tpl).provisioning_state == "Failed"
    assert props(tpl).provisioning_error.provisioning_error_code == "BadSourceType"
    create(client, "next-one")  # only the next submission fails


def test_cancel(arm: FakeArm) -> None:
    client = make_client(arm)
    ops = client.virtual_machine_image_templates
    create(client)
    run_path = (
        f"/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.VirtualMachineImages/imageTemplates/{NAME}/run"
    )
    started = client.send_request(HttpRequest("POST", run_path, params={"api-version": "2025-10-01"}))
    assert started.status_code == 202 and started.text() == ""
    op_url = started.headers["Azure-AsyncOperation"]
    assert started.headers["Location"] == op_url
    assert op_url.startswith(
        f"{arm.url}/subscriptions/{SUB}/providers/Microsoft.VirtualMachineImages/locations/westus/operations/"
    )
    assert run_states(ops.get(RG, NAME)) == ("Running", "Queued", "")
    ops.begin_cancel(RG, NAME).result()
    assert arm.requests[-1].method == "POST" and arm.requests[-1].status == 204
    assert run_states(ops.get(RG, NAME)) == ("Canceling", None, "Canceling image build")
    assert run_states(ops.get(RG, NAME))[0] == "Canceled"
    with pytest.raises(ResourceExistsError) as err:
        ops.begin_cancel(RG, NAME)
    assert err.value.error is not None and err.value.error.code == "OperationNotAllowed"
    status = client.send_request(HttpRequest("GET", op_url)).json()
    assert status["status"] == "Canceled" and status["name"] == op_url.split("/")[-1].split("?")[0].upper()


def test_delete_and_delete_refused_while_running(arm: FakeArm) -> None:
    client = make_client(arm)
    ops = client.virtual_machine_image_templates
    create(client)
    ops.begin_run(RG, NAME, polling=False).result()
    with pytest.raises(ResourceExistsError) as err:
        ops.begin_delete(RG, NAME)
    assert err.value.error is not None and err.value.error.code == "OperationNotAllowed"
    assert "runState: 'running'" in str(err.value)
    with pytest.raises(ResourceExistsError) as err2:
        ops.begin_run(RG, NAME)
    assert "run/action" in str(err2.value)
    assert wait_run_end(client) == "Succeeded"
    ops.begin_delete(RG, NAME).result()
    assert [r.status for r in arm.requests if "/operations/" in r.path][-2:] == [202, 200]
    with pytest.raises(ResourceNotFoundError) as err3:
        ops.get(RG, NAME)
    assert err3.value.error is not None and err3.value.error.code == "ResourceNotFound"
    assert arm.templates == {}


def test_put_template_preseeded_running(arm: FakeArm) -> None:
    client = make_client(arm)
    ops = client.virtual_machine_image_templates
    arm.set_run_script(RunScript.failure(message="boom"))
    arm.put_template(SUB, RG, NAME, body(), run_state="Running")
    first = ops.get(RG, NAME)
    assert props(first).provisioning_state == "Succeeded"
    assert props(first).exact_staging_resource_group.startswith(f"/subscriptions/{SUB}/resourceGroups/IT_")
    assert run_states(first)[0] == "Running"
    with pytest.raises(ResourceExistsError):
        ops.begin_run(RG, NAME)
    states = [run_states(ops.get(RG, NAME)) for _ in range(3)]
    assert states[-1] == ("Failed", None, "boom")


def test_429_with_retry_after_is_retried_by_the_sdk(arm: FakeArm) -> None:
    client = make_client(arm)
    create(client)
    arm.add_fault(Fault(method="GET", path_regex=TEMPLATE_PATH, status=429, retry_after=1, times=1))
    start = time.monotonic()
    assert client.virtual_machine_image_templates.get(RG, NAME).name == NAME
    assert time.monotonic() - start >= 0.9
    gets = [r for r in arm.requests if r.method == "GET" and r.path.endswith(NAME)]
    assert [r.status for r in gets[-2:]] == [429, 200]


def test_500_and_dropped_connection_faults(arm: FakeArm) -> None:
    client = make_client(arm)
    create(client)
    arm.add_fault(Fault(method="GET", path_regex=TEMPLATE_PATH, status=500, times=2))
    arm.add_fault(Fault(method="GET", path_regex=TEMPLATE_PATH, drop_connection=True, times=1))
    assert client.virtual_machine_image_templates.get(RG, NAME).name == NAME
    gets = [r.status for r in arm.requests if r.method == "GET" and r.path.endswith(NAME)]
    assert gets[-4:] == [500, 500, 0, 200]
    strict = make_client(arm, retry_total=0)
    arm.add_fault(Fault(method="GET", path_regex=TEMPLATE_PATH, status=500, times=1))
    with pytest.raises(HttpResponseError) as err:
        strict.virtual_machine_image_templates.get(RG, NAME)
    assert err.value.error is not None and err.value.error.message == INTERNAL_ERROR_MESSAGE


def test_internal_errors_during_a_run_are_transient(arm: FakeArm) -> None:
    client = make_client(arm, retry_total=0)
    ops = client.virtual_machine_image_templates
    create(client)
    arm.set_run_script(RunScript.with_internal_errors(n=2))
    ops.begin_run(RG, NAME, polling=False).result()
    seen: list[str] = []
    for _ in range(20):
        try:
            state = run_states(ops.get(RG, NAME))
        except HttpResponseError as exc:
            assert exc.status_code == 500
            seen.append("500")
            continue
        seen.append(f"{state[0]}/{state[1]}")
        if state[0] != "Running":
            break
    assert seen == [
        "Running/Queued",
        "Running/Building",
        "500",
        "500",
        "Running/Customizing",
        "Running/Distributing",
        "Succeeded/None",
    ]


def test_auth_is_required_on_every_request(arm: FakeArm) -> None:
    class Bogus:
        def get_token(self, *scopes: str, **kwargs: Any) -> Any:
            from azure.core.credentials import AccessToken

            return AccessToken("not-issued-here", int(time.time()) + 3600)

    client = make_client(arm, credential=Bogus())
    with pytest.raises(ClientAuthenticationError) as err:
        client.virtual_machine_image_templates.get(RG, NAME)
    assert err.value.status_code == 401
    assert arm.requests[-1].token == "not-issued-here"
    raw = make_client(arm)
    resp = raw.send_request(
        HttpRequest(
            "GET",
            f"/subscriptions/{SUB}/providers/Microsoft.VirtualMachineImages/imageTemplates",
            params={"api-version": "2025-10-01"},
        )
    )
    assert resp.status_code == 200 and resp.json() == {"value": []}


def test_token_refresh_with_short_lifetime(arm: FakeArm) -> None:
    # A lifetime under 240 s is inside both the SDK's refresh window (300 s minus up to 60 s of jitter) and
    # MSAL's "about to expire" window (300 s), so every request fetches a new token.
    arm.token_lifetime = 200
    client = make_client(arm)
    create(client)
    client.virtual_machine_image_templates.begin_run(RG, NAME).result()
    assert len(arm.issued_tokens) > 1
    assert all(r.status in (200, 201, 202) for r in arm.requests)
    assert all(r.token in arm.issued_tokens for r in arm.requests)
    assert len({r.token for r in arm.requests}) > 1


def test_default_azure_credential_uses_the_managed_identity_endpoint(arm: FakeArm) -> None:
    cred = DefaultAzureCredential(
        exclude_cli_credential=True,
        exclude_powershell_credential=True,
        exclude_developer_cli_credential=True,
        exclude_visual_studio_code_credential=True,
        exclude_interactive_browser_credential=True,
        exclude_shared_token_cache_credential=True,
        exclude_broker_credential=True,
    )
    client = make_client(arm, credential=cred)
    create(client)
    assert arm.issued_tokens and arm.requests[0].token == arm.issued_tokens[0]
    assert arm.identity_requests[0].headers["x-identity-header"] == arm.identity_env["IDENTITY_HEADER"]


def test_run_outputs_list_has_no_absolute_next_link(arm: FakeArm) -> None:
    client = make_client(arm)
    create(client)
    client.virtual_machine_image_templates.begin_run(RG, NAME).result()
    path = f"/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.VirtualMachineImages/imageTemplates/{NAME}/runOutputs"
    resp = client.send_request(HttpRequest("GET", path, params={"api-version": "2025-10-01"}))
    payload = json.loads(resp.text())
    assert "nextLink" not in payload and len(payload["value"]) == 2


def test_its_cloud_is_described_without_a_token_and_its_own_audience_is_enforced(arm: FakeArm) -> None:
    """/metadata/endpoints answers anyone; once the fake has an audience of its own, a token for another is refused
    (which is what makes the product's choice of audience testable) and a token for the audience is taken."""
    arm.arm_audience = "https://management.sovereign.test/"
    answer = make_client(arm).send_request(HttpRequest("GET", f"{arm.url}/metadata/endpoints?api-version=2022-09-01"))
    described = answer.json()
    assert described["authentication"]["audiences"][0] == arm.arm_audience
    assert described["authentication"]["loginEndpoint"] == f"{arm.login_url}/"
    assert described["suffixes"]["storage"] == "core.windows.net" and described["resourceManager"] == f"{arm.url}/"
    with pytest.raises(ClientAuthenticationError) as refused:
        make_client(arm).virtual_machine_image_templates.get(RG, NAME)
    assert "wrong audience" in str(refused.value)
    taken = make_client(arm, credential_scopes=["https://management.sovereign.test/.default"])
    with pytest.raises(ResourceNotFoundError):
        taken.virtual_machine_image_templates.get(RG, NAME)
    old = make_client(arm).send_request(HttpRequest("GET", f"{arm.url}/metadata/endpoints?api-version=2015-01-01"))
    assert old.status_code == 400
