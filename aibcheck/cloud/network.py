"""What every Azure client of one command shares: time limits, retry budgets and the count of HTTP requests.

Every request has a connect and a read timeout, so a host that accepts connections and never answers costs a
bounded time; retries are bounded too. A counting policy sits after the retry policy of every ARM client (one
instance per client, one shared count), so it counts each HTTP request that went out (retries, polls and
storage-management lookups included); blob requests are counted apart. The credential's transport remembers
the last host it could not reach, because the credential chain reports only a list of credentials.
"""

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from azure.core.exceptions import AzureError, ClientAuthenticationError
from azure.core.pipeline import PipelineRequest, PipelineResponse
from azure.core.pipeline.policies import HTTPPolicy
from azure.core.pipeline.transport import RequestsTransport
from azure.storage.blob import ExponentialRetry

from aibcheck.errors import InputError
from aibcheck.i18n import t

CONNECT_SECONDS = 10  # a refused port fails at once; this bounds a host that drops the connection attempt
ARM_READ_SECONDS = 45  # ARM answers in seconds; three silent attempts stay well under three minutes
ARM_READ_RETRIES = 2
ARM_CALL_SECONDS = 170  # an absolute bound on one call, its retries included
SIGN_IN_READ_SECONDS = 30
SIGN_IN_RETRIES = 2
STORAGE_READ_SECONDS = 30
STORAGE_RETRIES = 2


def host_of(url: str) -> str:
    """scheme://host[:port] of a URL: what to name, without a path or a query that may carry a secret."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else url


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    pending: list[BaseException | None] = [exc]
    while pending and len(seen) < 12:
        current = pending.pop()
        if current is None or any(current is s for s in seen):
            continue
        seen.append(current)
        pending += [current.__cause__, current.__context__, getattr(current, "inner_exception", None)]
    return seen


def failure_kind(exc: BaseException) -> str | None:
    """How a request failed to reach its host, in words, or None when the host answered."""
    from azure.core.exceptions import ServiceRequestError, ServiceResponseError

    chain = _chain(exc)
    if not any(isinstance(e, ServiceRequestError | ServiceResponseError | OSError) for e in chain):
        return None
    text = " ".join(f"{type(e).__name__} {e}" for e in chain).lower()
    for words, kind in (
        (("name or service not known", "failed to resolve", "getaddrinfo", "nodename nor servname", "gaierror"),
         "the host name does not resolve"),
        (("connection refused", "connectionrefusederror"), "connection refused"),
        (("timed out", "timeout"), "no answer in time"),
        (("remotedisconnected", "connection aborted", "connection reset", "incompleteread"),
         "the connection was dropped"),
    ):  # fmt: skip
        if any(word in text for word in words):
            return kind
    return "cannot connect"


class RequestCounter:
    """The count of HTTP requests that went out, one per attempt, shared by every ARM client of one command."""

    def __init__(self, notice: Callable[[str], None] | None = None) -> None:
        self.count = 0
        self.notice = notice  # says why the log is quiet while a host does not answer

    def policy(self) -> HTTPPolicy:  # type: ignore[type-arg]
        """A policy for one client's pipeline: a policy instance links to the next one, so it is never shared."""
        return _Counting(self)


class _Counting(HTTPPolicy):  # type: ignore[type-arg]
    """Counts the requests of one pipeline into the shared count; notes a silent host so the log says why it waits."""

    def __init__(self, counter: RequestCounter) -> None:
        super().__init__()
        self._counter = counter

    def send(self, request: PipelineRequest) -> PipelineResponse:  # type: ignore[type-arg]
        try:
            response = self.next.send(request)
        except ClientAuthenticationError:
            raise  # the credential stopped it before anything went out
        except AzureError as exc:
            self._counter.count += 1
            if failure_kind(exc) == "no answer in time" and self._counter.notice is not None:
                self._counter.notice(silence(request.http_request.url))
            raise
        self._counter.count += 1
        return response


def silence(url: str) -> str:
    return t("azure.silent", host=host_of(url))


@dataclass
class Unreached:
    host: str
    kind: str


class _WatchedTransport(RequestsTransport):  # type: ignore[misc]
    """The credential's transport: remembers the last host it could not reach, forgets it on any answer."""

    def __init__(self, network: "Network", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._network = network

    def send(self, request: Any, **kwargs: Any) -> Any:
        try:
            response = super().send(request, **kwargs)
        except AzureError as exc:
            kind = failure_kind(exc)
            if kind is not None:
                self._network.unreached_sign_in = Unreached(host_of(request.url), kind)
            if kind == "no answer in time" and self._network.notice is not None:
                self._network.notice(silence(request.url))
            raise
        self._network.unreached_sign_in = None
        return response


def _check_ca_bundles(env: Mapping[str, str]) -> None:
    """A CA bundle that requests is told to use but cannot open would fail every request deep inside requests."""
    for variable in ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        path = env.get(variable)
        if path and not os.path.exists(path):
            raise InputError(t("network.no-ca-bundle", variable=variable, path=path), t("network.no-ca-bundle.hint"))


class Network:
    """The shared settings and counts of one command's Azure clients."""

    def __init__(self, notice: Callable[[str], None] | None = None) -> None:
        _check_ca_bundles(os.environ)
        self.notice = notice  # says why the log is quiet while a host does not answer
        self.arm = RequestCounter(notice)
        self.storage_requests = 0
        self.unreached_sign_in: Unreached | None = None

    def arm_options(self) -> dict[str, Any]:
        return {
            "per_retry_policies": [self.arm.policy()],
            "connection_timeout": CONNECT_SECONDS,
            "read_timeout": ARM_READ_SECONDS,
            "retry_read": ARM_READ_RETRIES,
            "timeout": ARM_CALL_SECONDS,
        }

    def storage_options(self) -> dict[str, Any]:
        return {
            "raw_request_hook": self._count_storage,
            "connection_timeout": CONNECT_SECONDS,
            "read_timeout": STORAGE_READ_SECONDS,
            "retry_policy": ExponentialRetry(initial_backoff=2, increment_base=2, retry_total=STORAGE_RETRIES),
        }

    def credential_options(self) -> dict[str, Any]:
        transport = _WatchedTransport(self, connection_timeout=CONNECT_SECONDS, read_timeout=SIGN_IN_READ_SECONDS)
        return {"transport": transport, "retry_total": SIGN_IN_RETRIES}

    def _count_storage(self, request: Any) -> None:
        self.storage_requests += 1

    def summary(self) -> str:
        return t("build.requests", arm=self.arm.count, storage=self.storage_requests)
