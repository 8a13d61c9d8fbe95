"""Readers of the public "you said, we did" pages: ``make bench`` (or ``.venv/bin/python bench/public_pages.py``).

It builds a throwaway installation with the demo organisation (its own SQLite file, or a PostgreSQL database made
for the run), serves Heard with gunicorn on a free loopback port exactly as ``heard serve`` does, and sends 100
concurrent readers at the organisation's page, the project's page and the two feeds, for a bounded time. While
they read, a member of staff changes a published decision every few seconds, so the pages' cache is emptied
under load as it would be in use. Two runs:

- readers: each pauses 0.2-1 s between pages (a fast reader; a person takes far longer);
- flat out: no pause at all, to show where the machine saturates.

It prints latency percentiles and throughput for each. It asserts nothing; it prints figures.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from heard.cli import gunicorn_command

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api_load import free_port, heard, serve

BIN = Path(sys.executable).parent


def prepare(database: str, workdir: Path) -> tuple[dict[str, str], list[str]]:
    env = {
        **os.environ,
        "HEARD_ENV": "demo",
        "HEARD_VAR_DIR": str(workdir),
        "HEARD_TASK_BACKEND": "immediate",
    }
    if database == "postgres":
        name = f"heard_bench_public_{os.getpid()}"
        for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    heard(env, "migrate", "--verbosity", "0")
    heard(env, "demo_load")
    slug = (
        heard(
            env,
            "shell",
            "-c",
            "from heard.acting.models import Decision as D;"
            "print(D.objects.filter(published_at__isnull=False).first().project.slug)",
        )
        .strip()
        .splitlines()[-1]
    )
    base = "/you-said-we-did/leeds-west/"
    # What readers ask for, weighted: mostly the project's page, then the list, then the feeds.
    pages = [f"{base}{slug}/"] * 6 + [base] * 3 + [f"{base}feed.atom", f"{base}feed.json"]
    return env, pages


def change_decisions(env: dict[str, str], stop: threading.Event, every: float) -> int:
    """A member of staff updating a published decision every ``every`` seconds, through the service."""
    script = (
        "import sys, time\n"
        "from heard.acting.models import Decision\n"
        "from heard.acting.services import decision_update\n"
        "decision = Decision.objects.filter(published_at__isnull=False).first()\n"
        "for line in sys.stdin:\n"
        "    decision.refresh_from_db()\n"
        "    decision_update(actor=decision.created_by, decision=decision, we_did=decision.we_did.rstrip('.') + '.')\n"
        "    print('changed', flush=True)\n"
    )
    worker = subprocess.Popen(
        [str(BIN / "heard"), "shell", "-c", script],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    changes = 0
    assert worker.stdin is not None and worker.stdout is not None
    while not stop.wait(every):
        worker.stdin.write("go\n")
        worker.stdin.flush()
        worker.stdout.readline()
        changes += 1
    worker.stdin.close()
    worker.wait(timeout=30)
    return changes


def read(
    port: int, pages: list[str], readers: int, seconds: float, pause: tuple[float, float]
) -> tuple[list[float], int, float]:
    latencies: list[float] = []
    errors = 0
    statuses: dict[object, int] = {}
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def reader() -> None:
        nonlocal errors
        rng = random.Random()
        while time.monotonic() < stop_at:
            page = rng.choice(pages)
            started = time.perf_counter()
            # One connection a page, as a reverse proxy in front of Heard talks to it (nginx's default), so an
            # idle reader holds no connection.
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            try:
                connection.request("GET", page, headers={"Connection": "close"})
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
                status: object = response.status
            except (OSError, http.client.HTTPException) as error:
                status = type(error).__name__
                ok = False
            finally:
                connection.close()
            elapsed = time.perf_counter() - started
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    errors += 1
                    statuses[status] = statuses.get(status, 0) + 1
            if pause[1]:
                time.sleep(rng.uniform(*pause))

    started = time.perf_counter()
    pool = [threading.Thread(target=reader) for _ in range(readers)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    if statuses:
        print("  failures:", ", ".join(f"{key}: {count}" for key, count in sorted(statuses.items(), key=str)))
    return latencies, errors, time.perf_counter() - started


def warm(port: int, pages: list[str]) -> None:
    """Wait until every worker has started and answers: gunicorn takes connections before its workers are ready."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        latencies, errors, _ = read(port, pages, 16, 1, (0, 0))
        if not errors and latencies and max(latencies) < 0.5:
            return
    print("  the server was still slow after two minutes of warming up")


def report(label: str, latencies: list[float], errors: int, elapsed: float, changes: int) -> None:
    ordered = sorted(latencies)

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000

    print(
        f"{label:<10} {len(ordered):>6} pages in {elapsed:5.1f} s = {len(ordered) / elapsed:6.0f}/s; "
        f"p50 {at(0.50):6.1f} ms, p95 {at(0.95):6.1f} ms, p99 {at(0.99):6.1f} ms, "
        f"mean {statistics.fmean(ordered) * 1000:6.1f} ms; errors {errors}; decisions changed {changes}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--readers", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--server-threads", type=int, default=4)
    parser.add_argument("--change-every", type=float, default=5.0, help="seconds between staff changes")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        env, pages = prepare(arguments.database, Path(scratch))
        port = free_port()
        connections = arguments.readers // arguments.workers + arguments.server_threads
        command = gunicorn_command(
            "127.0.0.1:PORT",
            workers=arguments.workers,
            threads=arguments.server_threads,
            connections=connections,
        )
        print(
            f"public pages, {arguments.database}: {arguments.readers} readers, pages {sorted(set(pages))}\n"
            f"server: {' '.join(command)}"
        )
        server = serve(env, port, arguments.workers, arguments.server_threads, connections)
        try:
            warm(port, pages)
            for label, pause in (("readers", (0.2, 1.0)), ("flat out", (0.0, 0.0))):
                stop = threading.Event()
                changes: list[int] = []

                def staff(stop: threading.Event = stop, changes: list[int] = changes) -> None:
                    changes.append(change_decisions(env, stop, arguments.change_every))

                changer = threading.Thread(target=staff)
                changer.start()
                latencies, errors, elapsed = read(port, pages, arguments.readers, arguments.seconds, pause)
                stop.set()
                changer.join()
                report(label, latencies, errors, elapsed, changes[0] if changes else 0)
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
