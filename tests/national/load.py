"""A small bounded-load HTTP client: a few connections, each sending its next request as soon
as the last answer is read, for a fixed time. Cases are run in turn, slice by slice, so that
they are measured side by side under the same conditions."""

import http.client
import statistics
import threading
import time
from collections import Counter
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Case:
    label: str
    path: str
    headers: dict = field(default_factory=dict)


@dataclass
class Tally:
    seconds: float = 0.0
    latencies_ms: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    body_bytes: int = 0

    @property
    def per_second(self) -> float:
        return len(self.latencies_ms) / self.seconds if self.seconds else 0.0

    @property
    def p50_ms(self) -> float:
        return statistics.median(self.latencies_ms) if self.latencies_ms else float("nan")


def fetch(host: str, port: int, path: str, headers=None, timeout: float = 60):
    """One request on a fresh connection: (status, headers, body)."""
    connection = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def _drive(host, port, case: Case, until: float, tally: Tally, lock) -> None:
    # Keep-alive where the server allows it; http.client reconnects by itself after a
    # response that closes the connection (Gunicorn's sync workers close every one).
    connection = http.client.HTTPConnection(host, port, timeout=60)
    latencies, statuses, size = [], Counter(), 0
    try:
        while time.perf_counter() < until:
            started = time.perf_counter()
            try:
                connection.request("GET", case.path, headers=case.headers)
                response = connection.getresponse()
                size += len(response.read())
                statuses[response.status] += 1
            except (OSError, http.client.HTTPException) as error:
                statuses[type(error).__name__] += 1
                connection.close()
                continue
            latencies.append((time.perf_counter() - started) * 1000)
    finally:
        connection.close()
    with lock:
        tally.latencies_ms.extend(latencies)
        tally.statuses.update(statuses)
        tally.body_bytes += size


def run(host: str, port: int, cases: list[Case], *, connections: int, seconds: float,
        slices: int) -> dict[str, Tally]:  # fmt: skip
    """Each case for `seconds` in all, in `slices` turns, with `connections` at once."""
    tallies = {case.label: Tally() for case in cases}
    lock = threading.Lock()
    for _ in range(slices):
        for case in cases:
            started = time.perf_counter()
            until = started + seconds / slices
            threads = [
                threading.Thread(
                    target=_drive, args=(host, port, case, until, tallies[case.label], lock)
                )
                for _ in range(connections)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            tallies[case.label].seconds += time.perf_counter() - started
    return tallies
