"""A value a pattern captures fills a title only when it is whole, safe and leaves the sentence around it intact."""

from aibcheck.diagnose import diagnose_bytes


def test_a_value_ending_in_a_secrets_name_is_left_out_of_the_title() -> None:
    """Masking 'password:' in a title would take the bracket and full stop after it into the mask."""
    diagnosis = diagnose_bytes(b"==> azure-arm: Upload failed: password:\n  S3cretNextLine\n", "message")
    assert diagnosis.signature == "packer-file-transfer-failed"
    assert "password" not in diagnosis.title and diagnosis.title.count("(") == diagnosis.title.count(")")
    assert "S3cretNextLine" not in diagnosis.title + diagnosis.cause


def test_a_credential_cut_by_a_line_break_is_left_out_of_the_title() -> None:
    text = b"==> azure-arm: Upload failed: https://builder:S3cretPassw0rd\n@repo.example.com/x denied\n"
    diagnosis = diagnose_bytes(text, "message")
    assert diagnosis.signature == "packer-file-transfer-failed"
    assert "S3cretPassw0rd" not in diagnosis.title + diagnosis.cause
    assert all("S3cretPassw0rd" not in line.text for line in diagnosis.evidence)


def test_a_resource_group_name_does_not_take_the_sentences_full_stop() -> None:
    text = b"Build 'azure-arm' errored: Cannot locate the existing build resource group rg-build-agents.\n"
    assert diagnose_bytes(text, "message").title.endswith("(rg-build-agents)")
