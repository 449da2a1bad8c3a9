"""HTTP load with `wrk` and the ceiling apps' processes, for benchmarks that compare our routes
with the plainest implementation of the same work under one load generator.

wrk, not a Python client: on a 2-core machine a Python generator saturates before the server
does, and would measure itself.
"""

from __future__ import annotations

import asyncio
import re
import shutil
from dataclasses import dataclass

WRK_MISSING = "wrk is not installed: `apt-get install -y wrk` (Debian package wrk), then run this again."

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


@dataclass(frozen=True)
class LoadResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    """Non-2xx/3xx answers plus socket errors: a figure with errors measures the error path."""


def wrk_path() -> str | None:
    return shutil.which("wrk")


def _duration_ms(text: str) -> float:
    match = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text)
    if match is None:
        raise ValueError(f"not a wrk duration: {text!r}")
    return float(match[1]) * _UNITS_MS[match[2]]


def parse_wrk(output: str) -> LoadResult:
    """The figures of `wrk --latency` output (Requests/sec, the 50% and 99% latencies, errors)."""
    rps = re.search(r"^Requests/sec:\s+([\d.]+)", output, re.M)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", output, re.M)
    total = re.search(r"^\s+(\d+) requests in", output, re.M)
    if not (rps and p50 and p99 and total):
        raise ValueError(f"unexpected wrk output:\n{output}")
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output))
    non_2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    if non_2xx:
        errors += int(non_2xx[1])
    return LoadResult(
        requests_per_second=float(rps[1]),
        p50_ms=_duration_ms(p50[1]),
        p99_ms=_duration_ms(p99[1]),
        requests=int(total[1]),
        errors=errors,
    )


async def run_wrk(
    url: str, *, seconds: float, connections: int, threads: int = 2, headers: dict[str, str] | None = None
) -> LoadResult:
    wrk = wrk_path()
    if wrk is None:
        raise RuntimeError(WRK_MISSING)
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--latency", "--timeout", "10s"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    process = await asyncio.create_subprocess_exec(
        *command, url, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    output, _ = await process.communicate()
    if process.returncode != 0:
        raise RuntimeError(f"wrk exited with {process.returncode}:\n{output.decode()}")
    return parse_wrk(output.decode())
