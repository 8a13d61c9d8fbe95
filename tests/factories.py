"""Factories for tests: real rows in the real database, built the way services build them."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from heard.core.models import Membership, Organisation, OrganisationKind, Role, User
from heard.projects.models import Project, Stage

PASSWORD = "correct-horse-battery-staple"


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"organisation-{n}")
    kind = OrganisationKind.ICB
    is_demo = False


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"person{n}")
    first_name = "Pat"
    last_name = factory.Sequence(lambda n: f"Member{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.nhs.uk")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.VIEWER


class ProjectFactory(DjangoModelFactory):
    class Meta:
        model = Project

    organisation = factory.SubFactory(OrganisationFactory)
    title = factory.Sequence(lambda n: f"Engagement project {n}")
    slug = factory.Sequence(lambda n: f"engagement-project-{n}")
    summary = "What people think of a service."
    stage = Stage.UNDERSTAND_NEEDS
    equality_groups = factory.LazyFunction(list)


class FeedbackSourceFactory(DjangoModelFactory):
    class Meta:
        model = "listening.FeedbackSource"
        django_get_or_create = ("organisation", "name")

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Source {n}")
    kind = "fft"


class FeedbackItemFactory(DjangoModelFactory):
    class Meta:
        model = "listening.FeedbackItem"

    organisation = factory.SubFactory(OrganisationFactory)
    source = factory.SubFactory(FeedbackSourceFactory, organisation=factory.SelfAttribute("..organisation"))
    channel = "online"
    text = factory.Sequence(lambda n: f"The staff on the ward were kind, visit {n}.")
    service = "Ward 23"
    fingerprint = factory.Sequence(lambda n: f"{n:064d}")
