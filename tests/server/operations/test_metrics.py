"""/metrics: what each transport counts, asserted exactly (as differences: the registry is the
process's), its bearer token, and the multi-process mode."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
from litestar.testing import AsyncTestClient
from prometheus_client.parser import text_string_to_metric_families

from server.asgi import create
from server.context import AppContext
from server.domains.meetings.live.state import Member, Standing
from server.jobs import Job
from server.jobs.inprocess import InProcessQueue
from server.settings import Settings
from tests.realtime.fixtures import ClientFactory, Office
from tests.realtime.harness import LiveServer

ROOT = Path(__file__).resolve().parents[3]
Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def parse(text: str) -> Samples:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


async def scrape(get: Callable[[str], Awaitable[Any]]) -> Samples:
    r = await get("/metrics")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/plain")
    return parse(r.text)


async def test_requests_are_counted_by_route_template_and_status(client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    before = await scrape(client.get)
    assert (await client.get("/health/live")).status_code == 200
    assert (await client.get("/health/live")).status_code == 200
    assert (await client.get("/api/public/positions/987654")).status_code == 404
    assert (await client.get("/no/such/page/here.php")).status_code == 404
    after = await scrape(client.get)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    requests = "miraiworks_http_requests_total"
    assert delta(requests, method="GET", route="/health/live", status="200") == 2
    assert delta(requests, method="GET", route="unmatched", status="404") == 1
    assert delta(requests, method="GET", route="/metrics", status="200") == 1  # the first scrape
    [position_route] = {
        dict(labels)["route"]
        for (name, labels), _ in after.items()
        if name == requests and "/api/public/positions/{" in dict(labels).get("route", "")
    }
    assert delta(requests, method="GET", route=position_route, status="404") == 1
    histogram = "miraiworks_http_request_duration_seconds_count"
    assert delta(histogram, method="GET", route="/health/live") == 2
    assert value(after, "miraiworks_http_requests_in_progress") == 1  # this scrape
    labels_seen = {v for (_, labels) in after for _, v in labels}
    assert not any("987654" in v or "here.php" in v for v in labels_seen), "raw paths became labels"


async def test_metrics_want_the_bearer_token_when_one_is_set(settings: Settings) -> None:
    guarded = dataclasses.replace(settings, metrics_token="scrape-secret")
    async with AsyncTestClient(app=create(guarded)) as client:
        missing = await client.get("/metrics")
        wrong = await client.get("/metrics", headers={"Authorization": "Bearer nope"})
        right = await client.get("/metrics", headers={"Authorization": "Bearer scrape-secret"})
    assert (missing.status_code, wrong.status_code, right.status_code) == (401, 401, 200)
    assert set(missing.json()) == {"status", "code", "detail", "errors"}
    assert missing.json()["code"] == "unauthorized"
    assert "miraiworks_http_requests_total" in right.text


async def test_the_pool_gauges_follow_checkouts_and_engines(settings: Settings) -> None:
    async with AsyncTestClient(app=create(settings)) as first:
        before = await scrape(first.get)
        app = create(settings)
        async with AsyncTestClient(app=app) as second:
            engine = app.other_asgi_app.state.ctx.engine
            with_second = await scrape(second.get)
            async with engine.connect():
                holding = await scrape(second.get)
            released = await scrape(second.get)
        gone = await scrape(first.get)
    size, out = "miraiworks_db_pool_size", "miraiworks_db_pool_checked_out"
    assert value(with_second, size) - value(before, size) == 5  # db_pool_size, and SQLite's default
    assert value(holding, out) - value(with_second, out) == 1
    assert value(released, out) == value(with_second, out)
    assert value(gone, size) == value(before, size)


async def test_sockets_and_their_events_are_counted_by_name_and_result(
    live: LiveServer, office: Office, connect: ClientFactory, http: httpx.AsyncClient
) -> None:
    before = await scrape(http.get)
    alice = await connect(office.alice.token)
    connected = await scrape(http.get)
    assert (await alice.call("presence:set", {"status": "away"}))["ok"] is True
    assert (await alice.call("presence:set", {"status": "away"}))["ok"] is True
    bad = await alice.call("message:send", {"to": "nobody", "content": "x"})
    assert bad["error"]["code"] == "validation_error"
    assert (await alice.call("no:such-event", {}))["error"]["code"] == "unknown_event"
    after = await scrape(http.get)
    await alice.close()
    for _ in range(100):
        closed = await scrape(http.get)
        if value(closed, "miraiworks_sockets_connected") == value(before, "miraiworks_sockets_connected"):
            break

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    events = "miraiworks_socket_events_total"
    gauge = "miraiworks_sockets_connected"
    assert value(connected, gauge) - value(before, gauge) == 1
    assert delta(events, event="presence:set", result="ok") == 2
    assert delta(events, event="message:send", result="validation_error") == 1
    assert delta(events, event="unknown", result="unknown_event") == 1
    assert delta("miraiworks_socket_event_duration_seconds_count", event="presence:set") == 2
    assert not any("no:such-event" in v for (_, labels) in after for _, v in labels)
    assert value(closed, gauge) == value(before, gauge)


def _member(participant_id: int, sid: str) -> Member:
    return Member(
        participant_id=participant_id,
        user_id=participant_id,
        display_name=f"P{participant_id}",
        sid=sid,
        seat=f"seat-{participant_id}",
        role="guest",
        standing=Standing.JOINED,
    )


async def test_live_rooms_and_participants_are_read_from_the_room_store(
    live: LiveServer, http: httpx.AsyncClient
) -> None:
    empty = await scrape(http.get)
    assert value(empty, "miraiworks_live_rooms") == 0
    assert value(empty, "miraiworks_live_participants") == 0
    rooms = live.ctx.rooms
    await rooms.put("meeting:1", _member(1, "s1"), 30)
    await rooms.put("meeting:1", _member(2, "s2"), 30)
    await rooms.put("call:7", _member(3, "s3"), 30)
    full = await scrape(http.get)
    assert value(full, "miraiworks_live_rooms") == 2
    assert value(full, "miraiworks_live_participants") == 3
    await rooms.drop("call:7", 3)
    fewer = await scrape(http.get)
    assert (value(fewer, "miraiworks_live_rooms"), value(fewer, "miraiworks_live_participants")) == (1, 2)


async def test_jobs_are_counted_by_name_and_state(ctx: AppContext, client: AsyncTestClient) -> None:  # type: ignore[type-arg]
    async def works(_: AppContext) -> None:
        return None

    async def breaks(_: AppContext) -> None:
        raise RuntimeError("on purpose")

    queue = InProcessQueue(jitter=lambda: 0.0)
    queue.register([Job("ops.works", works), Job("ops.breaks", breaks, retries=1, retry_delay_seconds=0.01)])
    before = await scrape(client.get)
    await queue.start(ctx)
    try:
        await queue.enqueue("ops.works")
        await queue.enqueue("ops.works", key="k")
        await queue.enqueue("ops.works", key="k")  # pending already: not queued again
        await queue.enqueue("ops.breaks")
        for _ in range(200):
            if not queue.pending():
                break
            await queue.settle()
    finally:
        await queue.stop()
    after = await scrape(client.get)

    def delta(job: str, state: str) -> float:
        labels = {"job": job, "state": state}
        return value(after, "miraiworks_jobs_total", **labels) - value(
            before, "miraiworks_jobs_total", **labels
        )

    assert [delta("ops.works", s) for s in ("queued", "running", "done", "failed")] == [2, 2, 2, 0]
    assert [delta("ops.breaks", s) for s in ("queued", "running", "done", "failed")] == [1, 2, 0, 2]
    assert value(after, "miraiworks_jobs_running", job="ops.works") == 0


_BUMP = """
from server import metrics
metrics.http_request("GET", "/health/live", 200, 0.01)
metrics.SOCKETS_CONNECTED.inc()
"""
_READ = """
import sys
from server import metrics
sys.stdout.write(metrics.exposition().decode())
"""


def test_multiprocess_mode_adds_up_every_process(tmp_path: Path) -> None:
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    for _ in range(2):
        subprocess.run([sys.executable, "-c", _BUMP], cwd=ROOT, env=env, check=True)  # noqa: S603
    text = subprocess.run(  # noqa: S603
        [sys.executable, "-c", _READ], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    samples = parse(text)
    assert (
        value(samples, "miraiworks_http_requests_total", method="GET", route="/health/live", status="200")
        == 2
    )
    # Live gauges count the processes that did not say they stopped (these two never did).
    assert value(samples, "miraiworks_sockets_connected") == 2
