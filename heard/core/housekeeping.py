"""Routine upkeep that each app contributes: retention, expired sessions, expired drafts.

Core cannot import the apps that read from it, so each app registers its jobs in ``AppConfig.ready()``, and
``heard housekeeping`` (run daily from cron or a systemd timer; docs/operations.md) queues them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class HousekeepingJob:
    name: str
    description: str
    enqueue: Callable[[], object]


_jobs: dict[str, HousekeepingJob] = {}


def housekeeping_register(job: HousekeepingJob) -> None:
    _jobs[job.name] = job


def housekeeping_jobs() -> list[HousekeepingJob]:
    return sorted(_jobs.values(), key=lambda job: job.name)
