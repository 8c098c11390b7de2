"""What a report says about the build besides the diagnosis: which template, where its staging resources and
log are, and why the log could not be read when it could not."""

from dataclasses import dataclass


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
            ("template", self.template),
            ("resource group", self.resource_group),
            ("staging resource group", self.staging_group),
            ("build log", self.log_url),
            ("saved to", self.log_path),
            ("log not fetched", self.log_problem),
            ("diagnosed", self.diagnosed),
        ]
        return [(label, value) for label, value in rows if value]
