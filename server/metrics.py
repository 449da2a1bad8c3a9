"""Prometheus metrics, served at `GET /metrics` in the text exposition format.

The transports count at their edges: HTTP requests in `server.edge` (by route template, never
the raw path), sockets and client events in `realtime`, job runs in the queues of
`server.jobs`, database connections by the pool's own events. Services never count anything.

- `miraiworks_http_requests_total{method, route, status}` (counter): `route` is the template,
  `unmatched` when no route matched.
- `miraiworks_http_request_duration_seconds{method, route}` (histogram).
- `miraiworks_http_requests_in_progress` (gauge).
- `miraiworks_sockets_connected` (gauge).
- `miraiworks_socket_events_total{event, result}` (counter): `event` is a declared name (`unknown`
  for any other), `result` is `ok` or the ack's error code.
- `miraiworks_socket_event_duration_seconds{event}` (histogram).
- `miraiworks_jobs_total{job, state}` (counter): `queued` (enqueued; with Redis, SAQ's own periodic
  ticks are not counted), `running` (a run started), `done`, `failed` (a run raised; a retry is
  another run), `cancelled` (a run stopped with its process).
- `miraiworks_jobs_running{job}` (gauge).
- `miraiworks_db_pool_checked_out`, `miraiworks_db_pool_size` (gauges): connections handed out now,
  and the pools' configured size (overflow excluded).
- `miraiworks_live_rooms`, `miraiworks_live_participants` (gauges): read from the live-room store
  when scraped; participants include the lobby and seats in their grace period.

Processes: each uvicorn worker is a process with its own counters. With
`PROMETHEUS_MULTIPROC_DIR` set (a directory every process of the machine can write, emptied
before the server starts: `miraiworks serve` empties it), prometheus_client keeps them in files
there and any process's `/metrics` answers for all of them: counters and histograms summed,
gauges summed over live processes. Without it, `/metrics` answers for the process that served
the scrape. The live rooms and participants are read from the shared store (Redis in
production), so they are the cluster's totals whichever process answers.

`METRICS_TOKEN`: when set, `/metrics` wants `Authorization: Bearer <token>` (401 otherwise);
when unset it is open, for a scraper on a private network (keep it off the public listener).
"""

from __future__ import annotations

import hmac
import logging
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from litestar import Request, Response, get
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from server.errors import ErrorBody, error_response

if TYPE_CHECKING:
    from prometheus_client.metrics_core import Metric

    from server.context import AppContext

log = logging.getLogger(__name__)

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
UNMATCHED_ROUTE = "unmatched"
UNKNOWN_EVENT = "unknown"

HTTP_REQUESTS = Counter(
    "miraiworks_http_requests_total", "HTTP requests answered.", ["method", "route", "status"]
)
HTTP_DURATION = Histogram(
    "miraiworks_http_request_duration_seconds",
    "Time from a request's arrival to the end of its answer.",
    ["method", "route"],
)
HTTP_IN_PROGRESS = Gauge(
    "miraiworks_http_requests_in_progress", "HTTP requests being answered.", multiprocess_mode="livesum"
)
SOCKETS_CONNECTED = Gauge(
    "miraiworks_sockets_connected", "Socket.IO connections open.", multiprocess_mode="livesum"
)
SOCKET_EVENTS = Counter(
    "miraiworks_socket_events_total", "Client events answered, by their ack.", ["event", "result"]
)
SOCKET_EVENT_DURATION = Histogram(
    "miraiworks_socket_event_duration_seconds", "Time to answer a client event.", ["event"]
)
JOBS = Counter("miraiworks_jobs_total", "Background job transitions.", ["job", "state"])
JOBS_RUNNING = Gauge("miraiworks_jobs_running", "Job runs in progress.", ["job"], multiprocess_mode="livesum")
DB_POOL_CHECKED_OUT = Gauge(
    "miraiworks_db_pool_checked_out", "Database connections checked out.", multiprocess_mode="livesum"
)
DB_POOL_SIZE = Gauge(
    "miraiworks_db_pool_size", "Configured size of the database pools.", multiprocess_mode="livesum"
)


def http_request(method: str, route: str, status: int, seconds: float) -> None:
    HTTP_REQUESTS.labels(method, route, str(status)).inc()
    HTTP_DURATION.labels(method, route).observe(seconds)


def socket_event(name: str, ack: Mapping[str, Any], seconds: float) -> None:
    """Count one answered client event by its ack: `ok`, or the error code."""
    SOCKET_EVENTS.labels(name, ack_result(ack)).inc()
    SOCKET_EVENT_DURATION.labels(name).observe(seconds)


