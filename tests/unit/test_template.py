"""Loading templates (bare resources and ARM deployment templates) and aibcheck's changes to them."""

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from aibcheck.ci.platform import detect
from aibcheck.errors import InputError
from aibcheck.preflight.source import load_source
from aibcheck.template.changes import KEEP_ALIVE_MARKER, add_keep_alive, add_tags, target_os
from aibcheck.template.load import load_template

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "templates"


def test_bare_resource_from_json_and_yaml(tmp_path: Path) -> None:
    body = json.loads((EXAMPLES / "ubuntu-web.json").read_text(encoding="utf-8"))
    assert load_template(str(EXAMPLES / "ubuntu-web.json")).resource["properties"] == body["properties"]
    import yaml

    as_yaml = tmp_path / "t.yaml"
    as_yaml.write_text(yaml.safe_dump({**body, "name": "from-yaml"}), encoding="utf-8")
    loaded = load_template(str(as_yaml))
    assert loaded.name == "from-yaml" and loaded.resource["location"] == "westeurope"


def test_deployment_template_with_parameters_file_and_overrides() -> None:
    loaded = load_template(
        str(EXAMPLES / "win2022-deployment.json"),
        str(EXAMPLES / "win2022-deployment.parameters.json"),
        {"imageTemplateName": "custom", "location": "northeurope"},
    )
    assert loaded.name == "custom"
    properties = loaded.resource["properties"]
    assert loaded.resource["location"] == "northeurope"
    assert properties["vmProfile"]["vmSize"] == "Standard_D4s_v5"  # variables()
    assert properties["distribute"][0]["runOutputName"] == "custom-sig"  # concat()
    assert properties["distribute"][0]["replicationRegions"] == ["northeurope"]
    identities = loaded.resource["identity"]["userAssignedIdentities"]
    assert list(identities) == [
        "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-images/providers/"
        "Microsoft.ManagedIdentity/userAssignedIdentities/aib-identity"
    ]


def test_unresolvable_expressions_are_named() -> None:
    with pytest.raises(InputError) as error:
        load_template(str(EXAMPLES / "win2022-deployment.json"))
    assert "galleryImageId" in error.value.message and "identityId" in error.value.message
    assert "--parameter" in error.value.hint


def test_deployment_template_needs_exactly_one_image_template(tmp_path: Path) -> None:
    path = tmp_path / "two.json"
    resource = {"type": "Microsoft.VirtualMachineImages/imageTemplates", "properties": {}}
    path.write_text(json.dumps({"resources": [resource, resource, {"type": "Microsoft.Compute/images"}]}))
    with pytest.raises(InputError, match="2 imageTemplates resources"):
        load_template(str(path))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("[1, 2]", "expected an object at the top, got a list"),
        ("", "got nothing"),
        ("{'a': [}", "neither JSON nor YAML"),
        ('{"location": "x"}', "no 'properties'"),
        ("[" * 100_000 + "]" * 100_000, "nests its values too deeply"),
        ('{"a":' * 5_000 + "1" + "}" * 5_000, "nests its values too deeply"),
        (b"\xff\xfe\x00".decode("latin-1"), "cannot be read"),
    ],
)
@pytest.mark.parametrize("loader", [load_template, load_source], ids=["run", "preflight"])
def test_bad_template_files(tmp_path: Path, content: str, expected: str, loader: Callable[[str], object]) -> None:
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="latin-1")
    with pytest.raises(InputError, match=expected):
        loader(str(path))


@pytest.mark.parametrize("template", ["ubuntu-web.json", "win2022-deployment.json"])
@pytest.mark.parametrize("loader", [load_template, load_source], ids=["run", "preflight"])
@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "parameters file .* no such file"),
        ("[1]", "parameters file .* expected an object of parameter values, got a list"),
        ("[" * 100_000, "parameters file .* too deeply"),
    ],
)
def test_a_named_parameters_file_must_be_readable(
    tmp_path: Path, template: str, loader: Callable[..., object], content: str | None, expected: str
) -> None:
    parameters = tmp_path / "p.json"
    if content is not None:
        parameters.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=expected):
        loader(str(EXAMPLES / template), str(parameters))


