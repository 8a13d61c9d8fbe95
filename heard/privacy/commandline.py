"""``heard pii redact INPUT.csv --out OUTPUT.csv [--text-column text]``: the arguments and what they do.

Both ways in share this module: the Django management command ``pii`` (``heard pii`` through ``manage.py``-style
dispatch, or ``call_command``), and the quick path in ``heard.cli``, which runs it without ``django.setup()``
because redacting a file needs no database, no settings and no installed apps, and Django's start-up would
otherwise cost more than redacting a few thousand comments (docs/adr/0011-redaction.md).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from heard.privacy.extracts import ExtractError, extract_redact


def add_pii_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    redact = actions.add_parser(
        "redact",
        help="redact identifiers in one column of a CSV file",
        description=(
            "Copy a UTF-8 CSV file with names, NHS numbers, phone numbers, e-mail and street addresses, "
            "postcodes, dates of birth and National Insurance numbers in the text column replaced by "
            "placeholders such as [NAME]. Every other column, and the order of the rows, is unchanged."
        ),
    )
    redact.add_argument("input", type=Path, metavar="INPUT.csv")
    redact.add_argument("--out", type=Path, required=True, metavar="OUTPUT.csv")
    redact.add_argument("--text-column", default="text", help="the column to redact (default: text)")
    redact.add_argument("--quiet", action="store_true", help="print nothing on success")


def run_pii(action: str, options: dict[str, object], report: Callable[[str], None]) -> None:
    """Carry out ``heard pii ACTION``; raises ExtractError with a message for the user."""
    if action != "redact":
        raise ExtractError(f"unknown action {action!r}: use 'heard pii redact'.")
    source = Path(str(options["input"]))
    destination = Path(str(options["out"]))
    if source.resolve() == destination.resolve():
        raise ExtractError("--out must be a different file from the input.")
    quiet = bool(options.get("quiet"))

    def progress(rows: int) -> None:
        if not quiet:
            report(f"heard pii redact: {rows:,} rows so far")

    summary = extract_redact(
        source=source,
        destination=destination,
        text_column=str(options.get("text_column") or "text"),
        progress=progress,
    )
    if not quiet:
        report(
            f"Redacted {summary.rows:,} rows ({summary.rows_changed:,} changed) in {summary.seconds:.2f} s: "
            f"{destination}"
        )


def main(argv: list[str]) -> int:
    """``heard pii ...`` without Django: the exit status."""
    parser = argparse.ArgumentParser(prog="heard pii", description="Personal data in files.")
    add_pii_arguments(parser)
    options = vars(parser.parse_args(argv))
    try:
        run_pii(str(options["action"]), options, lambda message: print(message, file=sys.stderr, flush=True))
    except ExtractError as error:
        print(f"heard pii: error: {error}", file=sys.stderr)
        return 1
    return 0
