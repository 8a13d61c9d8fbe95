"""The sources page: administrators add sources with their retention; everyone else may look."""

from __future__ import annotations

import pytest

from heard.core.models import AuditEntry, Role
from heard.listening.models import FeedbackSource
from tests.factories import FeedbackItemFactory, FeedbackSourceFactory

pytestmark = pytest.mark.django_db


def test_an_administrator_adds_a_source_with_its_retention(alice, signed_in):
    client = signed_in(alice)
    response = client.post("/sources/", {"name": "PALS log", "kind": "pals", "retention_days": "730"})
    assert response.status_code == 302
    source = FeedbackSource.objects.get(name="PALS log")
    assert (source.kind, source.retention_days) == ("pals", 730)
    assert AuditEntry.objects.filter(action="source.created", actor=alice).exists()
    page = client.get("/sources/").content.decode()
    assert "PALS log" in page and "730 days" in page


def test_a_source_name_is_used_once_and_mistakes_are_explained(alice, leeds, signed_in):
    FeedbackSourceFactory(organisation=leeds, name="PALS log")
    client = signed_in(alice)
    response = client.post("/sources/", {"name": "PALS log", "kind": "pals"})
    assert response.status_code == 400
    assert "There is already a source with that name" in response.content.decode()
    response = client.post("/sources/", {"name": "Twitter", "kind": "", "retention_days": "soon"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose what kind of source it is" in page
    assert "Enter the number of days as a whole number" in page


def test_others_see_the_sources_and_their_counts_but_cannot_add(
    bob, leeds, member_factory, signed_in, wakefield
):
    source = FeedbackSourceFactory(organisation=leeds, name="FFT inpatients")
    FeedbackItemFactory.create_batch(3, organisation=leeds, source=source)
    FeedbackSourceFactory(organisation=wakefield, name="Wakefield's own")
    viewer = member_factory(leeds, "vic", Role.VIEWER)
    page = signed_in(viewer).get("/sources/").content.decode()
    assert "FFT inpatients" in page and "Wakefield" not in page
    assert "Only administrators can add sources" in page
    assert "Import a file" not in page  # a viewer may not import
    assert signed_in(viewer).post("/sources/", {"name": "Mine", "kind": "other"}).status_code == 403
    analyst_page = signed_in(bob).get("/sources/").content.decode()
    assert "Import a file" in analyst_page
    assert FeedbackSource.objects.filter(organisation=leeds).count() == 1


def test_the_sources_page_runs_a_fixed_number_of_queries(
    alice, leeds, signed_in, django_assert_max_num_queries
):
    for n in range(5):
        FeedbackSourceFactory(organisation=leeds, name=f"Source {n}")
    client = signed_in(alice)
    client.get("/sources/")
    with django_assert_max_num_queries(12):
        client.get("/sources/")
