"""The project pages: an engagement lead starts and changes projects; everyone in the organisation lists."""

from __future__ import annotations

import re
from datetime import date

import pytest

from heard.core.models import AuditEntry, Role
from heard.projects.models import Project, Stage

pytestmark = pytest.mark.django_db

# The most queries each page may make, whatever the number of projects: session, user, memberships, the page's
# own reads, and saving the session. The home page's panels add one query each (projects two, commitments due one).
PROJECT_LIST_QUERIES = 7
HOME_QUERIES = 9


@pytest.fixture
def lena(leeds, member_factory):
    """An engagement lead at Leeds North."""
    return member_factory(leeds, "lena", Role.ENGAGEMENT_LEAD)


@pytest.fixture
def as_lena(lena, signed_in):
    return signed_in(lena)


def new_project(**fields: str) -> dict[str, str]:
    """The new-project form as a person fills it in, each date as day, month and year boxes."""
    return {
        "title": "Stroke rehabilitation at home",
        "summary": "What helps people recover at home after a stroke.",
        "stage": Stage.DESIGN,
        "starts_on_0": "6",
        "starts_on_1": "4",
        "starts_on_2": "2026",
        "ends_on_0": "30",
        "ends_on_1": "9",
        "ends_on_2": "2026",
        "lead": "",
        "equality_groups": ["older_people", "carers"],
    } | fields


def lead_choices(response) -> set[int]:
    """The people (by id) the project lead dropdown offers, leaving out "No lead yet"."""
    select = re.search(r'<select[^>]*name="lead".*?</select>', response.content.decode(), re.S)
    assert select, "the form offers a lead"
    return {int(value) for value in re.findall(r'<option value="(\d+)"', select.group())}


def listed_titles(response) -> list[str]:
    return re.findall(r'<a href="/projects/(?!new/)[^/"]+/">([^<]*)</a>', response.content.decode())


# --- starting a project -------------------------------------------------------------------------------------


def test_an_engagement_lead_starts_a_project_and_lands_on_its_page(as_lena, lena, leeds, bob):
    response = as_lena.post("/projects/new/", new_project(lead=str(bob.pk)))

    project = Project.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/projects/{project.slug}/"
    assert project.slug == "stroke-rehabilitation-at-home"
    assert (project.organisation, project.stage, project.lead) == (leeds, "design", bob)
    assert (project.starts_on, project.ends_on) == (date(2026, 4, 6), date(2026, 9, 30))
    assert project.equality_groups == ["older_people", "carers"]
    entry = AuditEntry.objects.get(action="project.created")
    assert (entry.actor, entry.organisation, entry.target_label) == (
        lena,
        leeds,
        "Stroke rehabilitation at home",
    )

    page = as_lena.get(response["Location"]).content.decode()
    assert "Project created: Stroke rehabilitation at home" in page
    assert "6 April 2026" in page
    assert "Older people, Carers" in page


def test_two_projects_with_the_same_title_get_different_addresses(as_lena):
    first = as_lena.post("/projects/new/", new_project(title="Urgent care"))
    second = as_lena.post("/projects/new/", new_project(title="Urgent care"))

    assert first["Location"] == "/projects/urgent-care/"
    assert second["Location"] == "/projects/urgent-care-2/"
    assert as_lena.get("/projects/urgent-care-2/").status_code == 200


