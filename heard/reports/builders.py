"""The reports people ask for, built from the other apps' data as one ``Document`` each: the end-of-project PPIE
report, the board assurance report for a period, and a consultation's response summary.

Every count passes through the organisation's small-number rule (``heard.core.disclosure``); charts are the
dashboards' charts, each with its table; every report says the period and the data it used, so it can be made
again. Only approved quotes appear, and removed decisions never do.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from heard.acting.models import Decision, DecisionKind, DecisionStatus, EvidenceKind
from heard.acting.quotes import quotes_public
from heard.acting.selectors import OPEN, decision_voices, evidence_rows
from heard.core.disclosure import SmallNumberRule, protected, protected_share, protected_value
from heard.core.models import Organisation
from heard.jinja2_env import date_format
from heard.listening.models import Channel, FeedbackItem, QuestionKind, Survey
from heard.listening.survey_selectors import question_results
from heard.projects.models import Activity, EqualityGroup, Project
from heard.reports.documents import (
    BulletList,
    Document,
    Figure,
    KeyFigures,
    Paragraph,
    Section,
    Table,
    standard_provenance,
)
from heard.understanding import charts, pictures
from heard.understanding.models import ThemeAssignment
from heard.understanding.representation import Representation, representation_of
from heard.understanding.selectors import population_latest

TOP_THEMES = 12
CHANNELS = dict(Channel.choices)


def _day(value: date | None) -> str:
    return date_format(value) if value else "not set"


def _period(start: date | None, end: date | None) -> str:
    return f"{_day(start)} to {_day(end)}"


def _aware(day: date, end: bool = False) -> datetime:
    return datetime.combine(
        day + timedelta(days=1) if end else day, time(0), tzinfo=timezone.get_current_timezone()
    )


def _themes_figure(
    assignments: QuerySet[ThemeAssignment], rule: SmallNumberRule, what: str
) -> Figure | Paragraph:
    counts = list(
        assignments.values_list("theme__name")
        .annotate(n=Count("item_id", distinct=True))
        .order_by("-n", "theme__name")
    )[:TOP_THEMES]
    if not counts:
        return Paragraph(f"No comments {what} have been coded with themes yet.")
    labels = [name for name, _ in counts]
    shown = [protected(n, rule) for _, n in counts]
    # The bars are drawn from the protected figures, so the picture gives away nothing the table hides.
    values = [int(text) if text.isdigit() else 0 for text in shown]
    title = f"The most frequent themes in comments {what}"
    table = Table(
        caption=title,
        columns=["Theme", "Comments"],
        rows=list(zip(labels, shown, strict=True)),
        numeric=[False, True],
    )
    return Figure(
        title=title,
        alt=f"Bar chart of the {len(labels)} most frequent themes; the figures are in the table that follows.",
        svg=charts.bar_chart(title, labels, values, shown=shown),
        png=pictures.bar_png(title, labels, values, shown=shown),
        table=table,
    )


def _who_took_part(
    organisation: Organisation, project: Project, survey: Survey | None
) -> list[Paragraph | Table | BulletList]:
    """Who took part in a project (or answered a survey) against the organisation's latest population profile."""
    profile = population_latest(organisation=organisation)
    rule = SmallNumberRule.of(organisation)
    if profile is None:
        return _representation_blocks(None, rule)
    return _representation_blocks(
        representation_of(organisation=organisation, project=project, survey=survey, profile=profile), rule
    )


FINDINGS = {
    "under": "Under-represented",
    "over": "Over-represented",
    "in line": "In line with the population",
    "too few to say": "Too few to say",
    "no population figure": "No population figure",
}
REACH = {
    "under": "under-represented: fewer answered than live in the area, beyond what chance explains",
    "reached": "reached, in line with or above their share of the population",
}


