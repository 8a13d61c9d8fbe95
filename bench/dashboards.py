"""Theme dashboards at scale: ``.venv/bin/python bench/dashboards.py [--items 1000000] [--try]``.

Issue 4 asks that, with 1,000,000 feedback items in PostgreSQL, every dashboard view and search answer in under
500 ms at the 95th percentile, and what that costs at 10 million. This measures it.

It builds a throwaway installation (HEARD_ENV=demo, a temporary HEARD_VAR_DIR, a PostgreSQL database made for the
run and dropped after it, ``heard migrate``), creates an organisation, three sources, three projects, an analyst
and a starter codebook, then loads N invented feedback items (24 months, 6 channels, 40 services, texts of 10-60
words made from a few hundred sentences) with their CodedItem and ThemeAssignment rows (1-3 themes each, skewed
popularity, sentiment 1-5, mostly by the model) using COPY, as heard.understanding.services.assignments would
have left them. Foreign-key triggers are off while loading (the rows are made consistent here); then VACUUM
ANALYZE, as autovacuum would. It prints the load time and every table's and index's size.

Then it times, after a warm-up, with repetitions bounded in number and seconds:

* ``heard.understanding.dashboards.dashboard()`` with no filter, one channel, three months, one service and one
  project, and each SQL query inside it (which ones cost the time);
* the dashboard page itself through django.test.Client, signed in as an analyst;
* the comments page (``comments_view``) through the Client for a theme, a theme and a month, a one-word and a
  two-word search, a rare word, and the complex comments, with its queries split the same way.

It prints p50/p95/max in milliseconds, and EXPLAIN (ANALYZE, BUFFERS) of the slowest query of each case
(``--explain``). With ``--try`` it then adds candidate indexes and settings to the throwaway database only, one
step at a time, and times everything again after each, and prototypes a monthly summary table and times the
dashboard's questions against it. It asserts nothing; it prints figures. The project's code and migrations are
never changed.

Options: ``--items``, ``--repeat`` (default 30), ``--case-seconds`` (default 60: a case stops early after this
long, and says how many runs it had), ``--postgres URL``, ``--keep`` (leave the database for inspection),
``--explain``, ``--try``, ``--seed``.
"""

# ruff: noqa: S608 - the SQL built with f-strings here joins this file's own table names and conditions

from __future__ import annotations

import argparse
import hashlib
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DEFAULT_POSTGRES = os.environ.get(
    "HEARD_BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/heard_bench"
)
TARGET_MS = 500.0

# --- invented feedback ---------------------------------------------------------------------------------------------

START = datetime(2024, 3, 1, tzinfo=UTC)
MONTHS = 24
SERVICES = [
    "Ward 1",
    "Ward 2",
    "Ward 3",
    "Ward 4",
    "Ward 5",
    "Ward 6",
    "Ward 7",
    "Ward 8",
    "Ward 9",
    "Ward 10",
    "Ward 11",
    "Ward 12",
    "Emergency department",
    "Urgent treatment centre",
    "Maternity",
    "Neonatal unit",
    "Children's ward",
    "Day surgery",
    "Outpatients",
    "Fracture clinic",
    "Eye clinic",
    "Audiology",
    "Physiotherapy",
    "Radiology",
    "Pharmacy",
    "Phlebotomy",
    "Cardiology",
    "Oncology",
    "Renal unit",
    "Diabetes clinic",
    "Dermatology",
    "Community nursing",
    "District nurses",
    "Health visiting",
    "Mental health inpatients",
    "Crisis team",
    "Memory clinic",
    "Sexual health",
    "Podiatry",
    "Patient transport",
]
# source name -> (kind, share of items, {channel: share})
SOURCES = {
    "Friends and Family Test": ("fft", 0.70, {"paper": 0.35, "sms": 0.30, "kiosk": 0.15, "online": 0.20}),
    "PALS": ("pals", 0.10, {"telephone": 0.6, "email": 0.4}),
    "Community survey": ("survey_tool", 0.20, {"online": 1.0}),
}
PROJECTS = ["Urgent care review", "Maternity voices", "Community services redesign"]

