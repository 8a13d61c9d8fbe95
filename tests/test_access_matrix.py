"""Every staff view, every role: the role rules hold, and nothing of one organisation reaches another.

The matrix is built from the URL configuration itself, so a new view without a permission fails here.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from heard.core.access import permissions, role_may
from heard.core.models import AuditEntry, Membership, Role
from tests.factories import MembershipFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db

# Views anyone may reach, or any signed-in person whatever their role: signing in and out, their own account,
# choosing among their own organisations, and the health check.
OPEN_VIEWS = {
    "core:root",
    "core:login",
    "core:signin_code",
    "core:logout",
    "core:organisation_switch",
    "core:two_factor_setup",
    "core:password_change",
    "core:recovery_codes_new",
    "core:healthz",
}


def url_patterns(
    resolver: URLResolver | None = None, namespace: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from url_patterns(entry, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
        elif entry.name:
            yield f"{namespace}{entry.name}", entry


PROTECTED = sorted((name, pattern) for name, pattern in url_patterns() if name not in OPEN_VIEWS)


def test_every_staff_view_declares_the_permission_it_needs():
    missing = [name for name, pattern in PROTECTED if not hasattr(pattern.callback, "heard_permission")]
    assert missing == []
    known = permissions()
    unknown = [name for name, pattern in PROTECTED if pattern.callback.heard_permission not in known]
    assert unknown == []


@pytest.fixture
def world(leeds, wakefield):
    """Two organisations, each with a project and a second member, so every URL has an object to name."""
    return {
        organisation.slug: {
            "slug": ProjectFactory(organisation=organisation).slug,
            "membership_id": MembershipFactory(organisation=organisation, role=Role.VIEWER).pk,
        }
        for organisation in (leeds, wakefield)
    }


def url_for(name: str, pattern: URLPattern, objects: dict[str, object]) -> str:
    kwargs = {key: objects[key] for key in pattern.pattern.regex.groupindex}
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("role", list(Role))
def test_each_role_reaches_exactly_the_views_its_rules_allow(role, leeds, world, signed_in):
    user = UserFactory(username=f"matrix-{role}")
    MembershipFactory(user=user, organisation=leeds, role=role)
    client = signed_in(user)
    wrong = []
    for name, pattern in PROTECTED:
        permission = pattern.callback.heard_permission
        response = client.get(url_for(name, pattern, world["leeds-north"]))
        allowed = role_may(role, permission)
        # POST-only views answer 405 to a GET from someone allowed; refusal is always 403.
        if allowed != (response.status_code in (200, 405)) or (not allowed and response.status_code != 403):
            wrong.append((name, permission, response.status_code))
    assert wrong == []


def test_guessing_another_organisations_addresses_finds_nothing(alice, world, signed_in):
    """Alice administers Leeds North, so every permission is hers there. Wakefield's objects answer exactly as
    objects that do not exist: 404, or 405 for a GET to a POST-only address, which says nothing either way."""
    client = signed_in(alice)
    nowhere = {"slug": "no-such-project", "membership_id": 999_999}
    leaks = []
    for name, pattern in PROTECTED:
        if not pattern.pattern.regex.groupindex:
            continue
        for method in (client.get, client.post):
            response = method(url_for(name, pattern, world["wakefield"]))
            missing = method(url_for(name, pattern, nowhere))
            if response.status_code != missing.status_code or response.status_code not in (404, 405):
                leaks.append((name, method.__name__, response.status_code))
    assert leaks == []
    wakefield_member = Membership.objects.get(pk=world["wakefield"]["membership_id"])
    assert wakefield_member.role == Role.VIEWER  # the POSTs changed nothing


def test_a_member_cannot_switch_into_an_organisation_they_do_not_belong_to(alice, wakefield, signed_in):
    client = signed_in(alice)
    client.post("/organisation/", {"organisation": str(wakefield.pk)})
    home = client.get("/home/").content.decode()
    assert "Leeds North ICB" in home
    assert "Wakefield Trust" not in home


def test_lists_show_only_the_members_own_organisation(alice, carol, world, signed_in):
    client = signed_in(alice)
    wakefield_project = world["wakefield"]["slug"]
    assert wakefield_project not in client.get("/projects/").content.decode()
    assert "carol" not in client.get("/people/").content.decode()
    audit_page = client.get("/audit/").content.decode()
    assert wakefield_project not in audit_page


def test_a_person_in_two_organisations_acts_for_the_one_they_choose(alice, wakefield, world, signed_in):
    MembershipFactory(user=alice, organisation=wakefield, role=Role.VIEWER)
    client = signed_in(alice)
    assert client.get("/people/").status_code == 200  # administrator in Leeds North, first alphabetically
    client.post("/organisation/", {"organisation": str(wakefield.pk)})
    assert client.get("/people/").status_code == 403  # only a viewer in Wakefield
    assert client.get(f"/projects/{world['wakefield']['slug']}/").status_code == 200
    assert client.get(f"/projects/{world['leeds-north']['slug']}/").status_code == 404
    assert not AuditEntry.objects.filter(action="membership.changed").exists()


def test_signed_in_person_with_no_organisation_is_told_what_to_do(signed_in):
    client = signed_in(UserFactory(username="newcomer"))
    response = client.get("/home/")
    assert response.status_code == 403
    assert "You are not in an organisation yet" in response.content.decode()
