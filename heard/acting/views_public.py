"""The public "you said, we did" pages and their feeds. No sign-in; only what someone chose to publish."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.views.decorators.http import require_GET

from heard.acting.public import (
    PublicProject,
    decision_when,
    public_project,
    public_project_in,
    public_projects,
    public_version,
    published_decisions,
)
from heard.core.models import Organisation
from heard.projects.models import Project

T = TypeVar("T")
FEED_LENGTH = 50
CACHE_SECONDS = 300


def _organisation_or_404(slug: str) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        raise Http404("No such organisation")
    return organisation


def _cached(organisation: Organisation, key: str, build: Callable[[], T]) -> T:
    """The page's data from the cache while nothing published has changed: one small query to know."""
    version = hashlib.sha256(public_version(organisation=organisation).encode()).hexdigest()[:16]
    full_key = f"you-said:{organisation.pk}:{key}:{version}"
    value = cache.get(full_key)
    if value is None:
        value = build()
        cache.set(full_key, value, CACHE_SECONDS)
    return value


@require_GET
def organisation_page(request: HttpRequest, organisation_slug: str) -> HttpResponse:
    organisation = _organisation_or_404(organisation_slug)
    projects = _cached(organisation, "projects", lambda: public_projects(organisation=organisation))
    return render(
        request,
        "public/you_said/organisation.jinja",
        {"public_organisation": organisation, "projects": projects},
    )


@require_GET
def project_page(request: HttpRequest, organisation_slug: str, project_slug: str) -> HttpResponse:
    organisation = _organisation_or_404(organisation_slug)

    def build() -> PublicProject | None:
        try:
            project = public_project_in(organisation=organisation, slug=project_slug)
        except Project.DoesNotExist:
            return None
        return public_project(organisation=organisation, project=project)

    page = _cached(organisation, f"project:{project_slug}", build)
    if page is None:
        raise Http404("Nothing has been published for this project")
    return render(
        request, "public/you_said/project.jinja", {"public_organisation": organisation, "page": page}
    )


@dataclass(frozen=True)
class FeedEntry:
    id: str
    title: str
    link: str
    content: str
    published: datetime | None
    updated: datetime


def _entries(request: HttpRequest, organisation: Organisation) -> list[FeedEntry]:
    entries = []
    for decision in published_decisions(organisation=organisation)[:FEED_LENGTH]:
        link = request.build_absolute_uri(
            reverse("you_said:project", args=[organisation.slug, decision.project.slug])
            + f"#decision-{decision.pk}"
        )
        said = f"You said: {decision.you_said}\n\n" if decision.you_said else ""
        entries.append(
            FeedEntry(
                id=f"tag:heard,{decision.created_at:%Y-%m-%d}:decision-{organisation.slug}-{decision.pk}",
                title=f"{decision.project.title}: {decision.title}",
                link=link,
                content=f"{said}We {'did' if decision.status == 'done' else 'will'}: {decision.we_did}\n\n"
                f"{decision_when(decision)}.",
                published=decision.published_at,
                updated=max(decision.updated_at, decision.published_at or decision.updated_at),
            )
        )
    return entries


@require_GET
def atom_feed(request: HttpRequest, organisation_slug: str) -> HttpResponse:
    organisation = _organisation_or_404(organisation_slug)
    home = request.build_absolute_uri(reverse("you_said:organisation", args=[organisation.slug]))
    feed = Atom1Feed(
        title=f"You said, we did – {organisation.name}",
        link=home,
        description=f"What {organisation.name} did with what people told it.",
        language="en-GB",
        feed_url=request.build_absolute_uri(),
        feed_guid=f"tag:heard,2026:you-said-{organisation.slug}",
    )
    for entry in _entries(request, organisation):
        feed.add_item(
            title=entry.title,
            link=entry.link,
            description=entry.content,
            unique_id=entry.id,
            pubdate=entry.published,
            updateddate=entry.updated,
        )
    return HttpResponse(feed.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8")


@require_GET
def json_feed(request: HttpRequest, organisation_slug: str) -> HttpResponse:
    """JSON Feed 1.1 (jsonfeed.org)."""
    organisation = _organisation_or_404(organisation_slug)
    body = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": f"You said, we did – {organisation.name}",
        "home_page_url": request.build_absolute_uri(
            reverse("you_said:organisation", args=[organisation.slug])
        ),
        "feed_url": request.build_absolute_uri(),
        "language": "en-GB",
        "items": [
            {
                "id": entry.id,
                "url": entry.link,
                "title": entry.title,
                "content_text": entry.content,
                "date_published": _iso(entry.published),
                "date_modified": _iso(entry.updated),
            }
            for entry in _entries(request, organisation)
        ],
    }
    return HttpResponse(
        json.dumps(body, ensure_ascii=False, indent=1), content_type="application/feed+json; charset=utf-8"
    )


def _iso(value: object) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else None
