"""Codebooks: made from the starter or from nothing, edited a theme at a time, every version kept."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from heard.core.audit import audit_record
from heard.core.models import Organisation, User
from heard.understanding.locks import suggestions_lock
from heard.understanding.models import Codebook, CodebookVersion, Theme, ThemeCategory
from heard.understanding.services.assignments import assignments_theme_retired
from heard.understanding.starter import STARTER, STARTER_DESCRIPTION


class CodebookProblem(ValueError):
    """A change that cannot be made, in words for the person making it."""


def _snapshot(codebook: Codebook, *, actor: User | None, change: str) -> None:
    themes = [
        {
            "id": theme.pk,
            "code": theme.code,
            "name": theme.name,
            "category": theme.category.name,
            "description": theme.description,
            "retired": theme.retired,
        }
        for theme in codebook.themes.select_related("category").order_by("code")
    ]
    CodebookVersion.objects.create(
        codebook=codebook, number=codebook.version, change=change[:300], themes=themes, created_by=actor
    )


def _next_version(codebook: Codebook, *, actor: User | None, change: str) -> None:
    codebook.version += 1
    codebook.save(update_fields=["version"])
    _snapshot(codebook, actor=actor, change=change)


@transaction.atomic
def codebook_create(
    *, actor: User | None, organisation: Organisation, name: str, description: str = "", starter: bool = False
) -> Codebook:
    name = name.strip()
    if Codebook.objects.filter(organisation=organisation, name=name).exists():
        raise CodebookProblem(f"There is already a codebook called ‘{name}’.")
    codebook = Codebook.objects.create(
        organisation=organisation,
        name=name,
        description=description or (STARTER_DESCRIPTION if starter else ""),
        created_by=actor,
    )
    if starter:
        code = 0
        for position, (category_name, themes) in enumerate(STARTER):
            category = ThemeCategory.objects.create(codebook=codebook, name=category_name, position=position)
            for theme_name, theme_description in themes:
                code += 1
                Theme.objects.create(
                    codebook=codebook,
                    category=category,
                    name=theme_name,
                    description=theme_description,
                    code=code,
                )
    _snapshot(codebook, actor=actor, change="Started from the FFT-QDC structure" if starter else "Created")
    audit_record(actor=actor, action="codebook.created", organisation=organisation, target=codebook)
    return codebook


@transaction.atomic
def theme_save(
    *,
    actor: User | None,
    codebook: Codebook,
    theme: Theme | None,
    name: str,
    category_name: str,
    description: str,
    examples: str,
) -> Theme:
    """Adds a theme (``theme`` None) or changes one; either way the codebook moves to a new version."""
    name, category_name = " ".join(name.split()), " ".join(category_name.split())
    clash = codebook.themes.filter(name__iexact=name)
    if theme is not None:
        clash = clash.exclude(pk=theme.pk)
    if clash.exists():
        raise CodebookProblem(f"This codebook already has a theme called ‘{name}’.")
    category = codebook.categories.filter(name__iexact=category_name).first()
    if category is None:
        position = (codebook.categories.aggregate(last=Max("position"))["last"] or 0) + 1
        category = ThemeCategory.objects.create(codebook=codebook, name=category_name, position=position)
    if theme is None:
        code = (codebook.themes.aggregate(last=Max("code"))["last"] or 0) + 1
        theme = Theme.objects.create(
            codebook=codebook,
            category=category,
            name=name,
            description=description,
            examples=examples,
            code=code,
        )
        change = f"Added ‘{name}’"
    else:
        before = theme.name
        theme.name, theme.category, theme.description, theme.examples = name, category, description, examples
        theme.save()
        change = f"Renamed ‘{before}’ to ‘{name}’" if before != name else f"Changed ‘{name}’"
    _next_version(codebook, actor=actor, change=change)
    audit_record(
        actor=actor,
        action="codebook.theme_saved",
        organisation=codebook.organisation,
        target=theme,
        detail={"change": change},
    )
    return theme


@transaction.atomic
def theme_retire(*, actor: User | None, theme: Theme, retired: bool = True) -> Theme:
    """Retires a theme (no longer offered to coders or models) or brings it back. Its old coding stays."""
    # Whatever writes suggestions or codings waits, so no row counted with the theme is written meanwhile.
    suggestions_lock(theme.codebook_id)
    # Read again under a lock: two presses at once must not take the theme out of the counts twice.
    theme = Theme.objects.select_for_update(of=("self",)).select_related("codebook").get(pk=theme.pk)
    if theme.retired != retired:
        theme.retired = retired
        theme.save(update_fields=["retired"])
        verb = "Retired" if retired else "Brought back"
        _next_version(theme.codebook, actor=actor, change=f"{verb} ‘{theme.name}’")
        if retired:
            assignments_theme_retired(theme=theme)
        else:
            # Finding the comments that had it means reading every suggestion: a background task does.
            from heard.understanding.tasks import theme_counts_restore

            transaction.on_commit(lambda: theme_counts_restore.enqueue(theme_id=theme.pk))
        audit_record(
            actor=actor,
            action="codebook.theme_retired" if retired else "codebook.theme_restored",
            organisation=theme.codebook.organisation,
            target=theme,
        )
    return theme
