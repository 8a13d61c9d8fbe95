"""Who answered against who lives there: loading a population, shares with intervals, groups not reached."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from heard.core.disclosure import NHS_DIGITAL
from heard.listening.models import Answer, Question
from heard.listening.services import surveys
from heard.projects.models import EqualityGroup
from heard.understanding.models import PopulationProfile
from heard.understanding.representation import (
    ProfileProblem,
    population_load,
    representation,
    respondent_categories,
    wilson,
)
from heard.understanding.views_representation import EXAMPLE
from tests.factories import FeedbackItemFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_the_wilson_interval_matches_a_worked_example() -> None:
    low, high = wilson(10, 100)
    assert low == pytest.approx(0.0552, abs=1e-4) and high == pytest.approx(0.1744, abs=1e-4)
    assert wilson(0, 0) == (0.0, 0.0)


def test_answers_are_placed_in_the_census_groups() -> None:
    lookup = {"LS12": 1}
    placed = respondent_categories(
        {
            "age_band": "75_84",
            "sex": "female",
            "ethnic_group": "mixed_white_asian",
            "condition_limits_activities": "yes_a_little",
            "postcode_district": "ls 12",
        },
        lookup,
    )
    assert placed == {
        "age_band": "75_84",
        "sex": "female",
        "ethnic_group": "mixed",
        "disability": "disabled",
        "deprivation": "1",
    }
    assert (
        respondent_categories({"ethnic_group": "prefer_not_to_say", "sex": "prefer_not_to_say"}, lookup) == {}
    )
    assert respondent_categories({"long_term_condition": "no"}, lookup) == {"disability": "not_disabled"}


def test_a_bad_population_file_names_every_bad_row_and_loads_nothing(leeds) -> None:
    content = (
        b"dimension,category,count\nage_band,16_24,100\nage,old,5\nsex,female,lots\npostcode_quintile,LS1,9\n"
    )

    with pytest.raises(ProfileProblem) as problem:
        population_load(actor=None, organisation=leeds, name="Bad", area="", source="", content=content)

    message = str(problem.value)
    assert "row 3, dimension: 'age' is not one of" in message
    assert "row 4, count: 'lots' is not a whole number of people" in message
    assert "row 5, count: a deprivation quintile must be from 1 to 5" in message
    assert not PopulationProfile.objects.exists()


def make_respondents(organisation, project, answers_list):  # type: ignore[no-untyped-def]
    survey = surveys.survey_create(
        actor=None, organisation=organisation, title="Consultation", project=project
    )
    surveys.equality_block_add(actor=None, survey=survey)
    questions = {question.key: question for question in Question.objects.filter(section__survey=survey)}
    for answers in answers_list:
        item = FeedbackItemFactory(organisation=organisation, project=project, survey=survey)
        for key, value in answers.items():
            question = questions[key]
            if question.kind == "free_text":
                Answer.objects.create(item=item, question=question, text=value)
            else:
                Answer.objects.create(item=item, question=question, choices=[value])
    return survey


def test_a_project_that_missed_young_people_is_told_so(leeds, bob, signed_in) -> None:
    profile = population_load(
        actor=None,
        organisation=leeds,
        name="Leeds West",
        area="Leeds West",
        source="Example",
        content=EXAMPLE.read_bytes(),
    )
    project = ProjectFactory(
        organisation=leeds,
        equality_groups=[EqualityGroup.AGE_YOUNG, EqualityGroup.AGE_OLDER, EqualityGroup.HOMELESS],
    )
    # 100 respondents: 2 aged 16-24 (the area has 12%), 60 aged 65-74 (the area has 9%), the rest 45-54.
    people = (
        [{"age_band": "16_24"}] * 2
        + [{"age_band": "65_74", "sex": "female"}] * 60
        + [{"age_band": "45_54"}] * 38
    )
    make_respondents(leeds, project, people)

    result = representation(
        items=project.feedback_items.all(),
        profile=profile,
        rule=NHS_DIGITAL,
        committed_groups=project.equality_groups,
    )

    age = next(dimension for dimension in result.dimensions if dimension.key == "age_band")
    rows = {row.key: row for row in age.rows}
    assert rows["16_24"].respondents_shown == "*" and rows["16_24"].share is None  # 2 people: hidden
    assert rows["65_74"].status == "over" and rows["45_54"].status == "over"
    assert rows["25_34"].status == "under"  # nobody, where the area has 16%
    reach = {one.group: one for one in result.groups}
    assert reach[EqualityGroup.AGE_YOUNG].status == "under"
    # Two people: hidden in the table, so the sentence gives neither the count nor a share of the 100.
    assert reach[EqualityGroup.AGE_YOUNG].finding == (
        "Under-represented: fewer than 8 of the 100 who answered (shown as *), against 30% of the population."
    )
    assert reach[EqualityGroup.AGE_OLDER].status == "reached"
    assert reach[EqualityGroup.HOMELESS].status == "unknown"

    page = (
        signed_in(bob)
        .get(f"/themes/who-answered/?project={project.slug}&population={profile.pk}")
        .content.decode()
    )
    assert "100 respondents answered at least one equality question" in page
    assert "Children and young people" in page and "Under-represented" in page
    assert f"<h2>The project ‘{project.title}’</h2>" in page  # its name as written, not lower-cased
    # With no population chosen, deprivation cannot be placed: the page says why, not that nobody answered.
    alone = signed_in(bob).get(f"/themes/who-answered/?project={project.slug}").content.decode()
    assert "Choose a population that has one to compare with to see it" in alone


def test_populations_are_loaded_on_their_page_and_the_example_downloads(leeds, bob, signed_in) -> None:
    client = signed_in(bob)

    response = client.post(
        "/themes/populations/",
        {
            "name": "Leeds West 2021",
            "area": "Leeds West",
            "source": "Illustrative",
            "file": SimpleUploadedFile("p.csv", EXAMPLE.read_bytes()),
        },
    )

    assert response.status_code == 302
    assert PopulationProfile.objects.get(organisation=leeds).figures.count() == 28
    example = client.get("/themes/populations/example.csv")
    assert example.status_code == 200 and b"dimension,category,count" in example.content


@pytest.mark.parametrize(
    ("people", "expected"),
    [
        # 3 under 16 (hidden) and 10 aged 16-24 (shown): the group's 13 would give the hidden 3 away.
        (
            [{"age_band": "under_16"}] * 3 + [{"age_band": "16_24"}] * 10 + [{"age_band": "45_54"}] * 87,
            "Under-represented: number withheld (part of the group is fewer than 8 of the 100 who answered, "
            "shown as *), against 30% of the population.",
        ),
        # 3 under 16 (hidden) and 40 aged 16-24: reached whatever the hidden count is, and still not shown.
        (
            [{"age_band": "under_16"}] * 3 + [{"age_band": "16_24"}] * 40 + [{"age_band": "45_54"}] * 57,
            "Reached: number withheld (part of the group is fewer than 8 of the 100 who answered, shown as *), "
            "against 30% of the population.",
        ),
        # 2 of 20: even the most a hidden count could be (7 of 20) might match the area, so nothing is claimed.
        (
            [{"age_band": "16_24"}] * 2 + [{"age_band": "45_54"}] * 18,
            "Too few to say: fewer than 8 of the 20 who answered (shown as *), against 30% of the population.",
        ),
    ],
)
def test_a_group_with_a_hidden_count_is_described_without_giving_the_count_away(
    leeds, people, expected
) -> None:
    profile = population_load(
        actor=None, organisation=leeds, name="Area", area="", source="Example", content=EXAMPLE.read_bytes()
    )
    project = ProjectFactory(organisation=leeds, equality_groups=[EqualityGroup.AGE_YOUNG])
    make_respondents(leeds, project, people)

    result = representation(
        items=project.feedback_items.all(),
        profile=profile,
        rule=NHS_DIGITAL,
        committed_groups=[EqualityGroup.AGE_YOUNG],
    )

    [reach] = result.groups
    assert reach.finding == expected
    assert "%" not in reach.finding.split("against")[0]  # no share, no count
