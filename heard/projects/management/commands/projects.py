"""``heard projects list [--organisation SLUG]``: one project a line, tab-separated."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from heard.core.models import Organisation
from heard.projects.selectors import projects_listing


class Command(BaseCommand):
    help = "List engagement projects: organisation slug, project slug and title, tab-separated."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        listing = actions.add_parser("list", help="list projects")
        listing.add_argument("--organisation", help="only this organisation's projects (its slug)")

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options.get("organisation")
        if slug and not Organisation.objects.filter(slug=slug).exists():
            raise CommandError(f"There is no organisation {slug!r}.")
        for project in projects_listing(organisation_slug=slug):
            title = " ".join(project.title.split())  # a tab or newline in a title must not break the columns
            self.stdout.write(f"{project.organisation.slug}\t{project.slug}\t{title}")
