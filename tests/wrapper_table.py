"""The one table of the pipeline step's inputs and outputs (README "As a pipeline step").

Inputs: input -> environment variable. `mode` chooses the command rather than setting a variable. The Action,
the task, its launcher and the CLI are all checked against this table.

Outputs: the CLI and the GitHub Action name them with hyphens (`run-state`); the Azure DevOps task names them in
camelCase (`runState`), because task.json output names must match `^[A-Za-z][A-Za-z0-9]*$` and a name with a
hyphen cannot be read back as an environment variable from a script.
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
    "job-timeout-minutes": "AIBCHECK_JOB_TIMEOUT_MINUTES",
    "deadline-margin-minutes": "AIBCHECK_DEADLINE_MARGIN_MINUTES",
    "on-deadline": "AIBCHECK_ON_DEADLINE",
    "on-cancel": "AIBCHECK_ON_CANCEL",
    "preflight": "AIBCHECK_PREFLIGHT",
    "comment": "AIBCHECK_COMMENT",
    "live-log": "AIBCHECK_LIVE_LOG",
    "arm-endpoint": "AIBCHECK_ARM_ENDPOINT",
    "poll-seconds": "AIBCHECK_POLL_SECONDS",
    "lang": "AIBCHECK_LANG",
}

OUTPUTS = (
    "run-state",
    "category",
    "phase",
    "failed-customizer",
    "log-path",
    "log-url",
    "image-id",
    "image-uri",
    "run-outputs",
    "template-id",
    "template-name",
    "staging-resource-group",
)


def camel(name: str) -> str:
    """The Azure DevOps spelling of a hyphenated name: resource-group is resourceGroup, run-state is runState."""
    head, *rest = name.split("-")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


TASK_OUTPUTS = tuple(camel(name) for name in OUTPUTS)
