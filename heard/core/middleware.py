"""Request-wide concerns: where a request came from, the content security policy, how long a session lasts,
which organisation a member is acting for, and that staff have signed in with two factors."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from heard.core import context
from heard.core.models import Membership

Handler = Callable[[HttpRequest], HttpResponse]

# Pages anyone may reach without signing in. Everything else needs a signed-in member.
PUBLIC_PREFIXES = (
    "/login/",
    "/logout/",
    "/static/",
    "/healthz",
    "/accessibility/",
    "/s/",
    "/api/",
    "/you-said-we-did/",
)
# Pages a signed-in person may reach before setting up the second factor.
TWO_FACTOR_EXEMPT_PREFIXES = ("/account/two-factor/", "/account/password/", "/logout/")

SESSION_SIGNED_IN_AT = "heard_signed_in_at"
SESSION_TWO_FACTOR = "heard_two_factor_verified"
SESSION_ORGANISATION = "heard_organisation_id"


def client_ip(request: HttpRequest) -> str | None:
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = settings.HEARD_TRUSTED_PROXIES
        if len(forwarded) >= hops and forwarded[-hops]:
            # Each of our proxies appends the address it saw; anything further left the client could have sent.
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        channel = "api" if request.path.startswith("/api/") else "web"
        where = context.ActionContext(
            channel=channel, ip_address=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")
        )
        with context.acting_from(where):
            return self.get_response(request)


class ContentSecurityPolicyMiddleware:
    """Only our own scripts and styles; the one inline script (NHS.UK's js-enabled flag) carries a nonce."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = secrets.token_urlsafe(16)
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; "
            f"script-src 'self' 'nonce-{nonce}'; "
            "style-src 'self'; "
            "img-src 'self' data:; "
            "font-src 'self' data:; "
            "connect-src 'self'; "
            "form-action 'self'; "
            "frame-ancestors 'none'; "
            "base-uri 'self'; "
            "object-src 'none'",
        )
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class SessionLifetimeMiddleware:
    """Ends a session a fixed time after sign-in, however active; idle expiry is the session cookie's age."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            signed_in_at = request.session.get(SESSION_SIGNED_IN_AT)
            too_old = (
                signed_in_at is None or time.time() - signed_in_at > settings.HEARD_SESSION_MAX_HOURS * 3600
            )
            if too_old:
                logout(request)
                messages.info(request, "Your session ended. Sign in again to carry on.")
                return redirect(f"{reverse('core:login')}?next={request.path}")
        return self.get_response(request)


class OrganisationMiddleware:
    """Sets ``request.membership`` and ``request.organisation``: the organisation a member is acting for."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = None  # type: ignore[attr-defined]
        request.organisation = None  # type: ignore[attr-defined]
        request.memberships = []  # type: ignore[attr-defined]
        if request.user.is_authenticated:
            memberships = list(
                Membership.objects.filter(user=request.user)
                .select_related("organisation")
                .order_by("organisation__name")
            )
            request.memberships = memberships  # type: ignore[attr-defined]
            chosen = request.session.get(SESSION_ORGANISATION)
            current = next((m for m in memberships if m.organisation_id == chosen), None)
            if current is None and memberships:
                current = memberships[0]
            if current is not None:
                request.membership = current  # type: ignore[attr-defined]
                request.organisation = current.organisation  # type: ignore[attr-defined]
        return self.get_response(request)


def may_skip_two_factor(request: HttpRequest) -> bool:
    """Only people whose every organisation is a demonstration one may go without a second factor."""
    memberships: list[Membership] = getattr(request, "memberships", [])
    return bool(memberships) and all(m.organisation.is_demo for m in memberships)


class TwoFactorMiddleware:
    """Every staff page needs a signed-in person who has passed the second factor (or may skip it)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.two_factor_skipped = False  # type: ignore[attr-defined]
        path = request.path
        if path == "/" or path.startswith(PUBLIC_PREFIXES):
            return self.get_response(request)
        if not request.user.is_authenticated:
            return redirect(f"{reverse('core:login')}?next={path}")
        if getattr(request.user, "must_change_password", False) and not path.startswith(
            TWO_FACTOR_EXEMPT_PREFIXES
        ):
            return redirect("core:password_change")
        if not request.session.get(SESSION_TWO_FACTOR):
            if may_skip_two_factor(request):
                request.two_factor_skipped = True  # type: ignore[attr-defined]
            elif not path.startswith(TWO_FACTOR_EXEMPT_PREFIXES):
                return redirect("core:two_factor_setup")
        return self.get_response(request)
