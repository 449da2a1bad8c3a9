"""The ceiling of `GET /api/positions`: the plainest implementation of the same answer.

A bare ASGI app (no framework, no ORM): the bearer token checked with PyJWT as
`server.auth.tokens` checks an access token, then ONE SQL statement through an aiomysql pool
that returns the caller's company's page of positions, newest id first, with its total (a
window count), encoded by msgspec to the JSON shape of ours (`{"items": [PositionOut...],
"total": n}`). It does less than ours on purpose (no session, role or company checks, no
transaction), so the ratio ours / this says how much of our time is not the database's.

    DATABASE_URL=mysql+aiomysql://root@127.0.0.1:3306/miraiworks_bench SECRET_KEY=... \
        python -m uvicorn bench.ceilings.raw_list:app --host 127.0.0.1 --port 8001 --workers 2
"""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import aiomysql
import jwt
import msgspec

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]
Lifespan = Callable[[], Awaitable[None]]
PageOf = Callable[[int, bytes], Awaitable[bytes]]

PAGE = """
SELECT p.id, p.company_id, p.title, p.description, p.requirements, p.location, p.employment_type,
       p.salary_range, p.experience_level, p.status, p.posted_date, p.application_deadline,
       p.is_remote, p.benefits, p.skills_required, p.skills_preferred, p.created_by,
       p.created_at, p.updated_at, COUNT(*) OVER () AS total
FROM users u
JOIN positions p ON p.company_id = u.company_id AND p.is_deleted = 0
WHERE u.id = %s AND u.is_deleted = 0
ORDER BY p.id DESC
LIMIT %s OFFSET %s
"""


class Item(msgspec.Struct):
    """`PositionOut`'s fields in its order, as plain values."""

    id: int
    company_id: int
    title: str
    description: str | None
    requirements: str | None
    location: str | None
    employment_type: str | None
    salary_range: str | None
    experience_level: str | None
    status: str
    posted_date: date | None
    application_deadline: date | None
    is_remote: bool
    benefits: str | None
    skills_required: list[str]
    skills_preferred: list[str]
    created_by: int
    created_at: datetime
    updated_at: datetime


class Page(msgspec.Struct):
    items: list[Item]
    total: int


ENCODER = msgspec.json.Encoder()
SKILLS = msgspec.json.Decoder(list[str])
UNAUTHORIZED = b'{"code":"invalid_token","detail":"The token is invalid or has expired."}'
NOT_FOUND = b'{"code":"not_found","detail":"Not found."}'


class State:
    pool: aiomysql.Pool | None = None


def connection_arguments(url: str) -> dict[str, Any]:
    """aiomysql's arguments from a `mysql[+driver]://user[:password]@host[:port]/db` URL."""
    parts = urlsplit(url)
    return {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 3306,
        "user": unquote(parts.username or "root"),
        "password": unquote(parts.password or ""),
        "db": parts.path.lstrip("/"),
    }


async def startup() -> None:
    # As many connections as ours may open per process (its pool plus as many overflow).
    size = int(os.environ.get("DB_POOL_SIZE") or 20) * 2
    State.pool = await aiomysql.create_pool(
        **connection_arguments(os.environ["DATABASE_URL"]),
        minsize=1,
        maxsize=size,
        autocommit=True,
        charset="utf8mb4",
    )


async def shutdown() -> None:
    if State.pool is not None:
        State.pool.close()
        await State.pool.wait_closed()


def caller(scope: Scope, key: str) -> int | None:
    """The user id of a valid access token (HS256, exp/sub/typ required, typ access, sid given)."""
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, token = value.decode("latin-1").partition(" ")
            if scheme.lower() != "bearer":
                return None
            try:
                claims = jwt.decode(
                    token, key, algorithms=["HS256"], options={"require": ["exp", "sub", "typ"]}
                )
                if claims.get("typ") != "access" or "sid" not in claims:
                    return None
                return int(claims["sub"])
            except (jwt.PyJWTError, ValueError):
                return None
    return None


def item(row: tuple[Any, ...]) -> Item:
    (
        id_,
        company_id,
        title,
        description,
        requirements,
        location,
        employment_type,
        salary_range,
        experience_level,
        status,
        posted_date,
        deadline,
        is_remote,
        benefits,
        required,
        preferred,
        created_by,
        created_at,
        updated_at,
        _total,
    ) = row
    return Item(
        id=id_,
        company_id=company_id,
        title=title,
        description=description,
        requirements=requirements,
        location=location,
        employment_type=employment_type,
        salary_range=salary_range,
        experience_level=experience_level,
        status=status,
        posted_date=posted_date,
        application_deadline=deadline,
        is_remote=bool(is_remote),
        benefits=benefits,
        skills_required=SKILLS.decode(required) if required else [],
        skills_preferred=SKILLS.decode(preferred) if preferred else [],
        created_by=created_by,
        created_at=created_at.replace(tzinfo=UTC),
        updated_at=updated_at.replace(tzinfo=UTC),
    )


def bounded(query: dict[str, list[str]], name: str, default: int, low: int, high: int) -> int:
    try:
        value = int(query[name][0]) if name in query else default
    except ValueError:
        return default
    return min(max(value, low), high)


async def page(user_id: int, query_string: bytes) -> bytes:
    query = parse_qs(query_string.decode("latin-1"))
    limit = bounded(query, "limit", 20, 1, 200)
    offset = bounded(query, "offset", 0, 0, 2**31 - 1)
    assert State.pool is not None
    async with State.pool.acquire() as connection, connection.cursor() as cursor:
        await cursor.execute(PAGE, (user_id, limit, offset))
        rows = await cursor.fetchall()
    total = rows[0][19] if rows else 0
    return ENCODER.encode(Page(items=[item(row) for row in rows], total=total))


async def respond(send: Send, status: int, body: bytes) -> None:
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def positions_app(startup: Lifespan, shutdown: Lifespan, page: PageOf) -> App:
    """A bare ASGI app that answers only `GET /api/positions`, for a valid access token signed
    with SECRET_KEY, with the body `page` makes for the caller: both list ceilings are this
    and their own page, so they differ only where the work does."""
    key = ""

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        nonlocal key
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    key = os.environ["SECRET_KEY"]
                    await startup()
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await shutdown()
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        if scope["method"] != "GET" or scope["path"].rstrip("/") != "/api/positions":
            await respond(send, 404, NOT_FOUND)
            return
        user_id = caller(scope, key)
        if user_id is None:
            await respond(send, 401, UNAUTHORIZED)
            return
        await respond(send, 200, await page(user_id, scope["query_string"]))

    return app


app = positions_app(startup, shutdown, page)
