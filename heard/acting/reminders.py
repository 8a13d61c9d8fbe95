"""Reminders before a commitment's date, and once it is overdue: each sent once for each date it is due."""

from __future__ import annotations

import logging
import smtplib
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from heard.acting.models import Decision, DecisionKind, Reminder
from heard.acting.selectors import OPEN
from heard.core.models import Membership
from heard.jinja2_env import date_format

logger = logging.getLogger(__name__)

# (kind, days before the date it applies from), most urgent first: only the most urgent one due is sent.
STEPS = (("overdue", -1), ("three_days", 3), ("two_weeks", 14))
SUBJECT = {
    "overdue": "Overdue commitment",
    "three_days": "Commitment due in three days",
    "two_weeks": "Commitment due in two weeks",
}
WORDING = {
    "overdue": "is overdue: it was due on {due}",
    "three_days": "is due in the next three days, on {due}",
    "two_weeks": "is due in the next two weeks, on {due}",
}


def reminder_due(decision: Decision, today: date) -> str:
    """Which reminder a commitment needs today, or "" for none."""
    if decision.due_on is None or decision.status not in OPEN:
        return ""
    days = (decision.due_on - today).days
    for kind, from_days in STEPS:
        if days <= from_days:
            return kind
    return ""


def _send(decision: Decision, kind: str, address: str) -> None:
    assert decision.due_on is not None
    link = settings.HEARD_SITE_URL + reverse(
        "acting:decision_detail", kwargs={"slug": decision.project.slug, "decision_id": decision.pk}
    )
    due = date_format(decision.due_on)
    send_mail(
        # One line: a line break in a title must not stop the day's reminders (e-mail headers refuse them).
        subject=" ".join(f"{SUBJECT[kind]}: {decision.title}".split())[:150],
        message=(
            f"The commitment “{decision.title}” in the project “{decision.project.title}” "
            f"{WORDING[kind].format(due=due)}.\n\nUpdate its status, or its date, here: {link}\n"
        ),
        from_email=None,
        recipient_list=[address],
        fail_silently=False,
    )


def _address(decision: Decision) -> str:
    """Where the reminder goes: the person responsible, or else the project's lead, or else whoever recorded the
    commitment; each only while still an active member of the organisation."""
    for person in (decision.owner, decision.project.lead, decision.created_by):
        if person is None or not person.is_active or not person.email:
            continue
        if Membership.objects.filter(user=person, organisation_id=decision.organisation_id).exists():
            return person.email
    return ""


def reminders_send(*, today: date) -> int:
    """Send each reminder that is due today; returns how many e-mails were sent.

    A reminder with nobody to send it to is still recorded, so it is not tried again; the home page lists the
    commitment either way. In production without an e-mail server nothing is recorded, so that reminders go
    out once one is configured.
    """
    if settings.IS_PRODUCTION and not settings.HEARD_EMAIL_HOST:
        logger.warning("reminders not sent: set HEARD_EMAIL_HOST to send them")
        return 0
    sent = 0
    commitments = Decision.objects.filter(
        kind=DecisionKind.COMMITMENT, removed_at=None, status__in=OPEN, due_on__isnull=False
    ).select_related("project__lead", "owner", "created_by")
    for decision in commitments:
        kind = reminder_due(decision, today)
        if not kind or decision.due_on is None:
            continue
        address = _address(decision)
        try:
            with transaction.atomic():
                # The row first: a second run the same day finds it and sends nothing. If the message cannot
                # be sent, the row is rolled back with it and tomorrow's run tries again.
                Reminder.objects.create(decision=decision, kind=kind, due_on=decision.due_on, sent_to=address)
                if address:
                    _send(decision, kind, address)
        except IntegrityError:
            continue
        except (OSError, smtplib.SMTPException, ValueError) as error:
            # The error's own words can carry the address, so only its kind is logged.
            logger.warning("reminder not sent for decision %s: %s", decision.pk, type(error).__name__)
            continue
        if address:
            sent += 1
    return sent
