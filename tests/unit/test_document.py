"""JSON and Format-List inputs become logical lines that keep their input line numbers."""

import json

from aibcheck.diagnose.document import format_list_lines, json_lines
from aibcheck.taxonomy import Phase


def test_nested_status_message_and_submission_hint() -> None:
    inner = {
        "status": "Failed",
        "error": {
            "code": "ResourceDeploymentFailure",
            "details": [{"code": "InternalOperationError", "message": "Internal error occurred."}],
        },
    }
    raw = json.dumps(
        {
            "properties": {
                "provisioningState": "Failed",
                "provisioningError": {"provisioningErrorCode": "BadSourceType", "message": "bad source"},
                "statusMessage": json.dumps(inner),
            },
        },
        indent=2,
    )
    lines = json_lines(raw)
    assert lines is not None
    by_text = {text: (number, hint) for number, text, hint in lines}
    assert by_text["provisioningErrorCode: BadSourceType"] == (5, Phase.SUBMISSION)
    assert by_text["message: Internal error occurred."][0] == 8
    assert json_lines("{not json") is None


def test_format_list_joins_wrapped_values() -> None:
    raw = (
        "Name                 : t1\n"
        "LastRunStatusMessage : Failed while waiting for packerizer: Timeout waiting for microservice to comp\n"
        "                       lete: 'context deadline exceeded'\n"
        "ProvisioningErrorMessage : bad\n"
    )
    lines = format_list_lines(raw)
    assert lines[1] == (
        2,
        "LastRunStatusMessage: Failed while waiting for packerizer: Timeout waiting for microservice to "
        "complete: 'context deadline exceeded'",
        None,
    )
    assert lines[2] == (4, "ProvisioningErrorMessage: bad", Phase.SUBMISSION)


def test_format_list_keeps_the_space_where_a_value_was_wrapped_at_a_word() -> None:
    # PowerShell wraps at word boundaries (the space ends the line and is often trimmed when copied) and
    # cuts only words longer than the line, which then fills the whole width.
    raw = (
        "Name                 : t1\n"
        "LastRunStatusMessage : Failed in distributing 1 images out of total 1: Error publishing MDI to\n"
        "                       shared image gallery:/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Com\n"
        "                       pute/galleries/sig01. Not authorized to access the resource.\n"
    )
    message = format_list_lines(raw)[1][1]
    assert "Error publishing MDI to shared image gallery:/subscriptions/" in message
    assert "/providers/Microsoft.Compute/galleries/sig01. Not authorized" in message


def test_format_list_keeps_trailing_spaces_that_survived() -> None:
    raw = "Name    : t1\nMessage : Internal error \n          occurred.\nOther   : x\n"
    assert format_list_lines(raw)[1][1] == "Message: Internal error occurred."
