"""Shared data for the acting tests: a project with coded comments, an event and comments outside it."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.utils import timezone

from heard.projects.models import Activity
from heard.understanding.services.codebooks import codebook_create
from heard.understanding.services.coding import coding_save
from tests.factories import FeedbackItemFactory, FeedbackSourceFactory, ProjectFactory


def at(year: int, month: int, day: int = 10) -> datetime:
    return datetime(year, month, day, 12, tzinfo=timezone.get_current_timezone())


@pytest.fixture
def world(leeds, alice, bob):  # type: ignore[no-untyped-def]
    """A project on evening clinics: 12 comments about waiting in it, 3 at a drop-in, 2 outside it."""
    project = ProjectFactory(organisation=leeds, title="Evening clinics", slug="evening-clinics")
    codebook = codebook_create(actor=None, organisation=leeds, name="Patient experience", starter=True)
    waiting = codebook.themes.get(name="Waiting and timeliness")
    parking = codebook.themes.get(name="Parking")
    source = FeedbackSourceFactory(organisation=leeds, name="Online survey")
    drop_in = Activity.objects.create(
        project=project, kind="public_event", title="Drop-in at the library", held_on=date(2026, 3, 2)
    )
    waits = []
    for number in range(12):
        item = FeedbackItemFactory(
            organisation=leeds,
            source=source,
            project=project,
            received_at=at(2026, 3),
            text=f"I waited weeks ({number})",
        )
        coding_save(coder=bob, codebook=codebook, item=item, themes=[waiting], sentiment=4)
        waits.append(item)
    at_drop_in = [
        FeedbackItemFactory(
            organisation=leeds,
            source=source,
            project=project,
            activity=drop_in,
            text=f"Parking is hard ({n})",
        )
        for n in range(3)
    ]
    for item in at_drop_in:
        coding_save(coder=bob, codebook=codebook, item=item, themes=[parking], sentiment=4)
    elsewhere = [
        FeedbackItemFactory(
            organisation=leeds, source=source, received_at=at(2026, 3), text=f"Long wait at the GP ({n})"
        )
        for n in range(2)
    ]
    for item in elsewhere:
        coding_save(coder=bob, codebook=codebook, item=item, themes=[waiting], sentiment=4)
    return {
        "project": project,
        "waiting": waiting,
        "parking": parking,
        "drop_in": drop_in,
        "waits": waits,
        "at_drop_in": at_drop_in,
        "elsewhere": elsewhere,
    }