def _representation_blocks(
    result: Representation | None, rule: SmallNumberRule
) -> list[Paragraph | Table | BulletList]:
    if result is None:
        return [
            Paragraph(
                "No population profile has been loaded, so who took part cannot be set against who lives there."
            )
        ]
    if result.respondents == 0:
        return [
            Paragraph(
                "Nobody who took part has answered the equality questions, so this cannot be compared yet."
            )
        ]
    blocks: list[Paragraph | Table | BulletList] = [
        Paragraph(
            f"{protected(result.respondents, rule)} people answered the equality questions. Shares are worked out "
            "from the protected counts. Each group's finding comes from its 95% confidence interval; "
            "a group is under-represented when even the top of its interval is below its share of the population."
        )
    ]
    for dimension in result.dimensions:
        rows = [
            [
                row.label,
                row.respondents_shown,
                protected_share(row.respondents, dimension.answered, rule),
                f"{row.population_share:.0%}" if row.population_share is not None else "–",
                FINDINGS.get(row.status, row.status),
            ]
            for row in dimension.rows
        ]
        blocks.append(
            Table(
                caption=f"{dimension.label}: who took part against who lives there",
                columns=["Group", "People", "Share", "Population share", "Finding"],
                rows=rows,
                numeric=[False, True, True, True, False],
            )
        )
    if result.groups:
        blocks.append(Paragraph("The groups the project said it must reach:"))
        blocks.append(
            BulletList(
                [
                    # The staff page's findings give exact counts and shares; a report gives the finding only.
                    f"{group.label}: "
                    + REACH.get(
                        group.status, "the equality questions cannot tell whether this group was reached"
                    )
                    for group in result.groups
                ]
            )
        )
    return blocks


def _decision_section(decisions: list[Decision], rule: SmallNumberRule) -> list[Section]:
    sections = []
    for decision in decisions:
        evidence = evidence_rows(decision=decision)
        voices = decision_voices(decision=decision).count()
        blocks: list[Paragraph | BulletList | KeyFigures] = []
        if decision.you_said:
            blocks.append(Paragraph(f"You said: {decision.you_said}"))
        verb = "We did" if decision.status == DecisionStatus.DONE else "We will"
        blocks.append(Paragraph(f"{verb}: {decision.we_did}"))
        status = decision.get_status_display()
        if decision.status == DecisionStatus.NOT_DONE:
            status += f" – {decision.status_reason}"
        blocks.append(
            KeyFigures(
                [
                    ("Status", status),
                    ("Who", decision.owner_name or "Not given"),
                    ("Due", _day(decision.due_on) if decision.due_on else "No date"),
                    ("Voices behind it", protected(voices, rule)),
                ]
            )
        )
        if evidence:
            blocks.append(
                BulletList(
                    [
                        f"{row.evidence.get_kind_display()}: "
                        f"{row.label if row.evidence.kind != 'comment' else 'a comment'} "
                        f"({protected(row.comments, rule)} comments)"
                        for row in evidence
                    ]
                )
            )
        for quote in quotes_public(project=decision.project).filter(decision=decision):
            blocks.append(Paragraph(f"“{quote.text}”"))
        sections.append(Section(heading=decision.title, blocks=blocks))
    return sections


