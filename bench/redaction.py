"""Redaction benchmark: ``make bench`` (or ``.venv/bin/python bench/redaction.py``).

Measures ``heard.privacy.redaction`` on the development set ``../shared/data/pii-dev/pii_dev.csv`` (real patient
comments with invented identifiers written into them; see that folder's README):

- recall per kind of identifier: the share of secrets whose string no longer appears in the redacted text, with
  names split into those after a title ("Dr Patel"), those without one, and lower-case ones, and name recall
  again on a lower-cased copy of every comment (people who type without capitals);
- what else survives: the must-keep phrases, and the words of the comment as it was before identifiers were
  written into it (counted with multiplicity);
- speed: the engine in this process (comments a second), and the whole command ``heard pii redact`` on the file,
  timed from outside over several runs, including Python's start-up; the first run with an empty lexicon cache.

It prints tables and asserts nothing. The file is read from outside the repository and never copied into it.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV_SET = ROOT / ".." / "shared" / "data" / "pii-dev" / "pii_dev.csv"
HEARD = Path(sys.executable).parent / "heard"
TITLES = {"dr", "mr", "mrs", "ms", "miss", "mx", "nurse", "sister", "prof", "professor", "doctor"}
WORD = re.compile(r"\w+(?:['\u2019]\w+)*")

sys.path.insert(0, str(ROOT))


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _name_group(text: str, secret: str) -> str:
    position = text.find(secret)
    before = text[:position].split()
    if secret[:1].islower():
        return "NAME (lower case)"
    previous = before[-1].strip(".,").lower() if before else ""
    return "NAME (after a title)" if previous in TITLES else "NAME (no title)"


def quality(rows: list[dict[str, str]], redacted: list[str], lowered: list[str]) -> None:
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    missed: dict[str, list[str]] = {}
    for row, clean, clean_lower in zip(rows, redacted, lowered, strict=True):
        for kind, secret in json.loads(row["secrets"]):
            groups = [kind]
            if kind == "NAME":
                groups.append(_name_group(row["text"], secret))
            for group in groups:
                total[group] += 1
                if secret not in clean:
                    found[group] += 1
                else:
                    missed.setdefault(group, []).append(secret)
            if kind == "NAME":
                group = "NAME (whole comment lower-cased)"
                total[group] += 1
                found[group] += secret.lower() not in clean_lower
    print("\n| identifier | found | of | recall |")
    print("| --- | ---: | ---: | ---: |")
    order = ["NHS_NUMBER", "PHONE", "EMAIL", "POSTCODE", "NI_NUMBER", "DATE_OF_BIRTH", "ADDRESS", "NAME"]
    order += sorted(group for group in total if group.startswith("NAME ("))
    for group in order:
        if total[group]:
            print(f"| {group} | {found[group]} | {total[group]} | {found[group] / total[group]:.3f} |")
        else:
            print(f"| {group} | 0 | 0 | (none in the set) |")

    kept = kept_total = 0
    words_kept = words_total = 0
    for row, clean in zip(rows, redacted, strict=True):
        for phrase in json.loads(row["keep"]):
            kept_total += 1
            kept += phrase in clean
        original = Counter(WORD.findall(row["original"]))
        after = Counter(WORD.findall(clean))
        words_total += sum(original.values())
        words_kept += sum((original & after).values())
    print("\n| what must survive | survived | of | share |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| must-keep phrases | {kept} | {kept_total} | {kept / kept_total:.3f} |")
    print(
        f"| words of the original comments | {words_kept} | {words_total} | {words_kept / words_total:.4f} |"
    )
    if os.environ.get("BENCH_SHOW_MISSES"):
        for group, secrets in missed.items():
            print(group, secrets[:40])


def engine_speed(texts: list[str], repeats: int) -> None:
    from heard.privacy.redaction import redact
    from heard.privacy.redaction.lexicon import lexicon
    from heard.privacy.redaction.names import name_finder

    # Loading the word lists from the cache, as a fresh process does (the quality pass above filled it).
    lexicon.cache_clear()
    started = time.perf_counter()
    name_finder(refresh=True)
    loaded = time.perf_counter() - started
    rates = []
    cpu_rates = []
    for _ in range(repeats):
        started = time.perf_counter()
        cpu_started = time.process_time()
        for text in texts:
            redact(text)  # one by one, with no de-duplication: the engine's own speed
        rates.append(len(texts) / (time.perf_counter() - started))
        cpu_rates.append(len(texts) / (time.process_time() - cpu_started))
    print("\n| engine, in process | figure |")
    print("| --- | ---: |")
    print(f"| word lists loaded from the cache (ms) | {loaded * 1000:.0f} |")
    print(f"| comments a second, median of {repeats} | {statistics.median(rates):,.0f} |")
    print(f"| comments a second, best | {max(rates):,.0f} |")
    print(f"| comments a CPU second, median | {statistics.median(cpu_rates):,.0f} |")


def command_speed(path: Path, count: int, runs: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out.csv"
        cold_cache = Path(folder) / "cache"
        timings: list[tuple[str, float, float]] = []
        for run in range(runs + 1):
            env = dict(os.environ)
            if run == 0:
                env["HEARD_CACHE_DIR"] = str(cold_cache)  # an empty cache: the first run on a new machine
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            subprocess.run(
                [str(HEARD), "pii", "redact", str(path), "--out", str(out)],
                check=True,
                env=env,
                stderr=subprocess.DEVNULL,
            )
            wall = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            timings.append(("first (empty cache)" if run == 0 else f"run {run}", wall, cpu))
    warm = [wall for _label, wall, _cpu in timings[1:]]
    print(f"\n| `heard pii redact` on {count} comments | wall s | comments a second | CPU s |")
    print("| --- | ---: | ---: | ---: |")
    for label, wall, cpu in timings:
        print(f"| {label} | {wall:.2f} | {count / wall:,.0f} | {cpu:.2f} |")
    median = statistics.median(warm)
    print(f"| median of the {len(warm)} warm runs | {median:.2f} | {count / median:,.0f} | |")
    print(f"| slowest warm run | {max(warm):.2f} | {count / max(warm):,.0f} | |")
    print(f"\nLoad average at the end: {', '.join(f'{value:.1f}' for value in os.getloadavg())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEV_SET)
    parser.add_argument("--runs", type=int, default=5, help="timed runs of the whole command")
    parser.add_argument("--repeats", type=int, default=5, help="timed passes of the engine in process")
    options = parser.parse_args()
    if not options.data.exists():
        print(f"No data at {options.data}: the development set lives in ../shared beside the repository.")
        return
    from heard.privacy.redaction import redact_many

    rows = _rows(options.data)
    texts = [row["text"] for row in rows]
    print(
        f"Redaction benchmark, {time.strftime('%Y-%m-%d %H:%M')}; Python {platform.python_version()}, ",
        end="",
    )
    print(f"{os.cpu_count()} cores; {len(rows)} comments from {options.data.name}")
    redacted = redact_many(texts)
    lowered = redact_many([text.lower() for text in texts])
    quality(rows, redacted, lowered)
    engine_speed(texts, options.repeats)
    if options.runs > 0:
        command_speed(options.data, len(rows), options.runs)


if __name__ == "__main__":
    main()
