"""``heard api-token create|revoke``: keys for connected systems to send feedback through the intake API."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from heard.core.models import Organisation
from heard.listening.models import ApiToken, FeedbackSource
from heard.listening.services.tokens import api_token_create, api_token_revoke


class Command(BaseCommand):
    help = "Create or revoke an organisation's intake API token."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="create a token and print it once")
        create.add_argument("--organisation", required=True, help="the organisation's slug")
        create.add_argument("--name", required=True, help="what the token is for, e.g. 'PALS system'")
        create.add_argument("--source", help="file feedback under this existing source (by name)")
        revoke = actions.add_parser("revoke", help="stop a token working")
        revoke.add_argument("--organisation", required=True, help="the organisation's slug")
        revoke.add_argument("prefix", help="the start of the token, as listed (e.g. heard_AbC12x)")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"There is no organisation {options['organisation']!r}.")
        if options["action"] == "create":
            source = None
            if options.get("source"):
                source = FeedbackSource.objects.filter(
                    organisation=organisation, name=options["source"]
                ).first()
                if source is None:
                    raise CommandError(f"{organisation.slug} has no source named {options['source']!r}.")
            issued = api_token_create(
                actor=None, organisation=organisation, name=options["name"], source=source
            )
            self.stderr.write("Keep this token secret. It is shown only now:")
            self.stdout.write(issued.token)
            return
        matches = list(
            ApiToken.objects.filter(
                organisation=organisation, prefix__startswith=options["prefix"], revoked_at__isnull=True
            )
        )
        if not matches:
            raise CommandError(f"No live token of {organisation.slug} starts {options['prefix']!r}.")
        if len(matches) > 1:
            raise CommandError("More than one token starts that way: give more of it.")
        api_token_revoke(actor=None, token=matches[0])
        self.stdout.write(f"Revoked {matches[0].name} ({matches[0].prefix}…).")
