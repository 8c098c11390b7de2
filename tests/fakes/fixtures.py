"""pytest fixtures for Azurite and FakeArm with storage attached.

Load them in a test module with ``pytest_plugins = ["tests.fakes.fixtures"]`` (allowed in test modules and in the
root ``tests/conftest.py``; not in nested conftest files). See ``tests/fakes/README.md``.

* ``test_ca`` (session): one trustme CA for FakeArm and the HTTPS Azurite, so ``arm.ca_path`` and
  ``azurite.ca_path`` are the same CA and one bundle (``REQUESTS_CA_BUNDLE``/``connection_verify``) serves both.
* ``azurite_https_server`` / ``azurite_http_server`` (session): Azurite over HTTPS with ``--oauth basic`` and a
  service-like 24-character account, and over http with ``devstoreaccount1``. Started once per session, only when
  a test asks for them.
* ``azurite`` / ``azurite_http`` (function): the same servers, emptied before the test (every blob deleted).
* ``azure_env`` (function): clears the ``AZURE_*``/MSI/proxy variables that would make credentials wander.
* ``arm_storage`` (function): a ``FakeArm`` on ``test_ca`` with ``attach_storage(azurite)``, its identity
  variables set in the environment (via monkeypatch).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import trustme

from tests.fakes.arm import FakeArm
from tests.fakes.azurite import Azurite, service_like_account_name

CLEAR_ENV = (
    "AZURE_CLIENT_ID",
    "AZURE_TENANT_ID",
    "AZURE_CLIENT_SECRET",
    "AZURE_CLIENT_CERTIFICATE_PATH",
    "AZURE_USERNAME",
    "AZURE_PASSWORD",
    "AZURE_FEDERATED_TOKEN_FILE",
    "AZURE_TOKEN_CREDENTIALS",
    "AZURE_STORAGE_CONNECTION_STRING",
    "IDENTITY_SERVER_THUMBPRINT",
    "IDENTITY_ENDPOINT",
    "IDENTITY_HEADER",
    "IMDS_ENDPOINT",
    "MSI_ENDPOINT",
    "MSI_SECRET",
    "REQUESTS_CA_BUNDLE",
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
)


@pytest.fixture(scope="session")
def test_ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="session")
def azurite_https_server(test_ca: trustme.CA) -> Iterator[Azurite]:
    with Azurite(https=True, account_name=service_like_account_name(), ca=test_ca) as az:
        yield az


@pytest.fixture(scope="session")
def azurite_http_server() -> Iterator[Azurite]:
    with Azurite() as az:
        yield az


@pytest.fixture
def azurite(azurite_https_server: Azurite) -> Azurite:
    azurite_https_server.clear()
    return azurite_https_server


@pytest.fixture
def azurite_http(azurite_http_server: Azurite) -> Azurite:
    azurite_http_server.clear()
    return azurite_http_server


@pytest.fixture
def azure_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for var in CLEAR_ENV:
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    return monkeypatch


@pytest.fixture
def arm_storage(azure_env: pytest.MonkeyPatch, azurite: Azurite, test_ca: trustme.CA) -> Iterator[FakeArm]:
    with FakeArm(ca=test_ca) as arm:
        arm.attach_storage(azurite)
        for k, v in arm.identity_env.items():
            azure_env.setenv(k, v)
        yield arm
