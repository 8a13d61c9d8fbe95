"""``heard report ppie|consultation|board ... --format html|pdf|docx --out FILE``: a report as a file."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from heard.core.audit import audit_record
from heard.core.models import Organisation
from heard.projects.models import Project
from heard.projects.selectors import projects_listing
from heard.reports import builders
from heard.reports.render import FORMATS, render_as

PRODUCED_BY = "heard report, at the command line"


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"{text!r} is not a date: write it as YYYY-MM-DD, like 2026-09-30.") from None


class Command(BaseCommand):
    help = "Produce a report as a web page (html), a PDF or a Word file (docx)."

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True)
        for name, description in (
            ("ppie", "the end-of-project patient and public involvement report"),
            ("consultation", "a consultation's response summary"),
            ("board", "the board assurance report for a period"),
        ):
            sub = kinds.add_parser(name, help=description)
            if name == "board":
                sub.add_argument("--organisation", required=True, help="the organisation's slug")
                sub.add_argument(
                    "--from", dest="start", help="first day, YYYY-MM-DD (default: the last full quarter)"
                )
                sub.add_argument(
                    "--to", dest="end", help="last day, YYYY-MM-DD (default: the last full quarter)"
                )
            else:
                sub.add_argument("--project", required=True, help="the project's slug")
                sub.add_argument(
                    "--organisation", help="the organisation's slug, where two have the same project slug"
                )
            if name == "consultation":
                sub.add_argument("--survey", help="the survey's code (default: the project's survey)")
            sub.add_argument("--format", dest="file_format", choices=FORMATS, default="html")
            sub.add_argument("--out", required=True, help="the file to write")

    def _project(self, slug: str, organisation: str | None) -> Project:
        found = list(projects_listing(organisation_slug=organisation).filter(slug=slug)[:2])
        if not found:
            raise CommandError(f"There is no project {slug!r}. `heard projects list` shows them.")
        if len(found) > 1:
            raise CommandError(f"Two organisations have a project {slug!r}: say which with --organisation.")
        return found[0]

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options["kind"]
        if kind == "board":
            organisation = Organisation.objects.filter(slug=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"There is no organisation {options['organisation']!r}.")
            start, end = builders.period_from(
                _date(options["start"]) if options.get("start") else None,
                _date(options["end"]) if options.get("end") else None,
                today=timezone.localdate(),
            )
            if end < start:
                raise CommandError("--to must be the same as or after --from.")
            document = builders.board_report(
                organisation=organisation, start=start, end=end, produced_by=PRODUCED_BY
            )
            what = {"report": "board", "from": start.isoformat(), "to": end.isoformat()}
        else:
            project = self._project(options["project"], options.get("organisation"))
            organisation = project.organisation
            what = {"report": kind, "project": project.slug, "survey": options.get("survey") or ""}
            if kind == "ppie":
                document = builders.ppie_report(project=project, produced_by=PRODUCED_BY)
            else:
                survey = None
                if options.get("survey"):
                    survey = builders.survey_of(project=project, code=options["survey"])
                    if survey is None:
                        raise CommandError(
                            f"The project {project.slug!r} has no survey {options['survey']!r}."
                        )
                try:
                    document = builders.consultation_report(
                        project=project, survey=survey, produced_by=PRODUCED_BY
                    )
                except ValueError as error:
                    raise CommandError(str(error)) from None
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(f"There is no folder {str(out.parent)!r} to write the report in.")
        data = render_as(document, options["file_format"])
        partial = out.with_name(out.name + ".partial")
        try:
            partial.write_bytes(data)
            partial.replace(out)  # never a half-written report under the real name
        except OSError as error:
            partial.unlink(missing_ok=True)
            raise CommandError(f"Could not write {out}: {error.strerror}.") from None
        audit_record(
            actor=None,
            action="report.produced",
            organisation=organisation,
            detail={**what, "format": options["file_format"], "file": out.name},
        )
        self.stdout.write(f"Wrote {out} ({len(data):,} bytes, {options['file_format']}).")
