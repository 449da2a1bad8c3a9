"""Which job queue a process gets: SAQ on Redis when `REDIS_URL` is set, else the in-process runner.

| | embedded default (no `REDIS_URL`) | production (`REDIS_URL`) |
|---|---|---|
| where jobs wait | this process's memory (lost with a restart) | Redis (survive any restart) |
| who runs them | the one server process (`start`, from the app's lifespan) | `miraiworks worker` processes |
| a web process | runs them | only enqueues |
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from server.jobs.inprocess import InProcessQueue
from server.jobs.redis_queue import SaqQueue
from server.settings import Settings

if TYPE_CHECKING:
    from server.jobs import JobQueue


def create_job_queue(settings: Settings) -> JobQueue:
    if settings.redis_url:
        return SaqQueue(settings.redis_url, heartbeat_seconds=settings.job_heartbeat_seconds)
    return InProcessQueue()
