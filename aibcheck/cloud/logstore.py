"""The build log in the staging storage account, through azure-storage-blob and azure-mgmt-storage (LogStorePort).

Reading uses the pipeline's own credential (it needs Storage Blob Data Reader on the account); when that is
refused and the caller may list the account's keys, a key is used instead. A staging group's account is looked
up in ARM once: ARM requests are what a subscription is throttled on. Every failure leaves here as one of
aibcheck's errors: LogUnavailable when the log is not there or may not be read, else those of cloud.failures.
"""

from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any, TypeVar

from azure.core.exceptions import AzureError, HttpResponseError, ResourceNotFoundError
from azure.core.rest import HttpRequest
from azure.mgmt.storage import StorageManagementClient
from azure.storage.blob import BlobClient, ContainerClient

from aibcheck.cloud.clouds import CloudEndpoints
from aibcheck.cloud.failures import translate
from aibcheck.cloud.network import Network
from aibcheck.errors import LogUnavailable
from aibcheck.i18n import t
from aibcheck.logs.location import BLOB_READER, CONTAINER, LOG_NAME, LogLocation, blob_endpoint

T = TypeVar("T")

RESOURCES_API = "2021-04-01"
# The SDK's first read is 32 MiB by default, held several times over; 4 MiB reads keep memory flat.
_CHUNK = 4 * 1024 * 1024


def _group_name(group_id: str) -> str:
    return group_id.rstrip("/").split("/")[-1]


