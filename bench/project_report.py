"""Reports for a large project: ``make bench`` (or ``.venv/bin/python bench/project_report.py [--comments 50000]``).

It builds a throwaway installation with the demo organisation (its own SQLite file, or a PostgreSQL database made
for the run), then gives the demo's maternity project ``--comments`` more survey responses, each with the answers
of a demo response (equality answers included) and one or two themes, plus decisions linked to themes and a
question, some published, with checked quotes. It then times the end-of-project PPIE report and the consultation
response summary, each built from the database and written as a web page, a PDF and a Word file. It prints the
figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORDS = (
    "waited weeks for a call back; the midwife was kind; nobody told me what would happen next; parking was "
    "impossible; the ward was clean; I could not get through on the phone; the food was cold; staff listened"
).split("; ")


def prepare(database: str, workdir: Path) -> None:
    os.environ.update({"HEARD_ENV": "demo", "HEARD_VAR_DIR": str(workdir), "HEARD_TASK_BACKEND": "immediate"})
    if database == "postgres":
        name = f"heard_bench_report_{os.getpid()}"
        for sql in (f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}"):
            subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", sql], check=True)
        os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heard.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("demo_load", stdout=open(os.devnull, "w"))


def grow(comments: int, seed: int = 7) -> str:
    """``comments`` more responses to the maternity survey, with answers and themes; returns the project slug."""
    from django.db import transaction
    from django.utils import timezone

    from heard.acting import quotes, services
    from heard.core.models import User
    from heard.listening.models import Answer, FeedbackItem, Survey
    from heard.understanding.models import Codebook, ThemeAssignment

    rng = random.Random(seed)
    survey = Survey.objects.exclude(project=None).select_related("project", "organisation").first()
    assert survey is not None and survey.project is not None
    project, organisation = survey.project, survey.organisation
    examples = [
        list(item.answers.all())
        for item in FeedbackItem.objects.filter(survey=survey).prefetch_related("answers")
    ]
    codebook = Codebook.objects.get(organisation=organisation)
    themes = list(codebook.themes.filter(retired=False).order_by("code")[:12])
    weights = [1 / (rank + 1) for rank in range(len(themes))]
    start = timezone.now() - timedelta(days=300)
    made = 0
    while made < comments:
        batch = min(5000, comments - made)
        with transaction.atomic():
            items = FeedbackItem.objects.bulk_create(
                [
                    FeedbackItem(
                        organisation=organisation,
                        source=survey.source,
                        channel="online",
                        project=project,
                        survey=survey,
                        service="Maternity",
                        received_at=start + timedelta(minutes=rng.randint(0, 300 * 24 * 60)),
                        text=f"{rng.choice(WORDS).capitalize()} and {rng.choice(WORDS)}.",
                        fingerprint=f"b{made + number:063d}",
                    )
                    for number in range(batch)
                ]
            )
            answers, assignments = [], []
            for item in items:
                for answer in rng.choice(examples):
                    answers.append(
                        Answer(
                            item=item,
                            question_id=answer.question_id,
                            text=answer.text,
                            choices=answer.choices,
                            number=answer.number,
                            date=answer.date,
                        )
                    )
                for theme in set(rng.choices(themes, weights=weights, k=rng.choice([1, 1, 2]))):
                    assignments.append(
                        ThemeAssignment(
                            organisation=organisation,
                            codebook=codebook,
                            item=item,
                            theme=theme,
                            by_model=True,
                            sentiment=rng.randint(1, 5),
                            received_at=item.received_at,
                            channel=item.channel,
                            source_id=item.source_id,
                            project=project,
                            service=item.service,
                        )
                    )
            Answer.objects.bulk_create(answers, batch_size=2000)
            ThemeAssignment.objects.bulk_create(assignments, batch_size=2000)
        made += batch
    lead = User.objects.get(username="demo-lead")
    analyst = User.objects.get(username="demo-analyst")
    question = survey.sections.first().questions.first()  # type: ignore[union-attr]
    for number in range(8):
        decision = services.decision_record(
            actor=lead,
            project=project,
            title=f"Change {number + 1} after the maternity survey",
            you_said="What people told us, in a sentence or two.",
            we_did="What we will change, for whom, and when people will notice.",
            due_on=timezone.localdate() + timedelta(days=30 * (number + 1)),
        )
        for theme in themes[number : number + 2]:
            services.evidence_add(actor=lead, decision=decision, target=theme)
        if question is not None:
            services.evidence_add(actor=lead, decision=decision, target=question)
        if number < 5:
            services.decision_publish(actor=lead, decision=decision)
            item = FeedbackItem.objects.filter(survey=survey).exclude(text="").order_by("-pk")[number]
            quote = quotes.quote_choose(
                actor=analyst, project=project, item=item, text=item.text, decision=decision
            )
            if not quotes.quote_check(quote.text, organisation_id=organisation.pk):
                quotes.quote_approve(actor=lead, quote=quote)
    return project.slug


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--comments", type=int, default=50_000)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        began = time.perf_counter()
        prepare(arguments.database, Path(scratch))
        slug = grow(arguments.comments)
        from heard.listening.models import FeedbackItem
        from heard.projects.models import Project
        from heard.reports import builders
        from heard.reports.render import to_docx, to_html, to_pdf

        project = Project.objects.get(slug=slug)
        total = FeedbackItem.objects.filter(project=project).count()
        print(
            f"reports for a project of {total:,} comments, {arguments.database}; "
            f"set-up {time.perf_counter() - began:.0f} s ({datetime.now().astimezone():%H:%M})"
        )
        for name, build in (
            ("ppie", lambda: builders.ppie_report(project=project)),
            ("consultation", lambda: builders.consultation_report(project=project)),
        ):
            for file_format, render in (("html", to_html), ("pdf", to_pdf), ("docx", to_docx)):
                started = time.perf_counter()
                document = build()
                built = time.perf_counter() - started
                output = render(document)
                whole = time.perf_counter() - started
                size = len(output.encode() if isinstance(output, str) else output)
                print(
                    f"  {name:<13} {file_format:<5} whole {whole:6.2f} s (from the database {built:5.2f} s, "
                    f"writing {whole - built:5.2f} s), {size / 1024:7.0f} KB"
                )
        if arguments.database == "postgres":
            from django.db import connection, connections

            name = connection.settings_dict["NAME"]
            connections.close_all()
            subprocess.run(
                ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", f"DROP DATABASE {name}"], check=True
            )


if __name__ == "__main__":
    main()
