"""Load on the intake API: ``make bench`` (or ``.venv/bin/python bench/api_load.py [--database postgres]``).

It builds a throwaway installation (its own SQLite file, or a PostgreSQL database made for the run), creates an
organisation and an API token, serves Heard with gunicorn on a free loopback port, and sends a bounded number of
submissions from several threads, each with an Idempotency-Key. One in ten is sent twice, as a client that
timed out and retried would. It prints throughput and latency, then checks the database: every acknowledged
submission must be there exactly once. It asserts nothing; it prints figures.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from heard.cli import gunicorn_command

ROOT = Path(__file__).resolve().parent.parent
CLIENT_CPU_SECONDS = 0.0  # the load generator shares the machine's two cores with the server
BIN = Path(sys.executable).parent
COMMENTS = [
    "The nurses on ward 23 were kind and explained everything.",
    "Waited 3 hours in A&E with no update. Please ring me on 07700 900123.",
    "Reception staff were rude when I asked about my appointment.",
    "Dr Patel listened and the 20mg dose has helped.",
    "Parking was impossible and the signs to outpatients are confusing.",
    "Excellent care from start to finish, thank you all.",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def heard(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([str(BIN / "heard"), *args], env=env, capture_output=True, text=True, check=True)
    return done.stdout


def prepare(database: str, workdir: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "HEARD_ENV": "demo",
        "HEARD_VAR_DIR": str(workdir),
        "HEARD_TASK_BACKEND": "immediate",
    }
    if database == "postgres":
        name = f"heard_bench_api_{os.getpid()}"
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"DROP DATABASE IF EXISTS {name}"],
            check=True,
        )
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"CREATE DATABASE {name}"], check=True
        )
        env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    heard(env, "migrate", "--verbosity", "0")
    heard(
        env,
        "shell",
        "-c",
        (
            "from heard.core.services.organisations import organisation_create as c;"
            "c(actor=None, name='Bench ICB', slug='bench', kind='icb')"
        ),
    )
    env["BENCH_TOKEN"] = heard(
        env, "api-token", "create", "--organisation", "bench", "--name", "Load test"
    ).strip()
    return env


def serve(
    env: dict[str, str], port: int, workers: int, threads: int, connections: int | None
) -> subprocess.Popen[bytes]:
    # The same command as `heard serve`, access log and all (sent nowhere here).
    server = subprocess.Popen(
        gunicorn_command(f"127.0.0.1:{port}", workers=workers, threads=threads, connections=connections),
        env={**env, "DJANGO_SETTINGS_MODULE": "heard.settings"},
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def load(
    port: int, token: str, total: int, threads: int, seconds: float
) -> tuple[list[float], dict[str, int], int, float]:
    latencies: list[float] = []
    acknowledged: dict[str, int] = {}  # external id -> item id
    errors = 0
    duplicates = 0
    lock = threading.Lock()
    counter = iter(range(total))
    stop_at = time.monotonic() + seconds

    def worker() -> None:
        nonlocal errors, duplicates
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        rng = random.Random()
        while time.monotonic() < stop_at:
            with lock:
                number = next(counter, None)
            if number is None:
                return
            external_id = f"load-{number}"
            body = json.dumps({"text": rng.choice(COMMENTS), "channel": "online", "external_id": external_id})
            key = str(uuid.uuid4())
            # One in ten is sent again after its answer, as a client that timed out would; a failed request is
            # retried with the same key until it is answered, as any careful client does.
            sends = 2 if number % 10 == 0 else 1
            attempts = 0
            while sends and attempts < 6:
                attempts += 1
                started = time.perf_counter()
                try:
                    connection.request(
                        "POST",
                        "/api/v1/feedback",
                        body=body,
                        headers={
                            "Authorization": f"Bearer {token}",
                            "Content-Type": "application/json",
                            "Idempotency-Key": key,
                        },
                    )
                    response = connection.getresponse()
                    payload = response.read()
                except (OSError, http.client.HTTPException):
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                    with lock:
                        errors += 1
                    continue
                elapsed = time.perf_counter() - started
                with lock:
                    latencies.append(elapsed)
                    if response.status in (200, 201):
                        sends -= 1
                        item_id = json.loads(payload)["id"]
                        if acknowledged.setdefault(external_id, item_id) != item_id:
                            duplicates += 1  # a retry answered with a different item
                    else:
                        errors += 1

    started = time.perf_counter()
    client_cpu_before = time.process_time()
    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    global CLIENT_CPU_SECONDS
    CLIENT_CPU_SECONDS = time.process_time() - client_cpu_before
    return latencies, acknowledged, errors + duplicates, time.perf_counter() - started


def stored_counts(env: dict[str, str]) -> tuple[int, int]:
    out = heard(
        env,
        "shell",
        "-c",
        (
            "from heard.listening.models import FeedbackItem as F;"
            "from django.db.models import Count;"
            "print(F.objects.count(), F.objects.values('external_id').annotate(n=Count('id')).filter(n__gt=1).count())"
        ),
    )
    total, duplicated = out.strip().splitlines()[-1].split()
    return int(total), int(duplicated)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--server-threads", type=int, default=2, help="threads in each gunicorn worker")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument(
        "--server-connections",
        type=int,
        default=0,
        help="kept-alive connections a worker takes (0: as heard serve)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="heard-api-bench-") as folder:
        env = prepare(args.database, Path(folder))
        port = free_port()
        server = serve(env, port, args.workers, args.server_threads, args.server_connections or None)
        try:
            latencies, acknowledged, errors, elapsed = load(
                port, env["BENCH_TOKEN"], args.requests, args.threads, args.seconds
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
        stored, duplicated = stored_counts(env)
    ordered = sorted(latencies)
    p50 = ordered[len(ordered) // 2] * 1000
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000
    print(
        f"Intake API load ({args.database}, {args.workers} gunicorn gthread workers "
        f"of {args.server_threads} threads, "
        f"{args.threads} client threads)"
    )
    print(
        f"  requests sent        {len(latencies)} ({len(acknowledged)} distinct submissions, 1 in 10 retried)"
    )
    print(f"  throughput           {len(latencies) / elapsed:.0f} requests/s over {elapsed:.1f} s")
    print(f"  latency              p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    share = CLIENT_CPU_SECONDS / elapsed / (os.cpu_count() or 1)
    print(
        f"  load generator CPU   {CLIENT_CPU_SECONDS:.1f} s ({share:.0%} of the machine's cores, taken from the server)"
    )
    print(f"  failed or duplicated {errors} (failed requests were retried with the same key)")
    print(
        f"  stored in database   {stored} items; acknowledged {len(acknowledged)}; stored twice: {duplicated}"
    )
    print("  exactly once         " + ("yes" if stored == len(acknowledged) and duplicated == 0 else "NO"))


if __name__ == "__main__":
    main()
