"""Heard's request-latency benchmark: ``make bench`` (or ``.venv/bin/python bench/run.py``).

It builds a throwaway demo installation in a temporary folder (its own SQLite database, never the developer's
var/), serves it with gunicorn on a free loopback port, signs in as a demo user, and times requests to a few
pages, one after another and then from several threads at once. It prints figures; it asserts nothing.

Each figure is also given as a ratio to /healthz measured in the same run, because a shared machine is noisy
and the ratios move less than the absolute times. Every phase is bounded in requests and in seconds.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import platform
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
USERNAME = "demo-lead"
PASSWORD = "bench-password-not-secret"  # noqa: S105 - a throwaway demo installation on loopback
# (path, signed in?) in the order they are measured.
PAGES = [("/healthz", False), ("/login/", False), ("/home/", True), ("/projects/", True)]
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Phase:
    path: str
    mode: str  # "sequential" or "C threads"
    latencies: list[float]
    errors: int
    elapsed: float

    @property
    def count(self) -> int:
        return len(self.latencies)

    def percentile(self, fraction: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        index = min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))
        return ordered[index]

    @property
    def per_second(self) -> float:
        return self.count / self.elapsed if self.elapsed else float("nan")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def opener() -> urllib.request.OpenerDirector:
    """A client with its own cookie jar, as one browser would have."""
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))


def fetch(client: urllib.request.OpenerDirector, url: str, data: bytes | None = None) -> tuple[int, str]:
    try:
        with client.open(url, data=data, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as failure:
        return failure.code, failure.read().decode("utf-8", "replace")


def wait_until_up(base: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            status, _ = fetch(opener(), f"{base}/healthz")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"Heard did not answer on {base} within {seconds:.0f} seconds.")


def sign_in(base: str) -> urllib.request.OpenerDirector:
    client = opener()
    status, page = fetch(client, f"{base}/login/")
    token = CSRF_FIELD.search(page)
    if status != 200 or token is None:
        raise SystemExit(f"The sign-in page did not offer a form (HTTP {status}).")
    form = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "username": USERNAME, "password": PASSWORD}
    ).encode()
    status, page = fetch(client, f"{base}/login/", data=form)
    if status != 200 or "Welcome" not in page:
        raise SystemExit(f"Signing in as {USERNAME} did not reach the home page (HTTP {status}).")
    return client


def time_requests(
    client: urllib.request.OpenerDirector, url: str, count: int, deadline: float, into: list[float]
) -> int:
    errors = 0
    for _ in range(count):
        if time.monotonic() > deadline:
            break
        started = time.perf_counter()
        try:
            status, _ = fetch(client, url)
        except OSError:
            status = 0
        into.append(time.perf_counter() - started)
        if status != 200:
            errors += 1
    return errors


def measure(
    clients: list[urllib.request.OpenerDirector], url: str, path: str, total: int, seconds: float
) -> Phase:
    """``total`` requests shared between one thread per client, stopping early after ``seconds``."""
    deadline = time.monotonic() + seconds
    latencies: list[list[float]] = [[] for _ in clients]
    errors = [0 for _ in clients]
    share = max(1, total // len(clients))

    def run(index: int) -> None:
        errors[index] = time_requests(clients[index], url, share, deadline, latencies[index])

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(clients))]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    mode = "sequential" if len(clients) == 1 else f"{len(clients)} threads"
    return Phase(path, mode, [t for per in latencies for t in per], sum(errors), elapsed)


def report(phases: list[Phase], args: argparse.Namespace, command: str) -> None:
    baseline = {p.mode: p for p in phases if p.path == "/healthz"}
    print()
    print(
        f"Heard benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
        f"gunicorn {args.workers} sync workers"
    )
    print(f"Command: {command}")
    print()
    print("| page | mode | requests | errors | p50 ms | p95 ms | req/s | p50 ÷ /healthz | req/s ÷ /healthz |")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for phase in phases:
        base = baseline[phase.mode]
        print(
            f"| {phase.path} | {phase.mode} | {phase.count} | {phase.errors} "
            f"| {phase.percentile(0.5) * 1000:.1f} | {phase.percentile(0.95) * 1000:.1f} "
            f"| {phase.per_second:.0f} | {phase.percentile(0.5) / base.percentile(0.5):.1f} "
            f"| {phase.per_second / base.per_second:.2f} |"
        )
    print()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=200, help="requests per page and mode (default 200)")
    parser.add_argument("--threads", type=int, default=4, help="concurrent clients (default 4)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2, as heard demo)")
    parser.add_argument("--seconds", type=float, default=20, help="time limit per page and mode (default 20)")
    args = parser.parse_args()
    command = " ".join(["bench/run.py", *sys.argv[1:]]).strip()

    with tempfile.TemporaryDirectory(prefix="heard-bench-") as var_dir:
        env = {
            **os.environ,
            "HEARD_ENV": "demo",
            "HEARD_VAR_DIR": var_dir,
            "HEARD_DEMO_PASSWORD": PASSWORD,
            "DATABASE_URL": f"sqlite:///{var_dir}/heard.sqlite3",
            "HEARD_TASK_BACKEND": "database",
            "DJANGO_SETTINGS_MODULE": "heard.settings",
        }
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        print(f"Building a demo installation in {var_dir} ...", flush=True)
        subprocess.run([str(BIN / "heard"), "migrate", "--verbosity", "0"], env=env, cwd=ROOT, check=True)
        subprocess.run(
            [str(BIN / "heard"), "demo_load", "--port", str(port)],
            env=env,
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "heard.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
                "--no-control-socket",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
            start_new_session=True,  # its own process group, so that it and its workers stop together
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_until_up(base, 30)
            print(f"Serving on {base} with {args.workers} gunicorn workers; measuring ...", flush=True)
            signed_in = [sign_in(base) for _ in range(args.threads)]
            signed_out = [opener() for _ in range(args.threads)]
            phases: list[Phase] = []
            for path, needs_session in PAGES:
                clients = signed_in if needs_session else signed_out
                url = f"{base}{path}"
                time_requests(clients[0], url, 5, time.monotonic() + 10, [])  # warm up
                phases.append(measure(clients[:1], url, path, args.requests, args.seconds))
            for path, needs_session in PAGES:
                clients = signed_in if needs_session else signed_out
                phases.append(measure(clients, f"{base}{path}", path, args.requests, args.seconds))
            report(phases, args, command)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


if __name__ == "__main__":
    main()
