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
SURVEY_RESPONDENTS = 160

# Starter theme -> (sentiment, phrases): the invented pieces the demo's comments are made from.
PHRASES: dict[str, tuple[int, list[str]]] = {
    "Positive experience and thanks": (
        1,
        [
            "Thank you all so much",
            "Excellent care from start to finish",
            "Could not fault anything",
            "Brilliant service, thank you",
        ],
    ),
    "Staff manner and attitude": (
        2,
        [
            "the nurses were kind and patient",
            "the receptionist was rude to my mum",
            "every member of staff was friendly",
            "the doctor was dismissive",
        ],
    ),
    "Waiting and timeliness": (
        4,
        [
            "we waited four hours to be seen",
            "the wait in A&E was far too long",
            "seen on time for once",
            "a long delay before anyone came",
        ],
    ),
    "Getting in touch": (
        4,
        [
            "the phone rang and rang with no answer",
            "could not get through on the phone line",
            "nobody replied to my message",
        ],
    ),
    "Appointment arrangements": (
        4,
        [
            "the appointment was cancelled twice",
            "the letter came after the appointment",
            "booking was easy online",
        ],
    ),
    "Kept informed": (
        4,
        [
            "nobody told us what was happening",
            "we were kept up to date the whole time",
            "no updates while we waited",
        ],
    ),
    "Listening and involving": (
        3,
        [
            "they listened to what I wanted",
            "I felt nobody listened to me",
            "we were involved in every decision",
        ],
    ),
    "Parking": (
        5,
        [
            "the car park was full again",
            "parking charges are far too high",
            "nowhere to park near the entrance",
        ],
    ),
    "Travel and transport": (
        4,
        ["patient transport came two hours late", "the bus does not stop near the clinic"],
    ),
    "Food and drink": (
        3,
        ["the food was cold", "lovely meals and plenty of choice", "no drinks left within reach"],
    ),
    "Cleanliness": (2, ["the ward was spotless", "the toilets were dirty"]),
    "Discharge": (4, ["discharge took all day", "sent home with no plan for what happens next"]),
    "Medication": (
        4,
        ["my tablets were late every evening", "the pharmacist explained my medicines clearly"],
    ),
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
    names = list(PHRASES)
    weights = [6, 5, 5, 3, 3, 3, 2, 2, 1, 2, 1, 1, 1]
    first = rng.choices(names, weights=weights)[0]
    themes = [first]
    if rng.random() < 0.3:
        second = rng.choices(names, weights=weights)[0]
        if second != first:
            themes.append(second)
    parts = [rng.choice(PHRASES[theme][1]) for theme in themes]
    text = (" and ".join(parts) + rng.choice(ENDINGS)).capitalize() + "."
    sentiment = round(sum(PHRASES[theme][0] for theme in themes) / len(themes))
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
    planned = []
    incoming = []
    for number in range(COMMENTS):
        text, themes, sentiment = _comment(rng)
        days_ago = rng.randint(0, 364)
        # Waiting gets worse over the last three months, so the dashboard has a real change to mark.
        if days_ago < 90 and rng.random() < 0.25:
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
    for item_id, (names, sentiment) in list(zip(summary.item_ids, planned, strict=True))[:CODED]:
        coding_save(
            coder=analyst,
            codebook=codebook,
            item=items[item_id],
            themes=[by_name[name] for name in names],
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
        )
