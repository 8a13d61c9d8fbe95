"""The Jinja2 environment: our templates first, then NHS England's NHS.UK frontend macros."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from jinja2 import ChainableUndefined, ChoiceLoader, Environment, PackageLoader


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def date_format(value: Any, style: str = "long") -> str:
    """Dates as the NHS writes them: 3 March 2026 (long) or 3 Mar 2026 (short)."""
    if value is None or value == "":
        return ""
    if hasattr(value, "tzinfo") and getattr(value, "hour", None) is not None:
        value = timezone.localtime(value)
        return (
            f"{value.day} {value:%B %Y} at {value:%H:%M}" if style == "long" else f"{value.day} {value:%b %Y}"
        )
    return f"{value.day} {value:%B %Y}" if style == "long" else f"{value.day} {value:%b %Y}"


def environment(**options: Any) -> Environment:
    loader = options.pop("loader", None)
    options.pop(
        "undefined", None
    )  # ChainableUndefined always, so NHS.UK macros' optional params read cleanly
    env = Environment(  # noqa: S701 - Django's backend passes autoescape=True in options
        loader=ChoiceLoader([loader, PackageLoader("nhsuk_frontend_jinja")]) if loader else None,
        undefined=ChainableUndefined,
        extensions=["jinja2.ext.do"],
        **options,
    )
    env.globals.update(
        url=url,
        static=static,
        get_messages=get_messages,
        settings={"HEARD_ENV": settings.HEARD_ENV},
    )
    env.filters["nhs_date"] = date_format
    return env