class LogStore:
    def __init__(self, credential: Any, subscription: str, cloud: CloudEndpoints, network: Network) -> None:
        self._credential = credential
        self._subscription = subscription
        self._cloud = cloud
        self._arm_endpoint, self._network = cloud.arm, network
        self._management = StorageManagementClient(
            credential,
            subscription,
            base_url=cloud.arm,
            credential_scopes=[cloud.arm_scope],
            **network.arm_options(),
        )
        self._keys: dict[str, str] = {}
        self._accounts: dict[str, list[tuple[str, str]]] = {}  # staging group -> [(account, blob endpoint)]

    def _arm(self, function: Callable[[], T]) -> T:
        try:
            return function()
        except AzureError as exc:
            raise translate(exc, t("azure.arm"), self._arm_endpoint, self._network) from exc

    # -- finding -----------------------------------------------------------------------------------
    def locate(self, found: LogLocation | None, staging_group: str | None, run: str | None = None) -> LogLocation:
        """Complete what the message said (or did not) with the staging group's account and the newest run."""
        group = (found.staging_group if found else None) or staging_group
        if group:  # ARM's own record of the account's endpoint beats the host written in a message
            account, endpoint = self._account_in(group, found.account if found else None)
            found = LogLocation(account, found.blob if found else None, endpoint, group, self._cloud.storage_suffix)
        elif found is None or found.blob_endpoint is None:
            raise LogUnavailable(t("log.location-unknown"))
        if run is not None or found.blob is None:
            found = replace(found, blob=self._run_blob(found, run))
        return found

    def staging_group_by_tags(self, template: str, template_group: str) -> str | None:
        """The IT_ group the service tagged with the template's name and group, when the template does not say.

        The name itself is not rebuilt: the service truncates it.
        """
        url = (
            f"/subscriptions/{self._subscription}/resourcegroups?api-version={RESOURCES_API}"
            f"&$filter=tagName eq 'imageTemplateName' and tagValue eq '{template}'"
        )
        response = self._arm(lambda: self._management.send_request(HttpRequest("GET", url)))
        self._arm(response.raise_for_status)
        groups = [
            g
            for g in response.json().get("value", [])
            if str((g.get("tags") or {}).get("imageTemplateResourceGroupName", "")).lower() == template_group.lower()
        ]
        return str(groups[0]["id"]) if groups else None

    def _account_in(self, group_id: str, wanted: str | None) -> tuple[str, str]:
        group = _group_name(group_id)
        accounts = self._accounts.get(group.lower())
        if accounts is None:
            listed = self._arm(lambda: list(self._management.storage_accounts.list_by_resource_group(group)))
            accounts = [(str(a.name), self._blob_endpoint(a)) for a in listed if a.name]
            if accounts:  # an empty group may still get its account: look again next time
                self._accounts[group.lower()] = accounts
        matching = [a for a in accounts if wanted in (None, a[0])]
        if not matching:
            raise LogUnavailable(t("log.no-account", account=f" {wanted}" if wanted else "", group=group))
        return matching[0]

    def _blob_endpoint(self, account: Any) -> str:
        """The endpoint ARM reports for the account, else the one its name has under the cloud's storage suffix."""
        reported = account.primary_endpoints.blob if account.primary_endpoints else None
        if reported:
            return str(reported)
        if not self._cloud.storage_suffix:
            raise LogUnavailable(t("cloud.no-blob-endpoint", account=account.name, cloud=self._cloud.name))
        return blob_endpoint(str(account.name), self._cloud.storage_suffix)

    def _run_blob(self, location: LogLocation, run: str | None) -> str:
        """The customization.log of the given run, or of the newest run by last-modified time."""
        # Clients are made inside the guarded call, so that a retry with an account key uses the key.
        listed = self._guarded(location, lambda: list(self._container(location).list_blobs()))
        logs = [b for b in listed if b.name.endswith(LOG_NAME)]
        if run is not None:
            logs = [b for b in logs if b.name.split("/", 1)[0] == run]
        if not logs:
            where = f"{location.url.rsplit('/', 1)[0]}" if location.blob else location.url
            for_run = t("log.for-run", run=run) if run else ""
            raise LogUnavailable(t("log.no-log", log=LOG_NAME, run=for_run, where=where))
        return str(max(logs, key=lambda b: b.last_modified).name)

    # -- reading -----------------------------------------------------------------------------------
    @property
    def secrets(self) -> list[str]:
        """Account keys this store had to use: the pipeline masks them."""
        return list(self._keys.values())

    def _auth(self, location: LogLocation, endpoint: str) -> dict[str, Any]:
        """An account key this store had to use, else the credential with the cloud's storage audience."""
        key = self._keys.get(location.account)
        if key is not None:
            return {"credential": key}
        return {"credential": self._credential, "audience": self._cloud.storage_audience(endpoint)}

    def _container(self, location: LogLocation) -> ContainerClient:
        endpoint = (location.blob_endpoint or "").rstrip("/")
        return ContainerClient(
            endpoint,
            CONTAINER,
            **self._auth(location, endpoint),
            max_single_get_size=_CHUNK,
            max_chunk_get_size=_CHUNK,
            **self._network.storage_options(),
        )

    def _blob(self, location: LogLocation) -> BlobClient:
        endpoint = (location.blob_endpoint or "").rstrip("/")
        return BlobClient(
            endpoint,
            CONTAINER,
            location.blob or "",
            **self._auth(location, endpoint),
            max_single_get_size=_CHUNK,
            max_chunk_get_size=_CHUNK,
            **self._network.storage_options(),
        )

    def _guarded(self, location: LogLocation, action: Callable[[], T]) -> T:
        """Run a storage call; on a refusal of the token, retry once with an account key."""
        try:
            return self._storage(location, action)
        except HttpResponseError as exc:
            if exc.status_code != 403 or location.account in self._keys:
                raise self._refused(location, exc) from exc
        self._keys[location.account] = self._list_key(location)
        try:
            return self._storage(location, action)
        except HttpResponseError as exc:
            raise self._refused(location, exc) from exc

    def _storage(self, location: LogLocation, action: Callable[[], T]) -> T:
        """A storage call; what is not an answer from the account (no connection, no answer) is translated here."""
        try:
            return action()
        except HttpResponseError as exc:
            if exc.status_code is None or exc.status_code in (429,) or exc.status_code >= 500:
                raise translate(exc, t("azure.storage"), location.url, self._network) from exc
            raise
        except AzureError as exc:
            raise translate(exc, t("azure.storage"), location.url, self._network) from exc

    def _list_key(self, location: LogLocation) -> str:
        if not location.staging_group:
            raise self._refused(location, None)
        group = _group_name(location.staging_group)
        try:
            keys = self._management.storage_accounts.list_keys(group, location.account)
        except HttpResponseError as exc:
            if exc.status_code is not None and (exc.status_code == 429 or exc.status_code >= 500):
                raise translate(exc, t("azure.arm"), self._arm_endpoint, self._network) from exc
            raise self._refused(location, exc) from exc
        except AzureError as exc:
            raise translate(exc, t("azure.arm"), self._arm_endpoint, self._network) from exc
        return str(keys["keys"][0]["value"])

    def _refused(self, location: LogLocation, exc: HttpResponseError | None) -> LogUnavailable:
        scope = (
            f"{location.staging_group}/providers/Microsoft.Storage/storageAccounts/{location.account}"
            if location.staging_group
            else t("log.the-account", account=location.account)
        )
        if isinstance(exc, ResourceNotFoundError):
            return LogUnavailable(t("log.gone", url=location.url))
        reason = f" ({exc.status_code} {getattr(exc.error, 'code', '') or ''})".replace(" )", ")") if exc else ""
        return LogUnavailable(
            t("log.refused", url=location.url, reason=reason), t("log.refused.hint", role=BLOB_READER, scope=scope)
        )

    def size(self, location: LogLocation) -> int:
        return int(self._guarded(location, lambda: self._blob(location).get_blob_properties()).size)

    def chunks(self, location: LogLocation, offset: int = 0, length: int | None = None) -> Iterator[bytes]:
        """The blob's bytes from offset, in the SDK's chunks (never the whole blob in memory)."""
        downloader = self._guarded(location, lambda: self._blob(location).download_blob(offset=offset, length=length))
        pieces = downloader.chunks()
        while True:
            try:
                piece = self._storage(location, lambda: next(pieces, None))
            except HttpResponseError as exc:
                raise self._refused(location, exc) from exc
            if piece is None:
                return
            yield piece
