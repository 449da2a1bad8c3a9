"""The ceiling of the message benchmarks: the plainest server doing the same work as ours.

python-socketio's AsyncServer with its Redis manager, served by uvicorn on a host and port the
way `miraiworks serve` is: a connect is a PyJWT check of the access token and entering the
room `user:<id>`; `message:send` is ONE INSERT (autocommit, aiomysql) and one emit of
`message:new` to the recipient's room, acked `{"ok": true, "message": {...}}`. No principal
reload, no policy, no rate limit, no presence: what is left is the floor that Socket.IO, Redis
and the database put under any implementation, so our figures divided by its figures say what
our own code costs. With no message sent it is also the bare server `bench/idle_sockets.py`
measures (its pool opens no connection until the first message).

    DATABASE_URL=mysql://root@127.0.0.1:3306/miraiworks_bench REDIS_URL=redis://127.0.0.1:6379/8 \\
        SECRET_KEY=... .venv/bin/python bench/ceilings/raw_messages.py --port 8100
"""

from __future__ import annotations

import argparse
import os
import secrets
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote, urlsplit

import aiomysql
import jwt
import socketio
import uvicorn

INSERT = (
    "INSERT INTO messages (sender_id, recipient_id, content, thread_id, company_id)"
    " SELECT %s, %s, %s, %s, company_id FROM users WHERE id = %s"
)
"""One statement: the sender's company (NOT NULL on `messages`) comes from the same INSERT."""


def mysql_options(database_url: str) -> dict[str, Any]:
    """aiomysql's connect arguments from a `mysql[+driver]://user[:password]@host[:port]/db` URL."""
    parts = urlsplit(database_url)
    return {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 3306,
        "user": unquote(parts.username or "root"),
        "password": unquote(parts.password or ""),
        "db": parts.path.strip("/"),
        "charset": "utf8mb4",
        "autocommit": True,
    }


def create_app(database_url: str, redis_url: str, secret_key: str, pool_size: int) -> socketio.ASGIApp:
    database = urlsplit(redis_url).path.strip("/") or "0"
    manager = socketio.AsyncRedisManager(redis_url, channel=f"raw-messages:{database}")
    sio = socketio.AsyncServer(async_mode="asgi", client_manager=manager, logger=False, engineio_logger=False)
    pools: list[aiomysql.Pool] = []

    async def startup() -> None:
        pools.append(await aiomysql.create_pool(minsize=0, maxsize=pool_size, **mysql_options(database_url)))

    async def shutdown() -> None:
        for pool in pools:
            pool.close()
            await pool.wait_closed()

    async def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> None:
        token = auth.get("token") if isinstance(auth, dict) else None
        try:
            claims = jwt.decode(str(token), secret_key, algorithms=["HS256"])
            user_id = int(claims["sub"])
        except (jwt.PyJWTError, KeyError, ValueError):
            raise socketio.exceptions.ConnectionRefusedError("invalid_token") from None
        if claims.get("typ") != "access":
            raise socketio.exceptions.ConnectionRefusedError("invalid_token")
        await sio.save_session(sid, {"user_id": user_id})
        await sio.enter_room(sid, f"user:{user_id}")

    async def send(sid: str, data: Any) -> dict[str, Any]:
        to, content = (data.get("to"), data.get("content")) if isinstance(data, dict) else (None, None)
        if not isinstance(to, int) or not isinstance(content, str) or not content:
            return {"ok": False, "error": {"code": "bad_request"}}
        sender = (await sio.get_session(sid))["user_id"]
        thread_id = secrets.token_hex(16)
        async with pools[0].acquire() as connection, connection.cursor() as cursor:
            try:
                await cursor.execute(INSERT, (sender, to, content, thread_id, sender))
            except aiomysql.IntegrityError:
                return {"ok": False, "error": {"code": "recipient_not_found"}}
            message_id = cursor.lastrowid
        message = {
            "id": message_id,
            "sender_id": sender,
            "recipient_id": to,
            "content": content,
            "message_type": "direct",
            "priority": "normal",
            "is_read": False,
            "thread_id": thread_id,
            "created_at": datetime.now(UTC).isoformat(),
        }
        await sio.emit("message:new", message, to=f"user:{to}")
        return {"ok": True, "message": message}

    sio.on("connect", connect)
    sio.on("message:send", send)
    return socketio.ASGIApp(sio, on_startup=startup, on_shutdown=shutdown)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8100)
    args = parser.parse_args()
    app = create_app(
        os.environ["DATABASE_URL"],
        os.environ["REDIS_URL"],
        os.environ["SECRET_KEY"],
        int(os.environ.get("DB_POOL_SIZE") or 20),
    )
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
