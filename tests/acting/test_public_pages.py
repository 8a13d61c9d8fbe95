"""Quotes with a second check, and the public "you said, we did" pages and feeds: only what was published."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from heard.acting import services
from heard.acting.models import QuoteStatus
from heard.acting.quotes import (
    quote_approve,
    quote_check,
    quote_choose,
    quote_withdraw,
    quote_wording_problem,
)
from heard.core.models import AuditEntry

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def published(world, alice):  # type: ignore[no-untyped-def]
    decision = services.decision_record(
        actor=alice,
        project=world["project"],
        title="Evening appointments",
        you_said="Appointments clash with work.",
        we_did="Open the clinic until 8pm on Tuesdays and Thursdays.",
        owner_name="Planned care team",
        due_on=date(2027, 1, 31),
    )
    services.evidence_add(actor=alice, decision=decision, target=world["waiting"])
    services.evidence_add(actor=alice, decision=decision, target=world["parking"])
    services.decision_publish(actor=alice, decision=decision)
    return decision


def test_the_quote_must_be_the_comments_own_words() -> None:
    comment = "I waited three weeks for a call back and then the clinic was closed when I got there."
    assert quote_wording_problem(comment, "I waited three weeks for a call back") == ""
    assert quote_wording_problem(comment, "I waited three weeks … the clinic was closed") == ""
    assert quote_wording_problem(comment, "[The patient] waited three weeks") == ""
    assert "not in the comment" in quote_wording_problem(comment, "I waited three months")


def test_the_second_check_finds_identifiers_and_staff_names(leeds, alice) -> None:  # type: ignore[no-untyped-def]
    alice.first_name, alice.last_name = "Alice", "Okonkwo"
    alice.save()
    findings = [
        str(f)
        for f in quote_check("Thank you to Okonkwo on reception, call 07700 900123", organisation_id=leeds.pk)
    ]
    assert any(f.startswith("staff name: Okonkwo") for f in findings)
    assert any(f.startswith("phone") for f in findings)
    assert [str(f) for f in quote_check("Ask for [NAME] at the desk", organisation_id=leeds.pk)] == [
        "removed identifier: [NAME]"
    ]
    assert quote_check("The staff were kind and the wait was short", organisation_id=leeds.pk) == []


def test_a_quote_needs_someone_else_and_a_clean_check_before_it_shows(
    world, published, alice, bob, leeds, member_factory
) -> None:  # type: ignore[no-untyped-def]
    item = world["waits"][0]
    quote = quote_choose(actor=bob, project=world["project"], item=item, text=item.text, decision=published)
    with pytest.raises(ValidationError, match="Someone other than"):
        quote_approve(actor=bob, quote=quote)
    page = Client().get("/you-said-we-did/leeds-north/evening-clinics/").content.decode()
    assert item.text not in page
    quote_approve(actor=alice, quote=quote)
    assert quote.status == QuoteStatus.APPROVED
    page = Client().get("/you-said-we-did/leeds-north/evening-clinics/").content.decode()
    assert f"“{item.text}”" in page

    # A quote naming a member of staff cannot be approved.
    lead = member_factory(leeds, "lena", "engagement_lead")
    lead.first_name, lead.last_name = "Lena", "Marsh"
    lead.save()
    item.text = "Marsh on the front desk sorted it all out"
    item.save()
    naming = quote_choose(actor=bob, project=world["project"], item=item, text=item.text)
    with pytest.raises(ValidationError, match="staff name: Marsh"):
        quote_approve(actor=alice, quote=naming)

    # Withdrawing takes it off the page at once, and is audited with the reason.
    quote_withdraw(actor=alice, quote=quote, reason="The person asked us to")
    page = Client().get("/you-said-we-did/leeds-north/evening-clinics/").content.decode()
    assert "I waited weeks (0)" not in page
    entry = AuditEntry.objects.get(action="quote.withdrawn")
    assert entry.reason == "The person asked us to"


def test_nothing_is_public_until_published_and_publishing_is_audited(world, alice) -> None:  # type: ignore[no-untyped-def]
    decision = services.decision_record(
        actor=alice, project=world["project"], title="Draft idea", we_did="Maybe.", due_on=date(2027, 1, 1)
    )
    assert Client().get("/you-said-we-did/leeds-north/evening-clinics/").status_code == 404
    organisation_page = Client().get("/you-said-we-did/leeds-north/").content.decode()
    assert "Nothing has been published yet" in organisation_page and "Draft idea" not in organisation_page
    services.decision_publish(actor=alice, decision=decision)
    assert Client().get("/you-said-we-did/leeds-north/evening-clinics/").status_code == 200
    assert AuditEntry.objects.filter(
        action="decision.published", target_id=str(decision.pk), actor=alice
    ).exists()
    services.decision_unpublish(actor=alice, decision=decision)
    assert Client().get("/you-said-we-did/leeds-north/evening-clinics/").status_code == 404


def test_the_project_page_shows_protected_counts_and_what_we_will_do(published) -> None:  # type: ignore[no-untyped-def]
    response = Client().get("/you-said-we-did/leeds-north/evening-clinics/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Evening appointments" in page and "Open the clinic until 8pm" in page
    assert "We will:" in page and "Due by 31 January 2027" in page and "Planned care team" in page
    # 12 comments about waiting round to 10; 3 about parking are hidden as "*".
    assert '<td>Waiting and timeliness</td><td class="nhsuk-table__cell--numeric">10</td>' in page
    assert (
        '<td>Parking</td><td class="nhsuk-table__cell--numeric"><span aria-hidden="true">*</span>'
        '<span class="nhsuk-u-visually-hidden">fewer than 8</span></td>'
    ) in page
    assert ">12<" not in page and ">3<" not in page
    assert 'type="application/atom+xml"' in page


def test_removing_a_decision_takes_it_off_every_page_and_feed(published, alice) -> None:  # type: ignore[no-untyped-def]
    listing = Client().get("/you-said-we-did/leeds-north/").content.decode()
    assert (
        f'href="/you-said-we-did/leeds-north/evening-clinics/#decision-{published.pk}">Evening appointments</a>'
        in listing
    )
    assert "Due by 31 January 2027" in listing
    assert "Evening appointments" in Client().get("/you-said-we-did/leeds-north/feed.atom").content.decode()
    services.decision_remove(actor=alice, decision=published, reason="Superseded by the new contract")
    assert Client().get("/you-said-we-did/leeds-north/evening-clinics/").status_code == 404
    assert "Evening appointments" not in Client().get("/you-said-we-did/leeds-north/").content.decode()
    assert (
        "Evening appointments" not in Client().get("/you-said-we-did/leeds-north/feed.atom").content.decode()
    )
    assert json.loads(Client().get("/you-said-we-did/leeds-north/feed.json").content)["items"] == []


def test_the_feeds_are_valid_atom_and_json_feed(published) -> None:  # type: ignore[no-untyped-def]
    response = Client().get("/you-said-we-did/leeds-north/feed.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed, just written
    assert root.tag == f"{ATOM}feed"
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 1
    assert entries[0].find(f"{ATOM}title").text == "Evening clinics: Evening appointments"  # type: ignore[union-attr]
    assert (
        entries[0]
        .find(f"{ATOM}link")
        .get("href")
        .endswith(f"/you-said-we-did/leeds-north/evening-clinics/#decision-{published.pk}")
    )  # type: ignore[union-attr]
    assert entries[0].find(f"{ATOM}updated") is not None and entries[0].find(f"{ATOM}id") is not None

    body = json.loads(Client().get("/you-said-we-did/leeds-north/feed.json").content)
    assert body["version"] == "https://jsonfeed.org/version/1.1"
    (item,) = body["items"]
    assert item["title"] == "Evening clinics: Evening appointments"
    assert "We will: Open the clinic until 8pm" in item["content_text"]
    assert item["date_published"].startswith(str(published.published_at.year))


def test_an_unknown_organisation_or_project_is_not_found(published) -> None:  # type: ignore[no-untyped-def]
    assert Client().get("/you-said-we-did/nowhere/").status_code == 404
    assert Client().get("/you-said-we-did/leeds-north/no-such-project/").status_code == 404


def test_a_change_to_a_published_decision_shows_at_once(published, alice) -> None:  # type: ignore[no-untyped-def]
    assert (
        "Due by 31 January 2027"
        in Client().get("/you-said-we-did/leeds-north/evening-clinics/").content.decode()
    )
    services.decision_update(actor=alice, decision=published, status="done")
    page = Client().get("/you-said-we-did/leeds-north/evening-clinics/").content.decode()
    assert "We did:" in page and "Done " in page
