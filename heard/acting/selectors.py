"""Reads of decisions, their evidence and their voices, always within one organisation.

Traceability runs both ways: ``decision_voices`` gives every comment behind a decision; ``decisions_fed_by`` gives
every decision a comment fed. Both read the same four kinds of link, so the two directions always agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from heard.acting.models import Decision, DecisionStatus, Evidence, EvidenceKind, EvidenceScope, Quote
from heard.core.models import Organisation
from heard.listening.models import Answer, FeedbackItem, Question, QuestionKind
from heard.listening.survey_selectors import question_results
from heard.projects.models import Activity, Project
from heard.understanding.models import Theme, ThemeAssignment

OPEN = (DecisionStatus.PLANNED, DecisionStatus.IN_PROGRESS)


def published(decisions: QuerySet[Decision]) -> QuerySet[Decision]:
    """Those of ``decisions`` on the public pages: published and not removed."""
    return decisions.filter(published_at__isnull=False, removed_at=None)


def _id(value: int | None) -> int:
    """A link's target id: the database's check constraint guarantees the one matching its kind is set."""
    if value is None:
        raise ValueError("Evidence without its target")
    return value


def decisions_of(*, project: Project) -> QuerySet[Decision]:
    return (
        Decision.objects.filter(project=project, removed_at=None)
        .select_related("owner")
        .annotate(evidence_count=Count("evidence"))
        .order_by("status", "due_on", "-created_at")
    )


def decision_in(*, organisation: Organisation, decision_id: int) -> Decision:
    """Raises Decision.DoesNotExist for another organisation's decision, exactly as for one that does not exist."""
    return Decision.objects.select_related("project", "owner", "organisation").get(
        organisation=organisation, pk=decision_id, removed_at=None
    )


def _theme_items(evidence: Evidence) -> QuerySet[ThemeAssignment]:
    decision = evidence.decision
    assignments = ThemeAssignment.objects.filter(
        theme_id=_id(evidence.theme_id), organisation_id=decision.organisation_id
    )
    if evidence.scope == EvidenceScope.PROJECT:
        return assignments.filter(project_id=decision.project_id)
    project = decision.project
    if project.starts_on:
        assignments = assignments.filter(received_at__date__gte=project.starts_on)
    if project.ends_on:
        assignments = assignments.filter(received_at__date__lte=project.ends_on)
    return assignments


def _condition(evidence: Evidence) -> Q:
    """The comments one link stands for, as a condition on feedback items."""
    if evidence.kind == EvidenceKind.COMMENT:
        return Q(pk=_id(evidence.item_id))
    if evidence.kind == EvidenceKind.ACTIVITY:
        return Q(activity_id=_id(evidence.activity_id))
    if evidence.kind == EvidenceKind.QUESTION:
        return Q(pk__in=Answer.objects.filter(question_id=_id(evidence.question_id)).values("item_id"))
    return Q(pk__in=_theme_items(evidence).values("item_id"))


def evidence_items(evidence: Evidence) -> QuerySet[FeedbackItem]:
    """The comments behind one link."""
    return FeedbackItem.objects.filter(organisation_id=evidence.decision.organisation_id).filter(
        _condition(evidence)
    )


def decision_voices(*, decision: Decision) -> QuerySet[FeedbackItem]:
    """Every comment behind a decision, through any of its links, each once."""
    condition = Q(pk__in=[])
    for evidence in decision.evidence.select_related("decision__project"):
        condition |= _condition(evidence)
    return (
        FeedbackItem.objects.filter(organisation_id=decision.organisation_id)
        .filter(condition)
        .select_related("source")
        .order_by("-received_at", "-pk")
    )


def decisions_fed_by(*, item: FeedbackItem) -> QuerySet[Decision]:
    """Every decision a comment fed: linked to it, to a theme it carries, to the event it came from, or to a
    question it answered."""
    themes = ThemeAssignment.objects.filter(item=item).values("theme_id")
    condition = Q(evidence__item=item) | Q(
        evidence__question__in=Answer.objects.filter(item=item).values("question_id")
    )
    if item.activity_id:
        condition |= Q(evidence__activity_id=item.activity_id)
    in_project = Q(
        evidence__theme__in=themes, evidence__scope=EvidenceScope.PROJECT, project_id=item.project_id
    )
    received = timezone.localdate(item.received_at)  # the same calendar as the project's dates
    in_period = (
        Q(evidence__theme__in=themes, evidence__scope=EvidenceScope.ORGANISATION)
        & (Q(project__starts_on__isnull=True) | Q(project__starts_on__lte=received))
        & (Q(project__ends_on__isnull=True) | Q(project__ends_on__gte=received))
    )
    condition |= in_period
    if item.project_id:
        condition |= in_project
    ids = (
        Decision.objects.filter(organisation_id=item.organisation_id, removed_at=None)
        .filter(condition)
        .values("pk")
    )
    return Decision.objects.filter(pk__in=ids).select_related("project").order_by("-created_at")


@dataclass(frozen=True)
class EvidenceRow:
    evidence: Evidence
    label: str
    comments: int
    # For a survey question: its results, answer by answer.
    results: list[tuple[str, int]] = field(default_factory=list)


