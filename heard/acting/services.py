"""Every write to decisions, commitments, their evidence and what is published: one transaction, audited."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from heard.acting.models import Decision, DecisionKind, DecisionStatus, Evidence, EvidenceKind, EvidenceScope
from heard.acting.quotes import quote_check, staff_names
from heard.core.audit import audit_record
from heard.core.events import event_publish
from heard.core.models import Membership, User
from heard.listening.models import FeedbackItem, Question
from heard.projects.models import Activity, Project
from heard.understanding.models import Theme

EDITABLE = (
    "kind",
    "title",
    "you_said",
    "we_did",
    "owner_name",
    "owner",
    "decided_on",
    "due_on",
    "status",
    "status_reason",
    "done_on",
)


def _check_owner(decision: Decision) -> None:
    owner = decision.owner
    if (
        owner is not None
        and not Membership.objects.filter(user=owner, organisation_id=decision.organisation_id).exists()
    ):
        raise ValidationError({"owner": "The person responsible must be a member of the organisation"})


def _settle_status(decision: Decision) -> None:
    """A decision already made is done on the day it was made; a done commitment has a done date."""
    if decision.kind == DecisionKind.DECIDED and decision.status in (
        DecisionStatus.PLANNED,
        DecisionStatus.IN_PROGRESS,
    ):
        decision.status = DecisionStatus.DONE
    if decision.status == DecisionStatus.DONE and decision.done_on is None:
        # A decision is done the day it is made; a commitment the day someone says it is done.
        made = decision.decided_on if decision.kind == DecisionKind.DECIDED else None
        decision.done_on = made or timezone.localdate()
    if decision.status != DecisionStatus.DONE:
        decision.done_on = None
    if decision.status != DecisionStatus.NOT_DONE:
        decision.status_reason = ""


def _public_changed(decision: Decision) -> None:
    """Anything the public pages show changed: the decision's time moves on, which moves the pages' version."""
    Decision.objects.filter(pk=decision.pk).update(updated_at=timezone.now())
    event_publish("acting.public_changed", organisation_id=decision.organisation_id)


@transaction.atomic
def decision_record(
    *,
    actor: User,
    project: Project,
    title: str,
    we_did: str,
    kind: str = DecisionKind.COMMITMENT,
    you_said: str = "",
    owner_name: str = "",
    owner: User | None = None,
    decided_on: date | None = None,
    due_on: date | None = None,
    status: str = DecisionStatus.PLANNED,
    status_reason: str = "",
    done_on: date | None = None,
) -> Decision:
    decision = Decision(
        organisation=project.organisation,
        project=project,
        kind=kind,
        title=title,
        you_said=you_said,
        we_did=we_did,
        owner_name=owner_name,
        owner=owner,
        decided_on=decided_on,
        due_on=due_on,
        status=status,
        status_reason=status_reason,
        done_on=done_on,
        created_by=actor,
    )
    _settle_status(decision)
    _check_owner(decision)
    decision.full_clean()
    decision.save()
    audit_record(
        actor=actor,
        action="decision.recorded",
        organisation=project.organisation,
        target=decision,
        detail={"project": project.slug, "kind": decision.kind, "status": decision.status},
    )
    return decision


@transaction.atomic
def decision_update(*, actor: User, decision: Decision, **changes: Any) -> Decision:
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"These cannot be changed here: {', '.join(sorted(unknown))}")
    before = {field: getattr(decision, field) for field in ("status", "due_on")}
    for field, value in changes.items():
        setattr(decision, field, value)
    _settle_status(decision)
    _check_owner(decision)
    decision.updated_at = timezone.now()
    decision.full_clean()
    decision.save()
    changed = sorted(field for field in changes if field not in ("owner",))
    audit_record(
        actor=actor,
        action="decision.changed",
        organisation=decision.organisation,
        target=decision,
        detail={
            "fields": changed,
            "status": [str(before["status"]), decision.status],
            "due_on": [str(before["due_on"] or ""), str(decision.due_on or "")],
        },
    )
    if decision.is_published:
        _public_changed(decision)
    return decision


@transaction.atomic
def decision_remove(*, actor: User, decision: Decision, reason: str) -> Decision:
    """Take a decision off every page and report. The row stays, for the audit trail."""
    if not reason.strip():
        raise ValidationError({"reason": "Say why the decision is being removed"})
    was_public = decision.is_published
    decision.removed_at = timezone.now()
    decision.published_at = None
    decision.updated_at = decision.removed_at
    decision.save(update_fields=["removed_at", "published_at", "updated_at"])
    audit_record(
        actor=actor,
        action="decision.removed",
        organisation=decision.organisation,
        target=decision,
        detail={"was_public": was_public},
        reason=reason.strip()[:500],
    )
    if was_public:
        _public_changed(decision)
    return decision


@transaction.atomic
def decision_publish(*, actor: User, decision: Decision) -> Decision:
    """Put a decision on the public "you said, we did" pages: an explicit act, audited. Nothing is public
    until someone does this."""
    if decision.removed_at is not None:
        raise ValidationError("A removed decision cannot be published")
    if not decision.we_did.strip():
        raise ValidationError({"we_did": "Say what was done or will be done before publishing"})
    # The public reads these words as they are: the same check as a quote's, for identifiers and staff names.
    known = staff_names(decision.organisation_id)
    for label, text in (
        ("title", decision.title),
        ("what people told us", decision.you_said),
        ("what we did", decision.we_did),
    ):
        findings = quote_check(text, organisation_id=decision.organisation_id, known=known)
        if findings:
            raise ValidationError(
                f"The {label} may identify someone: "
                + "; ".join(str(finding) for finding in findings)
                + ". Change it before publishing."
            )
    decision.published_at = decision.updated_at = timezone.now()
    decision.published_by = actor
    decision.save(update_fields=["published_at", "published_by", "updated_at"])
    audit_record(
        actor=actor,
        action="decision.published",
        organisation=decision.organisation,
        target=decision,
        detail={"project": decision.project.slug},
    )
    _public_changed(decision)
    return decision


@transaction.atomic
def decision_unpublish(*, actor: User, decision: Decision) -> Decision:
    decision.published_at = None
    decision.published_by = None
    decision.updated_at = timezone.now()
    decision.save(update_fields=["published_at", "published_by", "updated_at"])
    audit_record(
        actor=actor,
        action="decision.unpublished",
        organisation=decision.organisation,
        target=decision,
        detail={"project": decision.project.slug},
    )
    _public_changed(decision)
    return decision


EvidenceTarget = Theme | FeedbackItem | Activity | Question


def _target_organisation_id(target: EvidenceTarget) -> int:
    if isinstance(target, Theme):
        return target.codebook.organisation_id
    if isinstance(target, FeedbackItem):
        return target.organisation_id
    if isinstance(target, Activity):
        return target.project.organisation_id
    return target.section.survey.organisation_id


KIND_OF = {Theme: EvidenceKind.THEME, FeedbackItem: EvidenceKind.COMMENT, Activity: EvidenceKind.ACTIVITY}


@transaction.atomic
def evidence_add(
    *,
    actor: User,
    decision: Decision,
    target: EvidenceTarget,
    note: str = "",
    scope: str = EvidenceScope.PROJECT,
) -> Evidence:
    """Link a theme, a comment, an event or a survey question to the decision it fed."""
    if _target_organisation_id(target) != decision.organisation_id:
        # The same words as for something that does not exist: another organisation's data is not confirmed.
        raise ValidationError("That evidence could not be found")
    kind = KIND_OF.get(type(target), EvidenceKind.QUESTION)
    if kind != EvidenceKind.THEME:
        scope = EvidenceScope.PROJECT
    evidence = Evidence(decision=decision, kind=kind, note=note.strip(), scope=scope, added_by=actor)
    setattr(evidence, {"comment": "item"}.get(kind, kind), target)
    try:
        with transaction.atomic():
            evidence.save()
    except IntegrityError:
        raise ValidationError("That is already linked to this decision") from None
    audit_record(
        actor=actor,
        action="decision.evidence_added",
        organisation=decision.organisation,
        target=decision,
        detail={"kind": kind, "id": target.pk},
    )
    if decision.is_published:
        _public_changed(decision)
    return evidence


@transaction.atomic
def evidence_remove(*, actor: User, evidence: Evidence) -> None:
    decision = evidence.decision
    detail = {"kind": evidence.kind, "evidence": evidence.pk}
    evidence.delete()
    audit_record(
        actor=actor,
        action="decision.evidence_removed",
        organisation=decision.organisation,
        target=decision,
        detail=detail,
    )
    if decision.is_published:
        _public_changed(decision)
