"""`miraiworks serve` in a process of its own, sent SIGTERM with a socket connected and a request
in flight: the socket is told to reconnect elsewhere and closed, the request still gets its
answer, new sockets are refused, and the process exits 0 in time."""

from __future__ import annotations

import asyncio
import contextlib
import json
import signal
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import IO, Any

import httpx
import pytest
import socketio
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import CompanyType
from server.auth.principal import RoleName
from server.context import AppContext
from server.settings import Settings
from tests.factories import PASSWORD, make_company, make_user
from tests.realtime.harness import Client, ServerProcess, process_environment

STOP_WITHIN_SECONDS = 15


class Served(ServerProcess):
    """`miraiworks serve` logging JSON lines at INFO, its stderr kept in a file to read them."""

    def __init__(self, settings: Settings, workdir: Path) -> None:
        super().__init__(settings)
        self.stderr_path = workdir / "serve.stderr"
        self._stderr = self.stderr_path.open("wb")

    def environment(self) -> dict[str, str]:
        return process_environment(self.settings, LOG_FORMAT="json", LOG_LEVEL="INFO")

    def stderr(self) -> IO[bytes]:
        return self._stderr

    def output(self) -> str:
        self._stderr.flush()
        return self.stderr_path.read_text(errors="replace")

    def log_lines(self) -> list[dict[str, object]]:
        lines = []
        for raw in self.output().splitlines():
            with contextlib.suppress(ValueError):
                found = json.loads(raw)
                if isinstance(found, dict):
                    lines.append(found)
        return lines

    def close(self) -> None:
        self.kill()
        self._stderr.close()


@pytest.fixture
async def served(settings: Settings, tmp_path: Path) -> AsyncIterator[Served]:
    server = Served(settings, tmp_path)
    try:
        await server.start()
        yield server
    finally:
        server.close()


async def test_sigterm_tells_sockets_to_reconnect_finishes_requests_and_exits_zero(
    served: Served, session: AsyncSession, ctx: AppContext
) -> None:
    company = await make_company(session, CompanyType.EMPLOYER)
    alice = await make_user(session, ctx.passwords, company, RoleName.EMPLOYER)
    await session.commit()
    login = {"email": alice.email, "password": PASSWORD}
    async with httpx.AsyncClient(base_url=served.url, timeout=20) as http:
        r = await http.post("/api/auth/login", json=login)
        assert r.status_code == 200, r.text
        socket = Client()
        await socket.connect(served.url, r.json()["access_token"])
        assert (await socket.call("presence:set", {"status": "away"}))["ok"] is True

        # A login whose body arrives slowly: in flight when the signal comes, answered after it.
        body = json.dumps(login).encode()
        first_part_sent = asyncio.Event()
        finish = asyncio.Event()

        async def slow_body() -> AsyncIterator[bytes]:
            yield body[:10]
            first_part_sent.set()
            await finish.wait()
            yield body[10:]

        slow = asyncio.create_task(
            http.post("/api/auth/login", content=slow_body(), headers={"Content-Type": "application/json"})
        )
        await asyncio.wait_for(first_part_sent.wait(), 5)
        await asyncio.sleep(0.2)
        signalled = time.monotonic()
        assert served.process is not None
        served.process.send_signal(signal.SIGTERM)

        [notice] = await socket.wait_for("server:reconnect", timeout=5)
        assert notice == {"reason": "shutdown"}
        await asyncio.wait_for(socket.disconnected.wait(), 5)
        assert not slow.done()

        # No new socket while stopping: refused with `server_stopping`, or no longer listening.
        late = socketio.AsyncClient(reconnection=False)
        refused: list[Any] = []
        late.on("connect_error", refused.append)
        with pytest.raises(socketio.exceptions.ConnectionError):
            await late.connect(served.url, auth={"token": r.json()["access_token"]}, transports=["websocket"])
        # The listener may already be closed (no answer at all); an answer says why.
        answered = [error["data"] for error in refused if isinstance(error, dict) and "data" in error]
        assert all(data["code"] == "server_stopping" for data in answered), refused

        finish.set()
        answer = await asyncio.wait_for(slow, 10)
        assert answer.status_code == 200, answer.text
        assert answer.json()["user"]["id"] == alice.id

    code = await asyncio.to_thread(served.process.wait, STOP_WITHIN_SECONDS)
    assert code == 0, served.output()
    assert time.monotonic() - signalled < STOP_WITHIN_SECONDS
    logins = [line for line in served.log_lines() if line.get("route") == "/api/auth/login"]
    assert [line["status"] for line in logins] == [200, 200]
    assert all(isinstance(line["request_id"], str) for line in logins)
