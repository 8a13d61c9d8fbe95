"""Administrators create and revoke the keys connected systems use to send feedback."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from heard.core.access import permission_required
from heard.core.http import HeardRequest
from heard.listening import selectors
from heard.listening.models import ApiToken
from heard.listening.services.tokens import api_token_create, api_token_revoke


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=120, error_messages={"required": "Enter what the key is for, like 'PALS system'"}
    )


@never_cache
@permission_required("listening.manage_api_tokens")
@require_http_methods(["GET", "POST"])
def token_list(request: HeardRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    issued = None
    if request.method == "POST" and form.is_valid():
        issued = api_token_create(
            actor=request.user, organisation=request.organisation, name=form.cleaned_data["name"]
        )
        form = TokenForm()
    tokens = selectors.api_tokens_of(organisation=request.organisation)
    return render(
        request,
        "listening/tokens.jinja",
        {"form": form, "tokens": tokens, "issued": issued},
        status=400 if form.errors else 200,
    )


@permission_required("listening.manage_api_tokens")
@require_POST
def token_revoke(request: HeardRequest, token_id: int) -> HttpResponse:
    try:
        token = selectors.api_tokens_of(organisation=request.organisation).get(pk=token_id)
    except ApiToken.DoesNotExist:
        raise Http404("No such key") from None
    api_token_revoke(actor=request.user, token=token)
    messages.success(request, f"The key {token.name} no longer works")
    return redirect("listening:api_tokens")
