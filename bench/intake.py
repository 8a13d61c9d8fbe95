"""Heard's import benchmark: ``.venv/bin/python bench/intake.py`` (also run by ``make bench``).

It writes a Friends-and-Family-Test-style CSV (id, date, ward, FFT rating, comment) of 100,000 rows to a
temporary folder, about 30% of whose comments carry identifiers (names, phone numbers, NHS numbers, e-mail
addresses, postcodes, dates of birth). Comments are invented here, mixed with real ones read at run time from
``../shared/data/fft-qdc/train.csv`` when that file is present (never copied into the repository).

For each database it migrates a fresh one with ``heard migrate`` (a temporary SQLite file; a PostgreSQL
database created for the run and dropped after it), then runs the import service end to end in a separate
process, as ``heard feedback import`` does: upload (hash and keep the file), check every row, then store
(redact, fingerprint, bulk insert in chunks). It prints the seconds for each phase, the total and rows a
second, and checks that every row was stored once with no identifier left in the sample it looks at.
It asserts nothing about speed.

Options: ``--rows``, ``--databases sqlite,postgres``, ``--postgres URL`` (the server to create the database on;
default ``$HEARD_BENCH_POSTGRES_URL`` or ``postgres://postgres@127.0.0.1:5432/heard_bench``), ``--profile``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
REAL_COMMENTS = ROOT.parent / "shared" / "data" / "fft-qdc" / "train.csv"
DEFAULT_POSTGRES = os.environ.get(
    "HEARD_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/heard_bench"
)

WARDS = ["Ward 23", "Ward 7", "A&E", "Maternity", "Outpatients", "Children's ward", "Day surgery", "Ward 12"]
RATINGS = [
    "Very good",
    "Good",
    "Neither good nor poor",
    "Poor",
    "Very poor",
    "Don't know",
    "1",
    "2",
    "4",
    "5",
]
OPENINGS = [
    "The staff were kind and explained everything",
    "Waited over three hours in A&E before anyone saw me",
    "The nurses on the ward were brilliant, nothing was too much trouble",
    "Food was cold and the ward was noisy at night",
    "Parking is impossible and the signs are confusing",
    "The doctor listened and took time to answer my questions",
    "Discharge took all day, waiting for medication from pharmacy",
    "Very clean, friendly reception, seen on time",
    "Nobody told us what was happening with my dad's care",
    "Physio was excellent and the exercises really helped",
]
FIRST = ["John", "Sarah", "Mohammed", "Aisha", "Gareth", "Priya", "Olu", "Siobhan", "Tomasz", "Grace"]
LAST = ["Smith", "Khan", "Jones", "Patel", "O'Brien", "Nowak", "Williams", "Okafor", "Taylor", "Hughes"]
POSTCODES = ["LS1 4AP", "LS9 7TF", "WF1 2DT", "BD5 0NA", "HG2 8QP", "S10 2JF"]


def nhs_number(rng: random.Random) -> str:
    while True:
        digits = [rng.randint(0, 9) for _ in range(9)]
        check = 11 - sum(d * w for d, w in zip(digits, range(10, 1, -1), strict=True)) % 11
        check = 0 if check == 11 else check
        if check != 10:
            text = "".join(map(str, digits)) + str(check)
            return f"{text[:3]} {text[3:6]} {text[6:]}"


def identifier_sentence(rng: random.Random) -> str:
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    choices = [
        f"Please pass my thanks to {name}.",
        f"Call me on 07{rng.randint(100, 999)} {rng.randint(100000, 999999)} if you need more.",
        f"My NHS number is {nhs_number(rng)}.",
        f"Email me at {name.split()[0].lower()}.{rng.randint(1, 99)}@example.com about it.",
        f"I live at {rng.randint(1, 200)} Chapel Street, {rng.choice(POSTCODES)}.",
        f"My date of birth is {rng.randint(1, 28)}/{rng.randint(1, 12)}/19{rng.randint(30, 99)}.",
        f"Nurse {rng.choice(LAST)} was lovely.",
    ]
    return rng.choice(choices)


def comments_real() -> list[str]:
    if not REAL_COMMENTS.exists():
        return []
    with REAL_COMMENTS.open(newline="", encoding="utf-8") as handle:
        return [row["text"] for row in csv.DictReader(handle) if len(row.get("text", "")) > 3]


def file_write(path: Path, rows: int, seed: int = 20260302) -> dict[str, int]:
    rng = random.Random(seed)
    real = comments_real()
    start = datetime(2025, 4, 1, 8, 0, tzinfo=UTC)
    with_identifiers = 0
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "date", "ward", "FFT rating", "comment"])
        for number in range(rows):
            comment = rng.choice(real) if real and rng.random() < 0.5 else rng.choice(OPENINGS) + "."
            if rng.random() < 0.3:
                with_identifiers += 1
                comment = f"{comment} {identifier_sentence(rng)}"
            when = start + timedelta(minutes=5 * number + rng.randint(0, 4))
            writer.writerow(
                [
                    f"FFT-{number:07d}",
                    when.strftime("%d/%m/%Y %H:%M"),
                    rng.choice(WARDS),
                    rng.choice(RATINGS),
                    comment,
                ]
            )
    return {"rows": rows, "with_identifiers": with_identifiers, "real_comments": len(real)}


# Runs inside a child process with DATABASE_URL set: the import as `heard feedback import` would do it.
CHILD = r"""
import json, sys, time, cProfile, pstats, io, csv, resource
import django
django.setup()
from django.db import connection
from heard.core.models import Organisation
from heard.listening.models import FeedbackItem, FeedbackSource
from heard.listening.services import imports

