"""The demo organisation's feedback from the other channels: a PALS log, a connected kiosk and social media,
with some contact details in the vault and an item marked for follow-up.

Built through the same intake service as real feedback, so the comments are redacted on the way in (the demo
comments carry invented identifiers on purpose, to show it). Idempotent: the source reference of each item is
fixed, so running it again adds nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from heard.core.models import Organisation, User
from heard.listening.models import ApiToken, FeedbackItem, SourceKind
from heard.listening.services.flags import feedback_flag
from heard.listening.services.intake import IncomingFeedback, feedback_receive
from heard.listening.services.sources import source_for
from heard.listening.services.tokens import api_token_create
from heard.privacy.vault import ContactDetails
from heard.projects.models import Project

# (source name, kind, channel, days ago, service, FFT answer, text, contact details or None)
DEMO_FEEDBACK: list[tuple[str, SourceKind, str, int, str, str, str, ContactDetails | None]] = [
    (
        "PALS log",
        SourceKind.PALS,
        "telephone",
        12,
        "Ward 23",
        "",
        "Called about my father's discharge. Nobody told us he was going home. Please ring me on 07700 900461.",
        ContactDetails(name="Priya Shah", phone="07700 900461"),
    ),
    (
        "PALS log",
        SourceKind.PALS,
        "email",
        9,
        "Outpatients",
        "",
        "The letter had the wrong clinic on it and we drove to St James's for nothing. NHS number 943 476 5919.",
        None,
    ),
    (
        "Ward kiosk",
        SourceKind.API,
        "kiosk",
        5,
        "A&E",
        "very_good",
        "Seen within 2 hours, the nurse on triage was lovely.",
        None,
    ),
    (
        "Ward kiosk",
        SourceKind.API,
        "kiosk",
        4,
        "A&E",
        "poor",
        "Waited 6 hours with chest pain. Toilets were dirty.",
        None,
    ),
    (
        "Social media",
        SourceKind.SOCIAL_MEDIA,
        "social_media",
        3,
        "NHS 111",
        "",
        "111 got me an appointment at the urgent treatment centre in 40 minutes. Brilliant service.",
        None,
    ),
    (
        "Complaints",
        SourceKind.COMPLAINTS,
        "email",
        2,
        "GP practice",
        "",
        "I have phoned every morning at 8am for a week and cannot get an appointment for my son Jack.",
        ContactDetails(name="Martin Hughes", email="martin.hughes@example.com", postcode="LS12 3AB"),
    ),
]


def demo_feedback_build(*, organisation: Organisation, lead: User) -> None:
    project = Project.objects.filter(
        organisation=organisation, title__startswith="Same-day urgent care"
    ).first()
    now = timezone.now()
    for number, (source_name, kind, channel, days_ago, service, fft_answer, text, contact) in enumerate(
        DEMO_FEEDBACK
    ):
        source = source_for(organisation=organisation, name=source_name, kind=kind)
        if kind in {SourceKind.PALS, SourceKind.COMPLAINTS} and source.retention_days is None:
            source.retention_days = 365 * 3
            source.save(update_fields=["retention_days"])
        feedback_receive(
            actor=None,
            organisation=organisation,
            source=source,
            incoming=IncomingFeedback(
                channel=channel,
                text=text,
                service=service,
                fft_answer=fft_answer,
                received_at=(now - timedelta(days=days_ago)).replace(microsecond=0),
                external_id=f"demo-{number}",
                project=project,
                contact=contact,
                contact_purpose="complaint" if kind == SourceKind.COMPLAINTS else "hear_back",
            ),
        )
    unflagged = FeedbackItem.objects.filter(
        organisation=organisation, external_id="demo-0", flagged=False
    ).first()
    if unflagged is not None:
        feedback_flag(
            actor=lead, item=unflagged, flagged=True, note="Check the discharge checklist on ward 23"
        )
    if not ApiToken.objects.filter(organisation=organisation, name="Ward kiosk").exists():
        kiosk = source_for(organisation=organisation, name="Ward kiosk", kind=SourceKind.API)
        api_token_create(actor=None, organisation=organisation, name="Ward kiosk", source=kiosk)


# A Friends and Family Test export as a trust's system writes it, with one bad row to show how Heard reports it.
FFT_EXPORT = """Response ID,Date,Ward,Rating,Comment
FFT-1001,{d1},Ward 23,Very good,"Staff were kind and explained everything, thank you to nurse Bethany"
FFT-1002,{d1},Ward 23,Good,"Food was cold but the care was excellent"
FFT-1003,{d2},A&E,Poor,"Waited 5 hours. My number is 07700 900812 if anyone wants to hear about it"
FFT-1004,{d2},Maternity,Very good,"The midwives on the delivery suite were amazing"
FFT-1005,{d3},Outpatients,Neither good nor poor,"Clinic ran an hour late, nobody said why"
FFT-1006,{d3},Ward 7,Very poor,"Call bell not answered at night"
FFT-1007,31/02/2026,Ward 7,Good,"A date that does not exist"
"""


def demo_import_build(*, organisation: Organisation, lead: User) -> None:
    """An FFT export imported through the same steps staff take: upload, map the columns, check, import."""
    from heard.listening.models import ImportBatch, ImportStatus
    from heard.listening.services import imports

    source = source_for(
        organisation=organisation, name="FFT export: Leeds West hospital", kind=SourceKind.FFT
    )
    if ImportBatch.objects.filter(
        organisation=organisation, source=source, status=ImportStatus.DONE
    ).exists():
        return
    ImportBatch.objects.filter(organisation=organisation, source=source).exclude(
        status=ImportStatus.DONE
    ).delete()
    today = timezone.localdate()
    content = FFT_EXPORT.format(
        **{f"d{n}": (today - timedelta(days=7 * n)).strftime("%d/%m/%Y") for n in (1, 2, 3)}
    ).encode()
    batch = imports.import_upload(
        actor=lead, organisation=organisation, source=source, file_name="fft-export.csv", chunks=[content]
    )
    batch = imports.import_map(
        actor=lead,
        batch=batch,
        mapping_name="Trust FFT export",
        columns={
            "external_id": "Response ID",
            "received_at": "Date",
            "service": "Ward",
            "fft_answer": "Rating",
            "text": "Comment",
        },
        date_format="DD/MM/YYYY",
        default_channel="sms",
    )
    imports.import_start(actor=lead, batch=batch, good_rows=True, run_now=True)
