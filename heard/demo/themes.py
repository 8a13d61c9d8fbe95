"""The demo's understanding: a year of invented FFT comments, a codebook, a coded sample, a trained model with
its suggestions, a population profile and survey respondents who answered the equality questions.

Every comment is made here from short invented phrases (nothing from real patients), then goes through intake,
so it is redacted like any other. Idempotent: the codebook's name marks that this part was built.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from heard.core.models import Organisation, User
from heard.demo.surveys import SURVEY_TITLE
from heard.listening.models import Question, SourceKind, Survey
from heard.listening.services.intake import IncomingFeedback, feedback_receive_many
from heard.listening.services.responses import survey_response_receive
from heard.listening.services.sources import source_for
from heard.listening.services.surveys import survey_questions
from heard.projects.models import Project
from heard.understanding.models import Codebook, PopulationProfile
from heard.understanding.representation import population_load
from heard.understanding.services.codebooks import codebook_create
from heard.understanding.services.coding import coding_save
from heard.understanding.services.training import training_run, training_start

CODEBOOK_NAME = "Patient experience"
COMMENTS = 480
CODED = 160
DOUBLE_CODED = 40
SECOND_LOOKS = 3
SURVEY_RESPONDENTS = 160

# Starter theme -> phrases, each with the sentiment a coder would give it (1 very positive ... 5 very negative):
# the invented pieces the demo's comments are made from.
PHRASES: dict[str, list[tuple[str, int]]] = {
    "Positive experience and thanks": [
        ("Thank you all so much", 1),
        ("Excellent care from start to finish", 1),
        ("Could not fault anything", 1),
        ("Brilliant service, thank you", 1),
    ],
    "Staff manner and attitude": [
        ("the nurses were kind and patient", 1),
        ("the receptionist was rude to my mum", 5),
        ("every member of staff was friendly", 2),
        ("the doctor was dismissive", 4),
    ],
    "Waiting and timeliness": [
        ("we waited four hours to be seen", 5),
        ("the wait in A&E was far too long", 4),
        ("seen on time for once", 2),
        ("a long delay before anyone came", 4),
    ],
    "Getting in touch": [
        ("the phone rang and rang with no answer", 4),
        ("could not get through on the phone line", 4),
        ("nobody replied to my message", 4),
    ],
    "Appointment arrangements": [
        ("the appointment was cancelled twice", 5),
        ("the letter came after the appointment", 4),
        ("booking was easy online", 2),
    ],
    "Kept informed": [
        ("nobody told us what was happening", 4),
        ("we were kept up to date the whole time", 2),
        ("no updates while we waited", 4),
    ],
    "Listening and involving": [
        ("they listened to what I wanted", 2),
        ("I felt nobody listened to me", 4),
        ("we were involved in every decision", 1),
    ],
    "Parking": [
        ("the car park was full again", 4),
        ("parking charges are far too high", 5),
        ("nowhere to park near the entrance", 4),
    ],
    "Travel and transport": [
        ("patient transport came two hours late", 5),
        ("the bus does not stop near the clinic", 4),
    ],
    "Food and drink": [
        ("the food was cold", 4),
        ("lovely meals and plenty of choice", 2),
        ("no drinks left within reach", 4),
    ],
    "Cleanliness": [("the ward was spotless", 2), ("the toilets were dirty", 4)],
    "Discharge": [("discharge took all day", 4), ("sent home with no plan for what happens next", 5)],
    "Medication": [
        ("my tablets were late every evening", 4),
        ("the pharmacist explained my medicines clearly", 2),
    ],
}
ENDINGS = ["", " on the ward", " at the clinic", " last week", " this time", " at the weekend", " overnight"]
SERVICES = ["Ward 23", "Ward 7", "A&E", "Outpatients", "Urgent treatment centre", "Maternity"]
CHANNELS = ["sms", "online", "paper", "kiosk"]

# A younger, more diverse area than the respondents below, so that the gaps show.
AGE_WEIGHTS = {
    "16_24": 3,
    "25_34": 8,
    "35_44": 12,
    "45_54": 18,
    "55_64": 22,
    "65_74": 22,
    "75_84": 12,
    "85_over": 3,
}
ETHNIC_WEIGHTS = {
    "white_british": 80,
    "white_other": 5,
    "asian_pakistani": 6,
    "asian_indian": 3,
    "black_african": 3,
    "mixed_white_asian": 2,
    "prefer_not_to_say": 1,
}


def _comment(rng: random.Random) -> tuple[str, list[str], int]:
    """A comment of one, two or (now and then) three themes; its sentiment is that of its phrases together."""
    names = list(PHRASES)
    weights = [6, 5, 5, 3, 3, 3, 2, 2, 1, 2, 1, 1, 1]
    themes = [rng.choices(names, weights=weights)[0]]

    def another() -> list[str]:
        name = rng.choices(names, weights=weights)[0]
        return [] if name in themes else [name]

    # A second theme in about 3 comments of 10, and a third in a fifth of those (the "complex" comments).
    if rng.random() < 0.3:
        themes += another()
        if len(themes) == 2 and rng.random() < 0.2:
            themes += another()
    parts = [rng.choice(PHRASES[theme]) for theme in themes]
    text = (" and ".join(phrase for phrase, _ in parts) + rng.choice(ENDINGS)).capitalize() + "."
    sentiment = round(sum(feeling for _, feeling in parts) / len(parts))
    return text, themes, sentiment


FOLLOW_UPS = ("What was good about your visit?", "What could we have done better?")


def _follow_up(sentiment: int, number: int) -> str:
    if sentiment != 3:
        return FOLLOW_UPS[0] if sentiment < 3 else FOLLOW_UPS[1]
    return FOLLOW_UPS[number % 2]


# The rating a text message's sender gave, by the sentiment of what they wrote: mostly in line, sometimes not
# ("Very good" with a complaint about parking), as in real returns.
RATINGS = {
    1: ("very_good", "very_good", "very_good", "good"),
    2: ("very_good", "good", "good", "neither"),
    3: ("good", "neither", "neither", "poor"),
    4: ("good", "poor", "poor", "very_poor"),
    5: ("poor", "very_poor", "very_poor", "very_poor"),
}


def demo_themes_build(*, organisation: Organisation, analyst: User, lead: User) -> None:
    if Codebook.objects.filter(organisation=organisation, name=CODEBOOK_NAME).exists():
        return
    rng = random.Random(2026)
    rating_rng = random.Random(11)  # its own, so the rest of the demo stays as it was
    project = Project.objects.filter(organisation=organisation, title__startswith="Same-day").first()
    source = source_for(organisation=organisation, name="FFT text messages", kind=SourceKind.FFT)
    now = timezone.now()
    today = timezone.localdate()
    last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    worse_for = (today - last_month).days
    planned = []
    incoming = []
    for number in range(COMMENTS):
        text, themes, sentiment = _comment(rng)
        days_ago = rng.randint(0, 364)
        # Waiting got much worse from the start of last month, so the dashboard has a real rise to mark, whatever
        # day the demo is made.
        if days_ago < worse_for and rng.random() < 0.6:
            text, themes, sentiment = (
                "We waited four hours to be seen at the weekend.",
                ["Waiting and timeliness"],
                5,
            )
        planned.append((themes, sentiment))
        incoming.append(
            IncomingFeedback(
                channel=rng.choice(CHANNELS),
                text=text,
                service=rng.choice(SERVICES),
                received_at=now - timedelta(days=days_ago, hours=rng.randint(0, 23)),
                external_id=f"demo-fft-{number}",
                project=project,
                # The text messages ask one of two follow-up questions, as many trusts' FFT does.
                question=_follow_up(sentiment, number),
                fft_answer=rating_rng.choice(RATINGS[sentiment]),
            )
        )
    summary = feedback_receive_many(actor=lead, organisation=organisation, source=source, incoming=incoming)
    codebook = codebook_create(actor=analyst, organisation=organisation, name=CODEBOOK_NAME, starter=True)
    by_name = {theme.name: theme for theme in codebook.themes.all()}
    from heard.listening.models import FeedbackItem

    items = {item.pk: item for item in FeedbackItem.objects.filter(pk__in=summary.item_ids)}
    sample = list(zip(summary.item_ids, planned, strict=True))[:CODED]
    for number, (item_id, (names, sentiment)) in enumerate(sample):
        unsure = number >= CODED - SECOND_LOOKS  # the last few she was not sure of, and said why
        coding_save(
            coder=analyst,
            codebook=codebook,
            item=items[item_id],
            themes=[by_name[name] for name in names],
            sentiment=sentiment,
            second_look=unsure,
            note="Is this about the staff, or about the wait?" if unsure else "",
        )
    # A colleague codes some of the same comments, so the agreement page has something to measure: mostly the
    # same, now and then a theme missed or another added, as two real coders would.
    colleague = random.Random(7)
    for item_id, (names, sentiment) in sample[:DOUBLE_CODED]:
        theirs = list(names)
        if colleague.random() < 0.15:
            theirs = theirs[:-1] if len(theirs) > 1 else [*theirs, "Positive experience and thanks"]
        coding_save(
            coder=lead,
            codebook=codebook,
            item=items[item_id],
            themes=[by_name[name] for name in dict.fromkeys(theirs)],
            sentiment=sentiment,
        )
    run = training_start(actor=analyst, codebook=codebook)
    training_run(run_id=run.pk)  # at once, so the demo opens with the model trained
    _population(organisation=organisation, lead=lead)
    _respondents(organisation=organisation, rng=rng)


def _population(*, organisation: Organisation, lead: User) -> None:
    from heard.understanding.views_representation import EXAMPLE

    if not PopulationProfile.objects.filter(organisation=organisation).exists():
        population_load(
            actor=lead,
            organisation=organisation,
            name="Leeds West residents (illustrative)",
            area="Leeds West",
            source="Illustrative figures in the shape of Census 2021 tables, for the demonstration",
            content=EXAMPLE.read_bytes(),
        )


def _respondents(*, organisation: Organisation, rng: random.Random) -> None:
    survey = Survey.objects.filter(organisation=organisation, title=SURVEY_TITLE).first()
    if (
        survey is None
        or not Question.objects.filter(section__survey=survey, is_equality_monitoring=True).exists()
    ):
        return
    questions = survey_questions(survey)
    for _ in range(SURVEY_RESPONDENTS):
        limits = rng.choices(["not_at_all", "yes_a_little", "yes_a_lot"], weights=[80, 14, 6])[0]
        answers = {
            "experience": rng.choice(["very_good", "good", "good", "neither", "poor"]),
            "why": rng.choice(["Quick and easy.", "Hard to get through on the phone.", "Waited too long."]),
            "where": rng.choice(["gp_practice", "nhs_111", "pharmacy", "urgent_treatment_centre", "ae"]),
            "age_band": rng.choices(list(AGE_WEIGHTS), weights=list(AGE_WEIGHTS.values()))[0],
            "sex": rng.choices(["female", "male", "prefer_not_to_say"], weights=[62, 36, 2])[0],
            "ethnic_group": rng.choices(list(ETHNIC_WEIGHTS), weights=list(ETHNIC_WEIGHTS.values()))[0],
            "long_term_condition": "yes" if limits != "not_at_all" else rng.choice(["yes", "no", "no"]),
            "postcode_district": rng.choices(
                ["LS12", "LS13", "LS28", "LS27", "LS18"], weights=[2, 3, 4, 5, 6]
            )[0],
        }
        if answers["long_term_condition"] == "yes":
            answers["condition_limits_activities"] = limits
        known = {question.key for question in questions}
        survey_response_receive(
            actor=None,
            survey=survey,
            questions=questions,
            answers={key: value for key, value in answers.items() if key in known},
            channel="online",
            # Over the weeks the survey has been open, not all on the day the demo was made.
            received_on=timezone.localdate() - timedelta(days=rng.randint(0, 55)),
        )
