"""How long the coding page keeps an analyst waiting: ``.venv/bin/python bench/coding.py``.

The issue asks that an analyst codes a hundred comments in ten minutes: six seconds a comment, of which Heard's
share must be small. This builds the demo organisation in a throwaway SQLite database, signs in as the demo
analyst with Django's test client, and codes 100 comments as the keyboard-first page is used: type the codes,
press Enter (a POST), and the next comment arrives (the redirect's GET). It prints the server's time per comment.
It asserts nothing.
"""

from __future__ import annotations

import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    folder = tempfile.mkdtemp(prefix="heard-coding-bench-")
    os.environ.update(
        HEARD_ENV="demo",
        HEARD_VAR_DIR=folder,
        HEARD_TASK_BACKEND="immediate",
        DATABASE_URL=f"sqlite:///{folder}/bench.sqlite3",
        DJANGO_SETTINGS_MODULE="heard.settings",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from heard.core.middleware import SESSION_SIGNED_IN_AT
    from heard.core.models import User
    from heard.understanding.models import Codebook

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("demo_load", stdout=open(os.devnull, "w"))
    print(f"demo built in {time.perf_counter() - started:.1f} s")
    client = Client()
    client.force_login(User.objects.get(username="demo-analyst"))
    session = client.session
    session[SESSION_SIGNED_IN_AT] = time.time()  # as the sign-in pages leave it
    session.save()
    codebook = Codebook.objects.get(organisation__slug="leeds-west")
    address = f"/themes/{codebook.pk}/code/?order=uncertain"
    page = client.get(address)
    if page.status_code != 200:
        raise SystemExit(f"the coding page answered {page.status_code}")
    timings = []
    for _ in range(100):
        match = re.search(r"<h2>Feedback (\d+)</h2>", page.content.decode())
        if match is None:
            break
        began = time.perf_counter()
        saved = client.post(address, {"codes": "12 s4"})
        page = client.get(saved["Location"])
        timings.append(time.perf_counter() - began)
    ordered = sorted(timings)
    print(f"coded {len(timings)} comments; server time per comment (save and next):")
    print(
        f"  median {statistics.median(ordered) * 1000:.0f} ms, 95th percentile "
        f"{ordered[int(len(ordered) * 0.95) - 1] * 1000:.0f} ms, total {sum(ordered):.1f} s for 100"
    )
    print(f"  that leaves {600 - sum(ordered):.0f} of the 600 seconds in ten minutes for reading and typing")


if __name__ == "__main__":
    main()
