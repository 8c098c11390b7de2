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
