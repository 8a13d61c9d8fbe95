"""The standard equality-monitoring block, in the Census 2021 categories (DOMAIN.md, Equality monitoring).

Every question is optional and offers "Prefer not to say". The answers are special-category data (UK GDPR
Art. 9): reported only in aggregate, above a minimum group size, which is why each question is marked
``is_equality_monitoring``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PREFER_NOT_TO_SAY = {"value": "prefer_not_to_say", "label": "Prefer not to say"}

SECTION_TITLE = "About you"
SECTION_DESCRIPTION = (
    "These questions help us check that we hear from everyone in our communities. Every question is optional. "
    "Your answers are only ever reported as totals for groups of people, never on their own."
)


@dataclass(frozen=True)
class EqualityQuestion:
    key: str
    kind: str
    text: str
    hint: str = ""
    choices: list[dict[str, str]] = field(default_factory=list)
    show_if_question: str = ""
    show_if_values: list[str] = field(default_factory=list)


def _choices(*pairs: tuple[str, str], group: str = "") -> list[dict[str, str]]:
    return [{"value": value, "label": label, **({"group": group} if group else {})} for value, label in pairs]


ASIAN = "Asian, Asian British or Asian Welsh"
BLACK = "Black, Black British, Black Welsh, Caribbean or African"
MIXED = "Mixed or Multiple ethnic groups"
WHITE = "White"
OTHER = "Other ethnic group"

# Census 2021: 19 categories in 5 groups.
ETHNIC_GROUPS: list[dict[str, str]] = [
    *_choices(
        ("asian_bangladeshi", "Bangladeshi"),
        ("asian_chinese", "Chinese"),
        ("asian_indian", "Indian"),
        ("asian_pakistani", "Pakistani"),
        ("asian_other", "Any other Asian background"),
        group=ASIAN,
    ),
    *_choices(
        ("black_african", "African"),
        ("black_caribbean", "Caribbean"),
        ("black_other", "Any other Black, Black British or Caribbean background"),
        group=BLACK,
    ),
    *_choices(
        ("mixed_white_asian", "White and Asian"),
        ("mixed_white_black_african", "White and Black African"),
        ("mixed_white_black_caribbean", "White and Black Caribbean"),
        ("mixed_other", "Any other Mixed or Multiple ethnic background"),
        group=MIXED,
    ),
    *_choices(
        ("white_british", "English, Welsh, Scottish, Northern Irish or British"),
        ("white_irish", "Irish"),
        ("white_gypsy_irish_traveller", "Gypsy or Irish Traveller"),
        ("white_roma", "Roma"),
        ("white_other", "Any other White background"),
        group=WHITE,
    ),
    *_choices(("other_arab", "Arab"), ("other_any", "Any other ethnic group"), group=OTHER),
]
# Offered as "<group>: <category>", so that each radio reads fully to a screen reader on its own.
for _choice in ETHNIC_GROUPS:
    _choice["label"] = f"{_choice['group']}: {_choice['label']}"

QUESTIONS: list[EqualityQuestion] = [
    EqualityQuestion(
        "age_band",
        "single_choice",
        "What is your age?",
        choices=[
            *_choices(
                ("under_16", "Under 16"),
                ("16_24", "16 to 24"),
                ("25_34", "25 to 34"),
                ("35_44", "35 to 44"),
                ("45_54", "45 to 54"),
                ("55_64", "55 to 64"),
                ("65_74", "65 to 74"),
                ("75_84", "75 to 84"),
                ("85_over", "85 or over"),
            ),
            PREFER_NOT_TO_SAY,
        ],
    ),
    EqualityQuestion(
        "sex",
        "single_choice",
        "What is your sex?",
        hint="A question about gender identity follows.",
        choices=[*_choices(("female", "Female"), ("male", "Male")), PREFER_NOT_TO_SAY],
    ),
    EqualityQuestion(
        "gender_identity_same",
        "single_choice",
        "Is the gender you identify with the same as your sex registered at birth?",
        hint="If you are under 16, you can skip this question.",
        choices=[*_choices(("yes", "Yes"), ("no", "No")), PREFER_NOT_TO_SAY],
    ),
    EqualityQuestion(
        "sexual_orientation",
        "single_choice",
        "Which of the following best describes your sexual orientation?",
        hint="If you are under 16, you can skip this question.",
        choices=[
            *_choices(
                ("straight", "Straight or heterosexual"),
                ("gay_lesbian", "Gay or lesbian"),
                ("bisexual", "Bisexual"),
                ("other", "Other sexual orientation"),
            ),
            PREFER_NOT_TO_SAY,
        ],
    ),
    EqualityQuestion(
        "ethnic_group",
        "single_choice",
        "What is your ethnic group?",
        hint="Choose the option that best describes your ethnic group or background.",
        choices=[*ETHNIC_GROUPS, PREFER_NOT_TO_SAY],
    ),
    EqualityQuestion(
        "long_term_condition",
        "single_choice",
        "Do you have any physical or mental health conditions or illnesses lasting or expected to last "
        "12 months or more?",
        choices=[*_choices(("yes", "Yes"), ("no", "No")), PREFER_NOT_TO_SAY],
    ),
    EqualityQuestion(
        "condition_limits_activities",
        "single_choice",
        "Do any of your conditions or illnesses reduce your ability to carry out day-to-day activities?",
        choices=[
            *_choices(
                ("yes_a_lot", "Yes, a lot"), ("yes_a_little", "Yes, a little"), ("not_at_all", "Not at all")
            ),
            PREFER_NOT_TO_SAY,
        ],
        show_if_question="long_term_condition",
        show_if_values=["yes"],
    ),
    EqualityQuestion(
        "religion",
        "single_choice",
        "What is your religion?",
        choices=[
            *_choices(
                ("none", "No religion"),
                ("christian", "Christian"),
                ("buddhist", "Buddhist"),
                ("hindu", "Hindu"),
                ("jewish", "Jewish"),
                ("muslim", "Muslim"),
                ("sikh", "Sikh"),
                ("other", "Any other religion"),
            ),
            PREFER_NOT_TO_SAY,
        ],
    ),
    EqualityQuestion(
        "carer",
        "single_choice",
        "Do you look after, or give any help or support to, anyone because they have long-term physical or "
        "mental health conditions or illnesses, or problems related to old age?",
        hint="Do not count anything you do as part of your paid employment.",
        choices=[
            *_choices(
                ("no", "No"),
                ("up_to_9", "Yes, 9 hours a week or less"),
                ("10_19", "Yes, 10 to 19 hours a week"),
                ("20_34", "Yes, 20 to 34 hours a week"),
                ("35_49", "Yes, 35 to 49 hours a week"),
                ("50_plus", "Yes, 50 or more hours a week"),
            ),
            PREFER_NOT_TO_SAY,
        ],
    ),
    EqualityQuestion(
        "postcode_district",
        "free_text",
        "What is the first part of your postcode?",
        hint="For example, LS12. We do not ask for your full postcode. Leave this blank if you prefer not to say.",
    ),
]
