"""Real servers for realtime tests: the app served by uvicorn on a free port, in this event
loop or as a separate process, Socket.IO clients that record what they receive, and a Redis
server a test can kill and start again."""

from __future__ import annotations

import abc
import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import httpx
import socketio
import uvicorn

from server.asgi import create
from server.context import AppContext
from server.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def process_environment(settings: Settings, **extra: str) -> dict[str, str]:
    """The environment of an app process (server or worker) configured like `settings`."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=settings.database_url,
        REDIS_URL=settings.redis_url or "",
        SECRET_KEY=settings.secret_key,
        VAR_DIR=str(settings.var_dir),
        PASSWORD_TIME_COST=str(settings.password_time_cost),
        PASSWORD_MEMORY_KIB=str(settings.password_memory_kib),
        PRESENCE_TTL_SECONDS=str(settings.presence_ttl_seconds),
        DB_POOL_SIZE=str(settings.db_pool_size),
        LOG_LEVEL="WARNING",
    )
    env.update(extra)
    return env


@dataclass
class LiveServer:
    url: str
    ctx: AppContext
    """The served app's own context (its presence store, event hub, database)."""


@contextlib.asynccontextmanager
async def serve(settings: Settings) -> AsyncIterator[LiveServer]:
    """The whole app (Socket.IO + REST) on a free port of this event loop."""
    port = free_port()
    app = create(settings)
    ctx: AppContext = app.other_asgi_app.state.ctx
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.01)
    try:
        yield LiveServer(url=f"http://127.0.0.1:{port}", ctx=ctx)
    finally:
        server.should_exit = True
        await task


class Spawned(abc.ABC):
    """A server in a process, and a process group, of its own on 127.0.0.1: every server the
    tests and the benches start is one, and they differ only in their command, environment and
    sign of being ready. The port is chosen once, so a restarted process serves on the same
    address (uvicorn binds with SO_REUSEADDR: the old socket's TIME_WAIT does not block it)."""

    def __init__(self, port: int | None = None) -> None:
        self.port = free_port() if port is None else port
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    @abc.abstractmethod
    def command(self) -> list[str]: ...

    def python_m(self, *program: str, workers: int) -> list[str]:
        """`python -m <program> --host 127.0.0.1 --port <port> --workers N`: uvicorn and
        `miraiworks serve` take where to serve the same way."""
        where = ["--host", "127.0.0.1", "--port", str(self.port), "--workers", str(workers)]
        return [sys.executable, "-m", *program, *where]

    @abc.abstractmethod
    def environment(self) -> dict[str, str]: ...

    def stderr(self) -> int | IO[bytes] | None:
        """Where its stderr goes: the runner's own (pytest captures it) unless a subclass keeps it."""
        return None

    def output(self) -> str:
        """What it printed that was kept, for the error when it will not start."""
        return ""

    async def answers(self, http: httpx.AsyncClient) -> bool:
        return (await http.get(f"{self.url}/health/live")).status_code == 200

    async def start(self) -> None:
        command = self.command()
        self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and modules
            command,
            cwd=ROOT,
            env=self.environment(),
            # Never the runner's own pipes (pytest-xdist talks to its workers over them).
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self.stderr(),
            # Its own process group: with --workers > 1 the signals reach every worker.
            start_new_session=True,
        )
        async with httpx.AsyncClient() as http:
            for _ in range(600):
                if self.process.poll() is not None:
                    raise RuntimeError(f"{command} exited with {self.process.returncode}: {self.output()}")
                with contextlib.suppress(httpx.HTTPError):
                    if await self.answers(http):
                        return
                await asyncio.sleep(0.05)
        raise RuntimeError(f"{command} did not start: {self.output()}")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


class ServerProcess(Spawned):
    """The app in a process of its own, started exactly as production starts it: `miraiworks
    serve` on a host and port (so uvicorn sets TCP_NODELAY, which it skips on a handed-over
    file descriptor), configured through the environment."""

    def __init__(self, settings: Settings, workers: int = 1) -> None:
        super().__init__()
        self.settings = settings
        self.workers = workers

    def command(self) -> list[str]:
        return self.python_m("server.cli", "serve", workers=self.workers)

    def environment(self) -> dict[str, str]:
        return process_environment(self.settings)


class Client:
    """A Socket.IO client that keeps every push it receives, by event name."""

    def __init__(self) -> None:
        self.sio = socketio.AsyncClient(reconnection=False)
        self.received: dict[str, list[Any]] = defaultdict(list)
        self.received_at: dict[str, list[float]] = defaultdict(list)
        """`time.monotonic()` of each push in `received`, at the same index."""
        self._arrived = asyncio.Event()
        self.disconnected = asyncio.Event()
        self.sio.on("*", self._record)
        self.sio.on("disconnect", self._on_disconnect)

    async def _on_disconnect(self, reason: Any = None) -> None:
        self.disconnected.set()

    async def _record(self, event: str, data: Any = None) -> None:
        self.received[event].append(data)
        self.received_at[event].append(time.monotonic())
        self._arrived.set()

    async def connect(self, url: str, token: str | None) -> None:
        auth = {"token": token} if token is not None else {}
        await self.sio.connect(url, auth=auth, transports=["websocket"], wait_timeout=5)

    async def call(self, event: str, data: Any = None, timeout: float = 5) -> Any:
        return await self.sio.call(event, data, timeout=timeout)

    async def wait_for(self, event: str, count: int = 1, timeout: float = 5) -> list[Any]:
        """The first `count` pushes of `event`, waiting for them to arrive."""
        async with asyncio.timeout(timeout):
            while len(self.received[event]) < count:
                self._arrived.clear()
                await self._arrived.wait()
        return self.received[event][:count]

    async def wait_until(self, event: str, predicate: Callable[[Any], bool], timeout: float = 5) -> Any:
        """The first push of `event` that satisfies `predicate`, waiting for it to arrive."""
        async with asyncio.timeout(timeout):
            while True:
                for data in self.received[event]:
                    if predicate(data):
                        return data
                self._arrived.clear()
                await self._arrived.wait()

    def arrival(self, event: str, data: Any) -> float:
        """When `data`, a push of `event` this client kept, arrived: a deadline measured by it
        holds even when the test itself looks later (a loaded or paused runner)."""
        index = next(i for i, kept in enumerate(self.received[event]) if kept is data)
        return self.received_at[event][index]

    async def close(self) -> None:
        if self.sio.connected:
            await self.sio.disconnect()


class RedisServer:
    """A redis-server of the test's own on a free port, to kill and start again (empty: nothing
    is saved) under a running app."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    async def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - the system's redis-server, fixed arguments
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            cwd=self.workdir,
            stdout=subprocess.DEVNULL,
        )
        for _ in range(200):
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2),
            ):
                return
            await asyncio.sleep(0.02)
        raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
