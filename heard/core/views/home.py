"""The landing address and the staff home, which later becomes the dashboard."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from heard.core.access import may, permission_required
from heard.core.home_panels import home_panels
from heard.core.http import HeardRequest


def root(request: HttpRequest) -> HttpResponse:
    return redirect("core:home" if request.user.is_authenticated else "core:login")


@permission_required("core.view_home")
def home(request: HeardRequest) -> HttpResponse:
    organisation = request.organisation
    panels = [
        {"template": panel.template, **panel.context(organisation)}
        for panel in home_panels()
        if may(request, panel.permission)
    ]
    return render(request, "core/home.jinja", {"panels": panels})


def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement public sector websites must publish, for staff and the public alike."""
    return render(request, "core/accessibility.jinja")
