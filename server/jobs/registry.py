"""The jobs one queue knows, as the domain manifests declare them, and what both queues share.

Both queues hand a job function its keyword arguments the way JSON decodes them (SAQ stores
them as JSON in Redis), so a job behaves the same on the embedded default and in production,
and a value JSON cannot carry (a datetime, a struct) is refused when it is enqueued rather than
when it runs. Keys are per job name: `interviews.reminder` and another job may use the same key.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from typing import Any

from croniter import croniter

from server.jobs import Job, Periodic


class UnknownJob(LookupError):
    """A job name no manifest declared (or a process that never installed the manifests)."""


class Registry:
    def __init__(self) -> None:
        self.jobs: dict[str, Job] = {}
        self._periodic: list[Periodic] = []

    def add(self, jobs: Iterable[Job], periodic: Iterable[Periodic] = ()) -> None:
        for job in jobs:
            known = self.jobs.get(job.name)
            if known is not None and known != job:
                raise ValueError(f"two jobs are named {job.name!r}")
            self.jobs[job.name] = job
        for entry in periodic:
            if not croniter.is_valid(entry.cron):
                raise ValueError(f"periodic job {entry.job!r} has an invalid cron {entry.cron!r}")
            if entry not in self._periodic:
                self._periodic.append(entry)

    def job(self, name: str) -> Job:
        try:
            return self.jobs[name]
        except KeyError:
            raise UnknownJob(f"no manifest declares a job named {name!r}") from None

    def periodic(self) -> list[tuple[Periodic, Job]]:
        """Every periodic job with its declaration (a periodic job must name a declared job)."""
        return [(entry, self.job(entry.job)) for entry in self._periodic]


def encoded(kwargs: dict[str, Any]) -> str:
    """The job's arguments as JSON; TypeError for a value JSON cannot carry."""
    return json.dumps(kwargs)


def unique_key(job: str, key: str | None) -> str:
    """The queue's key of one job: `<job>:<key>`, or a fresh one when the caller gave none."""
    return f"{job}:{key if key is not None else uuid.uuid4().hex}"