def test_keep_alive_on_linux_and_windows() -> None:
    linux = load_template(str(EXAMPLES / "ubuntu-web.json")).resource
    changed, notes = add_keep_alive(linux, 30)
    last = changed["properties"]["customize"][-1]
    assert last["type"] == "Shell" and "sleep 1800" in last["inline"] and KEEP_ALIVE_MARKER in last["inline"][0]
    assert changed["properties"]["buildTimeoutInMinutes"] == 90
    assert linux["properties"]["buildTimeoutInMinutes"] == 60, "the original is not changed"
    assert any("60 to 90" in note for note in notes)
    windows = {"properties": {"source": {"type": "PlatformImage", "publisher": "MicrosoftWindowsServer"}}}
    assert target_os(windows) == "windows"
    changed, notes = add_keep_alive(windows, 720)
    assert changed["properties"]["customize"][-1]["type"] == "PowerShell"
    assert changed["properties"]["buildTimeoutInMinutes"] == 960
    assert any("maximum" in note for note in notes)
    with pytest.raises(InputError, match="maximum of 960") as refused:
        add_keep_alive(windows, 721)
    assert "720 or less" in refused.value.hint


def test_ci_tags_and_where_they_go() -> None:
    github = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": "o/r",
        "GITHUB_RUN_ID": "42",
        "GITHUB_SHA": "abc",
    }
    assert detect(github).ci_tags() == {
        "aibcheck-run-url": "https://github.com/o/r/actions/runs/42",
        "aibcheck-repository": "o/r",
        "aibcheck-commit": "abc",
    }
    azdo = {
        "TF_BUILD": "True",
        "SYSTEM_COLLECTIONURI": "https://dev.azure.com/org/",
        "SYSTEM_TEAMPROJECT": "p",
        "BUILD_BUILDID": "7",
        "BUILD_REPOSITORY_NAME": "repo",
        "BUILD_SOURCEVERSION": "def",
    }
    assert detect(azdo).ci_tags()["aibcheck-run-url"] == "https://dev.azure.com/org/p/_build/results?buildId=7"
    assert detect({}).ci_tags() == {}
    tagged = add_tags(load_template(str(EXAMPLES / "ubuntu-web.json")).resource, {"team": "platform"})
    assert tagged["tags"] == {"purpose": "web", "team": "platform"}
    assert tagged["properties"]["distribute"][0]["artifactTags"] == {"team": "platform"}
    assert tagged["properties"]["managedResourceTags"] == {"team": "platform"}


def test_run_settings_come_from_the_environment(tmp_path: Path) -> None:
    from aibcheck.cli import parse_settings

    env = {
        "AIBCHECK_TEMPLATE": str(EXAMPLES / "ubuntu-web.json"),
        "AIBCHECK_SUBSCRIPTION": "sub-1",
        "AIBCHECK_RESOURCE_GROUP": "rg-1",
        "AIBCHECK_IF_EXISTS": "unique",
        "AIBCHECK_TAGS": "team=platform\ncost=42",
        "AIBCHECK_KEEP_ALIVE_MINUTES": "15",
    }
    settings = parse_settings(["run", "--delete", "never"], env)
    assert (settings.subscription, settings.resource_group, settings.if_exists) == ("sub-1", "rg-1", "unique")
    assert settings.tags == {"team": "platform", "cost": "42"} and settings.keep_alive_minutes == 15
    assert settings.delete == "never", "a flag wins over the environment"


def test_bad_policy_values_name_the_choices() -> None:
    from aibcheck.cli import parse_settings

    argv = ["run", "-t", "x.json", "--subscription", "s", "-g", "g", "--if-exists", "update"]
    with pytest.raises(InputError, match="fail, replace, unique"):
        parse_settings(argv, {})


def test_azure_pipelines_credential_for_a_service_connection() -> None:
    from azure.identity import AzurePipelinesCredential, DefaultAzureCredential

    from aibcheck.cloud.clouds import AZURE_CLOUD
    from aibcheck.cloud.credential import make_credential
    from aibcheck.cloud.network import Network

    connection = {
        "AZURESUBSCRIPTION_TENANT_ID": "t",
        "AZURESUBSCRIPTION_CLIENT_ID": "c",
        "AZURESUBSCRIPTION_SERVICE_CONNECTION_ID": "s",
        "SYSTEM_ACCESSTOKEN": "x",
    }
    assert isinstance(make_credential(connection, Network(), AZURE_CLOUD), AzurePipelinesCredential)
    assert isinstance(make_credential({}, Network(), AZURE_CLOUD), DefaultAzureCredential)
