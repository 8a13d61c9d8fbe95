"""What a review found at the edges: quotes of unpublished decisions, names the check missed, the pages' cache,
the feed's HTML, reminders that could not go, and dates near midnight."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client

from heard.acting import services
from heard.acting.quotes import quote_approve, quote_check, quote_choose, quote_wording_problem
from heard.acting.reminders import reminders_send
from heard.acting.selectors import decision_voices, decisions_fed_by
from heard.core.models import Membership
from tests.factories import FeedbackItemFactory

pytestmark = pytest.mark.django_db
PAGE = "/you-said-we-did/leeds-north/evening-clinics/"


def test_a_quote_shows_only_with_its_published_decision(world, alice, bob) -> None:  # type: ignore[no-untyped-def]
    shown = services.decision_record(
        actor=alice, project=world["project"], title="Shown", we_did="W.", due_on=date(2027, 1, 1)
    )
    draft = services.decision_record(
        actor=alice, project=world["project"], title="Draft", we_did="W.", due_on=date(2027, 1, 1)
    )
    services.decision_publish(actor=alice, decision=shown)
    for item, decision in ((world["waits"][1], draft), (world["waits"][2], shown), (world["waits"][3], None)):
        quote_approve(
            actor=alice,
            quote=quote_choose(
                actor=bob, project=world["project"], item=item, text=item.text, decision=decision
            ),
        )
    page = Client().get(PAGE).content.decode()
    assert world["waits"][1].text not in page  # its decision is a draft
    assert world["waits"][2].text in page and world["waits"][3].text in page
    services.decision_unpublish(actor=alice, decision=shown)
    services.decision_publish(actor=alice, decision=draft)
    page = Client().get(PAGE).content.decode()
    assert world["waits"][2].text not in page and world["waits"][1].text in page


def test_the_check_finds_names_in_any_alphabet_hyphenated_and_lower_case(leeds, member_factory) -> None:  # type: ignore[no-untyped-def]
    siân = member_factory(leeds, "sian", "analyst")
    siân.first_name, siân.last_name = "Siân", "Okonkwo-Baptiste"
    siân.save()
    found = lambda text: [str(f) for f in quote_check(text, organisation_id=leeds.pk)]  # noqa: E731
    assert found("Siân was rude to me") == ["staff name: Siân"]
    assert "staff name: Baptiste" in found("Ask for Baptiste on reception")
    assert "staff name: okonkwo" in found("okonkwo sorted it all out")
    # An everyday word that is also a name counts only written as a name.
    hope = member_factory(leeds, "hope", "analyst")
    hope.first_name = "Hope"
    hope.save()
    assert found("I hope it gets better") == []
    assert found("Hope on the ward was lovely") == ["staff name: Hope"]


def test_a_quote_keeps_the_comments_order() -> None:
    comment = "I was happy at first. Then it all went wrong."
    assert quote_wording_problem(comment, "I was happy … it all went wrong") == ""
    assert "in this order" in quote_wording_problem(comment, "it all went wrong … I was happy")


def test_the_page_follows_the_small_number_rule_and_renames_at_once(world, alice, leeds) -> None:  # type: ignore[no-untyped-def]
    decision = services.decision_record(
        actor=alice, project=world["project"], title="T", we_did="W.", due_on=date(2027, 1, 1)
    )
    services.evidence_add(actor=alice, decision=decision, target=world["waiting"])
    services.decision_publish(actor=alice, decision=decision)
    assert ">10<" in Client().get(PAGE).content.decode()  # 12 comments, rounded to 5
    leeds.suppress_below = 20
    leeds.save()
    page = Client().get(PAGE).content.decode()
    assert ">10<" not in page and "fewer than 20" in page


def test_the_atom_summary_is_escaped_html(world, alice) -> None:  # type: ignore[no-untyped-def]
    decision = services.decision_record(
        actor=alice,
        project=world["project"],
        title="T",
        we_did="Open <b>later</b> & earlier.",
        due_on=date(2027, 1, 1),
    )
    services.decision_publish(actor=alice, decision=decision)
    feed = Client().get("/you-said-we-did/leeds-north/feed.atom").content.decode()
    assert 'type="html"' in feed and "&amp;lt;b&amp;gt;later" in feed


def test_reminders_skip_people_who_left_and_titles_with_line_breaks(world, alice, leeds, settings) -> None:  # type: ignore[no-untyped-def]
    services.decision_record(
        actor=alice,
        project=world["project"],
        title="Two\nlines",
        we_did="W.",
        owner=alice,
        due_on=date(2027, 1, 31),
    )
    assert reminders_send(today=date(2027, 1, 20)) == 1
    assert mail.outbox[-1].subject == "Commitment due in two weeks: Two lines"
    Membership.objects.filter(user=alice, organisation=leeds).delete()
    assert (
        reminders_send(today=date(2027, 1, 29)) == 0
    )  # alice left; nobody else is named or leads the project
    settings.IS_PRODUCTION, settings.HEARD_EMAIL_HOST = True, ""
    assert reminders_send(today=date(2027, 2, 2)) == 0
    assert len(mail.outbox) == 1


def test_a_reminder_with_nobody_named_goes_to_the_projects_lead(world, alice, bob) -> None:  # type: ignore[no-untyped-def]
    project = world["project"]
    project.lead = bob
    project.save()
    services.decision_record(
        actor=alice, project=project, title="Unowned", we_did="W.", due_on=date(2027, 1, 31)
    )
    assert reminders_send(today=date(2027, 1, 30)) == 1
    assert mail.outbox[-1].to == [bob.email]


def test_a_commitment_is_done_the_day_it_is_said_to_be(world, alice) -> None:  # type: ignore[no-untyped-def]
    decision = services.decision_record(
        actor=alice,
        project=world["project"],
        title="T",
        we_did="W.",
        decided_on=date(2025, 1, 10),
        due_on=date(2027, 1, 1),
    )
    services.decision_update(actor=alice, decision=decision, status="done")
    assert decision.done_on != date(2025, 1, 10)
    services.decision_update(actor=alice, decision=decision, done_on=date(2026, 6, 1))
    assert decision.done_on == date(2026, 6, 1)


def test_both_directions_agree_near_midnight_in_summer_time(world, alice, leeds, settings) -> None:  # type: ignore[no-untyped-def]
    project = world["project"]
    project.starts_on, project.ends_on = date(2026, 3, 1), date(2026, 3, 31)
    project.save()
    # 23:30 UTC on 31 March is 00:30 on 1 April in London: after the project ended.
    late = FeedbackItemFactory(
        organisation=leeds, text="Late", received_at=datetime(2026, 3, 31, 23, 30, tzinfo=ZoneInfo("UTC"))
    )
    from heard.understanding.services.coding import coding_save

    coding_save(
        coder=alice, codebook=world["waiting"].codebook, item=late, themes=[world["waiting"]], sentiment=4
    )
    decision = services.decision_record(
        actor=alice, project=project, title="T", we_did="W.", due_on=date(2027, 1, 1)
    )
    services.evidence_add(actor=alice, decision=decision, target=world["waiting"], scope="organisation")
    in_voices = decision_voices(decision=decision).filter(pk=late.pk).exists()
    in_fed = decision in decisions_fed_by(item=late)
    assert in_voices == in_fed
