"""Staff pages for themes: codebooks, coding comments, training models, reviewing suggestions, agreement."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from heard.core.access import may, permission_required, require
from heard.core.http import HeardRequest
from heard.listening.models import FeedbackItem
from heard.understanding import selectors
from heard.understanding.comments import WHOLE, Comment, comment_of, comments_of
from heard.understanding.forms import CodebookForm, CodingForm, ThemeForm
from heard.understanding.models import Codebook, CodingOrigin, Sentiment, Suggestion, Theme, ThemeModelRun
from heard.understanding.services import codebooks, coding, training

# A suggested theme is typed into the Codes box for the coder when the model is at least this sure of it.
PRETYPED_FROM = 0.5
ORDERS = {
    "uncertain": "Where the model is least sure (teaches it most)",
    "sample": "A random sample nobody has coded",
    "agreement": "Comments a colleague coded (to measure agreement)",
    "second_look": "Comments marked for a second look",
}


def _codebook_or_404(request: HeardRequest, codebook_id: int) -> Codebook:
    try:
        return selectors.codebook_in(organisation=request.organisation, codebook_id=codebook_id)
    except Codebook.DoesNotExist:
        raise Http404("No such codebook") from None


@permission_required("understanding.view_themes")
def codebook_list(request: HeardRequest) -> HttpResponse:
    form = CodebookForm(request.POST or None)
    if request.method == "POST":
        require(request, "understanding.manage_codebooks")
        if form.is_valid():
            try:
                codebook = codebooks.codebook_create(
                    actor=request.user,
                    organisation=request.organisation,
                    name=form.cleaned_data["name"],
                    starter=form.cleaned_data["start"] == "starter",
                )
            except codebooks.CodebookProblem as problem:
                form.add_error("name", str(problem))
            else:
                messages.success(request, f"Codebook ‘{codebook.name}’ created.")
                return redirect("understanding:codebook", codebook.pk)
    return render(
        request,
        "understanding/codebooks.jinja",
        {
            "codebooks": selectors.codebooks_for(organisation=request.organisation),
            "form": form,
            "may_manage": may(request, "understanding.manage_codebooks"),
        },
        status=400 if form.errors else 200,
    )


@permission_required("understanding.view_themes")
def codebook_detail(request: HeardRequest, codebook_id: int) -> HttpResponse:
    codebook = _codebook_or_404(request, codebook_id)
    return render(
        request,
        "understanding/codebook.jinja",
        {
            "codebook": codebook,
            "themes": selectors.themes_of(codebook=codebook),
            "versions": codebook.versions.all()[:10],
            "runs": selectors.model_runs_of(codebook=codebook)[:5],
            "counts": selectors.coding_counts(codebook=codebook, coder=request.user),
            "may_manage": may(request, "understanding.manage_codebooks"),
            "may_code": may(request, "understanding.code_comments"),
            "may_train": may(request, "understanding.train_models"),
        },
    )


@permission_required("understanding.manage_codebooks")
def theme_form(request: HeardRequest, codebook_id: int, theme_id: int | None = None) -> HttpResponse:
    codebook = _codebook_or_404(request, codebook_id)
    theme = None
    if theme_id is not None:
        try:
            theme = selectors.theme_in(codebook=codebook, theme_id=theme_id)
        except Theme.DoesNotExist:
            raise Http404("No such theme") from None
    initial = (
        {
            "name": theme.name,
            "category": theme.category.name,
            "description": theme.description,
            "examples": theme.examples,
        }
        if theme
        else {}
    )
    form = ThemeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = codebooks.theme_save(
                actor=request.user,
                codebook=codebook,
                theme=theme,
                name=form.cleaned_data["name"],
                category_name=form.cleaned_data["category"],
                description=form.cleaned_data["description"],
                examples=form.cleaned_data["examples"],
            )
        except codebooks.CodebookProblem as problem:
            form.add_error("name", str(problem))
        else:
            messages.success(
                request, f"Theme ‘{saved.name}’ saved. The codebook is now at version {codebook.version}."
            )
            return redirect("understanding:codebook", codebook.pk)
    return render(
        request,
        "understanding/theme_form.jinja",
        {
            "codebook": codebook,
            "theme": theme,
            "form": form,
            "categories": list(codebook.categories.values_list("name", flat=True)),
        },
        status=400 if form.errors else 200,
    )


@permission_required("understanding.manage_codebooks")
@require_POST
def theme_retire(request: HeardRequest, codebook_id: int, theme_id: int) -> HttpResponse:
    codebook = _codebook_or_404(request, codebook_id)
    try:
        theme = selectors.theme_in(codebook=codebook, theme_id=theme_id)
    except Theme.DoesNotExist:
        raise Http404("No such theme") from None
    retire = request.POST.get("retire", "yes") == "yes"
    codebooks.theme_retire(actor=request.user, theme=theme, retired=retire)
    verb = (
        "retired: coders and models no longer use it, and its old coding stays"
        if retire
        else "brought back: its comments are counted in the dashboards again once a background task has run"
    )
    messages.success(request, f"Theme ‘{theme.name}’ {verb}.")
    return redirect("understanding:codebook", codebook.pk)


def _skipped(request: HeardRequest) -> list[int]:
    return [int(part) for part in request.GET.get("skip", "").split(",") if part.isdigit()][
        : selectors.MAX_SKIPPED
    ]


@permission_required("understanding.code_comments")
def code_comments(request: HeardRequest, codebook_id: int) -> HttpResponse:
    codebook = _codebook_or_404(request, codebook_id)
    has_model = selectors.latest_model(codebook=codebook) is not None
    order = request.GET.get("order") or ("uncertain" if has_model else "sample")
    if order not in ORDERS:
        order = "sample"
    skipped = _skipped(request)
    from_suggestions = request.GET.get("back") == "suggestions"
    item: FeedbackItem | None = None
    comment: Comment | None = None
    if request.GET.get("item", "").isdigit():
        part = int(request.GET["part"]) if request.GET.get("part", "").isdigit() else WHOLE
        try:
            item = selectors.item_for_coding(codebook=codebook, item_id=int(request.GET["item"]))
        except FeedbackItem.DoesNotExist:
            raise Http404("No such comment") from None
        comment = comment_of(item, part)
        if comment is None:
            raise Http404("No such comment")
    else:
        found = selectors.next_to_code(codebook=codebook, coder=request.user, order=order, skipped=skipped)
        if found is not None:
            item = found[0]
            comment = comment_of(item, found[1])
    themes = selectors.themes_to_code(codebook=codebook)
    suggestion = existing = flagged = None
    if item is not None and comment is not None:
        suggestion = selectors.open_suggestion_for(codebook=codebook, item=item, part=comment.part)
        existing = selectors.coding_of(codebook=codebook, item=item, part=comment.part, coder=request.user)
        flagged = selectors.second_look_for(codebook=codebook, item=item, part=comment.part)
    # What is there already is typed into the Codes box, not ticked below it: the box is what a keyboard-first
    # coder reads and changes, and saving replaces the coding with what the box and the boxes then say.
    initial: dict[str, object] = {}
    codes = {theme.pk: theme.code for theme in themes}
    if existing is not None:
        coded = [str(codes[theme.pk]) for theme in existing.themes.all() if theme.pk in codes]
        coded += [f"s{existing.sentiment}"] if existing.sentiment else []
        coded += ["?"] if existing.second_look else []
        initial = {"codes": " ".join(coded), "note": existing.note}
    elif suggestion is not None:
        # Only the themes it is at least even odds on: a 20% guess typed in is too easily saved by Enter.
        prefilled = [
            str(codes[entry["theme"]])
            for entry in suggestion.themes
            if entry["theme"] in codes and entry["confidence"] >= PRETYPED_FROM
        ]
        if suggestion.sentiment:
            prefilled.append(f"s{suggestion.sentiment}")
        initial = {"codes": " ".join(prefilled)}
    form = CodingForm(request.POST or None, themes=themes, initial=initial)
    if request.method == "POST" and item is not None and comment is not None and form.is_valid():
        typed = coding.codes_read(form.cleaned_data["codes"], themes)
        if typed.problems:
            form.add_error("codes", "; ".join(typed.problems))
        else:
            chosen_ids = {int(value) for value in form.cleaned_data["themes"]}
            chosen = [theme for theme in themes if theme.pk in chosen_ids]
            chosen += [theme for theme in typed.themes if theme not in chosen]
            sentiment = typed.sentiment or (
                int(form.cleaned_data["sentiment"]) if form.cleaned_data["sentiment"] else None
            )
            origin = CodingOrigin.CORRECTED if suggestion is not None else CodingOrigin.CODED
            coding.coding_save(
                coder=request.user,
                codebook=codebook,
                item=item,
                part=comment.part,
                themes=chosen,
                sentiment=sentiment,
                second_look=typed.second_look or form.cleaned_data["second_look"],
                note=form.cleaned_data["note"],
                origin=origin,
            )
            names = ", ".join(theme.name for theme in chosen) or "no theme"
            messages.success(request, f"Saved feedback {item.pk}: {names}.")
            if from_suggestions:  # corrected from the list of suggestions: back to where they were in it
                return redirect(_suggestions_page(codebook, request.GET.get("page", "")))
            return redirect(f"{reverse('understanding:code', args=[codebook.pk])}?order={order}")
    skip_next = (
        ",".join(str(number) for number in [*skipped, item.pk][-selectors.MAX_SKIPPED :]) if item else ""
    )
    return render(
        request,
        "understanding/code.jinja",
        {
            "codebook": codebook,
            "item": item,
            "comment": comment,
            "form": form,
            "themes": themes,
            "suggestion": suggestion,
            "suggested_names": _suggested_names(suggestion, themes),
            "existing": existing,
            "flagged": flagged,
            "order": order,
            "orders": ORDERS,
            "has_model": has_model,
            "skip_next": skip_next,
            # The form names the comment it shows, so that saving codes that comment, whatever a colleague coded
            # meanwhile (the queue's "next" may have moved on).
            "this_comment": _this_comment(
                item, comment, order, from_suggestions, request.GET.get("page", "")
            ),
            "counts": selectors.coding_counts(codebook=codebook, coder=request.user),
            "sentiments": Sentiment.choices,
            "sentiment_names": dict(Sentiment.choices),
        },
        status=400 if form.errors else 200,
    )


def _this_comment(
    item: FeedbackItem | None, comment: Comment | None, order: str, from_suggestions: bool, page: str
) -> str:
    """The coding form's address: the comment it shows, and where to go back to."""
    if item is None or comment is None:
        return ""
    params: dict[str, object] = {"item": item.pk, "part": comment.part, "order": order}
    if from_suggestions:
        params["back"] = "suggestions"
        if page.isdigit():
            params["page"] = page
    return "?" + urlencode(params)


