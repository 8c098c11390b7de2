"""User-facing errors and the exit codes they map to (documented in the README)."""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FAILURE = 1  # reserved for commands whose job failed (a build that failed)
    USAGE = 2  # bad flags, or an input that cannot be read
    AZURE_ACCESS = 3  # authentication failed, or a permission is missing
    TEMPLATE_CONFLICT = 4  # a template of that name exists, or is busy, and the chosen policy says stop
    LOG_UNAVAILABLE = 5  # the build log cannot be found or read
    INTERNAL = 70  # a bug in aibcheck: please report it


class AibcheckError(Exception):
    """An error meant for the user: what is wrong, what was expected, what to do."""

    exit_code: ExitCode = ExitCode.FAILURE

    def __init__(self, message: str, hint: str = "", *, input_name: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.input_name = input_name  # the pipeline step's input that holds the bad value, when one does

    def render(self) -> str:
        from aibcheck.i18n import t

        return t("error.prefix") + self.message + (t("error.hint", hint=self.hint) if self.hint else "")


class InputError(AibcheckError):
    """The input to diagnose is missing, unreadable or of a form we cannot read."""

    exit_code = ExitCode.USAGE


class CatalogueError(AibcheckError):
    """A signature file in the catalogue is malformed."""

    exit_code = ExitCode.INTERNAL


class AzureAccessError(AibcheckError):
    """Azure refused who we are or what we asked (authentication, a missing role, a refused request)."""

    exit_code = ExitCode.AZURE_ACCESS


class AzureUnreachable(AzureAccessError):
    """Azure (ARM, the sign-in endpoint or storage) could not be reached: refused, unknown host, or silent."""


class AzureTransient(AzureAccessError):
    """Azure answered, but with an error that usually passes (429, 5xx), and went on doing so through retries."""


class TemplateConflict(AibcheckError):
    """A template of that name exists (or is running) and the policy does not allow touching it."""

    exit_code = ExitCode.TEMPLATE_CONFLICT


class LogUnavailable(AibcheckError):
    """The build log cannot be found or read; the message says where it is and what is missing."""

    exit_code = ExitCode.LOG_UNAVAILABLE
