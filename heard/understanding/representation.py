"""Who answered, set against who lives there: shares with confidence intervals, gaps, and the seldom-heard
groups a project said it must reach.

A population profile is a CSV with three columns, ``dimension,category,count`` (docs/representativeness.md):

- ``age_band``: under_16, 16_24, 25_34, 35_44, 45_54, 55_64, 65_74, 75_84, 85_over
- ``sex``: female, male
- ``ethnic_group``: asian, black, mixed, white, other (the five Census 2021 groups)
- ``disability``: disabled, not_disabled (Census 2021: day-to-day activities limited a lot or a little)
- ``deprivation``: 1 to 5, quintiles of the Index of Multiple Deprivation, 1 the most deprived
- ``postcode_quintile``: a postcode district (LS12) as the category and its deprivation quintile (1-5) as the
  count, so that respondents who give the first part of their postcode can be placed

Respondents' answers come from the standard equality-monitoring questions of Heard's surveys.
"""

from __future__ import annotations

import csv
import io
import math
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import QuerySet

from heard.core.audit import audit_record
from heard.core.disclosure import HIDDEN, SmallNumberRule, protected
from heard.core.models import Organisation, User
from heard.listening import equality
from heard.listening.models import Answer, FeedbackItem, Survey
from heard.projects.models import EqualityGroup, Project
from heard.understanding.models import PopulationFigure, PopulationProfile

# The age bands the equality-monitoring block offers, in its order (its last choice is "prefer not to say").
AGE_BANDS = [
    choice["value"]
    for question in equality.QUESTIONS
    if question.key == "age_band"
    for choice in question.choices
    if choice["value"] != equality.PREFER_NOT_TO_SAY["value"]
]
DIMENSIONS: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "age_band": (
        "Age",
        [
            ("under_16", "Under 16"),
            ("16_24", "16 to 24"),
            ("25_34", "25 to 34"),
            ("35_44", "35 to 44"),
            ("45_54", "45 to 54"),
            ("55_64", "55 to 64"),
            ("65_74", "65 to 74"),
            ("75_84", "75 to 84"),
            ("85_over", "85 or over"),
        ],
    ),
    "sex": ("Sex", [("female", "Female"), ("male", "Male")]),
    "ethnic_group": (
        "Ethnic group",
        [("asian", "Asian"), ("black", "Black"), ("mixed", "Mixed"), ("white", "White"), ("other", "Other")],
    ),
    "disability": ("Disability", [("disabled", "Disabled"), ("not_disabled", "Not disabled")]),
    "deprivation": (
        "Deprivation (where they live)",
        [
            ("1", "Most deprived fifth"),
            ("2", "Second fifth"),
            ("3", "Middle fifth"),
            ("4", "Fourth fifth"),
            ("5", "Least deprived fifth"),
        ],
    ),
}
LOOKUP = "postcode_quintile"
Z95 = 1.96


class ProfileProblem(ValueError):
    """A population file that cannot be loaded, with every bad row named."""


def _district(text: str) -> str:
    return "".join(text.split()).upper()