def _suggested_names(suggestion: Suggestion | None, themes: list[Theme]) -> list[tuple[str, float]]:
    if suggestion is None:
        return []
    names = {theme.pk: f"{theme.code}. {theme.name}" for theme in themes}
    return [
        (names[entry["theme"]], entry["confidence"]) for entry in suggestion.themes if entry["theme"] in names
    ]


@permission_required("understanding.train_models")
@require_POST
def train_model(request: HeardRequest, codebook_id: int) -> HttpResponse:
    codebook = _codebook_or_404(request, codebook_id)
    try:
        run = training.training_start(actor=request.user, codebook=codebook)
    except training.TrainingRefused as refused:
        messages.error(request, str(refused))
        return redirect("understanding:codebook", codebook.pk)
    return redirect("understanding:model_run", codebook.pk, run.pk)


@permission_required("understanding.view_themes")
def model_run(request: HeardRequest, codebook_id: int, run_id: int) -> HttpResponse:
    codebook = _codebook_or_404(request, codebook_id)
    try:
        run = selectors.model_run_in(codebook=codebook, run_id=run_id)
    except ThemeModelRun.DoesNotExist:
        raise Http404("No such model") from None
    per_theme = sorted(run.quality.get("per_theme", []), key=lambda one: -one["examples"])
    return render(
        request,
        "understanding/model_run.jinja",
        {
            "codebook": codebook,
            "run": run,
            "per_theme": per_theme,
            "percent": round(100 * run.progress),
            "working": run.status in ("queued", "running"),
            "latest": run == selectors.latest_model(codebook=codebook),
        },
    )


