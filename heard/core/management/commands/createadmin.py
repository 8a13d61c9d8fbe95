"""Creates an administrator of an organisation, creating the organisation if it is new."""

from __future__ import annotations

import getpass
import os
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.text import slugify

from heard.core.models import Organisation, OrganisationKind, Role, User
from heard.core.services.organisations import membership_grant, organisation_create, user_create


class Command(BaseCommand):
    help = (
        "Create an administrator. The password comes from HEARD_ADMIN_PASSWORD or is asked for; it must meet "
        "the password rules. They set up two-factor sign-in when they first sign in."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--email", default="")
        parser.add_argument("--organisation", required=True, help="the organisation's slug, e.g. leeds-icb")
        parser.add_argument("--organisation-name", help="needed when the organisation is new")
        parser.add_argument("--kind", choices=OrganisationKind.values, default=OrganisationKind.ICB)

    def handle(self, *args: Any, **options: Any) -> None:
        slug = slugify(options["organisation"])
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None and not options["organisation_name"]:
            raise CommandError(f"There is no organisation {slug!r}: give --organisation-name to create it.")
        if User.objects.filter(username__iexact=options["username"]).exists():
            raise CommandError(f"The username {options['username']!r} is taken.")
        password = os.environ.get("HEARD_ADMIN_PASSWORD") or self._ask_password()
        try:
            validate_password(password, User(username=options["username"], email=options["email"]))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        with transaction.atomic():
            if organisation is None:
                organisation = organisation_create(
                    actor=None, name=options["organisation_name"], slug=slug, kind=options["kind"]
                )
            user = user_create(
                actor=None,
                username=options["username"],
                password=password,
                email=options["email"],
                validate=False,
            )
            membership_grant(actor=None, user=user, organisation=organisation, role=Role.ADMINISTRATOR)
        self.stdout.write(
            f"{user.username} is an administrator of {organisation.name} ({organisation.slug})."
        )

    def _ask_password(self) -> str:
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password again: "):
            raise CommandError("The passwords did not match.")
        return first
