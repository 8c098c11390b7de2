"""Which cloud aibcheck talks to: named clouds without a request, an ARM endpoint's own metadata, and every
credential signing in at the cloud's authority for the cloud's audience (the real azure-identity against the fake
ARM's own sign-in endpoint)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import trustme

from aibcheck.cli import parse_settings
from aibcheck.cloud.clouds import AZURE_CLOUD, NAMED, CloudEndpoints, resolve
from aibcheck.cloud.credential import make_credential, sign_in_options
from aibcheck.cloud.network import Network
from aibcheck.driver.context import attach_command
from aibcheck.errors import AzureAccessError, AzureUnreachable, ExitCode, InputError
from aibcheck.logs.location import LogLocation
from tests.e2e.network import closed_port
from tests.fakes.arm import FakeArm, Fault

pytest_plugins = ["tests.fakes.fixtures"]

AUDIENCE = "https://management.sovereign.test/"  # what the fake's ARM takes tokens for: not its URL
SUFFIX = "core.sovereign.test"


@pytest.fixture
def nowhere(azure_env: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """Every request that is not to 127.0.0.1 goes to a proxy port nobody listens on: a request to a real cloud
    fails at once, and nothing leaves this machine."""
    port = closed_port()
    for name in ("HTTPS_PROXY", "HTTP_PROXY"):
        azure_env.setenv(name, f"http://127.0.0.1:{port}")
    return azure_env


@pytest.fixture
def sovereign(nowhere: pytest.MonkeyPatch, test_ca: trustme.CA) -> Iterator[FakeArm]:
    with FakeArm(ca=test_ca) as arm:
        arm.cloud_name, arm.arm_audience, arm.storage_suffix = "SovereignTest", AUDIENCE, SUFFIX
        nowhere.setenv("REQUESTS_CA_BUNDLE", arm.ca_path)
        yield arm


# -- named clouds ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "arm", "authority", "scope", "suffix"),
    [
        ("AzureCloud", "https://management.azure.com", "https://login.microsoftonline.com",
         "https://management.azure.com/.default", "core.windows.net"),
        ("AzureChinaCloud", "https://management.chinacloudapi.cn", "https://login.chinacloudapi.cn",
         "https://management.chinacloudapi.cn/.default", "core.chinacloudapi.cn"),
        ("AzureUSGovernment", "https://management.usgovcloudapi.net", "https://login.microsoftonline.us",
         "https://management.core.usgovcloudapi.net/.default", "core.usgovcloudapi.net"),
    ],
)  # fmt: skip
def test_a_named_cloud_needs_no_request(
    nowhere: pytest.MonkeyPatch, name: str, arm: str, authority: str, scope: str, suffix: str
) -> None:
    network = Network()
    cloud = resolve(name, None, network)
    assert (cloud.name, cloud.arm, cloud.authority, cloud.arm_scope, cloud.storage_suffix) == (
        name, arm, authority, scope, suffix,
    )  # fmt: skip
    # Its own ARM URL as the endpoint, as an Azure DevOps connection gives it, is that cloud too: no request.
    assert resolve("AzureCloud", arm.upper() + "/", network) == cloud
    assert network.arm.count == 0


def test_no_name_and_no_endpoint_is_the_public_cloud() -> None:
    assert resolve(None, None, Network()) == AZURE_CLOUD


@pytest.mark.parametrize("name", ["AzureStack", "AzureGermanCloud"])
def test_a_cloud_without_data_needs_its_endpoint(name: str) -> None:
    with pytest.raises(InputError) as raised:
        resolve(name, None, Network())
    assert raised.value.exit_code == ExitCode.USAGE
    assert "--arm-endpoint" in raised.value.hint and name in raised.value.message
    assert ("closed in October 2021" in raised.value.message) == (name == "AzureGermanCloud")


# -- an endpoint's metadata -----------------------------------------------------------------------------------------


def test_an_endpoint_is_described_by_its_own_metadata_in_one_request(sovereign: FakeArm) -> None:
    network = Network()
    cloud = resolve("AzureUSGovernment", sovereign.url + "/", network)  # the endpoint wins over the name
    assert cloud == CloudEndpoints("SovereignTest", sovereign.url, sovereign.login_url, AUDIENCE, SUFFIX)
    assert cloud.arm_scope == "https://management.sovereign.test/.default"
    (request,) = sovereign.requests
    assert (request.method, request.path, request.query) == ("GET", "/metadata/endpoints", {"api-version": "2022-09-01"})
    assert request.token is None and request.status == 200
    assert network.arm.count == 1, "counted like every ARM request"


def test_an_unreachable_endpoint_is_one_line_exit_3(nowhere: pytest.MonkeyPatch) -> None:
    port = closed_port()
    with pytest.raises(AzureUnreachable) as raised:
        resolve(None, f"https://127.0.0.1:{port}", Network())
    assert raised.value.message == f"cannot reach Azure Resource Manager at https://127.0.0.1:{port} (connection refused)"
    assert raised.value.exit_code == ExitCode.AZURE_ACCESS


@pytest.mark.parametrize(
    ("body", "what"),
    [
        ({"authentication": {"loginEndpoint": "https://login.test/", "audiences": []}}, "authentication.audiences"),
        ({"authentication": {"loginEndpoint": "http://login.test/", "audiences": ["x"]}}, "loginEndpoint"),
        ({"name": "no authentication"}, "authentication.audiences"),
    ],
)
def test_metadata_that_does_not_describe_a_cloud_is_refused(sovereign: FakeArm, body: dict[str, Any], what: str) -> None:
    sovereign.metadata_override = body
    with pytest.raises(AzureAccessError) as raised:
        resolve(None, sovereign.url, Network())
    assert what in raised.value.message and "--arm-endpoint" in raised.value.hint


def test_an_endpoint_that_is_not_an_arm_is_named(sovereign: FakeArm) -> None:
    sovereign.add_fault(Fault(path_regex="^/metadata/", status=404, times=None))
    with pytest.raises(AzureAccessError) as raised:
        resolve(None, sovereign.url, Network())
    assert raised.value.message == (
        f"Azure Resource Manager at {sovereign.url} did not describe its cloud (GET /metadata/endpoints: HTTP 404)"
    )


def test_metadata_without_a_storage_suffix_still_describes_the_cloud(sovereign: FakeArm) -> None:
    body = sovereign.metadata()
    del body["suffixes"]
    sovereign.metadata_override = body
    assert resolve(None, sovereign.url, Network()).storage_suffix == ""


# -- storage -------------------------------------------------------------------------------------------------------


def test_storage_tokens_are_for_the_public_audience_or_the_account_s_own_endpoint() -> None:
    china = NAMED["AzureChinaCloud"]
    assert AZURE_CLOUD.storage_audience("https://acct.blob.core.windows.net/") == "https://storage.azure.com"
    assert china.storage_audience("https://acct.blob.core.chinacloudapi.cn/") == "https://acct.blob.core.chinacloudapi.cn"
    location = LogLocation("acct", "run/customization.log", None, None, china.storage_suffix)
    assert location.url == "https://acct.blob.core.chinacloudapi.cn/packerlogs/run/customization.log"


# -- settings ------------------------------------------------------------------------------------------------------


def test_the_cloud_is_named_in_any_case_and_checked() -> None:
    assert parse_settings(["logs"], {"AIBCHECK_CLOUD": "azurechinacloud"}).cloud == "AzureChinaCloud"
    assert parse_settings(["attach", "--cloud", "AZUREUSGOVERNMENT"], {}).cloud == "AzureUSGovernment"
    assert parse_settings(["run"], {}).arm_endpoint is None, "the endpoint defaults to the cloud's"
    with pytest.raises(InputError) as raised:
        parse_settings(["run"], {"AIBCHECK_CLOUD": "AzurePublic"})
    assert "AIBCHECK_CLOUD" in raised.value.message and "AzureChinaCloud" in raised.value.message


def test_the_attach_command_names_the_cloud_or_the_endpoint() -> None:
    base = ["attach", "-g", "rg", "--subscription", "sub"]
    china = parse_settings([*base, "--cloud", "azurechinacloud"], {})
    assert attach_command(china, "t").endswith("--subscription sub --cloud AzureChinaCloud")
    stack = parse_settings([*base, "--cloud", "AzureStack", "--arm-endpoint", "https://management.local.test/"], {})
    assert attach_command(stack, "t").endswith("--arm-endpoint https://management.local.test")
    public = parse_settings([*base, "--arm-endpoint", "https://management.azure.com/"], {})
    assert attach_command(public, "t").endswith("--subscription sub")


# -- credentials ---------------------------------------------------------------------------------------------------


def test_the_authority_variable_wins_and_only_unknown_hosts_skip_instance_discovery() -> None:
    china = NAMED["AzureChinaCloud"]
    assert sign_in_options({}, china) == {"authority": "https://login.chinacloudapi.cn"}
    assert sign_in_options({"AZURE_AUTHORITY_HOST": "login.microsoftonline.us"}, china) == {
        "authority": "login.microsoftonline.us"
    }
    private = CloudEndpoints("Stack", "https://arm.test", "https://adfs.local.test", "https://aud.test", "")
    assert sign_in_options({}, private) == {"authority": "https://adfs.local.test", "disable_instance_discovery": True}


class _Federation(BaseHTTPRequestHandler):
    """GitHub's OIDC token endpoint (GET -> {"value"}) and Azure DevOps' (POST -> {"oidcToken"})."""

    def _answer(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = json.dumps({"value": "gh.jwt"} if self.command == "GET" else {"oidcToken": "ado.jwt"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def federation() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Federation)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _paths(federation: str, tmp_path: Path) -> dict[str, dict[str, str]]:
    (tmp_path / "token").write_text("k8s.jwt")
    ids = {"AZURE_CLIENT_ID": "app-1", "AZURE_TENANT_ID": "tenant-1"}
    return {
        "service principal": {**ids, "AZURE_CLIENT_SECRET": "s3cret"},
        "GitHub OIDC": {**ids, "ACTIONS_ID_TOKEN_REQUEST_URL": f"{federation}/oidc",
                        "ACTIONS_ID_TOKEN_REQUEST_TOKEN": "runner"},
        "workload identity": {**ids, "AZURE_FEDERATED_TOKEN_FILE": str(tmp_path / "token")},
        "Azure Pipelines": {"AZURESUBSCRIPTION_TENANT_ID": "tenant-1", "AZURESUBSCRIPTION_CLIENT_ID": "app-1",
                            "AZURESUBSCRIPTION_SERVICE_CONNECTION_ID": "conn-1", "SYSTEM_ACCESSTOKEN": "job",
                            "SYSTEM_OIDCREQUESTURI": f"{federation}/oidctoken"},
    }  # fmt: skip


@pytest.mark.parametrize("path", ["service principal", "GitHub OIDC", "workload identity", "Azure Pipelines"])
def test_every_credential_signs_in_at_the_cloud_s_authority_for_its_audience(
    sovereign: FakeArm, nowhere: pytest.MonkeyPatch, federation: str, tmp_path: Path, path: str
) -> None:
    env = _paths(federation, tmp_path)[path]
    for name, value in env.items():  # DefaultAzureCredential reads the process's own environment
        nowhere.setenv(name, value)
    network = Network()
    cloud = resolve(None, sovereign.url, network)
    credential = make_credential(env, network, cloud)
    token = credential.get_token(cloud.arm_scope).token
    posts = [r for r in sovereign.login_requests if r.method == "POST"]
    assert [r.path for r in posts] == ["/tenant-1/oauth2/v2.0/token"], "the cloud's own sign-in endpoint"
    assert posts[0].query["scope"] == "https://management.sovereign.test/.default"
    assert posts[0].query["client_id"] == "app-1"
    expected = {"GitHub OIDC": "gh.jwt", "workload identity": "k8s.jwt", "Azure Pipelines": "ado.jwt"}
    assert posts[0].query.get("client_assertion", posts[0].query.get("client_secret")) == expected.get(path, "s3cret")
    assert sovereign.token_is_valid(token) and not sovereign.identity_requests
