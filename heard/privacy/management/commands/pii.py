"""``heard pii redact INPUT.csv --out OUTPUT.csv [--text-column text]``: see heard.privacy.commandline."""

from __future__ import annotations

import argparse
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from heard.privacy.commandline import add_pii_arguments, run_pii
from heard.privacy.extracts import ExtractError


class Command(BaseCommand):
    help = "Personal data in files: 'heard pii redact INPUT.csv --out OUTPUT.csv' redacts one column."
    # Redacting a file touches no database: no system checks, no migration checks, so it runs anywhere.
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        add_pii_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("verbosity", 1) == 0:
            options["quiet"] = True
        try:
            run_pii(str(options["action"]), options, self.stderr.write)
        except ExtractError as error:
            raise CommandError(str(error)) from None
