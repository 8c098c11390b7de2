"""Azure SDK errors in aibcheck's own words (cloud.failures), in English and in Chinese: every way a host can fail
to answer has its words in both, and the messages keep the host without the path or query that may hold a secret."""

import socket

import pytest
from azure.core.exceptions import ClientAuthenticationError, HttpResponseError, ServiceRequestError

from aibcheck import i18n
from aibcheck.cloud.failures import translate
from aibcheck.cloud.network import Network, Unreached, failure_kind
from aibcheck.errors import AzureAccessError, AzureTransient, AzureUnreachable
from tests.language_check import english_runs

URL = "https://arm.example:8443/subscriptions/0000/x?sig=secret"
CAUSES = [
    (socket.gaierror("Name or service not known"), "the host name does not resolve", "无法解析主机名"),
    (ConnectionRefusedError("[Errno 111] Connection refused"), "connection refused", "连接被拒绝"),
    (TimeoutError("timed out"), "no answer in time", "未及时应答"),
    (ConnectionResetError("Connection reset by peer"), "the connection was dropped", "连接中断"),
    (OSError("something else"), "cannot connect", "无法连接"),
]


def _unreached(cause: BaseException) -> ServiceRequestError:
    error = ServiceRequestError("request failed")
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(("cause", "english", "chinese"), CAUSES, ids=[c[1] for c in CAUSES])
def test_an_unreachable_host_in_both_languages(cause: BaseException, english: str, chinese: str) -> None:
    error = _unreached(cause)
    assert failure_kind(error) == english
    found = translate(error, "Azure Resource Manager", URL, Network())
    assert isinstance(found, AzureUnreachable)
    assert found.message == f"cannot reach Azure Resource Manager at https://arm.example:8443 ({english})"
    with i18n.language("zh-CN"):
        found = translate(error, "Azure Resource Manager", URL, Network())
    assert found.message == f"无法访问位于 https://arm.example:8443 的 Azure Resource Manager（{chinese}）"
    assert "secret" not in found.render() and not english_runs(found.render())


@pytest.mark.parametrize(("kind", "english", "chinese"), [(c[1], c[1], c[2]) for c in CAUSES])
def test_an_unreachable_sign_in_endpoint_in_both_languages(kind: str, english: str, chinese: str) -> None:
    network = Network()
    network.unreached_sign_in = Unreached("https://login.example", kind)
    found = translate(ClientAuthenticationError("no token"), "Azure Resource Manager", URL, network)
    assert found.message == f"cannot reach the sign-in endpoint https://login.example ({english})"
    with i18n.language("zh-CN"):
        found = translate(ClientAuthenticationError("no token"), "Azure Resource Manager", URL, network)
    assert chinese in found.message and not english_runs(found.render())


def _answered(status: int) -> HttpResponseError:
    error = HttpResponseError(message="Something went wrong in the service.")
    error.status_code = status
    return error


@pytest.mark.parametrize(
    ("status", "kind", "english", "chinese"),
    [
        (503, AzureTransient, "the storage account answered HTTP 503: ", "存储帐户 返回了 HTTP 503："),
        (403, AzureAccessError, "Azure refused the request (403): ", "Azure 拒绝了请求（403）："),
        (409, AzureAccessError, "Azure refused the request (HTTP 409): ", "Azure 拒绝了请求（HTTP 409）："),
    ],
)
def test_an_answered_failure_in_both_languages(status: int, kind: type, english: str, chinese: str) -> None:
    found = translate(_answered(status), i18n.t("azure.storage"), URL, Network())
    assert isinstance(found, kind) and found.message.startswith(english), found.message
    with i18n.language("zh-CN"):
        found = translate(_answered(status), i18n.t("azure.storage"), URL, Network())
        prefix = i18n.t("error.prefix")
    assert found.message.startswith(chinese), found.message
    # the service's own words stay as they are; aibcheck's are Chinese
    assert not english_runs(found.render().removeprefix(prefix).replace("Something went wrong in the service.", ""))
