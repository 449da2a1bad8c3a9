"""Idle authenticated sockets on one process: what each costs ours against a bare server.

`--sockets` Socket.IO connections (websocket transport, offering permessage-deflate as browsers
do unless `--no-deflate`) from `--users` users, opened `--batch` at a time from `--generators`
processes of `bench/socket_load.py` to ONE server process, so that its connect path (which
reads the database and Redis) is not flooded. After `--hold` seconds, longer than a ping
interval so every socket has answered a ping, it reads the server's VmRSS and VmHWM and counts
the sockets still open and authenticated; then the same against the bare server
(`bench/ceilings/raw_messages.py` with no message sent: a PyJWT check and a room, nothing else).
Prints MiB in all and KiB a socket (over the RSS before the first connect) for both, and
ours / bare. It measures; it never fails.

    .venv/bin/python bench/idle_sockets.py --mysql mysql://root@127.0.0.1:3306 --sockets 10000
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
from dataclasses import dataclass
from datetime import datetime

from common import add_backend_arguments, backend_name, prepare, seed_people
from processes import CeilingProcess
from socket_load import Generators, Seat, cpu_seconds, long_lived, memory_mib, raise_nofile

from server.settings import Settings
from tests.realtime.harness import ServerProcess, free_port, process_environment

SETTLE_SECONDS = 2
"""After a server answers its first request, before its RSS is read as the baseline."""


@dataclass
class Footprint:
    before_mib: float
    rss_mib: float
    peak_mib: float
    open: int

    def per_socket_kib(self, sockets: int) -> float:
        return (self.rss_mib - self.before_mib) * 1024 / max(1, sockets)


async def measure(
    target: str, settings: Settings, people: list[tuple[int, str]], args: argparse.Namespace
) -> Footprint:
    server = (
        ServerProcess(settings)
        if target == "ours"
        else CeilingProcess(process_environment(settings), free_port())
    )
    await server.start()
    assert server.process is not None
    pid = server.process.pid
    await asyncio.sleep(SETTLE_SECONDS)
    before, _ = memory_mib(pid)
    seats = [Seat(*people[n % len(people)], url=server.url) for n in range(args.sockets)]
    generators = Generators(seats, args.generators)
    try:
        await generators.start()
        cpu = cpu_seconds(pid)
        connected = await generators.connect(
            batch=args.batch, deflate=args.deflate, within=args.connect_timeout
        )
        cpu = cpu_seconds(pid) - cpu
        trouble = dict(connected.refused + connected.failed)
        print(
            f"{target:>4}: {connected.connected}/{args.sockets} connected in {connected.seconds:.1f} s "
            f"({connected.connected / connected.seconds:.0f}/s, server CPU {cpu:.1f} s)"
            f"{f', not connected: {trouble}' if trouble else ''}"
        )
        await asyncio.sleep(args.hold)
        rss, peak = memory_mib(pid)
        footprint = Footprint(before, rss, peak, await generators.open_sockets())
    finally:
        server.stop()  # first, so that the sockets closing cost the server nothing we wait for
        await generators.close()
    print(
        f"{target:>4}: {footprint.open}/{args.sockets} open and authenticated after {args.hold:g} s | "
        f"RSS {before:.0f} MiB before, {rss:.0f} MiB with the sockets (peak {peak:.0f} MiB) | "
        f"{footprint.per_socket_kib(args.sockets):.1f} KiB a socket"
    )
    return footprint


async def main(args: argparse.Namespace) -> None:
    hard = raise_nofile()  # the servers and generators inherit it
    print(
        f"{datetime.now().astimezone():%Y-%m-%d %H:%M %Z} on {socket.gethostname()}, {os.cpu_count()} cores; "
        f"{backend_name(args)}; {args.sockets} sockets of {args.users} users on one process, "
        f"{args.batch} at a time from {args.generators} generators, "
        f"deflate {'on' if args.deflate else 'off'}, open-file limit {hard}"
    )
    if args.sockets + 100 > hard:
        print(f"warning: {args.sockets} sockets need more than the open-file limit of {hard}")
    settings = await prepare(args)
    _, people = await seed_people(settings, min(args.users, args.sockets))
    people = long_lived(settings, people)
    ours = await measure("ours", settings, people, args)
    bare = await measure("bare", settings, people, args)
    per_ours, per_bare = ours.per_socket_kib(args.sockets), bare.per_socket_kib(args.sockets)
    per_ratio = per_ours / per_bare if per_bare > 0 else float("nan")
    print(
        f"ours / bare: RSS {ours.rss_mib:.0f} / {bare.rss_mib:.0f} MiB = {ours.rss_mib / bare.rss_mib:.2f}; "
        f"a socket {per_ours:.1f} / {per_bare:.1f} KiB = {per_ratio:.2f}"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sockets", type=int, default=10_000, help="idle sockets to open")
    parser.add_argument("--users", type=int, default=1_000, help="users they belong to (seeded)")
    parser.add_argument("--batch", type=int, default=200, help="sockets connecting at once, in all")
    parser.add_argument("--generators", type=int, default=4, help="client processes")
    parser.add_argument("--hold", type=float, default=30, help="seconds the sockets stay idle before reading")
    parser.add_argument(
        "--connect-timeout", type=float, default=60, help="seconds a socket may take to be authenticated"
    )
    parser.add_argument("--no-deflate", dest="deflate", action="store_false", help="offer no compression")
    add_backend_arguments(parser)
    asyncio.run(main(parser.parse_args()))
