"""Reads for the core app's pages: always scoped by the organisation the member is acting for."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import Q, QuerySet
from django.utils import timezone

from heard.core.models import AuditEntry, Membership, Organisation, TwoFactorDevice, User

# Actions about a person's own account, recorded without an organisation.
PERSONAL_ACTIONS = ("signin.", "signout", "two_factor.")


def members_of(*, organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user", "user__two_factor")
        .order_by("user__username")
    )


def membership_in(*, organisation: Organisation, membership_id: int) -> Membership:
    return Membership.objects.select_related("user").get(organisation=organisation, pk=membership_id)


def audit_entries_for(
    *,
    organisation: Organisation,
    text: str = "",
    action: str = "",
    actor: str = "",
    identifiable_only: bool = False,
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEntry]:
    """The organisation's audit log, newest first, narrowed by the search form's fields.

    A person's own sign-in events belong to no organisation, so they show in the log of every organisation
    the person is a member of; nothing else without an organisation does.
    """
    member_ids = Membership.objects.filter(organisation=organisation).values("user_id")
    personal = Q()
    for prefix in PERSONAL_ACTIONS:
        personal |= Q(action__startswith=prefix)
    entries = AuditEntry.objects.filter(
        Q(organisation=organisation) | (Q(organisation__isnull=True, actor_id__in=member_ids) & personal)
    ).select_related("actor")
    if text:
        entries = entries.filter(
            Q(target_label__icontains=text) | Q(action__icontains=text) | Q(reason__icontains=text)
        )
    if action:
        entries = entries.filter(action__startswith=action)
    if actor:
        entries = entries.filter(actor_label__iexact=actor)
    if identifiable_only:
        entries = entries.filter(identifiable=True)
    tz = timezone.get_current_timezone()
    if date_from:
        entries = entries.filter(at__gte=datetime.combine(date_from, time.min, tzinfo=tz))
    if date_to:
        entries = entries.filter(at__lte=datetime.combine(date_to, time.max, tzinfo=tz))
    return entries.order_by("-at", "-id")


def user_by_id(*, user_id: int) -> User:
    """A person by id, for the sign-in steps that carry the id between pages before anyone is signed in."""
    return User.objects.get(pk=user_id)


def user_by_username(*, username: str) -> User | None:
    return User.objects.filter(username__iexact=username.strip()).first()


def two_factor_device_of(*, user: User) -> TwoFactorDevice | None:
    return TwoFactorDevice.objects.filter(user=user).first()


def two_factor_is_on(*, user: User) -> bool:
    return TwoFactorDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def belongs_elsewhere(*, user: User, organisation: Organisation) -> bool:
    """Whether the person is also a member of an organisation other than this one."""
    return Membership.objects.filter(user=user).exclude(organisation=organisation).exists()