def evidence_rows(*, decision: Decision, with_results: bool = False) -> list[EvidenceRow]:
    """Each link with what it is and how many comments it brings; ``with_results`` adds a survey question's
    results, which read every answer to it, so only the decision's own page asks for them."""
    rows = []
    for evidence in decision.evidence.select_related(
        "theme", "item", "activity", "question", "question__section__survey", "decision__project"
    ):
        theme, item, activity, question = evidence.theme, evidence.item, evidence.activity, evidence.question
        if theme is not None:
            where = "this project" if evidence.scope == EvidenceScope.PROJECT else "the project's period"
            label = f"{theme.name} (comments in {where})"
        elif item is not None:
            label = f"Comment received {item.received_at:%d %b %Y}: “{item.text[:120]}”"
        elif activity is not None:
            label = f"{activity.title}, {activity.held_on:%d %b %Y}"
        elif question is not None:
            label = f"{question.text} ({question.section.survey.title})"
        else:
            continue
        rows.append(
            EvidenceRow(
                evidence=evidence,
                label=label,
                comments=evidence_items(evidence).count(),
                results=question_results(question=question) if with_results and question is not None else [],
            )
        )
    return rows


def commitments_due(*, organisation: Organisation, today: date, within_days: int = 14) -> list[Decision]:
    """Open commitments overdue or due within ``within_days``, soonest first."""
    return list(
        Decision.objects.filter(
            organisation=organisation,
            removed_at=None,
            status__in=OPEN,
            due_on__isnull=False,
            due_on__lte=today + timedelta(days=within_days),
        )
        .select_related("project", "owner")
        .order_by("due_on")[:20]
    )


def project_panel(project: Project) -> dict[str, object]:
    decisions = list(decisions_of(project=project)[:5])
    public = published(Decision.objects.filter(project=project)).exists()
    return {"project": project, "decisions": decisions, "public": public}


def comment_panel(item: FeedbackItem) -> dict[str, object]:
    decisions = list(decisions_fed_by(item=item))
    projects = {decision.project.pk: decision.project for decision in decisions}
    if item.project_id and item.project is not None:
        projects.setdefault(item.project.pk, item.project)
    return {"item": item, "decisions": decisions, "quote_projects": list(projects.values())}


def home_panel(organisation: Organisation) -> dict[str, object]:
    today = timezone.localdate()
    return {"commitments": commitments_due(organisation=organisation, today=today), "today": today}


# --- what the staff pages look up, each within the project or organisation ---------------------------------


def evidence_choices(*, project: Project) -> dict[str, list[tuple[int, str]]]:
    """What a decision of ``project`` may be linked to: the organisation's themes, the project's events, and
    its surveys' questions (not the equality questions, which are for who answered; not dates)."""
    return {
        "themes": [
            (theme.pk, f"{theme.name} ({theme.category.name}, {theme.codebook.name})")
            for theme in _themes(project)
            .select_related("codebook", "category")
            .order_by("codebook__name", "category__position", "code")
        ],
        "activities": [
            (activity.pk, f"{activity.title}, {activity.held_on:%d %b %Y}")
            for activity in _activities(project)
        ],
        "questions": [
            (question.pk, f"{question.text} ({question.section.survey.title})")
            for question in _questions(project).order_by(
                "section__survey__title", "section__position", "position"
            )
        ],
    }


def _themes(project: Project) -> QuerySet[Theme]:
    return Theme.objects.filter(codebook__organisation_id=project.organisation_id, retired=False)


def _activities(project: Project) -> QuerySet[Activity]:
    return Activity.objects.filter(project=project).select_related("project")


def _questions(project: Project) -> QuerySet[Question]:
    return (
        Question.objects.filter(section__survey__project=project, is_equality_monitoring=False)
        .exclude(kind=QuestionKind.DATE)
        .select_related("section__survey")
    )


def evidence_target(
    *, project: Project, theme: int | None, activity: int | None, question: int | None, comment: int | None
) -> Theme | Activity | Question | FeedbackItem | None:
    """The one thing chosen to link, from the same choices ``evidence_choices`` offered; None if not there."""
    if theme:
        return _themes(project).select_related("codebook").filter(pk=theme).first()
    if activity:
        return _activities(project).filter(pk=activity).first()
    if question:
        return _questions(project).filter(pk=question).first()
    if not comment:
        return None
    return FeedbackItem.objects.filter(pk=comment, organisation_id=project.organisation_id).first()


def evidence_in(*, decision: Decision, evidence_id: int) -> Evidence | None:
    return Evidence.objects.filter(decision=decision, pk=evidence_id).first()


def comment_to_quote(*, organisation: Organisation, comment_id: int) -> FeedbackItem | None:
    """A comment of the organisation with words in it to quote."""
    return FeedbackItem.objects.filter(pk=comment_id, organisation=organisation).exclude(text="").first()


def decision_of(*, project: Project, decision_id: int | None) -> Decision | None:
    if decision_id is None:
        return None
    return Decision.objects.filter(project=project, pk=decision_id, removed_at=None).first()


def quotes_of(*, project: Project) -> list[Quote]:
    return list(
        Quote.objects.filter(project=project).select_related("chosen_by", "checked_by", "decision", "item")
    )


def quote_in(*, project: Project, quote_id: int) -> Quote | None:
    return Quote.objects.filter(project=project, pk=quote_id).first()
