"""A person's browser, as far as the chaos tests need one: cookies, forms with their CSRF token,
redirects, a timeout on every request, and a record of what each request got and how long
it took. Plain http.client against gunicorn, with the headers of the HTTPS proxy in front
(X-Forwarded-Proto), so the site runs with its production settings (secure cookies, HSTS,
the SSL redirect)."""

from __future__ import annotations

import http.client
import re
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Response:
    method: str
    path: str
    status: int
    headers: dict[str, str]
    body: str
    started: float  # time.monotonic()
    seconds: float
    error: str = ""  # no answer at all (refused, reset, timed out)

    @property
    def location(self) -> str:
        target = urlsplit(self.headers.get("location", ""))
        return target.path + (f"?{target.query}" if target.query else "")

    def token(self) -> str:
        found = TOKEN.search(self.body)
        assert found, f"no CSRF token on {self.path} ({self.status})"
        return found.group(1)


@dataclass
class Browser:
    port: int
    name: str = "visitor"
    timeout: float = 15
    cookies: dict[str, str] = field(default_factory=dict)
    history: list[Response] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def request(self, method: str, path: str, *, form: dict | None = None, body: bytes | None = None,
                headers: dict | None = None) -> Response:  # fmt: skip
        sent = {
            "Host": f"127.0.0.1:{self.port}",
            "X-Forwarded-Proto": "https",
            "User-Agent": f"chaos-{self.name}",
            **(headers or {}),
        }
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if form is not None:
            body = urlencode(form, doseq=True).encode()
            sent["Content-Type"] = "application/x-www-form-urlencoded"
        if method == "POST":
            sent.setdefault("Origin", self.origin)
            sent.setdefault("Referer", self.origin + path)
        started = time.monotonic()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=sent)
            answer = connection.getresponse()
            text = answer.read().decode(errors="replace")
            response = Response(method, path, answer.status, {k.lower(): v for k, v in answer.getheaders()}, text,
                                started, time.monotonic() - started)  # fmt: skip
            self._keep_cookies(answer.msg.get_all("Set-Cookie") or [])
        except (OSError, http.client.HTTPException) as error:
            response = Response(method, path, 0, {}, "", started, time.monotonic() - started, error=repr(error))
        finally:
            connection.close()
        with self._lock:
            self.history.append(response)
        return response

    def _keep_cookies(self, headers: list[str]) -> None:
        for header in headers:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or (morsel["expires"] and "1970" in morsel["expires"]):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def get(self, path: str, *, follow: bool = False) -> Response:
        response = self.request("GET", path)
        for _ in range(5):
            if not follow or response.status not in (301, 302, 303):
                break
            response = self.request("GET", response.location)
        return response

    def submit(self, page: Response, path: str, fields: dict, *, follow: bool = False) -> Response:
        """POST a form of `page` (its CSRF token) to `path`."""
        response = self.request("POST", path, form={"csrfmiddlewaretoken": page.token(), **fields})
        if follow and response.status in (301, 302, 303):
            return self.get(response.location, follow=True)
        return response

    def sign_in(self, email: str, password: str) -> Response:
        page = self.get("/accounts/login/")
        assert page.status == 200, (page.status, page.body[:300])
        answer = self.submit(page, "/accounts/login/", {"login": email, "password": password})
        assert answer.status == 302, (answer.status, answer.body[:500])
        return answer
