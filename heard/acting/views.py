"""Staff pages for a project's decisions and commitments, their evidence, publishing and quotes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from heard.acting import quotes, selectors, services
from heard.acting.forms import DecisionForm, EvidenceForm, QuoteForm, ReasonForm
from heard.acting.models import Decision, Quote, QuoteStatus
from heard.core.access import permission_required
from heard.core.http import HeardRequest
from heard.projects.models import Project
from heard.projects.selectors import possible_leads, project_in


def _project_or_404(request: HeardRequest, slug: str) -> Project:
    try:
        return project_in(organisation=request.organisation, slug=slug)
    except Project.DoesNotExist:
        raise Http404("No such project") from None


def _decision_or_404(request: HeardRequest, slug: str, decision_id: int) -> Decision:
    try:
        decision = selectors.decision_in(organisation=request.organisation, decision_id=decision_id)
    except Decision.DoesNotExist:
        raise Http404("No such decision") from None
    if decision.project.slug != slug:
        raise Http404("No such decision")
    return decision


def _errors_of(error: ValidationError) -> list[str]:
    return [message for message in error.messages]


@permission_required("acting.view_decisions")
def decision_list(request: HeardRequest, slug: str) -> HttpResponse:
    project = _project_or_404(request, slug)
    return render(
        request,
        "acting/decision_list.jinja",
        {
            "project": project,
            "decisions": list(selectors.decisions_of(project=project)),
            "today": timezone.localdate(),
        },
    )


@permission_required("acting.view_decisions")
def decision_detail(request: HeardRequest, slug: str, decision_id: int) -> HttpResponse:
    decision = _decision_or_404(request, slug, decision_id)
    voices = selectors.decision_voices(decision=decision)
    return render(
        request,
        "acting/decision_detail.jinja",
        {
            "project": decision.project,
            "decision": decision,
            "evidence_rows": selectors.evidence_rows(decision=decision, with_results=True),
            "voice_count": voices.count(),
            "voices": list(voices[:10]),
            "quotes": list(decision.quotes.exclude(status=QuoteStatus.WITHDRAWN)),
            "today": timezone.localdate(),
            "remove_form": ReasonForm(),
        },
    )


@permission_required("acting.view_decisions")
def decision_voices(request: HeardRequest, slug: str, decision_id: int) -> HttpResponse:
    decision = _decision_or_404(request, slug, decision_id)
    page = Paginator(selectors.decision_voices(decision=decision), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "acting/decision_voices.jinja",
        {"project": decision.project, "decision": decision, "page": page},
    )


@permission_required("acting.record_decisions")
@require_http_methods(["GET", "POST"])
def decision_form(request: HeardRequest, slug: str, decision_id: int | None = None) -> HttpResponse:
    project = _project_or_404(request, slug)
    decision = _decision_or_404(request, slug, decision_id) if decision_id is not None else None
    form = DecisionForm(
        request.POST or None,
        initial=DecisionForm.initial_for(decision)
        if decision
        else {"kind": "commitment", "status": "planned"},
        owners=possible_leads(organisation=project.organisation),
    )
    if request.method == "POST" and form.is_valid():
        try:
            if decision is None:
                decision = services.decision_record(actor=request.user, project=project, **form.cleaned_data)
                messages.success(request, f"Recorded: {decision.title}. Now link the evidence behind it.")
            else:
                services.decision_update(actor=request.user, decision=decision, **form.cleaned_data)
                messages.success(request, "Saved")
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            return redirect("acting:decision_detail", slug=project.slug, decision_id=decision.pk)
    return render(
        request,
        "acting/decision_form.jinja",
        {"project": project, "decision": decision, "form": form},
        status=400 if form.errors else 200,
    )


@permission_required("acting.record_decisions")
@require_http_methods(["GET", "POST"])
def evidence_add(request: HeardRequest, slug: str, decision_id: int) -> HttpResponse:
    decision = _decision_or_404(request, slug, decision_id)
    project = decision.project
    form = EvidenceForm(request.POST or None, **selectors.evidence_choices(project=project))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        target = selectors.evidence_target(
            project=project,
            theme=data["theme"],
            activity=data["activity"],
            question=data["question"],
            comment=data["comment"],
        )
        if target is None:
            form.add_error("comment" if data["comment"] else None, "That could not be found")
        else:
            try:
                services.evidence_add(
                    actor=request.user,
                    decision=decision,
                    target=target,
                    note=data["note"],
                    scope=data["scope"] or "project",
                )
            except ValidationError as error:
                for message in _errors_of(error):
                    form.add_error(None, message)
            else:
                messages.success(request, "Evidence linked")
                return redirect("acting:decision_detail", slug=project.slug, decision_id=decision.pk)
    return render(
        request,
        "acting/evidence_form.jinja",
        {"project": project, "decision": decision, "form": form},
        status=400 if form.errors else 200,
    )


@permission_required("acting.record_decisions")
@require_POST
def evidence_remove(request: HeardRequest, slug: str, decision_id: int, evidence_id: int) -> HttpResponse:
    decision = _decision_or_404(request, slug, decision_id)
    evidence = selectors.evidence_in(decision=decision, evidence_id=evidence_id)
    if evidence is None:
        raise Http404("No such evidence")
    services.evidence_remove(actor=request.user, evidence=evidence)
    messages.success(request, "Evidence unlinked")
    return redirect("acting:decision_detail", slug=slug, decision_id=decision.pk)


@permission_required("acting.publish")
@require_POST
def decision_publish(request: HeardRequest, slug: str, decision_id: int) -> HttpResponse:
    decision = _decision_or_404(request, slug, decision_id)
    if request.POST.get("publish") == "no":
        services.decision_unpublish(actor=request.user, decision=decision)
        messages.success(request, "Taken off the public page")
    else:
        try:
            services.decision_publish(actor=request.user, decision=decision)
        except ValidationError as error:
            messages.error(request, " ".join(_errors_of(error)))
        else:
            messages.success(request, "Published on the public “you said, we did” page")
    return redirect("acting:decision_detail", slug=slug, decision_id=decision.pk)


@permission_required("acting.record_decisions")
@require_POST
def decision_remove(request: HeardRequest, slug: str, decision_id: int) -> HttpResponse:
    decision = _decision_or_404(request, slug, decision_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the decision is being removed")
        return redirect("acting:decision_detail", slug=slug, decision_id=decision.pk)
    services.decision_remove(actor=request.user, decision=decision, reason=form.cleaned_data["reason"])
    messages.success(request, f"Removed: {decision.title}. It no longer shows on any page or report.")
    return redirect("acting:decisions", slug=slug)


# --- quotes -----------------------------------------------------------------------------------------------


@permission_required("acting.view_decisions")
def quote_list(request: HeardRequest, slug: str) -> HttpResponse:
    project = _project_or_404(request, slug)
    every = selectors.quotes_of(project=project)
    known = quotes.staff_names(project.organisation_id)
    checks = {
        quote.pk: quotes.quote_check(quote.text, organisation_id=project.organisation_id, known=known)
        for quote in every
        if quote.status == QuoteStatus.WAITING
    }
    return render(
        request,
        "acting/quote_list.jinja",
        {
            "project": project,
            "waiting": [quote for quote in every if quote.status == QuoteStatus.WAITING],
            "approved": [quote for quote in every if quote.status == QuoteStatus.APPROVED],
            "withdrawn": [quote for quote in every if quote.status == QuoteStatus.WITHDRAWN],
            "checks": checks,
        },
    )


@permission_required("acting.choose_quotes")
@require_http_methods(["GET", "POST"])
def quote_new(request: HeardRequest, slug: str) -> HttpResponse:
    project = _project_or_404(request, slug)
    asked = (request.GET.get("comment") or request.POST.get("comment") or "").strip()
    item = (
        selectors.comment_to_quote(organisation=project.organisation, comment_id=int(asked))
        if asked.isdigit()
        else None
    )
    if item is None:
        # No comment chosen yet, or one that is not there: ask for its number, as a comment's page shows it.
        problem = "Enter the number of a comment with words in it, like 1234" if asked else ""
        return render(
            request,
            "acting/quote_pick.jinja",
            {"project": project, "asked": asked, "problem": problem},
            status=400 if problem else 200,
        )
    decisions = [(d.pk, d.title) for d in selectors.decisions_of(project=project)]
    form = QuoteForm(request.POST or None, initial={"text": item.text[:600]}, decisions=decisions)
    if request.method == "POST" and form.is_valid():
        decision = selectors.decision_of(project=project, decision_id=form.cleaned_data["decision"])
        try:
            quotes.quote_choose(
                actor=request.user,
                project=project,
                item=item,
                text=form.cleaned_data["text"],
                decision=decision,
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        else:
            messages.success(request, "Quote chosen. Someone else must check it before it can be published.")
            return redirect("acting:quotes", slug=project.slug)
    return render(
        request,
        "acting/quote_form.jinja",
        {"project": project, "item": item, "form": form},
        status=400 if form.errors else 200,
    )


def _quote_or_404(project: Project, quote_id: int) -> Quote:
    quote = selectors.quote_in(project=project, quote_id=quote_id)
    if quote is None:
        raise Http404("No such quote")
    return quote


@permission_required("acting.check_quotes")
@require_POST
def quote_approve(request: HeardRequest, slug: str, quote_id: int) -> HttpResponse:
    project = _project_or_404(request, slug)
    quote = _quote_or_404(project, quote_id)
    try:
        quotes.quote_approve(actor=request.user, quote=quote)
    except ValidationError as error:
        messages.error(request, " ".join(_errors_of(error)))
    else:
        messages.success(request, "Quote approved")
    return redirect("acting:quotes", slug=slug)


@permission_required("acting.choose_quotes")
@require_POST
def quote_withdraw(request: HeardRequest, slug: str, quote_id: int) -> HttpResponse:
    project = _project_or_404(request, slug)
    quote = _quote_or_404(project, quote_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the quote is being withdrawn")
    else:
        quotes.quote_withdraw(actor=request.user, quote=quote, reason=form.cleaned_data["reason"])
        messages.success(request, "Quote withdrawn. It no longer shows on any page or report.")
    return redirect("acting:quotes", slug=slug)
