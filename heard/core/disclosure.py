"""Small numbers protected: the one function every figure passes through before it leaves the building.

Exports, published pages and reports show a count only after ``protected``. The rule is the organisation's
(``Organisation.suppress_below`` and ``round_to``), by default NHS Digital's for sub-national counts: 1 to 7 shown
as ``*``, everything else rounded to the nearest 5. Zero stays zero: it discloses nobody. Percentages are
worked out from protected counts by ``protected_share``, so a share cannot give a hidden count away.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from heard.core.models import Organisation

HIDDEN = "*"


@dataclass(frozen=True)
class SmallNumberRule:
    suppress_below: int = 8
    round_to: int = 5

    @classmethod
    def of(cls, organisation: Organisation) -> SmallNumberRule:
        return cls(suppress_below=organisation.suppress_below, round_to=organisation.round_to)

    def describe(self) -> str:
        parts = []
        if self.suppress_below > 1:
            parts.append(f"counts from 1 to {self.suppress_below - 1} are shown as {HIDDEN}")
        if self.round_to > 1:
            parts.append(f"other counts are rounded to the nearest {self.round_to}")
        return ("; ".join(parts) + ".").capitalize() if parts else "Counts are shown as they are."


NHS_DIGITAL = SmallNumberRule()


def protected_value(count: int, rule: SmallNumberRule = NHS_DIGITAL) -> int | None:
    """The count as it may be shown: None where it is hidden."""
    if count < 0:
        raise ValueError("A count cannot be negative.")
    if count == 0:
        return 0
    if count < rule.suppress_below:
        return None
    if rule.round_to <= 1:
        return count
    # Half-way rounds up (12.5 -> 15), as the published tables do; never down to a hidden value.
    rounded = int((count + rule.round_to / 2) // rule.round_to * rule.round_to)
    return max(rounded, rule.round_to)


def protected(count: int, rule: SmallNumberRule = NHS_DIGITAL) -> str:
    """The count as text, ready for a cell or a page: ``*`` where it is hidden, with thousands separated."""
    value = protected_value(count, rule)
    return HIDDEN if value is None else f"{value:,}"


def protected_ratio(part: int, whole: int, rule: SmallNumberRule = NHS_DIGITAL) -> float | None:
    """``part / whole`` from protected counts: None when either count is hidden or the whole is zero."""
    shown_part, shown_whole = protected_value(part, rule), protected_value(whole, rule)
    if shown_part is None or not shown_whole:
        return None
    return shown_part / shown_whole


def protected_share(part: int, whole: int, rule: SmallNumberRule = NHS_DIGITAL) -> str:
    """A percentage from protected counts: ``*`` when either count is hidden or the whole is zero."""
    ratio = protected_ratio(part, whole, rule)
    return HIDDEN if ratio is None else f"{round(100 * ratio)}%"
