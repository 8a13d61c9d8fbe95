"""The identifiable-data vault: contact details apart and encrypted, read only with a reason, erased for good."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from heard.core.models import AuditEntry, Role
from heard.listening.models import FeedbackItem
from heard.listening.services.intake import IncomingFeedback, feedback_receive
from heard.listening.services.retention import retention_apply
from heard.listening.services.tokens import api_token_create
from heard.privacy.models import VaultEntry
from heard.privacy.vault import ContactDetails
from tests.factories import FeedbackSourceFactory

pytestmark = pytest.mark.django_db

DETAILS = ContactDetails(name="Sam Okafor", email="sam.okafor@example.com", phone="07700 900987")


@pytest.fixture
def item_with_contact(leeds):
    source = FeedbackSourceFactory(
        organisation=leeds, name="Complaints", kind="complaints", retention_days=30
    )
    item, _ = feedback_receive(
        actor=None,
        organisation=leeds,
        source=source,
        incoming=IncomingFeedback(
            channel="email",
            text="The discharge letter never arrived.",
            contact=DETAILS,
            contact_purpose="complaint",
        ),
    )
    return item


def test_contact_details_are_kept_encrypted_and_only_a_pseudonym_is_on_the_feedback(item_with_contact):
    entry = VaultEntry.objects.get()
    assert item_with_contact.respondent_pseudonym == entry.pseudonym
    stored = bytes(entry.encrypted_details)
    for value in ("Sam Okafor", "sam.okafor@example.com", "07700 900987"):
        assert value.encode() not in stored
    row = FeedbackItem.objects.filter(pk=item_with_contact.pk).values().get()
    assert "okafor" not in json.dumps(row, default=str).lower()


def test_the_same_person_gets_the_same_pseudonym(leeds, item_with_contact):
    source = FeedbackSourceFactory(organisation=leeds, name="Survey")
    again, _ = feedback_receive(
        actor=None,
        organisation=leeds,
        source=source,
        incoming=IncomingFeedback(
            channel="online", text="Another thing", contact=ContactDetails(email="SAM.OKAFOR@example.com")
        ),
    )
    assert again.respondent_pseudonym == item_with_contact.respondent_pseudonym


def test_permitted_staff_see_contact_details_only_by_giving_a_reason_and_it_is_audited(
    leeds, item_with_contact, member_factory, signed_in
):
    handler = signed_in(member_factory(leeds, "hana", Role.CASE_HANDLER))
    page = handler.get(f"/feedback/{item_with_contact.pk}/").content.decode()
    assert "This person gave contact details" in page
    assert "sam.okafor@example.com" not in page
    no_reason = handler.post(f"/feedback/{item_with_contact.pk}/contact/", {"reason": ""})
    assert no_reason.status_code == 400
    assert "Say why you need to see these contact details" in no_reason.content.decode()
    shown = handler.post(
        f"/feedback/{item_with_contact.pk}/contact/", {"reason": "Replying to the complaint"}
    )
    assert "sam.okafor@example.com" in shown.content.decode()
    assert "no-store" in shown["Cache-Control"] or "no-cache" in shown["Cache-Control"]
    entry = AuditEntry.objects.get(action="vault.read")
    assert entry.identifiable and entry.actor.username == "hana"
    assert "Replying to the complaint" in entry.reason
    assert "okafor" not in json.dumps(entry.detail).lower()


def test_analysts_and_viewers_cannot_see_contact_details(
    leeds, item_with_contact, bob, member_factory, signed_in
):
    for user in (bob, member_factory(leeds, "vera", Role.VIEWER)):
        client = signed_in(user)
        assert (
            client.post(f"/feedback/{item_with_contact.pk}/contact/", {"reason": "curious"}).status_code
            == 403
        )
        assert "Show contact details" not in client.get(f"/feedback/{item_with_contact.pk}/").content.decode()
    assert not AuditEntry.objects.filter(action="vault.read").exists()


def test_another_organisation_cannot_reach_the_details(carol, item_with_contact, signed_in):
    response = signed_in(carol).post(f"/feedback/{item_with_contact.pk}/contact/", {"reason": "x"})
    assert response.status_code == 404


@pytest.mark.django_db(transaction=True)  # the worker commits its own work
def test_deleting_feedback_by_retention_erases_its_contact_details(item_with_contact):
    FeedbackItem.objects.filter(pk=item_with_contact.pk).update(
        received_at=timezone.now() - timedelta(days=31)
    )
    assert retention_apply(source=item_with_contact.source) == 1
    if settings.HEARD_TASK_BACKEND != "immediate":
        assert VaultEntry.objects.exists()  # erased by a background task, not in the request
        call_command("worker", "--burst")
    assert not VaultEntry.objects.exists()
    assert AuditEntry.objects.filter(action="vault.erased").exists()


def test_contact_details_sent_through_the_api_go_to_the_vault(leeds):
    token = api_token_create(actor=None, organisation=leeds, name="PALS")
    response = Client().post(
        "/api/v1/feedback",
        data=json.dumps(
            {
                "text": "Please call me back about my mum's care",
                "channel": "telephone",
                "contact": {"name": "Ana Silva", "phone": "0113 496 0000", "purpose": "follow_up"},
            }
        ),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token.token}",
    )
    assert response.status_code == 201
    item = FeedbackItem.objects.get(pk=response.json()["id"])
    assert VaultEntry.objects.get().pseudonym == item.respondent_pseudonym
    assert "Ana Silva" not in item.text
