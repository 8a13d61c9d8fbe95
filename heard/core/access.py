"""One place to ask whether a member may do something: the union of every app's ``rules.PERMISSIONS``."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from importlib import import_module
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from heard.core.models import Membership, Role

if TYPE_CHECKING:
    from heard.core.models import Organisation, User

_registry: dict[str, frozenset[Role]] | None = None


def permissions() -> dict[str, frozenset[Role]]:
    """Every app's permissions, keyed ``app.verb``; read once from each Heard app's rules module."""
    global _registry
    if _registry is None:
        registry: dict[str, frozenset[Role]] = {}
        for config in apps.get_app_configs():
            if not config.name.startswith("heard."):
                continue
            try:
                module = import_module(f"{config.name}.rules")
            except ModuleNotFoundError:
                continue
            registry.update(module.PERMISSIONS)
        _registry = registry
    return _registry


def role_may(role: str, permission: str) -> bool:
    try:
        allowed = permissions()[permission]
    except KeyError:
        raise KeyError(f"No app defines the permission {permission!r}.") from None
    return role in allowed


def membership_of(user: User, organisation: Organisation) -> Membership | None:
    if not user.is_authenticated:
        return None
    return Membership.objects.filter(user=user, organisation=organisation).first()


def may(request: HttpRequest, permission: str) -> bool:
    membership: Membership | None = getattr(request, "membership", None)
    return membership is not None and role_may(membership.role, permission)


def require(request: HttpRequest, permission: str) -> None:
    if not may(request, permission):
        raise PermissionDenied(permission)


View = TypeVar("View", bound=Callable[..., HttpResponse])


def permission_required(permission: str) -> Callable[[View], View]:
    """Refuse the view (403) unless the member's role in their current organisation allows ``permission``.

    Signed-out visitors are sent to sign in first, by TwoFactorMiddleware's sign-in requirement.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if getattr(request, "membership", None) is None:
                # Signed in, but no organisation has added them yet: say so rather than a bare refusal.
                return render(request, "core/no_organisation.jinja", status=403)
            require(request, permission)
            return view(request, *args, **kwargs)

        wrapped.heard_permission = permission  # type: ignore[attr-defined]
        return cast(View, wrapped)

    return decorator
