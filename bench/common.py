"""What the benchmarks share: a scratch database, seeded people with live sessions, server
processes configured like production, and percentiles."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pymysql
import redis.asyncio as aioredis

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from models import Company, RefreshToken, User  # noqa: E402
from models.enums import CompanyType  # noqa: E402
from server import migrate  # noqa: E402
from server.auth.tokens import RefreshSecret, TokenSigner  # noqa: E402
from server.context import AppContext  # noqa: E402
from server.settings import Settings, async_database_url  # noqa: E402
from tests.realtime.harness import ServerProcess  # noqa: E402

BENCH_DATABASE = "miraiworks_bench"


def add_backend_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--mysql", help="a MySQL/MariaDB server URL; the bench database is recreated on it")
    parser.add_argument(
        "--redis", default="redis://127.0.0.1:6379/8", help="a Redis database to flush and use"
    )
    parser.add_argument("--pool", type=int, default=20, help="database pool size per process")


def _connect(mysql: str) -> pymysql.Connection[Any]:
    user, _, host = mysql.rstrip("/").split("://", 1)[1].rpartition("@")
    host, _, port = host.partition(":")
    return pymysql.connect(host=host, port=int(port or 3306), user=user or "root")


def max_connections(mysql: str) -> int:
    """The MySQL/MariaDB server's `max_connections`."""
    connection = _connect(mysql)
    with connection.cursor() as cursor:
        cursor.execute("SELECT @@max_connections")
        (limit,) = cursor.fetchone()
    connection.close()
    return int(limit)


def _database_url(mysql: str | None, var_dir: Path) -> str:
    if not mysql:
        return f"sqlite+aiosqlite:///{var_dir / 'bench.db'}"
    server = mysql.rstrip("/")
    connection = _connect(server)
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
        cursor.execute(f"CREATE DATABASE {BENCH_DATABASE} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    connection.close()
    return async_database_url(f"{server}/{BENCH_DATABASE}")


async def prepare(args: argparse.Namespace, redis: bool = True) -> Settings:
    """A migrated scratch database (and a flushed Redis database, unless `redis` is False)."""
    var_dir = Path(tempfile.mkdtemp(prefix="miraiworks-bench-"))
    url = _database_url(args.mysql, var_dir)
    settings = Settings(
        database_url=url,
        secret_key="bench-secret-" + "x" * 40,
        var_dir=var_dir,
        storage_dir=var_dir / "files",
        redis_url=args.redis if redis else None,
        password_time_cost=1,
        password_memory_kib=8,
        db_pool_size=args.pool,
    )
    if redis:
        client = aioredis.from_url(args.redis)
        await client.flushdb()
        await client.aclose()
    await asyncio.to_thread(migrate.upgrade, "head", url)
    return settings


def backend_name(args: argparse.Namespace, redis: bool = True) -> str:
    return ("MySQL/MariaDB" if args.mysql else "SQLite") + (" + Redis" if redis else "")


async def seed_people(settings: Settings, count: int) -> tuple[int, list[tuple[int, str]]]:
    """One company of `count` active users, each with a live session: (company id, [(user id, token)])."""
    ctx = AppContext.create(settings)
    signer = TokenSigner(settings)
    people = []
    try:
        async with ctx.transaction() as db:
            company = Company(
                name="Bench K.K.", type=CompanyType.EMPLOYER, email="bench@bench.jp", phone="03"
            )
            db.add(company)
            await db.flush()
            for n in range(count):
                user = User(
                    email=f"bench{n}@bench.jp",
                    first_name="Bench",
                    last_name=str(n),
                    company_id=company.id,
                    is_active=True,
                )
                db.add(user)
                await db.flush()
                secret = RefreshSecret.issue()
                expires = datetime.now(UTC) + timedelta(days=1)
                db.add(RefreshToken(user_id=user.id, token=secret.stored_value, expires_at=expires))
                people.append((user.id, signer.access_token(user.id, secret.family)))
            company_id = company.id
    finally:
        await ctx.close()
    return company_id, people


def peak_rss_mib(server: ServerProcess) -> float:
    assert server.process is not None
    for line in Path(f"/proc/{server.process.pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(values: list[float], q: int) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


async def settle(progress: Callable[[], int], target: int, quiet_seconds: float = 5) -> None:
    """Wait until `progress` reaches `target`, or stops moving for `quiet_seconds`."""
    last, still_since = progress(), time.perf_counter()
    while progress() < target and time.perf_counter() - still_since < quiet_seconds:
        await asyncio.sleep(0.05)
        if progress() != last:
            last, still_since = progress(), time.perf_counter()


@contextlib.contextmanager
def measuring() -> Iterator[None]:
    """While a load generator times: what it built so far is frozen out of its collector's
    sight. With 200 clients its own full collections paused it 80-110 ms, which read as the
    server's latency (ours or the ceiling's, whichever was being measured)."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
