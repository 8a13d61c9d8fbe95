"""The ``heard`` command: the one entry point for operators, a thin front over Django's management commands.

heard demo                 migrate, load the demonstration organisation, serve on 127.0.0.1:$PORT
heard serve                gunicorn with production settings
heard worker [--burst]     run background tasks
heard migrate              bring the database up to date
heard createadmin          create an administrator (and their organisation)
heard projects list        one project a line: organisation slug, project slug, title
heard pii redact IN.csv --out OUT.csv    redact identifiers in a CSV file's text column
heard themes train CODED.csv --out MODEL_DIR        train a theme and sentiment model from coded comments
heard themes predict MODEL_DIR IN.csv --out OUT.csv  add themes and sentiment to a CSV file
heard report ppie --project SLUG --format html|pdf|docx --out FILE          end-of-project PPIE report
heard report consultation --project SLUG [--survey CODE] --format ... --out FILE  consultation summary
heard report board --organisation SLUG [--from YYYY-MM-DD] [--to YYYY-MM-DD] --format ... --out FILE
heard <django command>     anything else Django's manage.py knows (check, shell, ...)
"""

from __future__ import annotations

import os
import subprocess
import sys


def _django(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heard.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["heard", *argv])


def gunicorn_command(bind: str, workers: int, threads: int = 4, connections: int | None = None) -> list[str]:
    """How Heard runs gunicorn; the load benchmark serves with the same command."""
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    return [
        gunicorn,
        "heard.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        # Threaded workers keep connections alive, which serves about a quarter more on a small machine
        # (docs/performance.md, the intake API figures).
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        # A threaded worker otherwise accepts every kept-alive connection it can (1,000), so a few busy clients
        # all land on one process and one core while the others idle. Capped, the others take their share
        # (docs/adr/0016-web-server-connections.md).
        "--worker-connections",
        str(connections or threads * 2),
        # Several Heard servers may run on one machine; gunicorn's control socket would make them clash.
        "--no-control-socket",
        "--access-logfile",
        "-",
        # The default access log format includes the query string, which can carry search words; leave it out.
        "--access-logformat",
        '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms',
    ]


def _gunicorn(bind: str, workers: int, threads: int = 4, connections: int | None = None) -> None:
    """Replaces this process with gunicorn, so that signals from the terminal or a supervisor reach it."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heard.settings")
    args = gunicorn_command(bind, workers, threads, connections)
    os.execv(args[0], args)  # noqa: S606 - a fixed program path beside our own interpreter


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    command = args[0] if args else "help"
    if command in {"help", "-h", "--help"}:
        print(__doc__)
        return
    if command == "demo":
        os.environ.setdefault("HEARD_ENV", "demo")
        port = os.environ.get("PORT", "8000")
        _django(["migrate", "--verbosity", "0"])
        _django(["demo_load", "--port", port])
        # Background tasks run beside the web server. Both are in the terminal's process group, so Ctrl+C
        # stops both.
        subprocess.Popen([os.path.join(os.path.dirname(sys.executable), "heard"), "worker"])  # noqa: S603
        _gunicorn(f"127.0.0.1:{port}", workers=2)
        return
    if command == "pii":
        # Redacting a file needs no database or settings: skip Django's start-up, which costs more than
        # redacting thousands of comments (docs/adr/0011-redaction.md). The management command is the same code.
        from heard.privacy.commandline import main as pii_main

        sys.exit(pii_main(args[1:]))
    if command == "themes":
        # Like pii: files in, files out; no database, so no Django start-up.
        from heard.understanding.learning.files import main as themes_main

        sys.exit(themes_main(args[1:]))
    if command == "serve":
        os.environ.setdefault("HEARD_ENV", "production")
        # Import settings first so that a production check fails here, loudly, not inside a worker.
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heard.settings")
        import django

        django.setup()
        bind = os.environ.get("HEARD_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
        _gunicorn(
            bind,
            workers=int(os.environ.get("HEARD_WEB_WORKERS", "3")),
            threads=int(os.environ.get("HEARD_WEB_THREADS", "4")),
            connections=int(os.environ.get("HEARD_WEB_CONNECTIONS", "0")) or None,
        )
        return
    _django(args)


if __name__ == "__main__":
    main()
