"""Preflight as the commands call it: `aibcheck preflight` and the check at the start of `aibcheck run`."""

from aibcheck.ci.platform import Platform
from aibcheck.errors import InputError
from aibcheck.i18n import t
from aibcheck.preflight.engine import run_preflight
from aibcheck.preflight.model import PreflightResult
from aibcheck.settings import Settings


def check_template(
    settings: Settings, platform: Platform, template: str, offline: bool, name: str | None = None
) -> PreflightResult:
    """The template's findings, and the subscription's unless offline (which needs a subscription id)."""
    arm = None
    if not offline:
        if not settings.subscription:
            raise InputError(
                t("preflight.no-subscription"),
                t("preflight.no-subscription.hint"),
                input_name="subscription",
            )
        from aibcheck.cloud.clouds import resolve
        from aibcheck.cloud.network import Network
        from aibcheck.cloud.subscription import connect

        network = Network()
        cloud = resolve(settings.cloud, settings.arm_endpoint, network)
        arm = connect(settings.subscription, cloud, platform.env, network)
    job = settings.job_timeout_minutes
    return run_preflight(
        template,
        settings.parameters_file,
        dict(settings.parameters),
        offline=offline,
        arm=arm,
        resource_group=settings.resource_group or None,
        name=name or settings.template_name,
        location=settings.location,
        job_timeout_minutes=job if job is not None else platform.default_job_minutes(),
        on_deadline=settings.on_deadline,
        if_exists=settings.if_exists,
    )
