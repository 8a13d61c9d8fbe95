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
    "core:accessibility",
    # Public survey pages: anyone, with no account (heard.listening.public_urls).
    "public:survey_start",
    "public:survey_page",
    "public:survey_check",
    "public:survey_done",
    "public:survey_return",
    # Public "you said, we did" pages and feeds: anyone (heard.acting.public_urls); tests/acting covers that
    # they show only what was published.
    "you_said:organisation",
    "you_said:project",
    "you_said:atom",
    "you_said:json",
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


# The intake API answers to an organisation's token, not to a signed-in person; tests/api covers who may use it.
TOKEN_VIEWS_PREFIX = "api:"

PROTECTED = sorted(
    (name, pattern)
    for name, pattern in url_patterns()
    if name not in OPEN_VIEWS and not name.startswith(TOKEN_VIEWS_PREFIX)
)


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
            **_survey_objects(organisation),
            "activity_id": _activity_id(organisation),
            **_listening_objects(organisation),
            **_understanding_objects(organisation),
            **_acting_objects(organisation),
        }
        for organisation in (leeds, wakefield)
    }


def _survey_objects(organisation) -> dict[str, object]:
    """A survey with a section and a question, and a project activity, for the listening and activity pages."""
    from heard.listening.services import surveys

    survey = surveys.survey_create(actor=None, organisation=organisation, title="Matrix survey")
    section = survey.sections.get()
    question = surveys.question_add(actor=None, section=section, kind="free_text", text="Anything else?")
    return {
        "survey_id": survey.pk,
        "section_id": section.pk,
        "question_id": question.pk,
        "language": "cy",
        "number": 1,
    }


def _listening_objects(organisation) -> dict[str, object]:
    """A feedback item, an API key and an import, for the feedback, key and import pages."""
    from heard.listening.models import ImportBatch
    from heard.listening.services.tokens import api_token_create
    from tests.factories import FeedbackItemFactory

    item = FeedbackItemFactory(organisation=organisation)
    token = api_token_create(actor=None, organisation=organisation, name="Matrix key")
    batch = ImportBatch.objects.create(
        organisation=organisation, source=item.source, file_name="fft.csv", file_sha256="0" * 64
    )
    return {"item_id": item.pk, "token_id": token.record.pk, "batch_id": batch.pk, "file_format": "csv"}


def _understanding_objects(organisation) -> dict[str, object]:
    """A codebook with a theme, a trained model and one suggestion, for the themes pages."""
    from heard.listening.models import FeedbackItem
    from heard.understanding.models import Suggestion, ThemeModelRun, TrainingStatus
    from heard.understanding.services.codebooks import codebook_create

    codebook = codebook_create(actor=None, organisation=organisation, name="Matrix codebook", starter=True)
    theme = codebook.themes.first()
    run = ThemeModelRun.objects.create(
        organisation=organisation,
        codebook=codebook,
        status=TrainingStatus.DONE,
        quality={"per_theme": [], "micro_f1": 0.5, "macro_f1": 0.4, "sentiment_accuracy": None},
    )
    suggestion = Suggestion.objects.create(
        organisation=organisation,
        codebook=codebook,
        run=run,
        item=FeedbackItem.objects.filter(organisation=organisation).latest("id"),
        themes=[{"theme": theme.pk, "confidence": 0.9}],
    )
    return {
        "codebook_id": codebook.pk,
        "theme_id": theme.pk,
        "run_id": run.pk,
        "suggestion_id": suggestion.pk,
    }


def _acting_objects(organisation) -> dict[str, object]:
    """A decision with one piece of evidence and a quote, for the decisions and quotes pages."""
    from heard.acting.models import Decision, Evidence, Quote
    from heard.listening.models import FeedbackItem
    from heard.projects.models import Project

    project = Project.objects.filter(organisation=organisation).latest("id")
    item = FeedbackItem.objects.filter(organisation=organisation).latest("id")
    decision = Decision.objects.create(organisation=organisation, project=project, title="Matrix", we_did="W")
    evidence = Evidence.objects.create(decision=decision, kind="comment", item=item)
    quote = Quote.objects.create(organisation=organisation, project=project, item=item, text=item.text[:40])
    return {"decision_id": decision.pk, "evidence_id": evidence.pk, "quote_id": quote.pk}


def _activity_id(organisation) -> int:
    """An activity of the organisation's only project (created just before, as "slug")."""
    from datetime import date

    from heard.projects.activity_services import activity_create
    from heard.projects.models import Project

    project = Project.objects.filter(organisation=organisation).latest("id")
    return activity_create(
        actor=None, project=project, kind="workshop", title="Workshop", held_on=date(2026, 1, 5)
    ).pk


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
        # POST-only views answer 405 to a GET from someone allowed, and a step out of order redirects; refusal
        # is always 403.
        if allowed != (response.status_code in (200, 302, 405)) or (
            not allowed and response.status_code != 403
        ):
            wrong.append((name, permission, response.status_code))
    assert wrong == []


def test_guessing_another_organisations_addresses_finds_nothing(alice, world, signed_in):
    """Alice administers Leeds North, so every permission is hers there. Wakefield's objects answer exactly as
    objects that do not exist: 404, or 405 for a GET to a POST-only address, which says nothing either way."""
    client = signed_in(alice)
    nowhere = {
        "slug": "no-such-project",
        "membership_id": 999_999,
        "survey_id": 999_999,
        "section_id": 999_999,
        "question_id": 999_999,
        "activity_id": 999_999,
        "item_id": 999_999,
        "token_id": 999_999,
        "batch_id": 999_999,
        "codebook_id": 999_999,
        "theme_id": 999_999,
        "run_id": 999_999,
        "suggestion_id": 999_999,
        "decision_id": 999_999,
        "evidence_id": 999_999,
        "quote_id": 999_999,
        "file_format": "csv",
        "language": "cy",
        "number": 1,
    }
    leaks = []
    for name, pattern in PROTECTED:
        names_an_object = any(
            key == "slug" or key.endswith("_id") for key in pattern.pattern.regex.groupindex
        )
        if not names_an_object:
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