# Clauses by starter category (in STARTER order), good then bad, joined into sentences below.
CLAUSES: list[tuple[list[str], list[str]]] = [
    (
        ["everyone was wonderful from start to finish", "thank you all for the care my mother received"],
        [
            "the whole visit felt chaotic and nobody seemed to know the plan",
            "money seems wasted on agency staff",
        ],
    ),
    (
        [
            "the nurses were kind and patient with me",
            "the doctor was calm, gentle and very professional",
            "staff took time to make sure I was comfortable",
        ],
        [
            "the receptionist was rude and dismissive",
            "there were not enough nurses on the night shift",
            "I pressed the buzzer and waited forty minutes for help",
        ],
    ),
    (
        ["I got an appointment quickly", "the booking system was simple and the text reminder helped"],
        [
            "I rang the appointment line twenty times and nobody answered",
            "my appointment was cancelled twice without explanation",
            "we waited over four hours in the waiting room",
        ],
    ),
    (
        [
            "the consultant listened and explained every option",
            "they kept my family informed throughout",
            "the leaflet about the procedure was clear",
        ],
        [
            "nobody told us what was happening",
            "my letter went to the wrong address",
            "I felt nobody listened to my concerns about my son",
        ],
    ),
    (
        ["my rights under the section were explained clearly"],
        ["nobody explained my rights while I was detained"],
    ),
    (
        [
            "the referral to physiotherapy happened within a week",
            "discharge was well planned with support at home",
        ],
        ["I was passed between departments for months", "discharge took all day waiting for paperwork"],
    ),
    (
        ["pain relief came quickly when I asked", "the pharmacist explained my new tablets"],
        ["my medication was late every evening", "my pain was not taken seriously overnight"],
    ),
    (
        ["the art group and garden walks helped my recovery"],
        ["there was nothing to do all day on the ward"],
    ),
    (
        [
            "the ward was spotless",
            "the food was hot and there was a good choice",
            "the new building is bright and easy to find your way around",
        ],
        [
            "the toilets were dirty",
            "the food was cold and bland",
            "it was too noisy to sleep at night",
            "the hoist was broken for days",
        ],
    ),
    (
        ["patient transport arrived on time"],
        ["parking was impossible and cost a fortune", "the hospital transport never turned up"],
    ),
]
OPENERS = ["", "Overall ", "Honestly, ", "On the whole ", "To be fair ", "I have to say "]
LINKS = [" and ", ", but ", ". Also ", "; however ", ", although ", ". Apart from that "]
TAILS = [
    "",
    "",
    " Thank you.",
    " Please pass this on to the team.",
    " I would recommend the service to friends and family.",
    " I would not recommend it as things stand.",
    " This was my third visit this year and it was the same each time.",
    " My elderly father found the whole experience confusing and tiring, and we had to come back the next day.",
]


def sentences_make(rng: random.Random, per_category: int = 40) -> list[list[tuple[str, bool]]]:
    """A few hundred sentences of 10-60 words, by category, each marked good (True) or bad."""
    made: list[list[tuple[str, bool]]] = []
    every = [clause for good, bad in CLAUSES for clause in good + bad]
    for good, bad in CLAUSES:
        found: list[tuple[str, bool]] = []
        while len(found) < per_category:
            positive = rng.random() < 0.45
            first = rng.choice(good if positive else bad)
            text = rng.choice(OPENERS) + first
            if rng.random() < 0.7:
                text += rng.choice(LINKS) + rng.choice(every)
            text = text[0].upper() + text[1:] + "." + rng.choice(TAILS)
            if 10 <= len(text.split()) <= 60:
                found.append((text, positive))
        made.append(found)
    return made


def weights_zipf(count: int, power: float) -> list[float]:
    return [1 / (rank + 1) ** power for rank in range(count)]


# --- the installation ----------------------------------------------------------------------------------------------


def _postgres_url(base: str, name: str) -> tuple[str, str]:
    parsed = urlparse(base)
    return urlunparse(parsed._replace(path="/postgres")), urlunparse(parsed._replace(path=f"/{name}"))


