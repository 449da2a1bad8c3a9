"""Socket events when the database or Redis fails them for a moment: a unit of work that met
contention is run again (once committed, once pushed), contention that outlasts the retries
acks `busy`, and an unreachable database or Redis acks `service_unavailable`, never
`internal_error`."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pymysql
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from models import Message
from server.context import AppContext
from server.db import create_engine, create_sessionmaker
from server.domains.messages.services import MessagesService
from server.retry import ATTEMPTS
from server.settings import Settings
from tests.realtime.fixtures import ClientFactory, Office
from tests.realtime.harness import LiveServer, RedisServer, free_port
from tests.realtime.test_connect import refused


def deadlock() -> OperationalError:
    found = pymysql.err.OperationalError(
        1213, "Deadlock found when trying to get lock; try restarting transaction"
    )
    return OperationalError("INSERT INTO messages ...", {}, found)


def deadlocking(monkeypatch: pytest.MonkeyPatch, times: int) -> list[int]:
    """Sending deadlocks, after doing all its work, the first `times` times; counts the tries."""
    tries: list[int] = []
    send = MessagesService.send

    async def deadlocked_send(self: MessagesService, *args: Any, **kwargs: Any) -> Any:
        answer = await send(self, *args, **kwargs)
        tries.append(len(tries) + 1)
        if len(tries) <= times:
            raise deadlock()
        return answer

    monkeypatch.setattr(MessagesService, "send", deadlocked_send)
    return tries


def failed(code: str, message: str, request_id: str = "r") -> dict[str, Any]:
    return {"ok": False, "request_id": request_id, "error": {"code": code, "message": message, "errors": []}}


async def test_a_deadlocked_event_is_run_again_and_delivered_once(
    connect: ClientFactory, office: Office, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    bob = await connect(office.bob.token)
    alice = await connect(office.alice.token)
    tries = deadlocking(monkeypatch, times=2)

    ack = await alice.call("message:send", {"request_id": "r", "to": office.bob.id, "content": "もう一度"})

    assert (ack["ok"], ack["message"]["content"], tries) == (True, "もう一度", [1, 2, 3])
    [pushed] = await bob.wait_for("message:new")
    assert pushed["id"] == ack["message"]["id"]
    async with ctx.sessionmaker() as db:
        assert await db.scalar(select(func.count()).select_from(Message)) == 1


async def test_contention_past_the_retries_acks_busy(
    connect: ClientFactory, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    alice = await connect(office.alice.token)
    tries = deadlocking(monkeypatch, times=ATTEMPTS)

    ack = await alice.call("message:send", {"request_id": "r", "to": office.bob.id, "content": "混雑"})

    assert ack == failed("busy", "Other changes to the same records kept this one waiting; try again.")
    assert len(tries) == ATTEMPTS


async def test_without_the_database_an_event_acks_service_unavailable(
    live: LiveServer, connect: ClientFactory, office: Office
) -> None:
    alice = await connect(office.alice.token)
    reachable = live.ctx.sessionmaker
    nowhere = create_engine(f"mysql+aiomysql://root@127.0.0.1:{free_port()}/miraiworks", pool_size=1)
    live.ctx.sessionmaker = create_sessionmaker(nowhere)
    try:
        ack = await alice.call(
            "message:send", {"request_id": "r", "to": office.bob.id, "content": "届かない"}
        )
    finally:
        live.ctx.sessionmaker = reachable
        await nowhere.dispose()

    assert ack == failed("service_unavailable", "The database is unreachable; try again shortly.")


async def test_without_the_database_a_connect_is_refused_with_service_unavailable(
    live: LiveServer, office: Office
) -> None:
    reachable = live.ctx.sessionmaker
    nowhere = create_engine(f"mysql+aiomysql://root@127.0.0.1:{free_port()}/miraiworks", pool_size=1)
    live.ctx.sessionmaker = create_sessionmaker(nowhere)
    try:
        errors = await refused(live, {"token": office.alice.token})
    finally:
        live.ctx.sessionmaker = reachable
        await nowhere.dispose()

    message = "The database is unreachable; try again shortly."
    assert errors == [{"message": message, "data": {"code": "service_unavailable", "message": message}}]


@pytest.fixture
async def own_redis(tmp_path: Path) -> AsyncIterator[RedisServer]:
    server = RedisServer(tmp_path)
    await server.start()
    yield server
    server.kill()


@pytest.fixture
def settings(settings: Settings, request: pytest.FixtureRequest) -> Settings:
    if "own_redis" not in request.fixturenames:
        return settings
    own: RedisServer = request.getfixturevalue("own_redis")
    return dataclasses.replace(settings, redis_url=own.url)


async def test_without_redis_an_event_acks_service_unavailable(
    own_redis: RedisServer, connect: ClientFactory, office: Office
) -> None:
    alice = await connect(office.alice.token)
    own_redis.kill()

    ack = await alice.call("presence:set", {"request_id": "r", "status": "away"})

    assert ack == failed("service_unavailable", "Redis is unreachable; try again shortly.")
