"""The staff navigation: each entry shows only to roles whose permission it names."""

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


ITEMS: list[NavigationItem] = [
    NavigationItem("Home", "core:home", "core.view_home"),
    NavigationItem("Projects", "projects:list", "projects.view"),
    NavigationItem("People", "core:members", "core.view_members"),
    NavigationItem("Audit log", "core:audit_log", "core.view_audit_log"),
]


def navigation_for(request: HttpRequest) -> list[dict[str, object]]:
    if getattr(request, "membership", None) is None:
        return []
    entries = []
    for item in ITEMS:
        if not may(request, item.permission):
            continue
        href = reverse(item.url_name)
        current = request.path == href or (href != "/home/" and request.path.startswith(href))
        entries.append({"text": item.text, "href": href, "current": current})
    return entries