def _postgres_admin(admin_url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(statement)


def prepare(database_url: str, workdir: Path) -> None:
    env = {
        **os.environ,
        "HEARD_ENV": "demo",
        "HEARD_VAR_DIR": str(workdir),
        "HEARD_TASK_BACKEND": "immediate",
        "HEARD_LOG_LEVEL": "WARNING",
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "heard.settings",
    }
    subprocess.run([str(BIN / "heard"), "migrate", "--verbosity", "0"], env=env, cwd=ROOT, check=True)
    os.environ.update(env)
    import django

    django.setup()


def setup_organisation() -> dict[str, Any]:
    from heard.core.models import Membership, Role, User
    from heard.core.services.organisations import organisation_create
    from heard.listening.models import FeedbackSource
    from heard.projects.models import Project
    from heard.understanding.services.codebooks import codebook_create
    from heard.understanding.starter import STARTER_NAME

    organisation = organisation_create(actor=None, name="Bench ICB", slug="bench", kind="icb", is_demo=True)
    analyst = User.objects.create_user(username="bench-analyst", password=None)
    Membership.objects.create(user=analyst, organisation=organisation, role=Role.ANALYST)
    sources = {
        name: FeedbackSource.objects.create(organisation=organisation, name=name, kind=kind)
        for name, (kind, _, _) in SOURCES.items()
    }
    projects = [
        Project.objects.create(organisation=organisation, slug=f"project-{n}", title=title)
        for n, title in enumerate(PROJECTS, 1)
    ]
    codebook = codebook_create(actor=None, organisation=organisation, name=STARTER_NAME, starter=True)
    return {
        "organisation": organisation,
        "analyst": analyst,
        "sources": sources,
        "projects": projects,
        "codebook": codebook,
    }


# --- loading -------------------------------------------------------------------------------------------------------

CHUNK = 50_000
ITEM_COLUMNS = (
    "id, organisation_id, source_id, channel, project_id, service, received_at, text, fft_answer, redactions, "
    "respondent_pseudonym, external_id, fingerprint, flagged, flag_note, created_at, question"
)
CODED_COLUMNS = (
    "organisation_id, codebook_id, item_id, part, by_model, sentiment, theme_count, words, received_at, channel, "
    "source_id, project_id, service, question"
)
ASSIGNMENT_COLUMNS = (
    "organisation_id, codebook_id, item_id, part, theme_id, by_model, sentiment, received_at, channel, "
    "source_id, project_id, service, question"
)
# The FFT source's comments answer one of two follow-up questions; the other sources' answer none (a survey
# response to several open questions, a complaint, a post), as FeedbackItem.question allows.
FFT_QUESTIONS = ("What was good?", "What could we do better?")


def load(setup: dict[str, Any], total: int, seed: int) -> dict[str, Any]:
    """Writes ``total`` items with their coding by COPY. Returns what the timings need to know."""
    from django.db import connection

    rng = random.Random(seed)
    organisation, codebook = setup["organisation"], setup["codebook"]
    themes = list(codebook.themes.select_related("category").order_by("code"))
    category_of = [theme.category.position for theme in themes]
    popularity = list(range(len(themes)))
    rng.shuffle(popularity)  # which themes are popular is not the order of the codebook
    theme_weights = [0.0] * len(themes)
    for rank, index in enumerate(popularity):
        theme_weights[index] = 1 / (rank + 1) ** 1.1
    sentences = sentences_make(rng)
    service_weights = weights_zipf(len(SERVICES), 0.9)
    source_names = list(SOURCES)
    source_ids = [setup["sources"][name].pk for name in source_names]
    source_weights = [SOURCES[name][1] for name in source_names]
    channel_tables = [(list(SOURCES[name][2]), list(SOURCES[name][2].values())) for name in source_names]
    project_ids = [project.pk for project in setup["projects"]]
    span = MONTHS * 30.44 * 86400
    created = datetime(2026, 3, 2, tzinfo=UTC).strftime("%Y-%m-%d %H:%M:%S+00")
    org_id, book_id = organisation.pk, codebook.pk
    theme_ids = [theme.pk for theme in themes]
    stats = {"assignments": 0, "by_model": 0, "words": 0}

    connection.ensure_connection()
    raw = (
        connection.connection
    )  # psycopg's own connection, in autocommit as Django keeps it: each COPY commits
    began = time.perf_counter()
    with raw.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # no FK triggers: the rows are consistent
        for first in range(1, total + 1, CHUNK):
            items: list[str] = []
            coded: list[str] = []
            assigned: list[str] = []
            for item_id in range(first, min(first + CHUNK, total + 1)):
                # Items arrive in time order (ids follow received_at), a little faster in the second year.
                position = ((item_id - 0.5) / total) ** 0.9
                when = START + timedelta(seconds=position * span + rng.uniform(-3600, 3600))
                stamp = when.strftime("%Y-%m-%d %H:%M:%S+00")
                source_index = rng.choices(range(3), source_weights)[0]
                channels, channel_weights = channel_tables[source_index]
                channel = rng.choices(channels, channel_weights)[0]
                project = ""
                if source_index == 2 and rng.random() < 0.6:
                    project = str(rng.choice(project_ids))
                elif rng.random() < 0.03:
                    project = str(project_ids[0])
                service = rng.choices(SERVICES, service_weights)[0]
                count = rng.choices((1, 2, 3), (0.55, 0.30, 0.15))[0]
                chosen: list[int] = []
                while len(chosen) < count:
                    pick = rng.choices(range(len(themes)), theme_weights)[0]
                    if pick not in chosen:
                        chosen.append(pick)
                text, positive = rng.choice(sentences[category_of[chosen[0]]])
                if count > 1 and rng.random() < 0.3:
                    extra, _ = rng.choice(sentences[category_of[chosen[1]]])
                    if len(text.split()) + len(extra.split()) <= 60:
                        text = f"{text} {extra}"
                words = len(text.split())
                sentiment = rng.choice((1, 2, 2, 3) if positive else (3, 4, 4, 5))
                by_model = "t" if rng.random() < 0.92 else "f"
                stats["by_model"] += by_model == "t"
                stats["words"] += words
                fingerprint = hashlib.sha256(f"{item_id}:{text}".encode()).hexdigest()
                fft = rng.choice(("very_good", "good", "poor")) if source_index == 0 else ""
                question = (FFT_QUESTIONS[0] if positive else FFT_QUESTIONS[1]) if source_index == 0 else ""
                project_cell = project or "\\N"
                items.append(
                    f"{item_id}\t{org_id}\t{source_ids[source_index]}\t{channel}\t{project_cell}\t{service}\t"
                    f"{stamp}\t{text}\t{fft}\t{{}}\t\tbench-{item_id}\t{fingerprint}\tf\t\t{created}\t{question}\n"
                )
                common = (
                    f"{stamp}\t{channel}\t{source_ids[source_index]}\t{project_cell}\t{service}\t{question}\n"
                )
                coded.append(
                    f"{org_id}\t{book_id}\t{item_id}\t0\t{by_model}\t{sentiment}\t{count}\t{words}\t{common}"
                )
                for pick in chosen:
                    assigned.append(
                        f"{org_id}\t{book_id}\t{item_id}\t0\t{theme_ids[pick]}\t{by_model}\t{sentiment}\t{common}"
                    )
            stats["assignments"] += len(assigned)
            for table, columns, rows in (
                ("listening_feedbackitem", ITEM_COLUMNS, items),
                ("understanding_codeditem", CODED_COLUMNS, coded),
                ("understanding_themeassignment", ASSIGNMENT_COLUMNS, assigned),
            ):
                with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    copy.write("".join(rows))
            done = min(first + CHUNK - 1, total)
            if done % (CHUNK * 10) == 0 or done == total:
                print(f"  loaded {done:,} items ({time.perf_counter() - began:.0f} s)", flush=True)
        cursor.execute("SET session_replication_role = origin")
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('listening_feedbackitem', 'id'), "
            "(SELECT max(id) FROM listening_feedbackitem))"
        )
    loaded = time.perf_counter() - began
    mark = time.perf_counter()
    with raw.cursor() as cursor:  # Django keeps the connection in autocommit: VACUUM may run
        cursor.execute("VACUUM ANALYZE")
    vacuumed = time.perf_counter() - mark
    popular = [themes[index] for index in popularity]
    return {
        "load_seconds": loaded,
        "vacuum_seconds": vacuumed,
        "themes": themes,
        "popular": popular,
        **stats,
    }


