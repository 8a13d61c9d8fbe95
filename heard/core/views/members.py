"""An organisation's people and their roles. Administrators manage them; engagement leads may look."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from heard.core import selectors
from heard.core.access import permission_required
from heard.core.forms import MemberAddForm, RoleChangeForm
from heard.core.http import HeardRequest
from heard.core.models import Membership, Role
from heard.core.services.organisations import membership_grant, membership_revoke, user_create
from heard.core.services.signin import two_factor_reset


def _membership_or_404(request: HeardRequest, membership_id: int) -> Membership:
    try:
        return selectors.membership_in(organisation=request.organisation, membership_id=membership_id)
    except Membership.DoesNotExist:
        raise Http404("No such member in this organisation") from None


@permission_required("core.view_members")
def member_list(request: HeardRequest) -> HttpResponse:
    members = selectors.members_of(organisation=request.organisation)
    return render(request, "core/members.jinja", {"members": members})


@permission_required("core.manage_members")
@require_http_methods(["GET", "POST"])
def member_add(request: HeardRequest) -> HttpResponse:
    username = request.POST.get("username", "").strip()
    existing = selectors.user_by_username(username=username) if username else None
    form = MemberAddForm(request.POST or None, new_user=existing is None)
    if (
        request.method == "POST"
        and existing is not None
        and selectors.belongs_elsewhere(user=existing, organisation=request.organisation)
    ):
        # Adding would let this organisation's administrators reset the person's sign-in and read their sign-in
        # history: someone already in another organisation is added by a Heard operator, with their agreement.
        form.add_error(
            "username",
            "This username is taken. If the person already uses Heard for another organisation, "
            "ask your Heard operator to add them here",
        )
    if request.method == "POST" and form.is_valid():
        actor = request.user
        data = form.cleaned_data
        user = existing or user_create(
            actor=actor,
            username=data["username"],
            password=data["password"],
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            validate=False,  # the form has already applied the password rules
            organisation=request.organisation,
            must_change_password=True,
        )
        membership_grant(actor=actor, user=user, organisation=request.organisation, role=data["role"])
        messages.success(request, f"{user.username} is now a member of {request.organisation.name}")
        return redirect("core:members")
    return render(request, "core/member_add.jinja", {"form": form}, status=400 if form.errors else 200)


@permission_required("core.manage_members")
@require_http_methods(["GET", "POST"])
def member_change(request: HeardRequest, membership_id: int) -> HttpResponse:
    membership = _membership_or_404(request, membership_id)
    form = RoleChangeForm(request.POST or None, initial={"role": membership.role})
    actor = request.user
    if request.method == "POST" and form.is_valid():
        try:
            membership_grant(
                actor=actor,
                user=membership.user,
                organisation=membership.organisation,
                role=form.cleaned_data["role"],
            )
        except ValueError as refusal:
            form.add_error("role", str(refusal))
        else:
            messages.success(
                request, f"{membership.user.username}'s role is now {Role(form.cleaned_data['role']).label}"
            )
            return redirect("core:members")
    return render(
        request,
        "core/member_change.jinja",
        {"form": form, "member": membership},
        status=400 if form.errors else 200,
    )


@permission_required("core.manage_members")
@require_POST
def member_remove(request: HeardRequest, membership_id: int) -> HttpResponse:
    membership = _membership_or_404(request, membership_id)
    actor = request.user
    try:
        membership_revoke(actor=actor, membership=membership)
    except ValueError as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"{membership.user.username} is no longer a member")
    return redirect("core:members")


@permission_required("core.manage_members")
@require_POST
def member_reset_two_factor(request: HeardRequest, membership_id: int) -> HttpResponse:
    membership = _membership_or_404(request, membership_id)
    actor = request.user
    if selectors.belongs_elsewhere(user=membership.user, organisation=request.organisation):
        messages.error(
            request,
            f"{membership.user.username} also belongs to another organisation: ask your Heard operator to reset "
            "their two-factor sign-in",
        )
        return redirect("core:members")
    two_factor_reset(actor=actor, user=membership.user, organisation=request.organisation)
    messages.success(
        request, f"{membership.user.username} will set up a new authenticator app at next sign-in"
    )
    return redirect("core:members")
