"""`GET /api/positions?limit=20` as a recruiter, ours against its ceilings.

Ours (`miraiworks serve`) and the plainest implementations of the same answer
(`bench/ceilings/raw_list.py`: bare ASGI + aiomysql + one SQL statement; `orm_list.py`: bare
ASGI + the ORM's `select(Position)`), each under uvicorn with the same workers, on the same
MariaDB/MySQL database of 20 positions of about 42 KB, loaded by the same `wrk` in interleaved
rounds (ours, raw, orm, ours, ...) so a drift of the machine hits all alike. Before measuring
it checks that all answer 200 with the same items. Prints req/s, p50 and p99 per round and
target, and the ratio ours / ceiling per round and its median. It measures; it never fails.

    .venv/bin/python bench/list_path.py --mysql mysql://root@127.0.0.1:3306
    .venv/bin/python bench/list_path.py --mysql mysql://root@127.0.0.1:3306 --seconds 5 --rounds 2
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import platform
import statistics
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from common import add_backend_arguments, backend_name, max_connections, prepare
from http_load import WRK_MISSING, LoadResult, run_wrk, wrk_path
from processes import UvicornProcess
from sqlalchemy import select

from models import Company, Position, RefreshToken, Role, User, UserRole
from models.enums import CompanyType, EmploymentType, ExperienceLevel, PositionStatus
from server.auth.principal import RoleName
from server.auth.tokens import RefreshSecret, TokenSigner
from server.context import AppContext
from server.settings import Settings
from tests.realtime.harness import ServerProcess, free_port

PATH = "/api/positions?limit=20"
POSITIONS = 20
CEILINGS = {"raw": "bench.ceilings.raw_list:app", "orm": "bench.ceilings.orm_list:app"}
SENTENCE = (
    "当社はクラウド型の採用管理システムを開発しています。Python と TypeScript で、"
    "毎日数百万件のリクエストを処理するサービスを一緒に作りましょう。"
)


def text_of(size: int, seed: int) -> str:
    """About `size` bytes of UTF-8, Japanese and ASCII, different for each seed."""
    parts: list[str] = []
    length = 0
    while length < size:
        part = f"[{seed}-{len(parts)}] {SENTENCE}\n"
        parts.append(part)
        length += len(part.encode())
    return "".join(parts)


async def seed(settings: Settings) -> str:
    """A recruiting agency with a recruiter holding a live session and POSITIONS big positions,
    and another company with positions of its own (the list must leave them out): the token."""
    ctx = AppContext.create(settings)
    # Valid for the whole run, however long: the servers only check `exp`.
    signer = TokenSigner(dataclasses.replace(settings, access_token_minutes=24 * 60))
    try:
        async with ctx.transaction() as db:
            agency = Company(
                name="Bench Agency K.K.", type=CompanyType.RECRUITING_AGENCY, email="a@bench.jp", phone="03"
            )
            other = Company(name="Other K.K.", type=CompanyType.EMPLOYER, email="o@bench.jp", phone="03")
            db.add_all([agency, other])
            await db.flush()
            recruiter = User(
                email="recruiter@bench.jp",
                first_name="Bench",
                last_name="Recruiter",
                company_id=agency.id,
                is_active=True,
            )
            stranger = User(
                email="other@bench.jp", first_name="Other", last_name="Staff", company_id=other.id
            )
            db.add_all([recruiter, stranger])
            await db.flush()
            role_id = await db.scalar(select(Role.id).where(Role.name == RoleName.RECRUITER.value))
            db.add(UserRole(user_id=recruiter.id, role_id=role_id))
            secret = RefreshSecret.issue()
            expires = datetime.now(UTC) + timedelta(days=1)
            db.add(RefreshToken(user_id=recruiter.id, token=secret.stored_value, expires_at=expires))
            levels, kinds = list(ExperienceLevel), list(EmploymentType)
            for n in range(POSITIONS):
                db.add(
                    Position(
                        company_id=agency.id,
                        title=f"バックエンドエンジニア {n}",
                        description=text_of(20_000, n),
                        requirements=text_of(14_000, n + 100),
                        benefits=text_of(7_500, n + 200),
                        location="東京都渋谷区",
                        employment_type=kinds[n % len(kinds)],
                        salary_range="600万円〜900万円",
                        experience_level=levels[n % len(levels)] if n % 5 else None,
                        status=PositionStatus.PUBLISHED if n % 3 else PositionStatus.DRAFT,
                        posted_date=date.today() if n % 3 else None,
                        application_deadline=date.today() + timedelta(days=30 + n),
                        is_remote=n % 2 == 0,
                        skills_required=["Python", "SQL", f"skill-{n}"],
                        skills_preferred=["Litestar"] if n % 2 else None,
                        created_by=recruiter.id,
                    )
                )
            for n in range(POSITIONS):
                db.add(Position(company_id=other.id, title=f"Other {n}", created_by=stranger.id))
            token = signer.access_token(recruiter.id, secret.family)
    finally:
        await ctx.close()
    return token


class OurServer(ServerProcess):
    """`miraiworks serve`, with the benchmark's pool size (the harness leaves it at the default)."""

    def environment(self) -> dict[str, str]:
        return {**super().environment(), "DB_POOL_SIZE": str(self.settings.db_pool_size)}