@transaction.atomic
def population_load(
    *, actor: User | None, organisation: Organisation, name: str, area: str, source: str, content: bytes
) -> PopulationProfile:
    """Loads a profile from CSV, all of it or nothing."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ProfileProblem("The file is not UTF-8 text: save it as 'CSV UTF-8' and try again.") from None
    reader = csv.reader(io.StringIO(text))
    header = [cell.strip().lower() for cell in next(reader, [])]
    if header[:3] != ["dimension", "category", "count"]:
        raise ProfileProblem("The first row must be the column names: dimension,category,count")
    figures: dict[tuple[str, str], int] = {}
    problems: list[str] = []
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        dimension, category, count_text = ([*row, "", "", ""])[:3]
        dimension, category = dimension.strip().lower(), category.strip()
        if dimension == LOOKUP:
            category = _district(category)
            valid = bool(category)
        elif dimension in DIMENSIONS:
            category = category.lower()
            valid = category in dict(DIMENSIONS[dimension][1])
            if not valid:
                allowed = ", ".join(key for key, _ in DIMENSIONS[dimension][1])
                problems.append(f"row {number}, category: '{category[:40]}' is not one of {allowed}")
                continue
        else:
            problems.append(
                f"row {number}, dimension: '{dimension[:40]}' is not one of {', '.join([*DIMENSIONS, LOOKUP])}"
            )
            continue
        if not valid:
            problems.append(f"row {number}, category: a postcode district is needed")
            continue
        try:
            count = int(count_text.replace(",", "").strip())
            if count < 0:
                raise ValueError
        except ValueError:
            problems.append(f"row {number}, count: '{count_text[:20]}' is not a whole number of people")
            continue
        if dimension == LOOKUP and not 1 <= count <= 5:
            problems.append(f"row {number}, count: a deprivation quintile must be from 1 to 5")
            continue
        if (dimension, category) in figures:
            problems.append(f"row {number}: {dimension} {category} appears twice")
            continue
        figures[(dimension, category)] = count
    if problems:
        raise ProfileProblem(
            "; ".join(problems[:20]) + (f"; and {len(problems) - 20} more" if len(problems) > 20 else "")
        )
    if not figures:
        raise ProfileProblem("The file has no figures.")
    name = name.strip()
    if PopulationProfile.objects.filter(organisation=organisation, name=name).exists():
        raise ProfileProblem(f"There is already a population profile called ‘{name}’.")
    profile = PopulationProfile.objects.create(
        organisation=organisation, name=name, area=area, source=source, created_by=actor
    )
    PopulationFigure.objects.bulk_create(
        PopulationFigure(profile=profile, dimension=dimension, category=category, count=count)
        for (dimension, category), count in figures.items()
    )
    audit_record(
        actor=actor,
        action="population.loaded",
        organisation=organisation,
        target=profile,
        detail={"figures": len(figures)},
    )
    return profile


def wilson(successes: int, total: int) -> tuple[float, float]:
    """The 95% Wilson score interval for a share: sound for small groups and shares near 0 or 1."""
    if total == 0:
        return 0.0, 0.0
    share = successes / total
    centre = share + Z95**2 / (2 * total)
    spread = Z95 * math.sqrt(share * (1 - share) / total + Z95**2 / (4 * total * total))
    scale = 1 + Z95**2 / total
    return max(0.0, (centre - spread) / scale), min(1.0, (centre + spread) / scale)


def respondent_categories(answers: dict[str, str], lookup: dict[str, int]) -> dict[str, str]:
    """One respondent's category in each dimension, from their equality-monitoring answers (key -> value)."""
    placed: dict[str, str] = {}
    age = answers.get("age_band", "")
    if age in AGE_BANDS:
        placed["age_band"] = age
    if answers.get("sex") in ("female", "male"):
        placed["sex"] = answers["sex"]
    ethnic = answers.get("ethnic_group", "")
    group = ethnic.split("_", 1)[0]
    if group in ("asian", "black", "mixed", "white", "other") and ethnic != "prefer_not_to_say":
        placed["ethnic_group"] = group
    limits = answers.get("condition_limits_activities", "")
    if limits in ("yes_a_lot", "yes_a_little"):
        placed["disability"] = "disabled"
    elif limits == "not_at_all" or answers.get("long_term_condition") == "no":
        placed["disability"] = "not_disabled"
    district = _district(answers.get("postcode_district", ""))
    if district in lookup:
        placed["deprivation"] = str(lookup[district])
    return placed


@dataclass
class CategoryRow:
    key: str
    label: str
    respondents: int
    respondents_shown: str  # protected
    share: float | None  # None when the count is hidden
    low: float | None
    high: float | None
    population_share: float | None
    gap: float | None  # respondents' share minus the population's, in proportion points
    status: str  # "under", "over", "in line", "no population figure", "too few to say"