path, profile = sys.argv[1], sys.argv[2] == "1"
organisation = Organisation.objects.create(name="Bench ICB", slug="bench")
source = FeedbackSource.objects.create(organisation=organisation, name="FFT", kind="fft")
timings = {}
def cpu():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime
cpu_began = cpu()
profiler = cProfile.Profile() if profile else None
if profiler: profiler.enable()
began = time.perf_counter()
def chunks():
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            yield chunk
batch = imports.import_upload(
    actor=None, organisation=organisation, source=source, file_name="fft.csv", chunks=chunks()
)
timings["upload"] = time.perf_counter() - began
mark = time.perf_counter()
batch = imports.import_map(actor=None, batch=batch, mapping_name="FFT", date_format="DD/MM/YYYY HH:MM",
    default_channel="paper", columns={"external_id": "id", "received_at": "date", "service": "ward",
    "fft_answer": "FFT rating", "text": "comment"})
timings["check"] = time.perf_counter() - mark
mark = time.perf_counter()
batch = imports.import_start(actor=None, batch=batch, run_now=True)
timings["store"] = time.perf_counter() - mark
timings["total"] = time.perf_counter() - began
timings["cpu"] = cpu() - cpu_began
# Redaction alone, over the same comments, to show its share of the whole.
from heard.listening.redaction import text_depersonalise
with open(path, newline="", encoding="utf-8") as handle:
    comments = [row["comment"] for row in csv.DictReader(handle)]
mark, cpu_mark = time.perf_counter(), cpu()
for comment in comments:
    text_depersonalise(comment)
timings["redaction"] = time.perf_counter() - mark
timings["redaction_cpu"] = cpu() - cpu_mark
if profiler:
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(25)
    print(out.getvalue(), file=sys.stderr)
