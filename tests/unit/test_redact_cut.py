"""A URL credential cut at the end of a line is masked; an address with a port at the end of a line is not."""

import pytest

from aibcheck.redact import redact


@pytest.mark.parametrize(
    "line",
    [
        "cannot reach Azure Resource Manager at https://127.0.0.1:41891",
        "--arm-endpoint https://127.0.0.1:41891)",
        "see https://proxy.example.com:8443.",
    ],
)
def test_an_address_with_a_port_ending_a_line_is_kept(line: str) -> None:
    assert redact(line) == line


def test_a_credential_cut_before_its_at_sign_is_masked() -> None:
    assert redact("Upload failed: https://builder:S3cretPassw0rd") == "Upload failed: https://builder:***"
