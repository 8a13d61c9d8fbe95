"""A found identifier: where it is in the text and what kind it is."""

from __future__ import annotations

from typing import NamedTuple


class Span(NamedTuple):
    start: int
    end: int
    kind: str