@permission_required("understanding.code_comments")
def suggestion_list(request: HeardRequest, codebook_id: int) -> HttpResponse:
    codebook = _codebook_or_404(request, codebook_id)
    page = Paginator(selectors.suggestions_open(codebook=codebook), 25).get_page(request.GET.get("page"))
    themes = {theme.pk: theme for theme in selectors.themes_of(codebook=codebook)}
    items = list({suggestion.item_id: suggestion.item for suggestion in page}.values())
    return render(
        request,
        "understanding/suggestions.jinja",
        {
            "codebook": codebook,
            "page": page,
            "themes": themes,
            "comments": {comment.key: comment for comment in comments_of(items)},
            "sentiments": dict(Sentiment.choices),
            "run": selectors.latest_model(codebook=codebook),
        },
    )


@permission_required("understanding.code_comments")
@require_POST
def suggestion_accept(request: HeardRequest, codebook_id: int, suggestion_id: int) -> HttpResponse:
    codebook = _codebook_or_404(request, codebook_id)
    try:
        suggestion = selectors.suggestion_in(codebook=codebook, suggestion_id=suggestion_id)
    except Suggestion.DoesNotExist:
        raise Http404("No such suggestion") from None
    try:
        coding.suggestion_accept(coder=request.user, suggestion=suggestion)
    except ValueError:
        messages.error(
            request,
            f"The suggestion for feedback {suggestion.item_id} is for an answer the response no longer has on its "
            "own, so it cannot be accepted. Code the response on the coding page instead.",
        )
        return redirect("understanding:suggestions", codebook.pk)
    messages.success(request, f"Accepted the suggestion for feedback {suggestion.item_id}.")
    return redirect(_suggestions_page(codebook, request.POST.get("page", "")))


