"""A starting codebook with the structure of the FFT-QDC framework (NHS England and Nottinghamshire Healthcare's
qualitative data categorisation for Friends and Family Test comments): ten categories and their sub-categories.

The descriptions are written here, in plain words, as a start: organisations rename, describe and add to them.
"""

from __future__ import annotations

STARTER_NAME = "Patient experience (FFT-QDC structure)"
STARTER_DESCRIPTION = (
    "Ten categories of what people tell us about care, following the structure of the FFT-QDC framework for "
    "Friends and Family Test comments. A starting point: rename, describe and add themes to suit your services."
)

# (category, [(theme, description)])
STARTER: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "General",
        [
            ("Positive experience and thanks", "Overall praise, thanks, or saying the care was good."),
            (
                "Organisation and efficiency",
                "How well the service is run: smooth or chaotic, joined up or not.",
            ),
            ("Funding and use of money", "Money spent, wasted or needed; charges; cuts to the service."),
            ("Feeling safe", "Whether the person felt safe, or felt at risk, while in our care."),
            ("Cannot be coded", 'No answer, or too little to say what it is about ("nothing", "n/a").'),
        ],
    ),
    (
        "Staff",
        [
            (
                "Staff manner and attitude",
                "Kindness, politeness, compassion, rudeness or dismissiveness of staff.",
            ),
            (
                "Staff skill and training",
                "Whether staff knew what they were doing; professionalism and expertise.",
            ),
            (
                "Staffing levels and responsiveness",
                "Enough staff or too few; how quickly staff came when needed.",
            ),
        ],
    ),
    (
        "Access to services",
        [
            ("Getting in touch", "Phoning, messaging or reaching the service; lines busy or unanswered."),
            ("Appointment arrangements", "Booking, changing or cancelling appointments; letters about them."),
            ("How appointments happen", "In person, by phone or video; the choice offered or missing."),
            ("Waiting and timeliness", "Waiting times, delays, being seen on time or late."),
        ],
    ),
    (
        "Communication and involvement",
        [
            (
                "Listening and involving",
                "Being listened to, understood, and involved in decisions about care.",
            ),
            ("Information during care", "What staff explained in the room: diagnosis, treatment, what next."),
            (
                "Information and guidance",
                "Leaflets, websites, signposting and advice outside the appointment.",
            ),
            (
                "Kept informed",
                "Updates while waiting, clear and consistent messages, or being left in the dark.",
            ),
            ("Family and carers", "How staff involved, informed or treated family members and carers."),
            ("Records and letters", "Mistakes in records, letters not sent, information not shared."),
        ],
    ),
    (
        "Mental Health Act",
        [("Mental Health Act", "Detention, sectioning, rights under the Act and how they were explained.")],
    ),
    (
        "Patient journey",
        [
            (
                "Continuity and referrals",
                "Seeing the same people; referrals between services; being passed on.",
            ),
            ("Discharge", "Leaving hospital or a service: planning, timing and what support followed."),
        ],
    ),
    (
        "Medication and pain",
        [
            ("Medication", "Getting, understanding or having problems with medicines and prescriptions."),
            ("Pain", "Pain relief, or pain not being taken seriously."),
        ],
    ),
    (
        "Activities",
        [("Activities and time outside", "Things to do, therapies and groups, fresh air and leave.")],
    ),
    (
        "Environment, equipment and food",
        [
            ("Cleanliness", "Clean or dirty wards, toilets and equipment; infection control."),
            ("Food and drink", "Meals, drinks, choice, quality and help with eating."),
            (
                "Buildings and facilities",
                "Rooms, beds, signs, seating, toilets and how easy they are to use.",
            ),
            (
                "Noise, light and comfort",
                "What it was like to be there: noise, light, temperature, smells, rest.",
            ),
            ("Medical equipment", "Equipment and aids provided, missing or faulty."),
        ],
    ),
    (
        "Location and travel",
        [
            ("Travel and transport", "Patient transport, buses, taxis and the journey to and from care."),
            ("Parking", "Finding a space, the cost of parking, and parking for blue badge holders."),
            ("Where the service is", "How near or far the service is; moving services to another place."),
        ],
    ),
]
