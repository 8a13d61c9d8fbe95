"""The demo's decisions, quotes and public "you said, we did" page, on the same-day urgent care project.

Built from the demo's own feedback: the evidence links are real links to its coded comments and its workshop, so
the voices behind each decision, the comment pages and the public counts all agree.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from heard.acting import quotes, services
from heard.acting.models import Decision, DecisionKind, DecisionStatus
from heard.core.models import Organisation, User
from heard.listening.models import FeedbackItem
from heard.listening.services.responses import activity_comments_receive
from heard.projects.activity_services import activity_create
from heard.projects.models import Activity, ActivityKind, EqualityGroup, Project
from heard.projects.services import project_update
from heard.understanding.models import Theme, ThemeAssignment


def _theme(organisation: Organisation, name: str) -> Theme | None:
    return Theme.objects.filter(codebook__organisation=organisation, name=name).first()


def _comment_about(theme: Theme | None, project: Project, skip: int = 0) -> FeedbackItem | None:
    if theme is None:
        return None
    assignment = (
        ThemeAssignment.objects.filter(theme=theme, project=project, by_model=False)
        .order_by("item_id")
        .select_related("item")[skip : skip + 1]
        .first()
    )
    return assignment.item if assignment else None


def _drop_in(project: Project, lead: User, today: date) -> Activity:
    """An evening drop-in for the project, with the comments written on cards there."""
    drop_in = activity_create(
        actor=lead,
        project=project,
        kind=ActivityKind.PUBLIC_EVENT,
        title="Evening drop-in at Armley health centre",
        held_on=(project.starts_on or today) + timedelta(days=21),
        location="Armley health centre, waiting area",
        attendance=41,
        groups_reached=[EqualityGroup.SHIFT_WORKERS.value, EqualityGroup.AGE_YOUNG.value],
        notes="Held after 6pm so that people who work days could come. Most had used the urgent treatment centre.",
    )
    activity_comments_receive(
        actor=lead,
        activity=drop_in,
        comments=[
            "I work nights, so the urgent treatment centre at the weekend is the only place I can go.",
            "I did not know the pharmacy could help with my son's ear infection.",
            "The 111 call back took four hours.",
            "Please put the waiting time on the website so I can choose where to go.",
            "Nobody told me the walk-in centre had moved.",
            "The receptionist at the urgent treatment centre was really helpful.",
            "I would like to hear what you do with this.",
            "Evening appointments at my practice would keep me out of A&E.",
        ],
    )
    return drop_in


def demo_acting_build(*, organisation: Organisation, analyst: User, lead: User) -> None:
    project = Project.objects.filter(organisation=organisation, title__startswith="Same-day").first()
    if project is None or Decision.objects.filter(project=project).exists():
        return
    today = timezone.localdate()
    waiting = _theme(organisation, "Waiting and timeliness")
    getting_in_touch = _theme(organisation, "Getting in touch")
    informed = _theme(organisation, "Kept informed")
    workshop = Activity.objects.filter(project=project).first() or _drop_in(project, lead, today)
    project_update(
        actor=lead,
        project=project,
        title=project.title,
        summary=project.summary,
        stage=project.stage,
        starts_on=project.starts_on,
        ends_on=project.ends_on,
        lead=project.lead,
        equality_groups=project.equality_groups,
        learning="Evening sessions reached shift workers that daytime events never had. People trusted the "
        "survey more once they saw the first changes published.",
        promotion="Posters in every practice and pharmacy in Leeds West, text messages after urgent care "
        "visits, and posts by the council's community hubs.",
    )

    weekend = services.decision_record(
        actor=lead,
        project=project,
        kind=DecisionKind.COMMITMENT,
        title="More staff at the urgent treatment centre at weekends",
        you_said="Waits at the urgent treatment centre are longest on Saturdays and Sundays, and getting worse.",
        we_did="Add a second nurse practitioner on Saturday and Sunday afternoons, and publish the waiting time "
        "on the NHS website every hour.",
        owner_name="Urgent care commissioning team",
        owner=lead,
        due_on=today + timedelta(days=60),
        status=DecisionStatus.IN_PROGRESS,
    )
    where_to_go = services.decision_record(
        actor=lead,
        project=project,
        kind=DecisionKind.DECIDED,
        title="One leaflet on where to go for same-day care",
        you_said="People did not know whether to phone their practice, NHS 111 or go to the urgent treatment "
        "centre, and could not get through on the phone.",
        we_did="A single leaflet and web page, written with the workshop's volunteers, in six languages, "
        "given out by every practice and pharmacy in Leeds West.",
        owner_name="Communications and engagement team",
        decided_on=today - timedelta(days=20),
    )
    overdue = services.decision_record(
        actor=lead,
        project=project,
        title="Reply to everyone who left contact details at the drop-in",
        we_did="Write to each person who asked to hear back, saying what we did.",
        owner_name="Engagement team",
        owner=lead,
        due_on=today - timedelta(days=5),
    )
    for decision, targets in (
        (weekend, [waiting]),
        (where_to_go, [getting_in_touch, informed, workshop]),
        (overdue, [workshop]),
    ):
        for target in targets:
            if target is not None:
                services.evidence_add(actor=lead, decision=decision, target=target)
    for decision in (weekend, where_to_go):
        services.decision_publish(actor=lead, decision=decision)

    # Two quotes chosen by the analyst and checked by the lead; one still waiting for its check.
    for decision, theme, skip, approve in (
        (weekend, waiting, 0, True),
        (where_to_go, getting_in_touch, 0, True),
        (weekend, waiting, 3, False),
    ):
        item = _comment_about(theme, project, skip)
        if item is None or not item.text:
            continue
        quote = quotes.quote_choose(
            actor=analyst, project=project, item=item, text=item.text, decision=decision
        )
        if approve and not quotes.quote_check(quote.text, organisation_id=organisation.pk):
            quotes.quote_approve(actor=lead, quote=quote)
