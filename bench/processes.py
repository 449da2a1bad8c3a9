"""The ceilings' server processes, started as the harness starts ours (`Spawned`): on a TCP host
and port, configured through the environment, in a process group of their own, so that beside
ours only the app differs."""

from __future__ import annotations

import os
import sys

import httpx
from common import ROOT  # first: it puts the project before bench/ on sys.path

from tests.realtime.harness import Spawned


class UvicornProcess(Spawned):
    """An ASGI app served by `python -m uvicorn` with N workers, as `miraiworks serve` serves
    ours (same server, same defaults, no access log)."""

    def __init__(self, app: str, env: dict[str, str], port: int, workers: int = 2) -> None:
        super().__init__(port)
        self.app = app
        self.env = env
        self.workers = workers

    def command(self) -> list[str]:
        quiet = ["--no-access-log", "--log-level", "warning"]
        return [*self.python_m("uvicorn", self.app, workers=self.workers), *quiet]

    def environment(self) -> dict[str, str]:
        return {**os.environ, **self.env}

    async def answers(self, http: httpx.AsyncClient) -> bool:
        """Any HTTP answer at all: a ceiling has no health route."""
        await http.get(self.url)
        return True


class CeilingProcess(Spawned):
    """`bench/ceilings/raw_messages.py`, the message ceiling: ready once Engine.IO opens a session."""

    def __init__(self, environment: dict[str, str], port: int) -> None:
        super().__init__(port)
        self._environment = environment

    def command(self) -> list[str]:
        script = ROOT / "bench" / "ceilings" / "raw_messages.py"
        return [sys.executable, str(script), "--host", "127.0.0.1", "--port", str(self.port)]

    def environment(self) -> dict[str, str]:
        return self._environment

    async def answers(self, http: httpx.AsyncClient) -> bool:
        opened = await http.get(f"{self.url}/socket.io/?EIO=4&transport=polling")
        return opened.status_code == 200