def sizes(tables: list[str]) -> list[tuple[str, int, int, int]]:
    """(table, rows, heap+toast bytes, index bytes) and each index of them."""
    from django.db import connection

    out = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                "SELECT reltuples::bigint, pg_table_size(%s::regclass), pg_indexes_size(%s::regclass) "
                "FROM pg_class WHERE oid = %s::regclass",
                [table, table, table],
            )
            rows, heap, index = cursor.fetchone()
            out.append((table, rows, heap, index))
    return out


def index_sizes(tables: list[str]) -> list[tuple[str, str, int]]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.relname, i.relname, pg_relation_size(i.oid) FROM pg_index x "
            "JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid "
            "WHERE t.relname = ANY(%s) ORDER BY t.relname, pg_relation_size(i.oid) DESC",
            [tables],
        )
        return list(cursor.fetchall())


def mb(size: float) -> str:
    return f"{size / 1024 / 1024:,.0f} MB"


# --- timing --------------------------------------------------------------------------------------------------------


class QueryLog:
    """Every SQL statement run while it is on, with its time, so that a case can say which query costs."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, Any, float]] = []

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.calls.append((sql, params, (time.perf_counter() - began) * 1000))


def dashboard_label(index: int, sql: str) -> str:
    """A dashboard query named by what it reads and the columns it gives ("7. monthlypaircount: first_theme_id,
    second_theme_id, n"), numbered in the order the dashboard asks, so that a query added or moved cannot take
    another's name."""
    table = re.search(r'FROM "(\w+)"', sql)
    name = table.group(1).removeprefix("understanding_") if table else sql.split()[0].lower()
    selected = sql[: table.start()] if table else ""
    columns = list(dict.fromkeys(re.findall(r'AS "(\w+)"', selected)))
    if sql.rstrip().endswith("LIMIT 1") and not columns:
        return f"{index + 1}. {name} (is there one?)"
    return f"{index + 1}. {name}" + (f": {', '.join(columns)}" if columns else "")


def comments_label(sql: str) -> str:
    if sql.startswith("SELECT COUNT(*)"):
        return "page count (Paginator)"
    if 'FROM "listening_feedbackitem"' in sql and "LIMIT" in sql:
        return "page of 25 items"
    if 'FROM "understanding_themeassignment"' in sql and '"item_id" IN' in sql:
        return "themes of the page"
    return "session, membership, codebook, form"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


class Case:
    def __init__(self, group: str, label: str, run: Callable[[], Any], labeller: Callable[[int, str], str]):
        self.group, self.label, self.run, self.labeller = group, label, run, labeller
        self.times: list[float] = []
        self.parts: dict[str, list[float]] = defaultdict(list)
        self.sql: dict[str, tuple[str, Any]] = {}


def measure(case: Case, repeat: int, seconds: float, warmup: int = 2) -> Case:
    from django.db import connection

    case.times, case.parts, case.sql = [], defaultdict(list), {}
    for _ in range(warmup):
        case.run()
    stop_at = time.monotonic() + seconds
    for _ in range(repeat):
        log = QueryLog()
        with connection.execute_wrapper(log):
            began = time.perf_counter()
            case.run()
            case.times.append((time.perf_counter() - began) * 1000)
        for index, (sql, params, ms) in enumerate(log.calls):
            label = case.labeller(index, sql)
            case.parts[label].append(ms)
            case.sql[label] = (sql, params)
        if time.monotonic() > stop_at:
            break
    return case


def cases_make(setup: dict[str, Any], loaded: dict[str, Any]) -> list[Case]:
    from django.test import Client

    from heard.core.middleware import SESSION_SIGNED_IN_AT, SESSION_TWO_FACTOR
    from heard.understanding.dashboards import DashboardFilters, dashboard

    codebook = setup["codebook"]
    client = Client()
    client.force_login(setup["analyst"])
    session = client.session
    session[SESSION_SIGNED_IN_AT] = time.time()
    session[SESSION_TWO_FACTOR] = True
    session.save()
    project = setup["projects"][0]
    recent = (START + timedelta(days=int(MONTHS * 30.44) - 95)).date()
    three_months = (
        date(recent.year, recent.month, 1),
        date(recent.year, recent.month, 1) + timedelta(days=91),
    )
    busiest, middling = loaded["popular"][0], loaded["popular"][len(loaded["popular"]) // 2]
    month = (START + timedelta(days=400)).strftime("%Y-%m")
    filters = {
        "no filter": DashboardFilters(),
        "one channel (sms)": DashboardFilters(channel="sms"),
        f"3 months ({three_months[0]:%b %Y}-)": DashboardFilters(
            date_from=three_months[0], date_to=three_months[1] - timedelta(days=1)
        ),
        f"one service ({SERVICES[3]})": DashboardFilters(service=SERVICES[3]),
        f"one project ({project.title})": DashboardFilters(project_id=project.pk),
        f"one question ({FFT_QUESTIONS[1]})": DashboardFilters(question=FFT_QUESTIONS[1]),
    }

    def page(path: str, params: dict[str, Any]) -> Callable[[], Any]:
        address = f"{path}?{urlencode(params)}" if params else path

        def run() -> None:
            response = client.get(address)
            if response.status_code != 200:
                raise SystemExit(f"{address} answered {response.status_code}")

        return run

    cases = [
        Case(
            "dashboard()",
            label,
            (lambda chosen=chosen: dashboard(codebook=codebook, filters=chosen)),
            dashboard_label,
        )
        for label, chosen in filters.items()
    ]
    base = f"/themes/{codebook.pk}"
    cases.append(
        Case(
            "dashboard page", "no filter (whole request)", page(f"{base}/dashboard/", {}), lambda i, s: "all"
        )
    )
    cases.append(
        Case(
            "dashboard page",
            "3 months + channel sms (whole request)",
            page(
                f"{base}/dashboard/",
                {
                    "date_from": three_months[0].isoformat(),
                    "date_to": three_months[1].isoformat(),
                    "channel": "sms",
                },
            ),
            lambda i, s: "all",
        )
    )
    comments = {
        f"theme, busiest ({busiest.name})": {"theme": busiest.pk},
        f"theme, middling ({middling.name})": {"theme": middling.pk},
        f"theme + month {month}": {"theme": busiest.pk, "month": month},
        "search 'rude'": {"q": "rude"},
        "search 'waited hours'": {"q": "waited hours"},
        "search 'hoist' (rare)": {"q": "hoist"},
        "search 'zebra' (no match)": {"q": "zebra"},
        "complex comments": {"complex": "on"},
        "theme + search + channel": {"theme": busiest.pk, "q": "nurses", "channel": "paper"},
        "page 40 of a theme": {"theme": busiest.pk, "page": 40},
    }
    for label, params in comments.items():
        cases.append(
            Case("comments page", label, page(f"{base}/comments/", params), lambda i, s: comments_label(s))
        )
    return cases


def report(cases: list[Case], heading: str, show_parts: bool = True) -> dict[str, tuple[float, float]]:
    print(f"\n{heading}  (load average {os.getloadavg()[0]:.1f})")
    print(f"  {'case':<58} {'runs':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    out = {}
    group = ""
    for case in cases:
        if case.group != group:
            group = case.group
            print(f"  {group}")
        p50, p95 = statistics.median(case.times), percentile(case.times, 0.95)
        out[f"{case.group}: {case.label}"] = (p50, p95)
        flag = "  OVER" if p95 > TARGET_MS else ""
        print(
            f"    {case.label:<56} {len(case.times):>4} {p50:>8.0f} {p95:>8.0f} {max(case.times):>8.0f}{flag}"
        )
        if show_parts and len(case.parts) > 1:
            for label, values in sorted(case.parts.items(), key=lambda kv: -statistics.median(kv[1])):
                if statistics.median(values) >= 5:
                    print(
                        f"      - {label:<52}      {statistics.median(values):>8.0f} {percentile(values, 0.95):>8.0f}"
                    )
    return out


def explain(cases: list[Case], folder: Path | None, heading: str) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of each case's slowest query, summarised; in full in ``folder``."""
    from django.db import connection

    print(f"\nEXPLAIN (ANALYZE, BUFFERS), {heading}: the slowest query of each case")
    seen: set[str] = set()
    for case in cases:
        if not case.parts:
            continue
        label = max(case.parts, key=lambda name: statistics.median(case.parts[name]))
        sql, params = case.sql[label]
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            plan = [row[0] for row in cursor.fetchall()]
        key = "\n".join(line for line in plan if "Time" not in line)[:4000]
        nodes = [
            line.strip().lstrip("-> ").split("  (")[0] for line in plan if "->" in line or line is plan[0]
        ]
        total = next((line for line in plan if line.startswith("Execution Time")), "")
        print(f"  {case.group}: {case.label} / {label}: {total}")
        if key not in seen:
            seen.add(key)
            print("      " + " | ".join(dict.fromkeys(nodes))[:600])
        if folder:
            name = "".join(ch if ch.isalnum() else "-" for ch in f"{heading}-{case.group}-{case.label}")[:120]
            (folder / f"{name}.txt").write_text(sql + "\n" + repr(params) + "\n\n" + "\n".join(plan) + "\n")


# --- things to try in the throwaway database -----------------------------------------------------------------------

# (label, statements, the case groups it is meant for: only those are timed again after it)
COMMENTS, DASHBOARDS = ("comments page",), ("dashboard()", "dashboard page")
TRIALS: list[tuple[str, list[str], tuple[str, ...]]] = [
    (
        "A. pg_trgm GIN index on UPPER(text) (what icontains compares)",
        [
            "CREATE EXTENSION IF NOT EXISTS pg_trgm",
            "CREATE INDEX bench_feedback_text_trgm ON listening_feedbackitem USING gin (upper(text) gin_trgm_ops)",
        ],
        COMMENTS,
    ),
    (
        "B. (theme, item) and local-date indexes for the comments page",
        [
            "CREATE INDEX bench_assign_theme_item ON understanding_themeassignment (codebook_id, theme_id, item_id)",
            "CREATE INDEX bench_coded_local_date ON understanding_codeditem "
            "(codebook_id, ((received_at AT TIME ZONE 'Europe/London')::date), item_id)",
            "VACUUM ANALYZE understanding_themeassignment",
            "VACUUM ANALYZE understanding_codeditem",
        ],
        COMMENTS,
    ),
    (
        "C. covering indexes for the dashboard's counts (index-only scans)",
        [
            "CREATE INDEX bench_assign_cover ON understanding_themeassignment (codebook_id, received_at) "
            "INCLUDE (theme_id, item_id, sentiment, channel, service, project_id, source_id)",
            "CREATE INDEX bench_coded_cover ON understanding_codeditem (codebook_id, received_at) "
            "INCLUDE (item_id, by_model, theme_count, words, channel, service, project_id, source_id)",
            "VACUUM ANALYZE understanding_themeassignment",
            "VACUUM ANALYZE understanding_codeditem",
        ],
        DASHBOARDS,
    ),
    (
        "D. work_mem 64MB for the session (hash joins and sorts in memory)",
        ["SET work_mem = '64MB'"],
        DASHBOARDS,
    ),
]

SUMMARY_BUILD = [
    "DROP TABLE IF EXISTS bench_coded_month, bench_theme_month, bench_pair_month",
    """CREATE TABLE bench_coded_month AS
       SELECT codebook_id, date_trunc('month', received_at AT TIME ZONE 'Europe/London')::date AS month,
              channel, service, source_id, project_id, count(*) AS n, count(*) FILTER (WHERE by_model) AS by_model,
              count(*) FILTER (WHERE theme_count >= 3 OR words >= 120) AS complex
       FROM understanding_codeditem GROUP BY 1, 2, 3, 4, 5, 6""",
    """CREATE TABLE bench_theme_month AS
       SELECT codebook_id, date_trunc('month', received_at AT TIME ZONE 'Europe/London')::date AS month, theme_id,
              channel, service, source_id, project_id, count(*) AS n,
              count(*) FILTER (WHERE sentiment >= 4) AS negative, count(*) FILTER (WHERE sentiment <= 2) AS positive
       FROM understanding_themeassignment GROUP BY 1, 2, 3, 4, 5, 6, 7""",
    """CREATE TABLE bench_pair_month AS
       SELECT a.codebook_id, date_trunc('month', a.received_at AT TIME ZONE 'Europe/London')::date AS month,
              a.theme_id AS first, b.theme_id AS second, a.channel, a.service, a.source_id, a.project_id,
              count(*) AS n
       FROM understanding_themeassignment a JOIN understanding_themeassignment b
         ON a.item_id = b.item_id AND a.codebook_id = b.codebook_id AND a.theme_id < b.theme_id
       GROUP BY 1, 2, 3, 4, 5, 6, 7, 8""",
    "CREATE INDEX ON bench_coded_month (codebook_id, month)",
    "CREATE INDEX ON bench_theme_month (codebook_id, month)",
    "CREATE INDEX ON bench_pair_month (codebook_id, month)",
    "VACUUM ANALYZE bench_coded_month",
    "VACUUM ANALYZE bench_theme_month",
    "VACUUM ANALYZE bench_pair_month",
]


def summary_cases(setup: dict[str, Any]) -> list[Case]:
    """The dashboard's nine questions asked of the monthly summary tables, for the same filters (whole months)."""
    from django.db import connection

    book = setup["codebook"].pk
    project = setup["projects"][0].pk
    recent = (START + timedelta(days=int(MONTHS * 30.44) - 95)).date()
    first = date(recent.year, recent.month, 1)
    filters = {
        "no filter": ("", []),
        "one channel (sms)": (" AND channel = %s", ["sms"]),
        f"3 months ({first:%b %Y}-)": (
            " AND month >= %s AND month < %s",
            [first, first + timedelta(days=91)],
        ),
        f"one service ({SERVICES[3]})": (" AND service = %s", [SERVICES[3]]),
        f"one project ({PROJECTS[0]})": (" AND project_id = %s", [project]),
    }

    def run_for(where: str, params: list[Any]) -> Callable[[], None]:
        def run() -> None:
            with connection.cursor() as cursor:
                head = "WHERE codebook_id = %s" + where
                args = [book, *params]
                cursor.execute(
                    f"SELECT sum(n), sum(by_model), sum(complex) FROM bench_coded_month {head}", args
                )
                cursor.execute(
                    "SELECT theme_id, sum(n), sum(negative), sum(positive) FROM bench_theme_month "
                    f"{head} GROUP BY theme_id ORDER BY 2 DESC",
                    args,
                )
                top = [row[0] for row in cursor.fetchall()][:6]
                cursor.execute(f"SELECT month, sum(n) FROM bench_coded_month {head} GROUP BY month", args)
                cursor.execute(
                    f"SELECT month, theme_id, sum(n) FROM bench_theme_month {head} AND theme_id = ANY(%s) "
                    "GROUP BY 1, 2",
                    [*args, top],
                )
                cursor.execute(
                    f"SELECT theme_id, channel, sum(n) FROM bench_theme_month {head} GROUP BY 1, 2", args
                )
                cursor.execute(
                    f"SELECT service, sum(n) FROM bench_coded_month {head} AND service <> '' GROUP BY 1 "
                    "ORDER BY 2 DESC, 1 LIMIT 8",
                    args,
                )
                services = [row[0] for row in cursor.fetchall()]
                cursor.execute(
                    f"SELECT theme_id, service, sum(n) FROM bench_theme_month {head} AND service = ANY(%s) "
                    "GROUP BY 1, 2",
                    [*args, services],
                )
                cursor.execute(
                    f"SELECT first, second, sum(n) FROM bench_pair_month {head} GROUP BY 1, 2 "
                    "ORDER BY 3 DESC, 1, 2 LIMIT 15",
                    args,
                )
                cursor.fetchall()

        return run

    labels = [
        "totals",
        "count by theme",
        "month totals",
        "month by top-6 themes",
        "theme x channel",
        "top services",
        "theme x top-8 services",
        "pairs",
    ]
    return [
        Case(
            "summary tables",
            label,
            run_for(where, params),
            lambda i, s: labels[i] if i < len(labels) else "?",
        )
        for label, (where, params) in filters.items()
    ]


# --- main ----------------------------------------------------------------------------------------------------------

TABLES = ["listening_feedbackitem", "understanding_codeditem", "understanding_themeassignment"]


def print_sizes(items: int, extra: list[str] | None = None) -> None:
    tables = TABLES + (extra or [])
    total = 0
    print(f"\nSizes ({items:,} items)")
    print(f"  {'table':<34} {'rows':>12} {'heap+toast':>12} {'indexes':>10} {'per item':>10}")
    for table, rows, heap, index in sizes(tables):
        total += heap + index
        print(f"  {table:<34} {rows:>12,} {mb(heap):>12} {mb(index):>10} {(heap + index) / items:>8.0f} B")
    print(f"  {'total':<34} {'':>12} {'':>12} {mb(total):>10} {total / items:>8.0f} B")
    print("  indexes:")
    for table, index, size in index_sizes(tables):
        print(f"    {table:<32} {index:<46} {mb(size):>10}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--case-seconds", type=float, default=60)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES)
    parser.add_argument("--seed", type=int, default=20260304)
    parser.add_argument("--keep", action="store_true", help="leave the database (its name is printed)")
    parser.add_argument(
        "--explain", action="store_true", help="EXPLAIN (ANALYZE, BUFFERS) the slowest queries"
    )
    parser.add_argument("--explain-dir", type=Path, help="write every full plan to this folder")
    parser.add_argument("--try", dest="trials", action="store_true", help="try indexes and a summary table")
    options = parser.parse_args()

    print(f"Heard dashboard benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC")
    print(f"Python {platform.python_version()}, {platform.platform()}, {os.cpu_count()} cores")
    print("Load average (1, 5, 15 min): " + ", ".join(f"{load:.1f}" for load in os.getloadavg()))
    name = f"heard_bench_dash_{os.getpid()}"
    admin, url = _postgres_url(options.postgres, name)
    _postgres_admin(admin, f'DROP DATABASE IF EXISTS "{name}"')
    _postgres_admin(admin, f'CREATE DATABASE "{name}"')
    if options.explain_dir:
        options.explain_dir.mkdir(parents=True, exist_ok=True)
    try:
        with tempfile.TemporaryDirectory(prefix="heard-dash-bench-") as folder:
            prepare(url, Path(folder))
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT current_setting('server_version'), current_setting('shared_buffers'), "
                    "current_setting('work_mem'), current_setting('max_parallel_workers_per_gather')"
                )
                version, buffers, work_mem, parallel = cursor.fetchone()
            print(
                f"PostgreSQL {version}: shared_buffers {buffers}, work_mem {work_mem}, "
                f"{parallel} parallel workers per query; database {name}"
            )
            setup = setup_organisation()
            print(f"\nLoading {options.items:,} items with COPY")
            loaded = load(setup, options.items, options.seed)
            print(
                f"  {options.items:,} items, {options.items:,} coded items, {loaded['assignments']:,} theme "
                f"assignments ({loaded['assignments'] / options.items:.2f} a comment), "
                f"{loaded['by_model'] / options.items:.0%} by the model, "
                f"{loaded['words'] / options.items:.0f} words a comment on average"
            )
            rows = options.items * 2 + loaded["assignments"]
            print(
                f"  COPY {loaded['load_seconds']:.0f} s ({rows / loaded['load_seconds']:,.0f} rows/s, "
                f"indexes kept up as rows arrive), VACUUM ANALYZE {loaded['vacuum_seconds']:.0f} s"
            )
            print_sizes(options.items)

            # COPY went round the services, so no month is marked stale yet: mark them all, as a first training
            # would, and time the rebuild of the monthly counts the dashboards read.
            from heard.understanding.services.summaries import months_mark_stale, summaries_bring_up_to_date

            codebook = setup["codebook"]
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT DISTINCT date_trunc('month', received_at AT TIME ZONE 'Europe/London') "
                    "FROM understanding_codeditem WHERE codebook_id = %s",
                    [codebook.pk],
                )
                months = [row[0].replace(day=15, tzinfo=UTC) for row in cursor.fetchall()]
            months_mark_stale(codebook=codebook, moments=months)
            mark = time.perf_counter()
            rebuilt = summaries_bring_up_to_date(codebook=codebook, refresh_statistics=True)
            seconds = time.perf_counter() - mark
            print(
                f"\nMonthly counts rebuilt for {rebuilt} months in {seconds:.1f} s ({seconds / max(rebuilt, 1):.2f} s "
                f"a month: what one coded comment's month costs the next dashboard read)"
            )
            print_sizes(
                options.items,
                [
                    "understanding_monthlycommentcount",
                    "understanding_monthlythemecount",
                    "understanding_monthlypaircount",
                    "understanding_monthlythemerollup",
                    "understanding_monthlypairrollup",
                ],
            )

            cases = cases_make(setup, loaded)
            for case in cases:
                measure(case, options.repeat, options.case_seconds)
            before = report(cases, "Timings as the project stands (ms)")
            if options.explain or options.explain_dir:
                explain(cases, options.explain_dir, "as it stands")

            if options.trials:
                results = [("as it stands", before)]
                for label, statements, groups in TRIALS:
                    print(f"\n{label}")
                    with connection.cursor() as cursor:
                        for statement in statements:
                            mark = time.perf_counter()
                            cursor.execute(statement)
                            print(
                                f"  {time.perf_counter() - mark:6.1f} s  {' '.join(statement.split())[:110]}"
                            )
                    chosen = [case for case in cases if case.group in groups]
                    for case in chosen:
                        measure(case, options.repeat, options.case_seconds)
                    results.append((label[:1], report(chosen, f"Timings after {label} (ms)")))
                    if options.explain or options.explain_dir:
                        explain(chosen, options.explain_dir, f"after {label[:1]}")
                print_sizes(options.items)
                print("\nE. monthly summary tables (prototype, built from the rows above)")
                with connection.cursor() as cursor:
                    for statement in SUMMARY_BUILD:
                        mark = time.perf_counter()
                        cursor.execute(statement)
                        print(f"  {time.perf_counter() - mark:6.1f} s  {' '.join(statement.split())[:110]}")
                print_sizes(options.items, ["bench_coded_month", "bench_theme_month", "bench_pair_month"])
                summaries = summary_cases(setup)
                for case in summaries:
                    measure(case, options.repeat, options.case_seconds)
                summary = report(
                    summaries, "Timings of the dashboard's questions asked of the summary tables (ms)"
                )
                print(
                    "\nBefore and after, p50/p95 ms (each step adds to the ones before it; '-' where a step was "
                    "not meant for the case and it was not timed again)"
                )
                steps = [name for name, _ in results]
                print(f"  {'case':<64}" + "".join(f"{step[:12]:>12}" for step in steps))
                for key in before:
                    cells = [
                        f"{result[key][0]:.0f}/{result[key][1]:.0f}" if key in result else "-"
                        for _, result in results
                    ]
                    print(f"  {key[:64]:<64}" + "".join(f"{cell:>12}" for cell in cells))
                for key, (p50, p95) in summary.items():
                    print(f"  {key[:64]:<64}{f'{p50:.0f}/{p95:.0f}':>12}")
            connection.close()
    finally:
        if options.keep:
            print(
                f"\nKept database {name}: drop it with psql -h 127.0.0.1 -U postgres -c 'DROP DATABASE {name}'"
            )
        else:
            _postgres_admin(admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
