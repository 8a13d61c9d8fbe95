"""Signing in (password, then the second factor), switching organisation and signing out."""

from __future__ import annotations

import time

from django.contrib.auth import login, logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from heard.core import selectors
from heard.core.audit import audit_record
from heard.core.forms import CodeForm, SigninForm
from heard.core.middleware import SESSION_ORGANISATION, SESSION_SIGNED_IN_AT, SESSION_TWO_FACTOR
from heard.core.models import User
from heard.core.services.signin import signin_check_password, signin_check_second_factor

SESSION_PENDING_USER = "heard_pending_user"
SESSION_PENDING_AT = "heard_pending_at"
PENDING_SECONDS = 300
SESSION_NEXT = "heard_next"


def _safe_next(request: HttpRequest, candidate: str | None) -> str:
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return "/home/"


def _complete_signin(request: HttpRequest, user: User, *, two_factor: bool) -> HttpResponse:
    next_url = request.session.get(SESSION_NEXT)
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SESSION_SIGNED_IN_AT] = time.time()
    request.session[SESSION_TWO_FACTOR] = two_factor
    return redirect(_safe_next(request, next_url))


def _locked_message(minutes: int) -> str:
    return (
        "There have been too many attempts to sign in to this account. "
        f"Wait {minutes} minutes and try again, or ask your administrator."
    )


@never_cache
@sensitive_post_parameters("password")
@require_http_methods(["GET", "POST"])
def signin(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:home")
    form = SigninForm(request.POST or None)
    if request.method == "GET":
        request.session[SESSION_NEXT] = _safe_next(request, request.GET.get("next"))
    if request.method == "POST" and form.is_valid():
        outcome = signin_check_password(
            request=request, username=form.cleaned_data["username"], password=form.cleaned_data["password"]
        )
        if outcome.locked_minutes is not None:
            form.add_error(None, _locked_message(outcome.locked_minutes))
        elif outcome.user is None:
            form.add_error("password", "The username or password is not right")
        elif outcome.needs_second_factor:
            request.session[SESSION_PENDING_USER] = outcome.user.pk
            request.session[SESSION_PENDING_AT] = time.time()
            return redirect("core:signin_code")
        else:
            return _complete_signin(request, outcome.user, two_factor=False)
    return render(request, "core/signin.jinja", {"form": form}, status=400 if form.errors else 200)


@never_cache
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def signin_code(request: HttpRequest) -> HttpResponse:
    user_id = request.session.get(SESSION_PENDING_USER)
    started = request.session.get(SESSION_PENDING_AT, 0)
    if user_id is None or time.time() - started > PENDING_SECONDS:
        request.session.pop(SESSION_PENDING_USER, None)
        return redirect("core:login")
    user = selectors.user_by_id(user_id=user_id)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = signin_check_second_factor(user=user, code=form.cleaned_data["code"])
        if outcome.succeeded:
            request.session.pop(SESSION_PENDING_USER, None)
            return _complete_signin(request, user, two_factor=True)
        if outcome.locked_minutes is not None:
            request.session.pop(SESSION_PENDING_USER, None)
            form.add_error(None, _locked_message(outcome.locked_minutes))
        else:
            form.add_error("code", "That code is not right. Check your app and enter the code it shows now")
    return render(request, "core/signin_code.jinja", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def signout(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        if request.user.is_authenticated:
            user = request.user
            assert isinstance(user, User)
            audit_record(actor=user, action="signout")
        logout(request)
        return render(request, "core/signed_out.jinja")
    return render(request, "core/signout.jinja")


@require_POST
def organisation_switch(request: HttpRequest) -> HttpResponse:
    """Chooses which of a member's organisations they act for. Only their own organisations can be chosen."""
    wanted = request.POST.get("organisation", "")
    for membership in getattr(request, "memberships", []):
        if str(membership.organisation_id) == wanted:
            request.session[SESSION_ORGANISATION] = membership.organisation_id
            break
    return redirect("core:home")
