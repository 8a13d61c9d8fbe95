"""Background work for understanding. A task calls a service and holds no logic of its own."""

from __future__ import annotations

from django_tasks import task

from heard.understanding.services.training import training_run


@task()
def theme_model_train(run_id: int) -> str:
    """Trains a codebook's model and suggests themes for the comments nobody has coded; returns its status."""
    return training_run(run_id=run_id).status


@task()
def theme_suggestions_for_new(
    organisation_id: int, first_item_id: int, last_item_id: int | None = None
) -> int:
    """Codes comments just received (ids from first to last) with each of their organisation's latest models;
    returns how many."""
    from heard.understanding.services.suggesting import suggestions_for_received

    return suggestions_for_received(
        organisation_id=organisation_id, first_item_id=first_item_id, last_item_id=last_item_id
    )


@task()
def monthly_counts_rebuild(codebook_id: int) -> int:
    """Rebuilds a large codebook's stale monthly counts; returns how many months were rebuilt."""
    from heard.understanding.models import Codebook
    from heard.understanding.services.summaries import summaries_bring_up_to_date

    codebook = Codebook.objects.filter(pk=codebook_id).first()
    return (
        summaries_bring_up_to_date(codebook=codebook, refresh_statistics=True) if codebook is not None else 0
    )


@task()
def theme_counts_restore(theme_id: int) -> int:
    """Counts a theme that was brought back in the dashboards again; returns how many comments were refreshed."""
    from heard.understanding.models import Theme
    from heard.understanding.services.assignments import assignments_theme_restored

    theme = Theme.objects.filter(pk=theme_id, retired=False).select_related("codebook").first()
    return assignments_theme_restored(theme=theme) if theme is not None else 0