def ack_result(ack: Mapping[str, Any]) -> str:
    if ack.get("ok") is True:
        return "ok"
    error = ack.get("error")
    code = error.get("code") if isinstance(error, dict) else None
    return code if isinstance(code, str) else "error"


def job_queued(job: str) -> None:
    JOBS.labels(job, "queued").inc()


class JobRun:
    """`with JobRun(name):` around one run of a job's function: running, then done or failed."""

    def __init__(self, job: str) -> None:
        self.job = job

    def __enter__(self) -> JobRun:
        JOBS.labels(self.job, "running").inc()
        JOBS_RUNNING.labels(self.job).inc()
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        JOBS_RUNNING.labels(self.job).dec()
        if kind is None:
            state = "done"
        elif issubclass(kind, Exception):
            state = "failed"
        else:
            state = "cancelled"  # stopped with its process (SAQ queues it again)
        JOBS.labels(self.job, state).inc()


def watch_pool(engine: AsyncEngine) -> None:
    """Count this engine's checked-out connections and add its pool's size, until disposed."""
    sync_engine = engine.sync_engine
    size = getattr(engine.pool, "size", None)
    pool_size = size() if callable(size) else 0
    DB_POOL_SIZE.inc(pool_size)

    def checked_out(*_: Any) -> None:
        DB_POOL_CHECKED_OUT.inc()

    def checked_in(*_: Any) -> None:
        DB_POOL_CHECKED_OUT.dec()

    counted = [pool_size]

    def disposed(*_: Any) -> None:
        # Not `once=True`: a listener that removes itself while SQLAlchemy iterates the
        # listeners raises "deque mutated during iteration" when another engine is disposed.
        DB_POOL_SIZE.dec(counted[0])
        counted[0] = 0

    event.listen(sync_engine, "checkout", checked_out)
    event.listen(sync_engine, "checkin", checked_in)
    event.listen(sync_engine, "engine_disposed", disposed)


class _Snapshot(Collector):
    """Gauges read just before the scrape (the live-room store is async, collectors are not)."""

    def __init__(self, values: Iterable[tuple[str, str, float]]) -> None:
        self.values = list(values)

    def collect(self) -> Iterable[Metric]:
        for name, documentation, value in self.values:
            family = GaugeMetricFamily(name, documentation)
            family.add_metric([], value)
            yield family


async def live_room_gauges(ctx: AppContext) -> list[tuple[str, str, float]]:
    try:
        rooms, participants = await ctx.rooms.census()
    except Exception as exc:  # the store is down: the other metrics still answer
        log.warning("live rooms left out of /metrics: %s", exc)
        return []
    return [
        ("miraiworks_live_rooms", "Live rooms with at least one participant (every process).", rooms),
        (
            "miraiworks_live_participants",
            "Participants holding a seat in a live room, lobby and grace period included (every process).",
            participants,
        ),
    ]


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or None


def exposition(snapshot: Iterable[tuple[str, str, float]] = ()) -> bytes:
    """The text exposition of every process's metrics (one process's without multiprocess mode)."""
    if multiprocess_dir():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry = REGISTRY
    extra = CollectorRegistry()
    extra.register(_Snapshot(snapshot))
    return generate_latest(registry) + generate_latest(extra)


def prepare_multiprocess_dir() -> None:
    """Empty PROMETHEUS_MULTIPROC_DIR of a previous run's files (before any worker starts)."""
    directory = multiprocess_dir()
    if directory is None:
        return
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("*.db"):
        stale.unlink(missing_ok=True)


def process_stopped() -> None:
    """This process's live gauges no longer count (called as a worker stops)."""
    if multiprocess_dir():
        multiprocess.mark_process_dead(os.getpid())  # type: ignore[no-untyped-call]


def _authorized(request: Request[Any, Any, Any], token: str | None) -> bool:
    if token is None:
        return True
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


@get("/metrics", include_in_schema=False, name="metrics")
async def metrics_endpoint(request: Request[Any, Any, Any]) -> Response[Any]:
    ctx: AppContext = request.app.state.ctx
    if not _authorized(request, ctx.settings.metrics_token):
        return error_response(
            ErrorBody(401, "unauthorized", "A bearer token (METRICS_TOKEN) is required."),
            {"WWW-Authenticate": 'Bearer realm="metrics"'},
        )
    body = exposition(await live_room_gauges(ctx))
    return Response(body, media_type=CONTENT_TYPE_LATEST, status_code=200)
