"""The staff navigation. Each app adds its own entries in ``AppConfig.ready()``; each shows only to roles whose
permission it names."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from heard.core.access import may


@dataclass(frozen=True)
class NavigationItem:
    text: str
    url_name: str
    permission: str
    order: int


_items: dict[str, NavigationItem] = {}


def navigation_register(item: NavigationItem) -> None:
    _items[item.url_name] = item


navigation_register(NavigationItem("Home", "core:home", "core.view_home", order=0))
navigation_register(NavigationItem("People", "core:members", "core.view_members", order=80))
navigation_register(NavigationItem("Audit log", "core:audit_log", "core.view_audit_log", order=90))


def navigation_for(request: HttpRequest) -> list[dict[str, object]]:
    if getattr(request, "membership", None) is None:
        return []
    home = reverse("core:home")
    entries = []
    for item in sorted(_items.values(), key=lambda item: item.order):
        if not may(request, item.permission):
            continue
        href = reverse(item.url_name)
        current = request.path == href or (href != home and request.path.startswith(href))
        entries.append({"text": item.text, "href": href, "current": current})
    return entries
