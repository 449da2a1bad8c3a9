"""Persisted messages over Socket.IO: our server against its ceiling, with the same load.

`--clients` users, one socket each, spread over `--processes` server processes sharing one
database and one Redis; each sends to the next client, which is on another process whenever
there are several. The ceiling (`bench/ceilings/raw_messages.py`) is the plainest server doing
the same work: a JWT check at connect, one INSERT and one emit a message. Load comes from
`--generators` processes of `bench/socket_load.py`, identical for both; a message's latency is
its send to its `message:new` arriving at the recipient.

- Fixed rate (the default): `--rate` messages a second for `--seconds`, per target, then over
  REST (`POST /api/messages`) on ours; prints sent, delivered, lost, duplicated, refused,
  p50 / p95 / p99, the CPU of the servers, generators and host, and ours / ceiling.
- `--sweep`: steps through `--rates` until a step fails `--attempts` times (the host may be
  shared), and reports the highest rate each target sustained with p99 <= `--p99` ms and nothing
  lost, duplicated, refused or unanswered.

Each run starts once the servers are idle, after a `--warmup` run that is not counted.

With 60 sends per 10 s per socket (our `MESSAGES` limit), 1,500/s needs at least 250 clients:
the default 400 keep every socket under 4/s so that the limit is not what stops a run. It
measures; it never fails.

    .venv/bin/python bench/realtime_messages.py --mysql mysql://root@127.0.0.1:3306 --rate 300 --seconds 5
    .venv/bin/python bench/realtime_messages.py --mysql mysql://root@127.0.0.1:3306 --sweep --processes 1 2 4
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
from dataclasses import dataclass, field
from datetime import datetime

from common import add_backend_arguments, backend_name, prepare, seed_people
from processes import CeilingProcess
from socket_load import Generators, RunResult, Seat, cpu_seconds, long_lived, memory_mib, raise_nofile

from server.settings import Settings
from tests.realtime.harness import ServerProcess, free_port, process_environment

TARGETS = ("ours", "ceiling")


@dataclass
class Outcome:
    """What one target did on one number of processes."""

    runs: list[RunResult] = field(default_factory=list)
    sustained: float = 0.0
    rss_mib: list[float] = field(default_factory=list)


def start_servers(target: str, settings: Settings, processes: int) -> list[ServerProcess | CeilingProcess]:
    if target == "ours":
        return [ServerProcess(settings) for _ in range(processes)]
    return [CeilingProcess(process_environment(settings), free_port()) for _ in range(processes)]


def why_not(run: RunResult, p99_ms: float) -> str:
    reasons = [
        f"{name} {count}"
        for name, count in (
            ("lost", run.lost),
            ("duplicated", run.duplicated),
            ("refused", sum(run.errors.values())),
            ("unanswered", run.unanswered),
            ("stray", run.stray),
        )
        if count
    ]
    if run.percentile(99) > p99_ms:
        reasons.append(f"p99 {run.percentile(99):.1f} ms > {p99_ms:g} ms")
    return ", ".join(reasons)


async def drive(
    target: str, processes: int, settings: Settings, people: list[tuple[int, str]], args: argparse.Namespace
) -> Outcome:
    outcome = Outcome()
    servers = start_servers(target, settings, processes)
    await asyncio.gather(*(server.start() for server in servers))
    pids = [server.process.pid for server in servers if server.process is not None]
    seats = [
        Seat(user_id, token, servers[i % processes].url, peer=people[(i + 1) % len(people)][0])
        for i, (user_id, token) in enumerate(people)
    ]
    generators = Generators(seats, args.generators)
    try:
        await generators.start()
        connected = await generators.connect(batch=args.batch)
        trouble = dict(connected.refused + connected.failed)
        print(
            f"{target:>7} on {processes} process(es): {connected.connected}/{len(seats)} sockets "
            f"connected in {connected.seconds:.1f} s{f', not connected: {trouble}' if trouble else ''}"
        )
        await quiet(pids)
        if args.warmup:
            warmup = await generators.run(min(args.rates), args.warmup, pids=pids)
            print(f"{target:>7} warm-up {min(args.rates):g}/s | {warmup.line()}")
        for rate in args.rates if args.sweep else [args.rate]:
            for attempt in range(1, args.attempts + 1):
                await quiet(pids)  # a failed attempt leaves a backlog behind
                run = await generators.run(rate, args.seconds, pids=pids)
                print(f"{target:>7} {rate:>6g}/s socket | {run.line()}")
                if run.sustained(args.p99) or not args.sweep:
                    break
                print(f"{target:>7} attempt {attempt} at {rate:g}/s failed: {why_not(run, args.p99)}")
            outcome.runs.append(run)
            if run.sustained(args.p99):
                outcome.sustained = rate
            elif args.sweep:
                break
        if target == "ours" and args.rest and not args.sweep:
            run = await generators.run(args.rate, args.seconds, transport="rest", pids=pids)
            print(f"{target:>7} {args.rate:>6g}/s REST   | {run.line()}")
        outcome.rss_mib = [memory_mib(pid)[1] for pid in pids]
        print(f"{target:>7} peak RSS per process: " + ", ".join(f"{m:.0f} MiB" for m in outcome.rss_mib))
    finally:
        for server in servers:
            server.stop()
        await generators.close()
    return outcome


async def quiet(pids: list[int], below: float = 0.05, longest: float = 30) -> None:
    """Wait until the servers are idle: a connect can leave work behind (our server announces
    each user's presence to their company), which must not count against the first run."""
    for _ in range(int(longest / 0.5)):
        before = [cpu_seconds(pid) for pid in pids]
        await asyncio.sleep(0.5)
        if all(cpu_seconds(pid) - t < below * 0.5 for pid, t in zip(pids, before, strict=True)):
            return


def ratio(ours: float, ceiling: float) -> str:
    return f"{ours / ceiling:.2f}" if ceiling else "n/a"


def summarize_sweep(outcomes: dict[tuple[int, str], Outcome], args: argparse.Namespace) -> None:
    print(f"\nhighest rate sustained (p99 <= {args.p99:g} ms, nothing lost, duplicated or refused):")
    print(f"{'processes':>9} | {'ours':>7} | {'ceiling':>7} | ours/ceiling")
    for processes in args.processes:
        mine, floor = (outcomes.get((processes, target)) for target in TARGETS)
        cells = [f"{o.sustained:>5g}/s" if o is not None else f"{'-':>7}" for o in (mine, floor)]
        both = ratio(mine.sustained, floor.sustained) if mine and floor else "-"
        print(f"{processes:>9} | {cells[0]} | {cells[1]} | {both}")


def summarize_fixed(outcomes: dict[tuple[int, str], Outcome], args: argparse.Namespace) -> None:
    print(f"\nat {args.rate:g}/s for {args.seconds:g} s (ms; CPU: server CPU time per message):")
    columns = f"{'ours':>8} {'ceiling':>8} {'ratio':>6}"
    print(f"{'processes':>9} | p50 {columns} | p99 {columns} | CPU {columns}")
    for processes in args.processes:
        mine, floor = (outcomes.get((processes, target)) for target in TARGETS)
        if not (mine and floor and mine.runs and floor.runs):
            continue
        ours, ceiling = mine.runs[0], floor.runs[0]
        cells = []
        for a, b in (
            (ours.percentile(50), ceiling.percentile(50)),
            (ours.percentile(99), ceiling.percentile(99)),
            (ours.server_cpu_ms, ceiling.server_cpu_ms),
        ):
            cells.append(f"{a:8.1f} {b:8.1f} {ratio(a, b):>6}")
        print(f"{processes:>9} |     {cells[0]} |     {cells[1]} |     {cells[2]}")


async def main(args: argparse.Namespace) -> None:
    raise_nofile()  # the servers and generators inherit it
    # The harness hands its processes no pool size; they read DB_POOL_SIZE from the environment.
    os.environ["DB_POOL_SIZE"] = str(args.pool)
    clients = args.clients + (-args.clients % max(args.processes))
    print(
        f"{datetime.now().astimezone():%Y-%m-%d %H:%M %Z} on {socket.gethostname()}, {os.cpu_count()} cores; "
        f"{backend_name(args)}, pool {args.pool}; {clients} clients from {args.generators} generator "
        f"processes; {args.seconds:g} s a run"
    )
    settings = await prepare(args)
    _, people = await seed_people(settings, clients)
    people = long_lived(settings, people)
    outcomes: dict[tuple[int, str], Outcome] = {}
    for processes in args.processes:
        for target in args.targets:
            outcomes[processes, target] = await drive(target, processes, settings, people, args)
    (summarize_sweep if args.sweep else summarize_fixed)(outcomes, args)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=400, help="socket clients, one user each")
    parser.add_argument("--rate", type=float, default=1000, help="messages per second, in total")
    parser.add_argument("--seconds", type=float, default=10, help="how long each run sends")
    parser.add_argument("--sweep", action="store_true", help="step through --rates instead of one --rate")
    parser.add_argument(
        "--rates", type=float, nargs="+", default=[50, 100, 200, 400, 600, 800, 1000, 1200, 1500]
    )
    parser.add_argument(
        "--attempts", type=int, default=2, help="tries of a sweep step before it counts as failed"
    )
    parser.add_argument(
        "--warmup", type=float, default=3, help="seconds sent at the lowest rate first, not counted"
    )
    parser.add_argument("--p99", type=float, default=50, help="the p99 a sustained rate stays within, in ms")
    parser.add_argument("--processes", type=int, nargs="+", default=[2], help="server processes, e.g. 1 2 4")
    parser.add_argument("--generators", type=int, default=2, help="load generator processes")
    parser.add_argument("--batch", type=int, default=100, help="sockets connecting at once")
    parser.add_argument("--targets", nargs="+", choices=TARGETS, default=list(TARGETS))
    parser.add_argument("--no-rest", dest="rest", action="store_false", help="skip the REST run of ours")
    add_backend_arguments(parser)
    asyncio.run(main(parser.parse_args()))
