"""Loads the demonstration organisation and prints how to sign in. Used by ``heard demo``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from heard.demo.generator import demo_build, demo_password_generate

PASSWORD_FILE = "demo-password"  # noqa: S105 - a file name, not a password


def _remembered_password(var_dir: Path) -> str | None:
    path = var_dir / PASSWORD_FILE
    return path.read_text().strip() if path.exists() else None


def _remember_password(var_dir: Path, password: str) -> None:
    var_dir.mkdir(parents=True, exist_ok=True)
    path = var_dir / PASSWORD_FILE
    path.write_text(password + "\n")
    path.chmod(0o600)


class Command(BaseCommand):
    help = "Create or complete the demonstration organisation, and print the address and logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.IS_PRODUCTION:
            # Demo people may sign in without a second factor: they must never exist beside real data.
            raise CommandError("The demonstration organisation cannot be loaded with HEARD_ENV=production.")
        var_dir = Path(settings.VAR_DIR)
        chosen = os.environ.get("HEARD_DEMO_PASSWORD", "").strip()
        password = chosen or _remembered_password(var_dir) or demo_password_generate()
        # Always reset: the password printed below must be the one that works, even after a run with a chosen
        # password or a lost password file.
        summary = demo_build(password=password, reset_passwords=True)
        if not chosen:
            _remember_password(var_dir, password)
        width = 74
        lines = [
            "Heard is running with a demonstration organisation.",
            "",
            f"  Open:          http://127.0.0.1:{options['port']}/",
            f"  Organisation:  {summary.organisation.name}",
            f"  Password:      {password}"
            + ("  (from HEARD_DEMO_PASSWORD)" if chosen else "  (set HEARD_DEMO_PASSWORD to choose)"),
            "  Usernames:",
            *(f"    {username}" for username in summary.usernames),
            "",
            "Demo users may sign in without two-factor authentication; every page says so.",
            "Press Ctrl+C to stop.",
        ]
        self.stdout.write("=" * width)
        for line in lines:
            self.stdout.write(line)
        self.stdout.write("=" * width)
