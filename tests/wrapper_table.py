"""The one table of the pipeline step's inputs (README "As a pipeline step"): input -> environment variable.

`mode` chooses the command rather than setting a variable. The Action, the task, its launcher and the CLI
are all checked against this table.
"""

INPUTS: dict[str, str | None] = {
    "mode": None,
    "template": "AIBCHECK_TEMPLATE",
    "log-file": "AIBCHECK_LOG_FILE",
    "subscription": "AIBCHECK_SUBSCRIPTION",
    "resource-group": "AIBCHECK_RESOURCE_GROUP",
    "name": "AIBCHECK_TEMPLATE_NAME",
    "location": "AIBCHECK_LOCATION",
    "parameters-file": "AIBCHECK_PARAMETERS_FILE",
    "parameters": "AIBCHECK_PARAMETERS",
    "if-exists": "AIBCHECK_IF_EXISTS",
    "delete-template": "AIBCHECK_DELETE",
    "tags": "AIBCHECK_TAGS",
    "keep-alive-minutes": "AIBCHECK_KEEP_ALIVE_MINUTES",
    "timeout-minutes": "AIBCHECK_JOB_TIMEOUT_MINUTES",
    "deadline-margin-minutes": "AIBCHECK_DEADLINE_MARGIN_MINUTES",
    "on-deadline": "AIBCHECK_ON_DEADLINE",
    "on-cancel": "AIBCHECK_ON_CANCEL",
    "comment": "AIBCHECK_COMMENT",
    "live-log": "AIBCHECK_LIVE_LOG",
    "arm-endpoint": "AIBCHECK_ARM_ENDPOINT",
    "poll-seconds": "AIBCHECK_POLL_SECONDS",
}

OUTPUTS = (
    "run-state",
    "category",
    "phase",
    "failed-customizer",
    "log-path",
    "image-id",
    "template-id",
    "staging-resource-group",
)