async def verify(urls: dict[str, str], token: str) -> int:
    """Abort unless every target answers 200 with our items; the size of our answer in bytes."""
    headers = {"Authorization": f"Bearer {token}"}
    answers: dict[str, Any] = {}
    size = 0
    async with httpx.AsyncClient(timeout=30) as http:
        for name, url in urls.items():
            response = await http.get(url + PATH, headers=headers)
            if response.status_code != 200:
                sys.exit(f"{name} answered {response.status_code}: {response.text[:300]}")
            answers[name] = response.json()
            size = size or len(response.content)
    ours = answers["ours"]
    if len(ours["items"]) != POSITIONS or ours["total"] != POSITIONS:
        sys.exit(f"ours answered {len(ours['items'])} items of {ours['total']}, not {POSITIONS}")
    for name, answer in answers.items():
        if answer == ours:
            continue
        for index, (mine, theirs) in enumerate(zip(ours["items"], answer["items"], strict=False)):
            for field in mine.keys() | theirs.keys():
                if mine.get(field) != theirs.get(field):
                    shown = (repr(mine.get(field))[:80], repr(theirs.get(field))[:80])
                    sys.exit(f"{name} differs from ours: item {index} {field}: {shown[0]} vs {shown[1]}")
        sys.exit(f"{name} differs from ours: {len(answer['items'])} items, total {answer['total']}")
    ids = [item["id"] for item in ours["items"]]
    print(
        f"verified: {', '.join(urls)} answer 200 with the same {len(ids)} items "
        f"(ids {ids[0]}..{ids[-1]}, same field values, total {ours['total']}): "
        f"{size / 1024:.0f} KiB an answer, {size / len(ids) / 1024:.0f} KiB an item"
    )
    return size


def row(round_no: int, name: str, result: LoadResult) -> str:
    errors = f"  {result.errors} errors" if result.errors else ""
    return (
        f"{round_no:>5}  {name:<5} {result.requests_per_second:>9.1f} {result.p50_ms:>9.2f} "
        f"{result.p99_ms:>9.2f}{errors}"
    )


def header(args: argparse.Namespace, targets: list[str]) -> None:
    wrk_version = subprocess.run(  # noqa: S603 - the wrk found on PATH
        [wrk_path() or "wrk", "--version"], capture_output=True, text=True, check=False
    ).stdout.splitlines()
    print(f"# GET {PATH} as a recruiter: ours vs {' / '.join(t for t in targets if t != 'ours')}")
    print(f"date      {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC")
    print(f"host      {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"backend   {backend_name(args)}")
    print(
        f"load      {wrk_version[0].split(' [')[0] if wrk_version else 'wrk'} -t{args.threads} "
        f"-c{args.connections} -d{args.seconds:g}s, {args.rounds} rounds interleaved, "
        f"{args.warmup:g}s warm-up each"
    )
    print(f"servers   uvicorn --workers {args.workers} each, DB pool {args.pool} per process")


HARNESS_CONNECTIONS = 10
"""Left free for the harness's own connections (seeding, checks)."""


def fitted_pool(wanted: int, processes: int, limit: int) -> int:
    """A pool per process small enough that every process of every server, each holding its pool
    and as many lent under load, stays within the database's `max_connections`: the servers idle
    between their interleaved rounds keep their connections open."""
    fitted = max(1, min(wanted, (limit - HARNESS_CONNECTIONS) // (2 * processes)))
    if fitted < wanted:
        print(f"DB pool {wanted} per process would pass max_connections {limit}: using {fitted}")
    return fitted


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=10, help="length of one measured run")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers of each server")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of unmeasured load first")
    parser.add_argument("--no-orm", action="store_true", help="leave out the ORM ceiling")
    add_backend_arguments(parser)
    args = parser.parse_args()
    if not args.mysql:
        parser.error("--mysql is required: the ceilings talk to MySQL/MariaDB only")
    if wrk_path() is None:
        sys.exit(WRK_MISSING)

    processes = args.workers * (1 + len(CEILINGS) - (1 if args.no_orm else 0))
    args.pool = fitted_pool(args.pool, processes, max_connections(args.mysql))
    settings = await prepare(args)
    token = await seed(settings)
    environment = {"DATABASE_URL": settings.database_url, "SECRET_KEY": settings.secret_key}
    environment["DB_POOL_SIZE"] = str(args.pool)
    ours = OurServer(settings, workers=args.workers)
    ceilings = {
        name: UvicornProcess(app, environment, free_port(), args.workers)
        for name, app in CEILINGS.items()
        if not (args.no_orm and name == "orm")
    }
    targets: dict[str, OurServer | UvicornProcess] = {"ours": ours, **ceilings}
    results: dict[str, list[LoadResult]] = {name: [] for name in targets}
    try:
        await ours.start()
        for ceiling in ceilings.values():
            await ceiling.start()
        await verify({name: server.url for name, server in targets.items()}, token)
        header(args, list(targets))
        auth = {"Authorization": f"Bearer {token}"}
        for server in targets.values():
            await run_wrk(
                server.url + PATH,
                seconds=args.warmup,
                connections=args.connections,
                threads=args.threads,
                headers=auth,
            )
        print(f"\n{'round':>5}  {'':<5} {'req/s':>9} {'p50 ms':>9} {'p99 ms':>9}")
        for round_no in range(1, args.rounds + 1):
            for name, server in targets.items():
                result = await run_wrk(
                    server.url + PATH,
                    seconds=args.seconds,
                    connections=args.connections,
                    threads=args.threads,
                    headers=auth,
                )
                results[name].append(result)
                print(row(round_no, name, result), flush=True)
    finally:
        for server in targets.values():
            server.stop()

    print(f"\n{'ratio':<12}" + "".join(f"{f'r{n}':>8}" for n in range(1, args.rounds + 1)) + f"{'median':>8}")
    for name in ceilings:
        ratios = [
            mine.requests_per_second / theirs.requests_per_second
            for mine, theirs in zip(results["ours"], results[name], strict=True)
        ]
        cells = "".join(f"{ratio:>8.2f}" for ratio in ratios)
        print(f"{'ours/' + name:<12}{cells}{statistics.median(ratios):>8.2f}   (req/s)")


if __name__ == "__main__":
    asyncio.run(main())
