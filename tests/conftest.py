"""Shared fixtures and personas.

Alice administers Leeds North ICB (a real organisation: two factors required); Bob is its analyst; Carol is an
engagement lead at Wakefield Trust, another tenant that Alice and Bob must never reach. Dee leads engagement in
a demonstration organisation, so she may sign in with a password alone.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from django.test import Client

from heard.core.middleware import SESSION_SIGNED_IN_AT, SESSION_TWO_FACTOR
from heard.core.models import Organisation, Role, User
from tests.factories import MembershipFactory, OrganisationFactory, ProjectFactory, UserFactory


@pytest.fixture
def leeds(db) -> Organisation:
    return OrganisationFactory(name="Leeds North ICB", slug="leeds-north")


@pytest.fixture
def wakefield(db) -> Organisation:
    return OrganisationFactory(name="Wakefield Trust", slug="wakefield", kind="trust")


@pytest.fixture
def demo_org(db) -> Organisation:
    return OrganisationFactory(name="Demo Place", slug="demo-place", kind="place", is_demo=True)


def _member(organisation: Organisation, username: str, role: Role) -> User:
    user = UserFactory(username=username, first_name=username.title())
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def alice(leeds) -> User:
    return _member(leeds, "alice", Role.ADMINISTRATOR)


@pytest.fixture
def bob(leeds) -> User:
    return _member(leeds, "bob", Role.ANALYST)


@pytest.fixture
def carol(wakefield) -> User:
    return _member(wakefield, "carol", Role.ENGAGEMENT_LEAD)


@pytest.fixture
def dee(demo_org) -> User:
    return _member(demo_org, "dee", Role.ENGAGEMENT_LEAD)


@pytest.fixture
def member_factory() -> Callable[[Organisation, str, Role], User]:
    return _member


@pytest.fixture
def signed_in() -> Callable[[User], Client]:
    """A client signed in as ``user`` with both factors passed, as the sign-in pages would leave it."""

    def sign_in(user: User) -> Client:
        client = Client()
        client.force_login(user)
        session = client.session
        session[SESSION_SIGNED_IN_AT] = time.time()
        session[SESSION_TWO_FACTOR] = True
        session.save()
        return client

    return sign_in


@pytest.fixture
def project_factory() -> type[ProjectFactory]:
    return ProjectFactory
