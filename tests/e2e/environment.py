"""The environment an aibcheck process gets in the end-to-end tests: this machine's, minus anything that
would send a credential or a pipeline elsewhere, plus the local ARM's identity endpoint and CA."""

import os
import sys
from typing import TYPE_CHECKING

from tests.fakes.arm import FakeArm

if TYPE_CHECKING:
    from aibcheck.cloud.clouds import CloudEndpoints

_AWAY = ("AZURE_", "GITHUB_", "TF_BUILD", "AIBCHECK_")


def process_env(arm: FakeArm, extra: dict[str, str] | None = None) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(_AWAY)}
    return {
        **clean,
        **arm.identity_env,
        "REQUESTS_CA_BUNDLE": arm.ca_path,
        "PATH": os.path.dirname(sys.executable),
        # The fake subscription is empty, so preflight's online checks would refuse every build; the tests of
        # preflight within run turn it back on (tests/e2e/test_run_preflight.py).
        "AIBCHECK_PREFLIGHT": "off",
        **(extra or {}),
    }


def cloud_of(arm: FakeArm) -> "CloudEndpoints":
    """The cloud that the fake ARM describes by default, for tests that build an adapter without a command."""
    from aibcheck.cloud.clouds import CloudEndpoints

    return CloudEndpoints(arm.cloud_name, arm.url, arm.login_url, arm.arm_audience or arm.url, arm.storage_suffix)
