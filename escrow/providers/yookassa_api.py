"""A small client of the YooKassa API v3 (https://yookassa.ru/developers/api), over plain HTTP.

Why not the official `yookassa` SDK: it keeps one account in a process-wide `Configuration`,
while payments (the shop's id and key) and payouts (the payout gateway's agent id and key)
are two accounts used by the same worker at once; and its address is fixed, where the tests
point the client at a local server that speaks the same protocol (tests/fakes/yookassa.py).
What we use is a handful of JSON requests; this file is all of it.

The rules it follows are YooKassa's:
- every POST carries an `Idempotence-Key`; the same key within 24 hours returns the first
  result, so a request whose answer was lost is sent again with the same key;
- 429 and 5xx mean "try again later" (a 500's result is unknown: the same key finds out);
- 401 is a wrong shop id or key: a configuration error, never retried;
- 400/403/404 are answers about the request itself.
"""

import json
import logging
import random
import time
from dataclasses import dataclass

import requests

from .base import ProviderUnavailableError

logger = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class YooKassaError(Exception):
    """The API answered with an error about the request (4xx other than 429)."""

    def __init__(self, status: int, code: str = "", description: str = "", parameter: str = ""):
        super().__init__(f"{status} {code}: {description}" + (f" ({parameter})" if parameter else ""))
        self.status, self.code, self.description, self.parameter = status, code, description, parameter


class YooKassaAuthError(YooKassaError):
    """401: the account id or the secret key is wrong (check YOOKASSA_* settings)."""


class YooKassaNotFoundError(YooKassaError):
    """404: no such object at the provider."""


@dataclass(frozen=True)
class Account:
    account_id: str
    secret_key: str


class YooKassaClient:
    def __init__(
        self,
        *,
        account: Account,
        base_url: str,
        timeout: float = 20.0,
        attempts: int = 4,
        backoff: float = 0.5,
        session: requests.Session | None = None,
    ):
        self.account = account
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.session = session or requests.Session()

    def get(self, path: str) -> dict:
        return self._request("GET", path)

    def post(self, path: str, body: dict, *, idempotence_key: str) -> dict:
        return self._request("POST", path, body=body, idempotence_key=idempotence_key)

    def _request(self, method: str, path: str, *, body: dict | None = None, idempotence_key: str = "") -> dict:
        url = f"{self.base_url}/{path.lstrip('/')}"
        headers = {"Accept": "application/json"}
        data = None
        if body is not None:
            headers["Content-Type"] = "application/json"
            data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        if idempotence_key:
            headers["Idempotence-Key"] = idempotence_key
        last = ""
        for attempt in range(1, self.attempts + 1):
            try:
                response = self.session.request(
                    method,
                    url,
                    data=data,
                    headers=headers,
                    auth=(self.account.account_id, self.account.secret_key),
                    timeout=self.timeout,
                )
            except requests.RequestException as exc:
                # No answer: the same idempotence key on the next try finds out what happened.
                last = f"{type(exc).__name__}: {exc}"
                wait = self._pause(attempt)
            else:
                if response.status_code < 400:
                    return _json(response)
                if response.status_code not in RETRY_STATUSES:
                    raise _error(response)
                last = f"HTTP {response.status_code}"
                wait = self._pause(attempt, retry_after=response.headers.get("Retry-After"))
            if attempt == self.attempts:
                break
            logger.info("YooKassa %s %s: %s; trying again in %.1f s", method, path, last, wait)
            time.sleep(wait)
        logger.warning("YooKassa %s %s gave up after %s attempts: %s", method, path, self.attempts, last)
        raise ProviderUnavailableError(f"YooKassa {method} {path}: {last}")

    def _pause(self, attempt: int, retry_after: str | None = None) -> float:
        if retry_after:
            try:
                return min(max(float(retry_after), 0.0), 30.0)
            except ValueError:
                pass
        return self.backoff * (2 ** (attempt - 1)) * (1 + random.random() / 4)


def _json(response: requests.Response) -> dict:
    try:
        data = response.json()
    except ValueError:
        raise ProviderUnavailableError(f"YooKassa answered {response.status_code} without JSON") from None
    if not isinstance(data, dict):
        raise ProviderUnavailableError("YooKassa answered with something other than an object")
    return data


def _error(response: requests.Response) -> YooKassaError:
    try:
        data = response.json()
    except ValueError:
        data = {}
    if not isinstance(data, dict):
        data = {}
    args = (
        response.status_code,
        str(data.get("code") or ""),
        str(data.get("description") or ""),
        str(data.get("parameter") or ""),
    )
    if response.status_code == 401:
        logger.error("YooKassa refused the credentials: %s", data.get("description"))
        return YooKassaAuthError(*args)
    if response.status_code == 404:
        return YooKassaNotFoundError(*args)
    return YooKassaError(*args)