@dataclass
class DimensionResult:
    key: str
    label: str
    answered: int
    not_answered: int
    rows: list[CategoryRow]


@dataclass
class GroupReach:
    group: str
    label: str
    finding: str
    status: str  # "reached", "under", "unknown"


@dataclass
class Representation:
    respondents: int
    dimensions: list[DimensionResult]
    groups: list[GroupReach] = field(default_factory=list)
    # Whether postcode districts could be placed in deprivation quintiles (the population has a lookup).
    postcodes_placed: bool = True


def _answers_by_respondent(items: QuerySet[FeedbackItem]) -> dict[int, dict[str, str]]:
    found: dict[int, dict[str, str]] = {}
    # A subquery, not a list of ids: a large survey's ids would make a statement too long to send.
    for item_id, key, choices, text in Answer.objects.filter(
        item_id__in=items.values("pk"), question__is_equality_monitoring=True
    ).values_list("item_id", "question__key", "choices", "text"):
        value = choices[0] if choices else (text or "")
        found.setdefault(item_id, {})[key] = str(value)
    return found


def representation(
    *,
    items: QuerySet[FeedbackItem],
    profile: PopulationProfile | None,
    rule: SmallNumberRule,
    committed_groups: list[str] | None = None,
) -> Representation:
    figures: dict[str, dict[str, int]] = {}
    lookup: dict[str, int] = {}
    if profile is not None:
        for figure in profile.figures.all():
            if figure.dimension == LOOKUP:
                lookup[figure.category] = figure.count
            else:
                figures.setdefault(figure.dimension, {})[figure.category] = figure.count
    answers = _answers_by_respondent(items)
    everyone = items.count()
    placed = [respondent_categories(one, lookup) for one in answers.values()]
    dimensions = []
    for key, (label, categories) in DIMENSIONS.items():
        counts = Counter(person[key] for person in placed if key in person)
        answered = sum(counts.values())
        population = figures.get(key, {})
        population_total = sum(population.get(category, 0) for category, _ in categories)
        rows = []
        for category, category_label in categories:
            count = counts.get(category, 0)
            shown = protected(count, rule)
            hidden = shown == "*"
            low, high = wilson(count, answered)
            share = count / answered if answered else None
            population_share = population.get(category, 0) / population_total if population_total else None
            if population_share is None:
                status = "no population figure"
            elif hidden or answered < rule.suppress_below:
                status = "too few to say"
            elif high < population_share:
                status = "under"
            elif low > population_share:
                status = "over"
            else:
                status = "in line"
            rows.append(
                CategoryRow(
                    key=category,
                    label=category_label,
                    respondents=count,
                    respondents_shown=shown,
                    share=None if hidden else share,
                    low=None if hidden else low,
                    high=None if hidden else high,
                    population_share=population_share,
                    gap=(share - population_share)
                    if share is not None and population_share is not None and not hidden
                    else None,
                    status=status,
                )
            )
        dimensions.append(
            DimensionResult(
                key=key, label=label, answered=answered, not_answered=everyone - answered, rows=rows
            )
        )
    result = Representation(respondents=len(answers), dimensions=dimensions, postcodes_placed=bool(lookup))
    result.groups = [_reach(group, dimensions, rule, bool(lookup)) for group in committed_groups or []]
    return result


def representation_of(
    *,
    organisation: Organisation,
    project: Project | None,
    survey: Survey | None,
    profile: PopulationProfile | None,
) -> Representation:
    """Who answered a survey (or, without one, any of a project's surveys), against the groups its project
    committed to reach, with the organisation's small-number rule."""
    items = FeedbackItem.objects.filter(organisation=organisation)
    if survey is not None:
        items, committed_by = items.filter(survey=survey), survey.project
    else:
        items, committed_by = items.filter(project=project), project
    return representation(
        items=items,
        profile=profile,
        rule=SmallNumberRule.of(organisation),
        committed_groups=list(committed_by.equality_groups) if committed_by is not None else [],
    )


