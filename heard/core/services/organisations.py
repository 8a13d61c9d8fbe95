"""Organisations and the people in them."""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from heard.core.audit import audit_record
from heard.core.models import Membership, Organisation, OrganisationKind, Role, User


@transaction.atomic
def organisation_create(
    *, actor: User | None, name: str, slug: str, kind: OrganisationKind | str, is_demo: bool = False
) -> Organisation:
    organisation = Organisation.objects.create(name=name, slug=slug, kind=kind, is_demo=is_demo)
    audit_record(actor=actor, action="organisation.created", organisation=organisation, target=organisation)
    return organisation


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    validate: bool = True,
    organisation: Organisation | None = None,
    must_change_password: bool = False,
) -> User:
    """A new staff account. The password must meet the rules unless the caller says it already did."""
    user = User(
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        must_change_password=must_change_password,
    )
    if validate:
        validate_password(password, user)
    user.set_password(password)
    user.save()
    audit_record(actor=actor, action="user.created", organisation=organisation, target=user)
    return user


def _keep_an_administrator(organisation: Organisation, *, losing: User) -> None:
    """Raises ValueError if ``losing`` is the organisation's only administrator.

    The administrators' memberships are locked first, so that two administrators demoting each other at the same
    moment cannot leave the organisation with none.
    """
    administrators = list(
        Membership.objects.select_for_update()
        .filter(organisation=organisation, role=Role.ADMINISTRATOR)
        .values_list("user_id", flat=True)
    )
    if administrators == [losing.pk]:
        raise ValueError("An organisation must keep at least one administrator.")


@transaction.atomic
def membership_grant(
    *, actor: User | None, user: User, organisation: Organisation, role: Role | str
) -> Membership:
    """Gives ``user`` a role in ``organisation``, or changes the role they have.

    Refuses to take away the organisation's last administrator.
    """
    if role != Role.ADMINISTRATOR:
        _keep_an_administrator(organisation, losing=user)
    membership, created = Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    audit_record(
        actor=actor,
        action="membership.granted" if created else "membership.changed",
        organisation=organisation,
        target=membership,
        detail={"username": user.username, "role": str(role)},
    )
    return membership


@transaction.atomic
def membership_revoke(*, actor: User, membership: Membership) -> None:
    organisation = membership.organisation
    _keep_an_administrator(organisation, losing=membership.user)
    audit_record(
        actor=actor,
        action="membership.revoked",
        organisation=organisation,
        target=membership,
        detail={"username": membership.user.username, "role": membership.role},
    )
    membership.delete()


@transaction.atomic
def password_set(*, actor: User | None, user: User, password: str, validate: bool = True) -> None:
    """Sets ``user``'s password (their own choice, or an operator's for the demo) and lifts any lock."""
    if validate:
        validate_password(password, user)
    user.set_password(password)
    user.must_change_password = False
    user.failed_signins = 0
    user.locked_until = None
    user.save(update_fields=["password", "must_change_password", "failed_signins", "locked_until"])
    audit_record(actor=actor, action="password.changed" if actor == user else "password.set", target=user)
