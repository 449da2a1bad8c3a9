"""The ceiling of the relay benchmark: a bare python-socketio relay doing what `rtc:*` does.

A connect is a PyJWT check of the access token; `room:join` gives the socket a participant id
and enters the room; `rtc:ice` `{to, candidate}` is emitted to that participant as
`{from, candidate}` and acked. No room state in Redis, no seats, no rate limits, no database:
the floor Socket.IO and uvicorn put under any relay. Served like ours (uvicorn on a TCP host
and port, one process; with REDIS_URL its emits go through python-socketio's Redis manager).

    REDIS_URL=redis://127.0.0.1:6379/8 SECRET_KEY=... .venv/bin/python -m uvicorn \\
        bench.ceilings.bare_relay:app --host 127.0.0.1 --port 8200
"""

from __future__ import annotations

import itertools
import os
from typing import Any

import jwt
import socketio

_ids = itertools.count(1)
_sids: dict[int, str] = {}
_participants: dict[str, int] = {}


def _manager() -> socketio.AsyncManager | None:
    url = os.environ.get("REDIS_URL")
    return socketio.AsyncRedisManager(url, channel="bare-relay") if url else None


sio = socketio.AsyncServer(async_mode="asgi", client_manager=_manager())


async def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> None:
    token = auth.get("token") if isinstance(auth, dict) else None
    try:
        claims = jwt.decode(str(token), os.environ["SECRET_KEY"], algorithms=["HS256"])
    except jwt.PyJWTError:
        raise socketio.exceptions.ConnectionRefusedError("invalid_token") from None
    if claims.get("typ") != "access":
        raise socketio.exceptions.ConnectionRefusedError("invalid_token")


async def join(sid: str, data: dict[str, Any]) -> dict[str, Any]:
    participant = next(_ids)
    _sids[participant], _participants[sid] = sid, participant
    await sio.enter_room(sid, f"room:{data['room_code']}")
    return {"ok": True, "you": {"participant_id": participant}}


async def ice(sid: str, data: dict[str, Any]) -> dict[str, Any]:
    target = _sids.get(int(data["to"]))
    if target is None:
        return {"ok": False, "error": {"code": "not_in_room"}}
    await sio.emit("rtc:ice", {"from": _participants[sid], "candidate": data["candidate"]}, to=target)
    return {"ok": True}


async def disconnect(sid: str, reason: Any = None) -> None:
    participant = _participants.pop(sid, None)
    if participant is not None:
        _sids.pop(participant, None)


sio.on("connect", connect)
sio.on("room:join", join)
sio.on("rtc:ice", ice)
sio.on("disconnect", disconnect)
app = socketio.ASGIApp(sio)