def test_a_project_without_dates_or_lead_is_fine(as_lena):
    response = as_lena.post(
        "/projects/new/",
        new_project(starts_on_0="", starts_on_1="", starts_on_2="", ends_on_0="", ends_on_1="", ends_on_2=""),
    )

    assert response.status_code == 302
    project = Project.objects.get()
    assert (project.starts_on, project.ends_on, project.lead) == (None, None, None)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"title": ""}, "Enter the project&#39;s title"),
        ({"stage": ""}, "Choose where the project is on the commissioning cycle"),
        (
            {"ends_on_0": "5", "ends_on_1": "4", "ends_on_2": "2026"},
            "The end date must be the same as or after the start date",
        ),
        (
            {"starts_on_0": "31", "starts_on_1": "2", "starts_on_2": "2026"},
            "Enter a real date, like 27 3 2026",
        ),
        ({"starts_on_0": "6", "starts_on_1": "4", "starts_on_2": "26"}, "Enter a real date, like 27 3 2026"),
        (
            {"starts_on_0": "6", "starts_on_1": "April", "starts_on_2": "2026"},
            "Enter a real date, like 27 3 2026",
        ),
        ({"starts_on_0": "6", "starts_on_1": "4", "starts_on_2": ""}, "The date must include a year"),
        (
            {"starts_on_0": "", "starts_on_1": "", "starts_on_2": "2026"},
            "The date must include a day and month",
        ),
        (
            {"equality_groups": ["martians"]},
            "Select a valid choice. martians is not one of the available choices.",
        ),
    ],
    ids=[
        "no-title",
        "no-stage",
        "ends-before-start",
        "31-february",
        "two-digit-year",
        "month-in-words",
        "no-year",
        "only-a-year",
        "unknown-group",
    ],
)
def test_a_form_with_a_mistake_says_what_to_fix_and_creates_nothing(as_lena, fields, message):
    response = as_lena.post("/projects/new/", new_project(**fields))

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page
    assert "<title>Error:" in page
    assert not Project.objects.exists()
    assert not AuditEntry.objects.filter(action="project.created").exists()


def test_a_form_with_a_mistake_keeps_what_was_typed(as_lena):
    response = as_lena.post("/projects/new/", new_project(title="Keep me", starts_on_0="31", starts_on_1="2"))

    page = response.content.decode()
    assert 'value="Keep me"' in page
    assert re.search(r'name="starts_on_0"[^>]*value="31"', page)


# --- who may lead -------------------------------------------------------------------------------------------


def test_the_lead_dropdown_offers_only_active_people_of_the_same_organisation(
    as_lena, lena, alice, bob, carol, member_factory, leeds
):
    leaver = member_factory(leeds, "leaver", Role.ANALYST)
    leaver.is_active = False
    leaver.save()

    offered = lead_choices(as_lena.get("/projects/new/"))

    assert offered == {alice.pk, bob.pk, lena.pk}


def test_a_lead_from_another_organisation_is_refused(as_lena, carol):
    response = as_lena.post("/projects/new/", new_project(lead=str(carol.pk)))

    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Project.objects.exists()


# --- changing a project -------------------------------------------------------------------------------------