def _suggestions_page(codebook: Codebook, page: str) -> str:
    """Back to the page of suggestions the analyst was reading."""
    where = reverse("understanding:suggestions", args=[codebook.pk])
    return f"{where}?page={page}" if page.isdigit() and page != "1" else where


@permission_required("understanding.code_comments")
@require_POST
def suggestions_accept_confident(request: HeardRequest, codebook_id: int) -> HttpResponse:
    codebook = _codebook_or_404(request, codebook_id)
    try:
        at_least = min(0.99, max(0.5, float(request.POST.get("at_least", "0.9"))))
    except ValueError:
        at_least = 0.9
    accepted = coding.suggestions_accept_confident(coder=request.user, codebook=codebook, at_least=at_least)
    messages.success(
        request,
        f"Accepted {accepted:,} suggestions with every theme and the sentiment at least {at_least:.0%} sure. "
        "They count as the model's coding, and the next training does not learn from them.",
    )
    return redirect("understanding:suggestions", codebook.pk)


@permission_required("understanding.view_themes")
def agreement_view(request: HeardRequest, codebook_id: int) -> HttpResponse:
    codebook = _codebook_or_404(request, codebook_id)
    comments, per_theme = coding.agreement(codebook=codebook)
    return render(
        request,
        "understanding/agreement.jinja",
        {"codebook": codebook, "comments": comments, "per_theme": [one for one in per_theme if one.either]},
    )