def ppie_report(*, project: Project, produced_at: datetime | None = None, produced_by: str = "") -> Document:
    """The end-of-project PPIE report (seed 000): how people were involved, who took part against who lives there,
    how their feedback shaped decisions, key learning, and how the work was promoted."""
    produced_at = produced_at or timezone.now()
    organisation = project.organisation
    rule = SmallNumberRule.of(organisation)
    items = FeedbackItem.objects.filter(organisation=organisation, project=project)
    activities = list(Activity.objects.filter(project=project).order_by("held_on"))
    decisions = list(Decision.objects.filter(project=project, removed_at=None).order_by("created_at"))
    attendance = sum(activity.attendance or 0 for activity in activities)
    comments = items.count()
    responses = items.filter(survey__isnull=False).count()
    labels = dict(EqualityGroup.choices)
    reached = {group for activity in activities for group in activity.groups_reached}

    involvement: list[Paragraph | Table | BulletList] = []
    if activities:
        involvement.append(
            Table(
                caption="Events, workshops and outreach",
                columns=["Date", "Activity", "Kind", "People taking part", "Groups reached"],
                rows=[
                    [
                        f"{activity.held_on:%d %b %Y}",
                        activity.title,
                        activity.get_kind_display(),
                        protected(activity.attendance, rule)
                        if activity.attendance is not None
                        else "Not counted",
                        ", ".join(labels.get(group, group) for group in activity.groups_reached) or "–",
                    ]
                    for activity in activities
                ],
                numeric=[False, False, False, True, False],
            )
        )
    else:
        involvement.append(Paragraph("No events, workshops or outreach were recorded for this project."))
    if project.equality_groups:
        involvement.append(
            Paragraph("The groups the project said it must reach, and whether an activity reached them:")
        )
        involvement.append(
            BulletList(
                [
                    f"{labels.get(group, group)}: "
                    + ("reached at an activity" if group in reached else "not recorded as reached")
                    for group in project.equality_groups
                ]
            )
        )

    told: list[Figure | Paragraph] = [
        _themes_figure(ThemeAssignment.objects.filter(project=project), rule, "to this project")
    ]
    told += [
        Paragraph(f"“{quote.text}”") for quote in quotes_public(project=project).filter(decision__isnull=True)
    ]

    sections = [
        Section(
            heading="Summary",
            blocks=[
                Paragraph(project.summary or "No summary written."),
                KeyFigures(
                    [
                        ("Comments received", protected(comments, rule)),
                        ("Survey responses", protected(responses, rule)),
                        ("Events and workshops", str(len(activities))),
                        ("People taking part in them", protected(attendance, rule)),
                        ("Decisions and commitments", str(len(decisions))),
                        ("Done", str(sum(d.status == DecisionStatus.DONE for d in decisions))),
                    ]
                ),
            ],
        ),
        Section(heading="How patients and the public were involved", blocks=involvement),
        Section(
            heading="Who took part, against who lives there",
            blocks=_who_took_part(organisation, project, None),
        ),
        Section(heading="What people told us", blocks=told),
        Section(
            heading="How their feedback shaped the work",
            blocks=[] if decisions else [Paragraph("No decisions or commitments have been recorded yet.")],
            subsections=_decision_section(decisions, rule),
        ),
        Section(heading="Key learning", blocks=[Paragraph(project.learning or "Not written yet.")]),
        Section(
            heading="How the work was promoted", blocks=[Paragraph(project.promotion or "Not written yet.")]
        ),
    ]
    return Document(
        title=f"Patient and public involvement report: {project.title}",
        subtitle=organisation.name,
        provenance=standard_provenance(
            period=_period(project.starts_on, project.ends_on),
            data_used=f"Project “{project.slug}”: {protected(comments, rule)} comments, {len(activities)} activities, "
            f"{len(decisions)} decisions; approved quotes only; small numbers: {rule.describe()}",
            produced_at=produced_at,
            produced_by=produced_by,
        ),
        sections=sections,
    )


