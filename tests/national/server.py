"""Gunicorn as an operator runs it (DEBUG off, collected static files served by WhiteNoise),
on a free local port, stopped whatever happens; and a worker's memory read from /proc."""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from .database import PRODUCTION_LIKE, Server

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
HOST = "127.0.0.1"


def environment(server: Server, database: str, static_root: str) -> dict:
    return {
        **os.environ,
        **PRODUCTION_LIKE,
        "DATABASE_URL": server.url_of(database),
        "STATIC_ROOT": static_root,
        "DJANGO_SETTINGS_MODULE": "csp.settings",
    }


def collect_static(env: dict) -> None:
    """The hashed, compressed copies WhiteNoise serves when DEBUG is off."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


def static_file_near(static_root: str, size: int) -> tuple[str, int]:
    """The collected file (its hashed address) whose size is nearest `size` bytes."""
    import json

    manifest = json.loads((Path(static_root) / "staticfiles.json").read_text())["paths"]
    sizes = {hashed: (Path(static_root) / hashed).stat().st_size for hashed in manifest.values()}
    hashed = min(sizes, key=lambda name: abs(sizes[name] - size))
    return f"/static/{hashed}", sizes[hashed]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


@contextmanager
def static_root():
    with tempfile.TemporaryDirectory(prefix="csp-national-static-") as folder:
        yield folder


@contextmanager
def gunicorn(env: dict, workers: int):
    """A running Gunicorn (master pid, port); stopped, with its workers, on leaving."""
    port = free_port()
    process = subprocess.Popen(
        [str(GUNICORN), "csp.wsgi", "--workers", str(workers), "--bind", f"{HOST}:{port}",
         "--log-level", "warning"],
        cwd=ROOT, env=env, start_new_session=True,
    )  # fmt: skip
    try:
        wait_until_listening(port, process)
        yield process.pid, port
    finally:
        stop(process)


def wait_until_listening(port: int, process, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Gunicorn exited at start-up (status {process.returncode}).")
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"Gunicorn did not listen on port {port} within {seconds:.0f} s.")


def stop(process) -> None:
    """Gunicorn's graceful stop (SIGTERM to its master); its own process group is killed if
    it has not gone within ten seconds."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def workers_of(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def memory_kib(pid: int) -> dict[str, int]:
    """VmRSS (resident now) and VmHWM (the most it has been resident), in KiB."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = int(value.split()[0])
    return found
