"""What a report says about the build besides the diagnosis: which template, where its staging resources and
log are, and why the log could not be read when it could not."""

from dataclasses import dataclass

from aibcheck.i18n import t


@dataclass(frozen=True)
class BuildContext:
    template: str = ""
    resource_group: str = ""
    staging_group: str = ""
    log_path: str = ""
    log_url: str = ""
    log_problem: str = ""  # why the build log could not be fetched
    diagnosed: str = ""  # what was diagnosed, when it was not a fetched build log

    def rows(self) -> list[tuple[str, str]]:
        rows = [
            (t("label.template"), self.template),
            (t("label.resource-group"), self.resource_group),
            (t("label.staging-group"), self.staging_group),
            (t("label.build-log"), self.log_url),
            (t("label.saved-to"), self.log_path),
            (t("label.log-not-fetched"), self.log_problem),
            (t("label.diagnosed"), self.diagnosed),
        ]
        return [(label, value) for label, value in rows if value]
