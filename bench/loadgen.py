"""The two load generators that wrk cannot be: an open loop and a two-step POST flow.

`open_loop` sends requests on a fixed schedule (request i at start + i / rate), whether or
not earlier ones have been answered, and measures each latency from the moment the request
was due, not from when it could be sent: a server that stalls shows its stall in every
request that waited behind it (no coordinated omission). wrk only has closed loops, and
its `delay()` hook waits for the response before counting down, so it cannot do this.

`placement_loop` is a closed loop of buyers who each check out (POST) and then pay (POST to
the address the first response redirects to): wrk's Lua sees responses without knowing
which connection's request they answer, so it cannot carry the order from one to the other.

Both speak HTTP/1.1 with `Connection: close`, one connection per request, as gunicorn's
sync workers answer anyway.
"""

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode


def get_request(host: str, path: str, cookie: str = "") -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}", "Accept: text/html", "Connection: close"]
    if cookie:
        lines.append(f"Cookie: {cookie}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def post_request(host: str, path: str, form: dict, cookie: str, csrf: str) -> bytes:
    body = urlencode(form)
    lines = [
        f"POST {path} HTTP/1.1",
        f"Host: {host}",
        "Connection: close",
        "Content-Type: application/x-www-form-urlencoded",
        f"Content-Length: {len(body.encode())}",
        f"Cookie: {cookie}",
        f"X-CSRFToken: {csrf}",
    ]
    return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()


async def _exchange(host: str, port: int, request: bytes, timeout: float) -> tuple[int, bytes]:
    reader, writer = await asyncio.wait_for(asyncio.open_connection(host, port), timeout)
    try:
        writer.write(request)
        data = await asyncio.wait_for(reader.read(-1), timeout)
    finally:
        writer.close()
    status = int(data[9:12]) if data.startswith(b"HTTP/1.") else 0
    return status, data


def _location(response: bytes) -> str:
    head = response.split(b"\r\n\r\n", 1)[0].decode("latin-1")
    for line in head.split("\r\n")[1:]:
        name, _sep, value = line.partition(":")
        if name.lower() == "location":
            return value.strip()
    return ""


@dataclass
class OpenLoopResult:
    rate: float
    sent: int
    latencies_ms: list[float] = field(default_factory=list)
    errors: int = 0
    elapsed: float = 0.0

    @property
    def achieved_rate(self) -> float:
        return len(self.latencies_ms) / self.elapsed if self.elapsed else 0.0


async def open_loop(host: str, port: int, requests: list[bytes], *, rate: float, duration: float, timeout: float = 10):
    """Send `rate` requests per second for `duration` seconds, cycling through `requests`."""
    loop = asyncio.get_running_loop()
    count = max(int(rate * duration), 1)
    result = OpenLoopResult(rate=rate, sent=count)
    start = loop.time() + 0.05

    async def one(index: int) -> None:
        due = start + index / rate
        await asyncio.sleep(max(0.0, due - loop.time()))
        try:
            status, _data = await _exchange(host, port, requests[index % len(requests)], timeout)
        except (OSError, TimeoutError):
            status = 0
        if 200 <= status < 400:
            result.latencies_ms.append((loop.time() - due) * 1000)
        else:
            result.errors += 1

    began = time.monotonic()
    await asyncio.gather(*(one(i) for i in range(count)))
    result.elapsed = time.monotonic() - began
    return result


@dataclass
class PlacementResult:
    placements: int = 0
    errors: int = 0
    elapsed: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    statuses: dict = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.placements / self.elapsed if self.elapsed else 0.0


async def placement_loop(
    host: str, port: int, buyers: list[dict], *, checkout_path: str, concurrency: int, duration: float, timeout=10
) -> PlacementResult:
    """`concurrency` buyers, each placing and paying orders back to back for `duration` seconds.
    `checkout_path` has a `{gig_id}` placeholder; the pay address comes from the redirect."""
    result = PlacementResult()
    deadline = time.monotonic() + duration

    async def buyer_loop(buyer: dict) -> None:
        checkout = post_request(
            host,
            checkout_path.format(gig_id=buyer["gig_id"]),
            {"package": 1, "quantity": 1},
            buyer["cookie"],
            buyer["csrf"],
        )
        while time.monotonic() < deadline:
            began = time.monotonic()
            try:
                status, data = await _exchange(host, port, checkout, timeout)
                pay_path = _location(data) if status == 302 else ""
                if pay_path:
                    pay = post_request(host, pay_path, {}, buyer["cookie"], buyer["csrf"])
                    status, _data = await _exchange(host, port, pay, timeout)
            except (OSError, TimeoutError):
                status = 0
            result.statuses[status] = result.statuses.get(status, 0) + 1
            if status == 302:
                result.placements += 1
                result.latencies_ms.append((time.monotonic() - began) * 1000)
            else:
                result.errors += 1

    began = time.monotonic()
    await asyncio.gather(*(buyer_loop(buyers[i % len(buyers)]) for i in range(concurrency)))
    result.elapsed = time.monotonic() - began
    return result


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]
