"""Bearer tokens: each belongs to one organisation and files what it sends under one source."""

from __future__ import annotations

from django.http import HttpRequest
from ninja.security import HttpBearer

from heard.listening.models import ApiToken
from heard.listening.services.tokens import api_token_authenticate


class OrganisationToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        return api_token_authenticate(token=token)
