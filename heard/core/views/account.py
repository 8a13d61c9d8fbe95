"""A person's own account: setting up the authenticator app and recovery codes."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from heard.core import selectors
from heard.core.forms import PasswordChangeForm, SetupCodeForm
from heard.core.middleware import SESSION_TWO_FACTOR
from heard.core.models import User
from heard.core.services.organisations import password_set
from heard.core.services.signin import (
    recovery_codes_replace,
    two_factor_begin,
    two_factor_confirm,
    two_factor_secret,
    two_factor_uri,
)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@never_cache
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    device = selectors.two_factor_device_of(user=user)
    if device is not None and device.is_confirmed:
        return render(request, "core/two_factor_status.jinja", {"device": device})
    form = SetupCodeForm(request.POST or None)
    if request.method == "POST" and device is not None and form.is_valid():
        codes = two_factor_confirm(user=user, code=form.cleaned_data["code"])
        if codes is not None:
            request.session[SESSION_TWO_FACTOR] = True
            return render(request, "core/recovery_codes.jinja", {"codes": codes, "first_time": True})
        form.add_error(
            "code", "That code is not right. Check the time on your phone, then enter the new code"
        )
    if device is None or request.method == "GET":
        device = two_factor_begin(user=user)
    secret = two_factor_secret(device)
    qr_svg = segno.make(two_factor_uri(device), error="m").svg_data_uri(scale=5, border=2)
    spaced = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return render(
        request,
        "core/two_factor_setup.jinja",
        {"form": form, "qr_svg": qr_svg, "secret": spaced},
        status=400 if form.errors else 200,
    )


@require_POST
def recovery_codes_new(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not selectors.two_factor_is_on(user=user):
        messages.error(request, "Set up your authenticator app first")
        return redirect("core:two_factor_setup")
    codes = recovery_codes_replace(user=user)
    return render(request, "core/recovery_codes.jinja", {"codes": codes, "first_time": False})


@never_cache
@sensitive_post_parameters("current_password", "new_password")
@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = PasswordChangeForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        password_set(actor=user, user=user, password=form.cleaned_data["new_password"], validate=False)
        update_session_auth_hash(request, user)  # changing the password must not sign them out here
        messages.success(request, "Your password has been changed")
        return redirect("core:home")
    return render(
        request,
        "core/password_change.jinja",
        {"form": form, "must_change": user.must_change_password},
        status=400 if form.errors else 200,
    )