def test_changing_a_project_saves_the_fields_and_audits_the_stage_change(
    as_lena, lena, bob, leeds, project_factory
):
    project = project_factory(
        organisation=leeds, title="Urgent care", slug="urgent-care", stage=Stage.UNDERSTAND_NEEDS
    )

    form = as_lena.get("/projects/urgent-care/edit/")
    assert form.status_code == 200
    assert 'value="Urgent care"' in form.content.decode()

    response = as_lena.post(
        "/projects/urgent-care/edit/",
        new_project(
            title="Same-day urgent care",
            stage=Stage.SPECIFY_AND_PROCURE,
            lead=str(bob.pk),
            equality_groups=[],
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == "/projects/urgent-care/"
    project.refresh_from_db()
    assert (project.title, project.stage, project.lead) == (
        "Same-day urgent care",
        "specify_and_procure",
        bob,
    )
    assert (project.starts_on, project.ends_on) == (date(2026, 4, 6), date(2026, 9, 30))
    assert project.equality_groups == []
    entry = AuditEntry.objects.get(action="project.changed")
    assert (entry.actor, entry.organisation) == (lena, leeds)
    assert entry.detail["stage"] == ["understand_needs", "specify_and_procure"]
    page = as_lena.get("/projects/urgent-care/").content.decode()
    assert "Project updated" in page
    assert "Specify and procure" in page


def test_a_change_with_a_mistake_changes_nothing(as_lena, leeds, project_factory):
    project = project_factory(organisation=leeds, title="Urgent care", slug="urgent-care")

    response = as_lena.post("/projects/urgent-care/edit/", new_project(title="", stage=Stage.MONITOR))

    assert response.status_code == 400
    project.refresh_from_db()
    assert (project.title, project.stage) == ("Urgent care", "understand_needs")
    assert not AuditEntry.objects.filter(action="project.changed").exists()


def test_another_organisations_project_cannot_be_seen_or_changed(as_lena, wakefield, project_factory):
    project_factory(organisation=wakefield, title="Wakefield maternity", slug="wakefield-maternity")

    assert as_lena.get("/projects/wakefield-maternity/").status_code == 404
    assert as_lena.post("/projects/wakefield-maternity/edit/", new_project()).status_code == 404
    assert Project.objects.get(slug="wakefield-maternity").title == "Wakefield maternity"


# --- the list -----------------------------------------------------------------------------------------------


@pytest.fixture
def three_stages(leeds, wakefield, project_factory):
    project_factory(organisation=leeds, title="Dementia support", stage=Stage.DESIGN)
    project_factory(organisation=leeds, title="Urgent care", stage=Stage.UNDERSTAND_NEEDS)
    project_factory(organisation=leeds, title="Community MSK", stage=Stage.DESIGN)
    project_factory(organisation=wakefield, title="Wakefield maternity", stage=Stage.DESIGN)


def test_the_list_shows_the_organisations_projects_by_title(as_lena, three_stages):
    assert listed_titles(as_lena.get("/projects/")) == ["Community MSK", "Dementia support", "Urgent care"]


def test_the_list_filters_by_stage(as_lena, three_stages):
    response = as_lena.get("/projects/", {"stage": "design"})

    assert listed_titles(response) == ["Community MSK", "Dementia support"]
    assert re.search(r'<option value="design" selected', response.content.decode())


def test_a_stage_with_no_projects_says_so(as_lena, three_stages):
    response = as_lena.get("/projects/", {"stage": "monitor"})

    assert listed_titles(response) == []
    assert "No projects at this stage yet." in response.content.decode()


def test_an_unknown_stage_shows_every_project(as_lena, three_stages):
    assert len(listed_titles(as_lena.get("/projects/", {"stage": "nonsense"}))) == 3


# --- queries do not grow with the number of projects --------------------------------------------------------


@pytest.fixture
def projects_with_leads(leeds, member_factory, project_factory):
    def make(count: int) -> None:
        for number in range(count):
            lead = member_factory(leeds, f"lead{number}", Role.ANALYST)
            project_factory(organisation=leeds, title=f"Project {number:02}", lead=lead, stage=Stage.DESIGN)

    return make


@pytest.mark.parametrize("count", [1, 20])
def test_the_project_list_makes_the_same_few_queries_however_many_projects(
    as_lena, projects_with_leads, count, django_assert_max_num_queries
):
    projects_with_leads(count)

    with django_assert_max_num_queries(PROJECT_LIST_QUERIES):
        response = as_lena.get("/projects/", {"stage": "design"})

    assert len(listed_titles(response)) == count
    assert "Lead0 " in response.content.decode()


@pytest.mark.parametrize("count", [1, 20])
def test_the_home_page_makes_the_same_few_queries_however_many_projects(
    as_lena, projects_with_leads, count, django_assert_max_num_queries
):
    projects_with_leads(count)

    with django_assert_max_num_queries(HOME_QUERIES):
        response = as_lena.get("/home/")

    assert response.status_code == 200
    assert len(listed_titles(response)) == min(count, 5)


@pytest.mark.parametrize("title", ["New", "new!"])
def test_a_project_titled_new_is_reachable_at_its_own_address(as_lena, title):
    created = as_lena.post("/projects/new/", new_project(title=title))

    assert created.status_code == 302
    detail = as_lena.get(created["Location"])
    assert detail.status_code == 200
    assert f"<h1>{title}</h1>" in detail.content.decode()
