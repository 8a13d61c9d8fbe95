"""The one small-number rule for every figure that leaves the building."""

from __future__ import annotations

import pytest

from heard.core.disclosure import NHS_DIGITAL, SmallNumberRule, protected, protected_share, protected_value


@pytest.mark.parametrize(
    ("count", "shown"),
    [
        (0, "0"),
        (1, "*"),
        (7, "*"),
        (8, "10"),
        (12, "10"),
        (13, "15"),
        (17, "15"),
        (18, "20"),
        (1234, "1,235"),
    ],
)
def test_nhs_digital_rule_hides_one_to_seven_and_rounds_the_rest_to_five(count: int, shown: str) -> None:
    assert protected(count) == shown


def test_the_fft_publication_rule_hides_counts_under_five_and_shows_the_rest() -> None:
    fft = SmallNumberRule(suppress_below=5, round_to=1)

    assert [protected(n, fft) for n in (0, 4, 5, 6, 103)] == ["0", "*", "5", "6", "103"]


def test_a_percentage_is_worked_out_from_protected_counts_so_it_cannot_reveal_a_hidden_one() -> None:
    assert protected_share(3, 40) == "*"
    assert protected_share(12, 40) == "25%"  # 10 of 40, not 12 of 40 (30%)
    assert protected_share(0, 0) == "*"


def test_the_rule_says_what_it_does_in_words() -> None:
    assert (
        NHS_DIGITAL.describe()
        == "Counts from 1 to 7 are shown as *; other counts are rounded to the nearest 5."
    )
    assert SmallNumberRule(1, 1).describe() == "Counts are shown as they are."


def test_a_negative_count_is_a_mistake_not_a_figure() -> None:
    with pytest.raises(ValueError):
        protected_value(-1)


@pytest.mark.django_db
def test_each_organisation_starts_with_nhs_digitals_rule(leeds) -> None:  # type: ignore[no-untyped-def]
    assert SmallNumberRule.of(leeds) == NHS_DIGITAL
