"""Secrets planted in a log never reach any output format."""

import json
from pathlib import Path

import pytest
from test_cli import aibcheck

from aibcheck.redact import redact

SECRETS = {
    "sas": "sig=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA%3D%3D",
    "bearer": "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL21hbmFnZW1lbnQifQ.c2lnbmF0dXJl",
    "password": "Hunter2-Plain!",
    "account_key": "A" * 40 + "b" * 46 + "==",
    "client_secret": "s3cr3t-Value~xyz",
}
LOG = f"""[op] PACKER ERR 2026/03/04 10:00:00 [INFO] (telemetry) Starting provisioner shell
[op] PACKER OUT     azure-arm: curl -o a.zip "https://acct.blob.core.windows.net/c/a.zip?sv=2022-11-02&se=2026-01-01&sp=r&{SECRETS["sas"]}"
[op] PACKER OUT     azure-arm: curl -H "Authorization: Bearer {SECRETS["bearer"]}" https://example.invalid
[op] PACKER OUT     azure-arm: net user builder /add --password={SECRETS["password"]}
[op] PACKER OUT     azure-arm: DefaultEndpointsProtocol=https;AccountName=acct;AccountKey={SECRETS["account_key"]};EndpointSuffix=core.windows.net
[op] PACKER OUT     azure-arm: az login --service-principal -u app --password {SECRETS["password"]} client_secret={SECRETS["client_secret"]}
[op] PACKER ERR ==> azure-arm: Script exited with non-zero exit status: 1. Allowed exit codes are: [0] sig=Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA%3D%3D password={SECRETS["password"]}
[op] PACKER ERR 2026/03/04 10:01:00 [INFO] (telemetry) ending shell
[op] PACKER OUT Build 'azure-arm' errored after 1 minute: Script exited with non-zero exit status: 1. Bearer {SECRETS["bearer"]}
"""


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_no_planted_secret_in_any_format(tmp_path: Path, fmt: str) -> None:
    log = tmp_path / "customization.log"
    log.write_text(LOG, encoding="utf-8")
    result = aibcheck("diagnose", "--format", fmt, str(log))
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode()
    for name, secret in SECRETS.items():
        value = secret.removeprefix("sig=")
        assert value not in out, name
    assert "curl -o a.zip" in out or fmt == "json" or "Script exited" in out
    if fmt == "json":
        data = json.loads(out)
        assert data["customizer_output"], "the planted lines are part of the customizer output"


@pytest.mark.parametrize(
    ("raw", "kept"),
    [
        ("https://a.blob.core.windows.net/x?sv=1&sig=abc%2F123", "https://a.blob.core.windows.net/x?sv="),
        ("Authorization: Bearer abcdefghijklmnop", "Authorization: Bearer ***"),
        ("--password 'p w'", "--password ***"),
        ('-Password "x"', "-Password ***"),
        ('"client_secret": "abc"', '"client_secret": ***'),
        ("AccountKey=abc/def+==;", "AccountKey=***;"),
        ("ConvertTo-SecureString 'P@ss' -AsPlainText", "ConvertTo-SecureString *** -AsPlainText"),
        ("https://user:pw@host/path", "https://user:***@host/path"),
        ("the key vault is fine", "the key vault is fine"),
        ("Set-ItemProperty -Name Key -Value 1", "Set-ItemProperty -Name Key -Value 1"),
        ("ssh-keygen -t rsa", "ssh-keygen -t rsa"),
        ("secret_key => 'Xy7Abc123'", "secret_key => ***"),
        ("aws_secret_access_key = AbC/123+xyz", "aws_secret_access_key = ***"),
        ("ADMIN_PASS=Hq8Vt2Lm9Xz4", "ADMIN_PASS=***"),
        ("bypass=true", "bypass=true"),
    ],
)
def test_redact_table(raw: str, kept: str) -> None:
    assert kept in redact(raw)


@pytest.mark.parametrize(
    "text",
    [
        "Server=db;User Id=sa;Password=two words here;Encrypt=True",
        "Pwd=Sysprep Hunter2 failed;",
        "Data Source=db;password=a b c d e;",
    ],
)
def test_a_connection_string_value_with_spaces_is_masked_to_its_semicolon(text: str) -> None:
    masked = redact(text)
    assert "***" in masked
    assert not any(word in masked for word in ("two", "words", "Hunter2", " b c "))
