"""The request as Heard's views see it, after the middleware has done its work."""

from __future__ import annotations

from django.http import HttpRequest

from heard.core.models import Membership, Organisation, User


class HeardRequest(HttpRequest):
    """A request behind ``permission_required``: a signed-in member acting for one of their organisations.

    The attributes are set by heard.core.middleware; the decorator guarantees that ``membership`` is present.
    """

    user: User  # type: ignore[assignment]
    membership: Membership
    organisation: Organisation
    memberships: list[Membership]
    csp_nonce: str
    two_factor_skipped: bool
