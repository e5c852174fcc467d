"""Under Gunicorn: the plan page's throughput against a static file and a 304, and a worker's
memory before and after downloading the hundredfold plan's exports."""

from dataclasses import dataclass

from . import load
from .server import HOST, gunicorn, memory_kib, static_file_near, workers_of

CONNECTIONS = 4
SECONDS_PER_CASE = 10
SLICES = 5  # turns per case, taken in rotation
WARM_UP = 20
DOWNLOADS = 5


@dataclass
class Throughput:
    static_path: str
    static_bytes: int
    plan_bytes: int
    revalidation_status: int
    tallies: dict[str, load.Tally]


def throughput(env: dict, static_root: str, plan: str) -> Throughput:
    """2 workers; the public plan page anonymous, after warm-up (so cached if the site
    caches it), a static file of about its size, and the plan page revalidated with the
    validators of its first response."""
    with gunicorn(env, workers=2) as (_, port):
        status, headers, body = load.fetch(HOST, port, plan)
        if status != 200:
            raise RuntimeError(f"The plan page answered {status} under Gunicorn.")
        static_path, static_bytes = static_file_near(static_root, len(body))
        validators = {
            header: headers[source]
            for header, source in (("If-None-Match", "ETag"),
                                   ("If-Modified-Since", "Last-Modified"))
            if source in headers
        }  # fmt: skip
        for _ in range(WARM_UP):  # every worker renders (and may cache) the page
            load.fetch(HOST, port, plan)
            load.fetch(HOST, port, static_path)
        revalidation_status = load.fetch(HOST, port, plan, validators)[0]
        cases = [
            load.Case("static file", static_path),
            load.Case("plan page", plan),
            load.Case("plan page, revalidated", plan, validators),
        ]
        tallies = load.run(
            HOST, port, cases, connections=CONNECTIONS, seconds=SECONDS_PER_CASE, slices=SLICES
        )
    return Throughput(static_path, static_bytes, len(body), revalidation_status, tallies)


@dataclass
class Memory:
    idle: dict[str, int]
    after: dict[str, int]
    downloads: list[tuple[str, int, int, float]]  # (path, status, bytes, seconds)
    same_worker: bool


def memory(env: dict, warm_up: list[str], downloads: list[str]) -> Memory:
    """One worker, so that every request lands in the process measured."""
    import time

    with gunicorn(env, workers=1) as (master, port):
        for _ in range(3):
            for path in warm_up:
                load.fetch(HOST, port, path)
        (worker,) = workers_of(master)
        idle = memory_kib(worker)
        done = []
        for _ in range(DOWNLOADS):
            for path in downloads:
                started = time.perf_counter()
                status, _, body = load.fetch(HOST, port, path, timeout=120)
                done.append((path, status, len(body), time.perf_counter() - started))
        workers = workers_of(master)
        same = workers == [worker]
        after = memory_kib(worker) if same else {"VmRSS": 0, "VmHWM": 0}
    return Memory(idle, after, done, same)