sample = list(FeedbackItem.objects.order_by("?").values_list("text", flat=True)[:2000])
leaks = sum(1 for text in sample if "@example.com" in text or "Chapel Street" in text)
print(json.dumps({
    "status": batch.status, "rows_total": batch.rows_total, "rows_bad": batch.rows_bad,
    "imported": batch.rows_imported, "repeated": batch.rows_repeated,
    "stored": FeedbackItem.objects.count(), "redacted": FeedbackItem.objects.exclude(redactions={}).count(),
    "sample_leaks": leaks, "vendor": connection.vendor, "timings": timings,
}))
"""


def _postgres_url(base: str, name: str) -> tuple[str, str]:
    parsed = urlparse(base)
    admin = urlunparse(parsed._replace(path="/postgres"))
    return admin, urlunparse(parsed._replace(path=f"/{name}"))


def _postgres_admin(admin_url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(statement)


def run_one(label: str, database_url: str, csv_path: Path, work: Path, profile: bool) -> dict[str, object]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "HEARD_ENV": "demo",
        "HEARD_VAR_DIR": str(work / f"var-{label}"),
        "HEARD_TASK_BACKEND": "immediate",
        "DJANGO_SETTINGS_MODULE": "heard.settings",
        "HEARD_LOG_LEVEL": "WARNING",
    }
    subprocess.run([str(BIN / "heard"), "migrate", "--verbosity", "0"], env=env, cwd=ROOT, check=True)
    done = subprocess.run(
        [str(BIN / "python"), "-c", CHILD, str(csv_path), "1" if profile else "0"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    if profile:
        print(done.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES)
    parser.add_argument("--profile", action="store_true")
    options = parser.parse_args()

    print(f"Heard intake benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(f"Python {platform.python_version()}, {platform.platform()}, {os.cpu_count()} cores")
    # The machine may be shared: the load before the run says how far to trust the figures.
    print("Load average (1, 5, 15 min): " + ", ".join(f"{load:.1f}" for load in os.getloadavg()))
    with tempfile.TemporaryDirectory(prefix="heard-intake-") as folder:
        work = Path(folder)
        csv_path = work / "fft.csv"
        made = file_write(csv_path, options.rows)
        size_mb = csv_path.stat().st_size / (1024 * 1024)
        print(
            f"File: {made['rows']:,} rows, {size_mb:.1f} MB, {made['with_identifiers']:,} comments with identifiers, "
            f"{made['real_comments']:,} real comments to draw from"
        )
        for label in [name.strip() for name in options.databases.split(",") if name.strip()]:
            if label == "sqlite":
                result = run_one(
                    label, f"sqlite:///{work / 'bench.sqlite3'}", csv_path, work, options.profile
                )
            elif label == "postgres":
                name = f"{urlparse(options.postgres).path.lstrip('/') or 'heard_bench'}_intake"
                admin, url = _postgres_url(options.postgres, name)
                try:
                    _postgres_admin(admin, f'DROP DATABASE IF EXISTS "{name}"')
                    _postgres_admin(admin, f'CREATE DATABASE "{name}"')
                except Exception as failure:  # no server: say so and carry on with the others
                    print(f"postgres: skipped ({type(failure).__name__}: {failure})")
                    continue
                try:
                    result = run_one(label, url, csv_path, work, options.profile)
                finally:
                    _postgres_admin(admin, f'DROP DATABASE IF EXISTS "{name}"')
            else:
                raise SystemExit(f"Unknown database {label!r}: use sqlite or postgres.")
            timings = result["timings"]
            load = os.getloadavg()[0]
            assert isinstance(timings, dict)
            total = float(timings["total"])
            print(
                f"{label}: {result['imported']:,} of {result['rows_total']:,} rows imported in {total:.1f} s "
                f"({float(result['rows_total']) / total:,.0f} rows/s): upload {timings['upload']:.1f} s, "
                f"check {timings['check']:.1f} s, redact and store {timings['store']:.1f} s; "
                f"Heard's own CPU time {timings['cpu']:.1f} s; redaction alone {timings['redaction']:.1f} s "
                f"({timings['redaction_cpu']:.1f} s CPU); "
                f"status {result['status']}, {result['stored']:,} stored, {result['redacted']:,} with redactions, "
                f"{result['sample_leaks']} leaks in a sample of 2,000; load {load:.1f}"
            )


if __name__ == "__main__":
    main()