def period_from(start: date | None, end: date | None, *, today: date) -> tuple[date, date]:
    """A period from what was given: both ends as given; a start alone runs to today; an end alone starts at the
    beginning of its quarter; neither is the last full quarter."""
    if start is None and end is None:
        return last_full_quarter(today)
    if end is None:
        return start, today  # type: ignore[return-value]
    if start is None:
        return date(end.year, ((end.month - 1) // 3) * 3 + 1, 1), end
    return start, end


def last_full_quarter(today: date) -> tuple[date, date]:
    first_month = ((today.month - 1) // 3) * 3 + 1
    this_quarter = date(today.year, first_month, 1)
    end = this_quarter - timedelta(days=1)
    start_month = ((end.month - 1) // 3) * 3 + 1
    return date(end.year, start_month, 1), end


def _board_gaps(organisation: Organisation, rule: SmallNumberRule) -> list[str]:
    """For each project with groups to reach: those no activity has recorded reaching, and those its survey
    respondents under-represent against the latest population profile."""
    labels = dict(EqualityGroup.choices)
    profile = population_latest(organisation=organisation)
    gaps = []
    for project in (
        Project.objects.filter(organisation=organisation).exclude(equality_groups=[]).order_by("title")
    ):
        reached = {
            group
            for activity in Activity.objects.filter(project=project)
            for group in activity.groups_reached
        }
        missing = [labels.get(group, group) for group in project.equality_groups if group not in reached]
        if missing:
            gaps.append(f"{project.title}: no activity has recorded reaching {', '.join(missing)}")
        if profile is not None and Survey.objects.filter(project=project).exists():
            result = representation_of(
                organisation=organisation, project=project, survey=None, profile=profile
            )
            under = [group.label for group in result.groups if group.status == "under"]
            if under and protected_value(result.respondents, rule):
                gaps.append(f"{project.title}: its survey under-represents {', '.join(under)}")
    return gaps


def board_report(
    *,
    organisation: Organisation,
    start: date,
    end: date,
    produced_at: datetime | None = None,
    produced_by: str = "",
) -> Document:
    """The board assurance report for a period: activity, what people said, what changed, open and overdue
    commitments, and representativeness gaps."""
    produced_at = produced_at or timezone.now()
    rule = SmallNumberRule.of(organisation)
    window = {"received_at__gte": _aware(start), "received_at__lt": _aware(end, end=True)}
    items = FeedbackItem.objects.filter(organisation=organisation, **window)
    activities = Activity.objects.filter(
        project__organisation=organisation, held_on__gte=start, held_on__lte=end
    )
    by_channel = Counter(dict(items.values_list("channel").annotate(n=Count("id")).order_by()))
    done = list(
        Decision.objects.filter(
            organisation=organisation,
            removed_at=None,
            status=DecisionStatus.DONE,
            done_on__gte=start,
            done_on__lte=end,
        ).select_related("project")
    )
    # Open at the end of the period: recorded by then, and not yet done or given up by then, as far as the
    # record shows (a commitment done after the period was still open at its end).
    end_moment = _aware(end, end=True)
    open_commitments = [
        decision
        for decision in Decision.objects.filter(
            organisation=organisation,
            removed_at=None,
            kind=DecisionKind.COMMITMENT,
            created_at__lt=end_moment,
        )
        .select_related("project")
        .order_by("due_on", "pk")
        if decision.status in OPEN
        or (
            decision.status == DecisionStatus.DONE and decision.done_on is not None and decision.done_on > end
        )
        or (decision.status == DecisionStatus.NOT_DONE and decision.updated_at >= end_moment)
    ]
    overdue = [d for d in open_commitments if d.due_on is not None and d.due_on < end]
    gaps = _board_gaps(organisation, rule)
    sections = [
        Section(
            heading="Engagement activity",
            blocks=[
                KeyFigures(
                    [
                        ("Comments received", protected(items.count(), rule)),
                        ("Events and workshops", str(activities.count())),
                        (
                            "People taking part",
                            protected(activities.aggregate(n=Sum("attendance"))["n"] or 0, rule),
                        ),
                    ]
                ),
                Table(
                    caption="Comments by channel",
                    columns=["Channel", "Comments"],
                    rows=[
                        [CHANNELS.get(channel, channel), protected(n, rule)]
                        for channel, n in by_channel.most_common()
                    ]
                    or [["None", "0"]],
                    numeric=[False, True],
                ),
            ],
        ),
        Section(
            heading="What people said",
            blocks=[
                _themes_figure(
                    ThemeAssignment.objects.filter(organisation=organisation, **window), rule, "in the period"
                )
            ],
        ),
        Section(
            heading="What changed",
            blocks=[BulletList([f"{d.project.title}: {d.title} (done {_day(d.done_on)})" for d in done])]
            if done
            else [Paragraph("No decisions or commitments were completed in the period.")],
        ),
        Section(
            heading="Open commitments",
            blocks=[
                Table(
                    caption=f"Open commitments: {len(open_commitments)}, "
                    f"of which {len(overdue)} overdue at the end of the period",
                    columns=["Project", "Commitment", "Due", "Status"],
                    rows=[
                        [
                            d.project.title,
                            d.title,
                            _day(d.due_on) if d.due_on else "No date",
                            "Overdue" if d in overdue else "Open",
                        ]
                        for d in open_commitments
                    ],
                )
            ]
            if open_commitments
            else [Paragraph("There are no open commitments.")],
        ),
        Section(
            heading="Representativeness gaps",
            blocks=[BulletList(gaps)]
            if gaps
            else [Paragraph("Every project has recorded reaching the groups it committed to.")],
        ),
    ]
    return Document(
        title=f"Board assurance report: patient and public engagement, {_period(start, end)}",
        subtitle=organisation.name,
        provenance=standard_provenance(
            period=_period(start, end),
            data_used=f"Organisation “{organisation.slug}”: feedback received and activities held in the period; "
            f"decisions as they stood when produced; small numbers: {rule.describe()}",
            produced_at=produced_at,
            produced_by=produced_by,
        ),
        sections=sections,
    )


def survey_of(*, project: Project, code: str) -> Survey | None:
    """One of the project's surveys, by its code."""
    return Survey.objects.filter(project=project, code=code).first()


def consultation_report(
    *,
    project: Project,
    survey: Survey | None = None,
    produced_at: datetime | None = None,
    produced_by: str = "",
) -> Document:
    """A consultation's response summary: every question's results, the themes of the free text,
    representativeness, and the decisions it informed."""
    produced_at = produced_at or timezone.now()
    organisation = project.organisation
    rule = SmallNumberRule.of(organisation)
    if survey is None:
        survey = Survey.objects.filter(project=project).order_by("created_at").first()
    if survey is None:
        raise ValueError(f"The project “{project.slug}” has no survey")
    responses = FeedbackItem.objects.filter(survey=survey)
    total = responses.count()
    question_sections = []
    for section in survey.sections.order_by("position"):
        for question in section.questions.order_by("position"):
            results = question_results(question=question)
            blocks: list[Paragraph | Table | Figure]
            if question.kind in (QuestionKind.FREE_TEXT, QuestionKind.DATE, QuestionKind.NUMBER):
                blocks = [Paragraph(f"{protected(results[0][1], rule)} people answered.")]
                if question.kind == QuestionKind.FREE_TEXT:
                    blocks.append(Paragraph("The themes of the free text are in the next section."))
            else:
                blocks = [
                    Table(
                        caption=question.text,
                        columns=["Answer", "People"],
                        rows=[[label, protected(count, rule)] for label, count in results]
                        or [["No answers", "0"]],
                        numeric=[False, True],
                    )
                ]
            question_sections.append(Section(heading=question.text, blocks=blocks))
    # The decisions this survey informed: linked to one of its questions, or to one of its responses.
    informed = Decision.objects.filter(project=project, removed_at=None).filter(
        Q(evidence__kind=EvidenceKind.QUESTION, evidence__question__section__survey=survey)
        | Q(evidence__kind=EvidenceKind.COMMENT, evidence__item__survey=survey)
    )
    decisions = list(Decision.objects.filter(pk__in=informed.values("pk")).order_by("created_at"))
    sections = [
        Section(
            heading="Summary",
            blocks=[
                KeyFigures(
                    [("Responses", protected(total, rule)), ("Questions", str(len(question_sections)))]
                )
            ],
        ),
        Section(heading="Results question by question", subsections=question_sections),
        Section(
            heading="Themes in the free text",
            blocks=[
                # Counted by response: one whose several answers carry a theme counts once for it (ADR 0022).
                _themes_figure(
                    ThemeAssignment.objects.filter(item__survey=survey), rule, "in answers to this survey"
                )
            ],
        ),
        Section(
            heading="Who answered, against who lives there",
            blocks=_who_took_part(organisation, project, survey),
        ),
        Section(
            heading="The decisions it informed",
            blocks=[]
            if decisions
            else [Paragraph("No decisions have been recorded for this consultation yet.")],
            subsections=_decision_section(decisions, rule),
        ),
    ]
    return Document(
        title=f"Consultation response summary: {survey.title}",
        subtitle=f"{project.title} – {organisation.name}",
        provenance=standard_provenance(
            period=_period(project.starts_on, project.ends_on),
            data_used=f"Survey “{survey.code}” in project “{project.slug}”: {protected(total, rule)} responses; "
            f"small numbers: {rule.describe()}",
            produced_at=produced_at,
            produced_by=produced_by,
        ),
        sections=sections,
    )
