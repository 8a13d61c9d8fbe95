"""The public "you said, we did" pages and their feeds. No sign-in; only what someone chose to publish."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import linebreaks
from django.views.decorators.http import require_GET

from heard.acting.public import (
    decision_when,
    organisation_public,
    organisation_with_version,
    public_project,
    public_project_in,
    public_projects,
    published_decisions,
)
from heard.core.models import Organisation
from heard.projects.models import Project

FEED_LENGTH = 50
# A minute at most: comments coded since a page was made change its counts without moving its version.
CACHE_SECONDS = 60


def _organisation_or_404(slug: str) -> Organisation:
    organisation = organisation_public(slug=slug)
    if organisation is None:
        raise Http404("No such organisation")
    return organisation


def _versioned_or_404(slug: str) -> tuple[Organisation, str]:
    found = organisation_with_version(slug=slug)
    if found is None:
        raise Http404("No such organisation")
    return found


# Pages are cached whole, rendered with this stand-in where the request's CSP nonce goes; each response swaps in
# its own nonce. Derived from the secret key, so it is the same in every process and no one can write it into a
# decision's text to have it replaced.
NONCE_STAND_IN = "nonce-" + hashlib.sha256(("you-said-nonce" + settings.SECRET_KEY).encode()).hexdigest()[:24]
NOT_PUBLISHED = ""


def _cached_page(
    request: HttpRequest,
    organisation: Organisation,
    version_text: str,
    key: str,
    template: str,
    build: Callable[[], dict[str, Any] | None],
) -> HttpResponse:
    """The page from the cache while nothing published has changed (one small query to know), else rendered and
    cached. ``build`` returns the template's context, or None when there is nothing public to show."""
    version = hashlib.sha256(version_text.encode()).hexdigest()[:16]
    full_key = f"you-said:{organisation.pk}:{key}:{version}"
    html = cache.get(full_key)
    if html is None:
        context = build()
        html = (
            NOT_PUBLISHED
            if context is None
            else render_to_string(
                template, {"public_organisation": organisation, "csp_nonce": NONCE_STAND_IN, **context}
            )
        )
        cache.set(full_key, html, CACHE_SECONDS)
    if html == NOT_PUBLISHED:
        raise Http404("Nothing has been published here")
    return HttpResponse(html.replace(NONCE_STAND_IN, getattr(request, "csp_nonce", "")))


@require_GET
def organisation_page(request: HttpRequest, organisation_slug: str) -> HttpResponse:
    organisation, version = _versioned_or_404(organisation_slug)
    return _cached_page(
        request,
        organisation,
        version,
        "projects",
        "public/you_said/organisation.jinja",
        lambda: {"projects": public_projects(organisation=organisation)},
    )


@require_GET
def project_page(request: HttpRequest, organisation_slug: str, project_slug: str) -> HttpResponse:
    organisation, version = _versioned_or_404(organisation_slug)

    def build() -> dict[str, Any] | None:
        try:
            project = public_project_in(organisation=organisation, slug=project_slug)
        except Project.DoesNotExist:
            return None
        return {"page": public_project(organisation=organisation, project=project)}

    return _cached_page(
        request, organisation, version, f"project:{project_slug}", "public/you_said/project.jinja", build
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
        why_not = (
            f" Why not: {decision.status_reason}"
            if decision.status == "not_done" and decision.status_reason
            else ""
        )
        entries.append(
            FeedEntry(
                id=f"tag:heard,{decision.created_at:%Y-%m-%d}:decision-{organisation.slug}-{decision.pk}",
                title=f"{decision.project.title}: {decision.title}",
                link=link,
                content=f"{said}We {'did' if decision.status == 'done' else 'will'}: {decision.we_did}\n\n"
                f"{decision_when(decision)}.{why_not}",
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
            # Atom's summary is HTML here, so the plain text is escaped and its paragraphs kept.
            description=linebreaks(entry.content, autoescape=True),
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
