"""Builds the demonstration organisation through the same services staff use, so it always shows every feature.

Later issues extend ``demo_build`` so that the demo shows what they add. It is idempotent: running it again
finds what is there and adds only what is missing.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from heard.core.models import Membership, Organisation, OrganisationKind, Role, User
from heard.core.services.organisations import membership_grant, organisation_create, password_set, user_create
from heard.demo.acting import demo_acting_build
from heard.demo.feedback import demo_feedback_build, demo_import_build
from heard.demo.surveys import demo_surveys_build
from heard.demo.themes import demo_themes_build
from heard.projects.models import EqualityGroup, Project, Stage
from heard.projects.services import project_create

DEMO_ORGANISATION_SLUG = "leeds-west"
DEMO_USERS: list[tuple[str, str, str, Role]] = [
    ("demo-admin", "Asha", "Patel", Role.ADMINISTRATOR),
    ("demo-lead", "Ben", "Okafor", Role.ENGAGEMENT_LEAD),
    ("demo-analyst", "Chloe", "Nowak", Role.ANALYST),
    ("demo-casework", "Dev", "Sharma", Role.CASE_HANDLER),
    ("demo-viewer", "Ellen", "Brooks", Role.VIEWER),
]

# A second, separate demonstration organisation, so that tenancy can be seen: nobody above can reach it.
NEIGHBOUR = ("calder-valley-healthwatch", "Calder Valley Healthwatch", OrganisationKind.HEALTHWATCH)

WORDS = (
    "amber harbour lantern meadow orchard pebble quartz river saffron timber velvet willow beacon "
    "cobalt ember falcon garnet heather island juniper kestrel lagoon marble nettle"
).split()


def demo_password_generate() -> str:
    """Three random words and two digits: easy to type from the terminal, and it passes the password rules."""
    return "-".join(secrets.choice(WORDS) for _ in range(3)) + f"-{secrets.randbelow(90) + 10}"


@dataclass(frozen=True)
class DemoProject:
    title: str
    summary: str
    stage: Stage
    starts_on: date
    ends_on: date
    lead: str
    groups: tuple[EqualityGroup, ...]


PROJECTS = [
    DemoProject(
        "Same-day urgent care in Leeds West",
        "How people choose between their GP practice, NHS 111, the urgent treatment centre and A&E, and what "
        "would make same-day care easier to find and use.",
        Stage.UNDERSTAND_NEEDS,
        date(2026, 9, 1),
        date(2027, 2, 26),
        "demo-lead",
        (EqualityGroup.AGE_YOUNG, EqualityGroup.SHIFT_WORKERS, EqualityGroup.HOMELESS, EqualityGroup.RACE),
    ),
    DemoProject(
        "Children and young people's mental health",
        "Co-designing support for young people waiting for specialist mental health care, with the task and "
        "finish group of young people, parents and carers.",
        Stage.DESIGN,
        date(2026, 4, 6),
        date(2027, 3, 31),
        "demo-lead",
        (
            EqualityGroup.AGE_YOUNG,
            EqualityGroup.CARERS,
            EqualityGroup.LEARNING_DISABILITY,
            EqualityGroup.SEXUAL_ORIENTATION,
        ),
    ),
    DemoProject(
        "Community musculoskeletal service",
        "Procuring a new community service for back, joint and muscle problems; what patients told us is "
        "written into the specification.",
        Stage.SPECIFY_AND_PROCURE,
        date(2026, 1, 12),
        date(2026, 12, 18),
        "demo-admin",
        (EqualityGroup.DISABILITY, EqualityGroup.AGE_OLDER, EqualityGroup.RURAL),
    ),
    DemoProject(
        "Maternity experience survey follow-up",
        "Checking that the changes made after last year's maternity feedback are working for women and "
        "families, especially those who had the poorest experience.",
        Stage.MONITOR,
        date(2025, 10, 1),
        date(2026, 11, 30),
        "demo-lead",
        (EqualityGroup.PREGNANCY, EqualityGroup.RACE, EqualityGroup.REFUGEES, EqualityGroup.DEPRIVATION),
    ),
]


@dataclass(frozen=True)
class DemoSummary:
    organisation: Organisation
    usernames: list[str]
    password: str
    password_changed: bool


@transaction.atomic
def demo_build(*, password: str, reset_passwords: bool) -> DemoSummary:
    """Creates (or completes) the demo organisations, users and projects.

    ``reset_passwords`` sets every demo user's password to ``password``, so that the one printed always works.
    """
    organisation = Organisation.objects.filter(slug=DEMO_ORGANISATION_SLUG).first() or organisation_create(
        actor=None,
        name="Leeds West Health Partnership",
        slug=DEMO_ORGANISATION_SLUG,
        kind=OrganisationKind.PLACE,
        is_demo=True,
    )
    neighbour = Organisation.objects.filter(slug=NEIGHBOUR[0]).first() or organisation_create(
        actor=None, name=NEIGHBOUR[1], slug=NEIGHBOUR[0], kind=NEIGHBOUR[2], is_demo=True
    )

    users: dict[str, User] = {}
    changed = False
    for username, first_name, last_name, role in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(
                actor=None,
                username=username,
                password=password,
                first_name=first_name,
                last_name=last_name,
                email=f"{username}@example.nhs.uk",
                validate=False,  # the demo password is generated or chosen by the operator on their laptop
            )
            changed = True
        elif reset_passwords and not user.check_password(password):
            password_set(actor=None, user=user, password=password, validate=False)
            changed = True
        if not Membership.objects.filter(user=user, organisation=organisation, role=role).exists():
            membership_grant(actor=None, user=user, organisation=organisation, role=role)
        users[username] = user

    for spec in PROJECTS:
        if not Project.objects.filter(organisation=organisation, title=spec.title).exists():
            project_create(
                actor=users[spec.lead],
                organisation=organisation,
                title=spec.title,
                summary=spec.summary,
                stage=spec.stage,
                starts_on=spec.starts_on,
                ends_on=spec.ends_on,
                lead=users[spec.lead],
                equality_groups=[group.value for group in spec.groups],
            )
    if not Project.objects.filter(organisation=neighbour).exists():
        project_create(
            actor=None,
            organisation=neighbour,
            title="Enter and view: care homes in Calder Valley",
            summary="Healthwatch volunteers visit care homes and report what residents and families say.",
            stage=Stage.MONITOR,
            equality_groups=[EqualityGroup.AGE_OLDER.value, EqualityGroup.CARERS.value],
        )
    demo_surveys_build(organisation=organisation, lead=users["demo-lead"])
    demo_feedback_build(organisation=organisation, lead=users["demo-lead"])
    demo_import_build(organisation=organisation, lead=users["demo-lead"])
    demo_themes_build(organisation=organisation, analyst=users["demo-analyst"], lead=users["demo-lead"])
    demo_acting_build(organisation=organisation, analyst=users["demo-analyst"], lead=users["demo-lead"])
    return DemoSummary(
        organisation=organisation, usernames=list(users), password=password, password_changed=changed
    )