# Which rows of which dimension stand for a group a project committed to reach.
GROUP_ROWS: dict[str, tuple[str, list[str]]] = {
    EqualityGroup.AGE_YOUNG: ("age_band", ["under_16", "16_24"]),
    EqualityGroup.AGE_OLDER: ("age_band", ["65_74", "75_84", "85_over"]),
    EqualityGroup.DISABILITY: ("disability", ["disabled"]),
    EqualityGroup.RACE: ("ethnic_group", ["asian", "black", "mixed", "other"]),
    EqualityGroup.DEPRIVATION: ("deprivation", ["1"]),
}


def _reach(
    group: str, dimensions: list[DimensionResult], rule: SmallNumberRule, postcodes_placed: bool = True
) -> GroupReach:
    label = dict(EqualityGroup.choices).get(group, group)
    if group not in GROUP_ROWS:
        return GroupReach(
            group,
            label,
            "The equality questions cannot tell whether this group was reached: record it on the activities "
            "that reached them.",
            "unknown",
        )
    dimension_key, categories = GROUP_ROWS[group]
    dimension = next(one for one in dimensions if one.key == dimension_key)
    rows = [row for row in dimension.rows if row.key in categories]
    count = sum(row.respondents for row in rows)
    if dimension_key == "deprivation" and not postcodes_placed:
        return GroupReach(
            group,
            label,
            "Deprivation comes from the postcode districts people gave, placed by a population that has a postcode "
            "lookup: choose one to compare with.",
            "unknown",
        )
    if dimension.answered == 0:
        return GroupReach(group, label, "Nobody has answered this equality question yet.", "unknown")
    population_shares = [row.population_share for row in rows]
    answered = dimension.answered
    # Rows' counts hidden below the small-number rule must not be given away by the sentence either: not as the
    # group's count, nor as its share of a known total, nor as the group's total less the rows that are shown.
    # Whether the group is under-represented is then judged from the most it could be, which anyone can tell.
    hidden_rows = [row for row in rows if row.respondents_shown == HIDDEN]
    whole_hidden = protected(count, rule) == HIDDEN
    partly_known = whole_hidden or bool(hidden_rows)
    if partly_known:
        shown = 0 if whole_hidden else sum(row.respondents for row in rows if row not in hidden_rows)
        hidden_parts = 1 if whole_hidden else len(hidden_rows)
        # A hidden count is somewhere from 1 to one below the threshold.
        high = wilson(min(shown + (rule.suppress_below - 1) * hidden_parts, answered), answered)[1]
        high_at_least = wilson(min(shown + hidden_parts, answered), answered)[1]
        how_many = (
            f"fewer than {rule.suppress_below} of the {answered:,} who answered (shown as {HIDDEN})"
            if whole_hidden
            else f"number withheld (part of the group is fewer than {rule.suppress_below} of the {answered:,} who "
            f"answered, shown as {HIDDEN})"
        )
    else:
        low, high = wilson(count, answered)
        how_many = share_text(count, answered, low, high)
    if any(share is None for share in population_shares):
        return GroupReach(
            group, label, f"{how_many[0].upper()}{how_many[1:]}; no population figure to compare.", "unknown"
        )
    population = sum(share or 0 for share in population_shares)
    if high < population:
        return GroupReach(
            group,
            label,
            f"Under-represented: {how_many}, against {population:.0%} of the population.",
            "under",
        )
    if partly_known and high_at_least < population:
        return GroupReach(
            group,
            label,
            f"Too few to say: {how_many}, against {population:.0%} of the population.",
            "unknown",
        )
    return GroupReach(
        group, label, f"Reached: {how_many}, against {population:.0%} of the population.", "reached"
    )


def share_text(count: int, answered: int, low: float, high: float) -> str:
    return f"{count / answered:.0%} of respondents (95% interval {low:.0%} to {high:.0%})"
