"""Job worker processes for the tests, configured through the environment like production."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

from server.settings import Settings
from tests.realtime.harness import process_environment

ROOT = Path(__file__).resolve().parents[3]
READY = "MiraiWorks worker running jobs"
"""What `run_worker` prints once its SAQ worker is started."""


class WorkerProcess:
    """`python -m <module> ...` (`server.cli worker`, or the tests' `worker_main`), its output in a file."""

    def __init__(self, settings: Settings, log: Path, *args: str, heartbeat_seconds: int = 20) -> None:
        self.settings = settings
        self.log = log
        self.args = args or ("server.cli", "worker")
        self.heartbeat_seconds = heartbeat_seconds
        self.process: subprocess.Popen[bytes] | None = None

    def environment(self) -> dict[str, str]:
        return process_environment(
            self.settings,
            JOB_HEARTBEAT_SECONDS=str(self.heartbeat_seconds),
            LOG_LEVEL=os.environ.get("WORKER_LOG_LEVEL", "WARNING"),
            PYTHONUNBUFFERED="1",
        )

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    @property
    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    async def start(self) -> None:
        """Start the process and wait until its worker takes jobs."""
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and modules
                [sys.executable, "-m", *self.args],
                cwd=ROOT,
                env=self.environment(),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        for _ in range(600):
            if READY in self.output:
                return
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited with {self.process.returncode}:\n{self.output}")
            await asyncio.sleep(0.05)
        raise RuntimeError(f"worker did not start:\n{self.output}")

    def kill(self) -> None:
        """SIGKILL: the process dies mid-whatever, as when its machine is lost."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    async def terminate(self, timeout: float = 15) -> int:
        """SIGTERM, as a deployment stops it; answer its exit status."""
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        async with asyncio.timeout(timeout):
            while self.process.poll() is None:  # noqa: ASYNC110 - polls a child process
                await asyncio.sleep(0.05)
        return self.process.returncode

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=25)
            except subprocess.TimeoutExpired:
                self.kill()
