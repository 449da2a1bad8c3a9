"""Signaling: how fast two aiortc peers get an open data channel, and the relay round trip
with many concurrent rooms of four on one server process.

1. Pairs: for each of N pairs in turn, a host and a guest join a fresh video call; the time
   from the guest's `room:join` to the data channel being open on both sides.
2. Rooms: R rooms of four socket clients on one process; every client sends `rtc:ice` to the
   next one in its room at a fixed total rate and the receiver echoes it back; the time from
   send to echo is one signaling round trip (two relays). The same load is then sent, in
   alternating rounds, to ours and to a bare python-socketio relay (`ceilings/bare_relay.py`,
   served the same way), and the ratio of their p50 and p99 is printed.

    .venv/bin/python bench/signaling.py --pairs 20 --rooms 50 --rate 400 --seconds 10
"""

from __future__ import annotations

import argparse
import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import socketio
from common import (
    ServerProcess,
    add_backend_arguments,
    backend_name,
    measuring,
    peak_rss_mib,
    percentile,
    prepare,
    seed_people,
    settle,
)
from processes import UvicornProcess

from models import VideoCall
from server.context import AppContext
from server.domains.meetings.codes import new_room_code
from server.settings import Settings
from tests.realtime.harness import Client, free_port, process_environment
from tests.signaling.peer import Peer


async def make_calls(settings: Settings, company_id: int, hosts: list[int]) -> list[str]:
    """One video call per host; returns their room codes."""
    ctx = AppContext.create(settings)
    now = datetime.now(UTC)
    codes = []
    try:
        async with ctx.transaction() as db:
            for host_id in hosts:
                call = VideoCall(
                    room_code=new_room_code(),
                    title="bench",
                    host_id=host_id,
                    scheduled_start=now,
                    scheduled_end=now + timedelta(hours=2),
                    company_id=company_id,
                    max_participants=10,
                )
                db.add(call)
                codes.append(call.room_code)
    finally:
        await ctx.close()
    return codes


async def pair_timings(url: str, people: list[tuple[int, str]], codes: list[str]) -> list[float]:
    timings = []
    for n, code in enumerate(codes):
        host_client, guest_client = Client(), Client()
        await host_client.connect(url, people[2 * n][1])
        await guest_client.connect(url, people[2 * n + 1][1])
        host, guest = Peer(host_client), Peer(guest_client)
        try:
            hosted = await host.join(code)
            started = time.perf_counter()
            joined = await guest.join(code)
            guest_id, host_id = joined["you"]["participant_id"], hosted["you"]["participant_id"]
            await host_client.wait_for("participant:joined")
            await host.call_peer(guest_id)
            await asyncio.gather(host.wait_open(guest_id), guest.wait_open(host_id))
            timings.append(time.perf_counter() - started)
        finally:
            await host.close()
            await guest.close()
    return timings


async def relay_round_trips(
    url: str, people: list[tuple[int, str]], codes: list[str], rate: float, seconds: float
) -> tuple[list[float], int]:
    sent_at: dict[str, float] = {}
    round_trips: list[float] = []
    clients: list[tuple[socketio.AsyncClient, int, int]] = []  # socket, my participant id, next's id
    errors = 0
    refusals: dict[str, int] = {}

    for r, code in enumerate(codes):
        members: list[tuple[socketio.AsyncClient, int]] = []
        for k in range(4):
            sio = socketio.AsyncClient(reconnection=False)

            async def echo(data: dict[str, Any], sio: socketio.AsyncClient = sio) -> None:
                candidate = data["candidate"]
                if candidate["kind"] == "ping":
                    await sio.emit(
                        "rtc:ice", {"to": data["from"], "candidate": {**candidate, "kind": "pong"}}
                    )
                elif candidate["id"] in sent_at:
                    round_trips.append(time.perf_counter() - sent_at.pop(candidate["id"]))

            sio.on("rtc:ice", echo)
            await sio.connect(url, auth={"token": people[4 * r + k][1]}, transports=["websocket"])
            ack = await sio.call("room:join", {"room_code": code}, timeout=30)
            members.append((sio, ack["you"]["participant_id"]))
        for k, (sio, me) in enumerate(members):
            clients.append((sio, me, members[(k + 1) % 4][1]))

    def acked(reply: dict[str, Any]) -> None:
        nonlocal errors
        if not reply.get("ok"):
            errors += 1
            refusals[reply["error"]["code"]] = refusals.get(reply["error"]["code"], 0) + 1

    total = int(rate * seconds)
    with measuring():
        started = time.perf_counter()
        for seq in range(total):
            delay = started + seq / rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            sio, _, to = clients[seq % len(clients)]
            key = str(seq)
            sent_at[key] = time.perf_counter()
            await sio.emit("rtc:ice", {"to": to, "candidate": {"kind": "ping", "id": key}}, callback=acked)
        await settle(lambda: total - len(sent_at) - errors, total - errors)
    lost = len(sent_at)
    if refusals:
        print(f"refused relays: {refusals}")
    for sio, _, _ in clients:
        await sio.disconnect()
    return round_trips, lost + errors


async def main(args: argparse.Namespace) -> None:
    settings = await prepare(args, redis=not args.no_redis)
    people_needed = 2 * args.pairs + 4 * args.rooms
    company_id, people = await seed_people(settings, people_needed)
    pair_hosts = [people[2 * n][0] for n in range(args.pairs)]
    room_hosts = [people[2 * args.pairs + 4 * r][0] for r in range(args.rooms)]
    pair_codes = await make_calls(settings, company_id, pair_hosts)
    room_codes = await make_calls(settings, company_id, room_hosts)
    server = ServerProcess(settings)
    await server.start()
    try:
        print(f"one server process ({backend_name(args, not args.no_redis)})")
        timings = sorted(t * 1000 for t in await pair_timings(server.url, people, pair_codes))
        print(
            f"join -> open data channel, {len(timings)} pairs: "
            f"median {percentile(timings, 50):.0f} ms, p95 {percentile(timings, 95):.0f} ms"
        )
        print(
            f"relay round trip, {args.rooms} rooms of 4 ({4 * args.rooms} sockets), {args.rate:.0f}/s for "
            f"{args.seconds:.0f} s a round"
        )
        bare = UvicornProcess("bench.ceilings.bare_relay:app", process_environment(settings), free_port(), 1)
        await bare.start()
        try:
            figures: dict[str, list[tuple[float, float]]] = {"ours": [], "bare": []}
            for round_number in range(1, args.rounds + 1):
                for name, url in (("ours", server.url), ("bare", bare.url)):
                    trips, lost = await relay_round_trips(
                        url, people[2 * args.pairs :], room_codes, args.rate, args.seconds
                    )
                    ms = sorted(t * 1000 for t in trips)
                    figures[name].append((percentile(ms, 50), percentile(ms, 99)))
                    print(
                        f"  round {round_number} {name:>4}: {len(ms)} answered, {lost} lost | "
                        f"p50 {percentile(ms, 50):.1f} ms | p95 {percentile(ms, 95):.1f} ms | "
                        f"p99 {percentile(ms, 99):.1f} ms"
                    )
        finally:
            bare.stop()
        for label, index in (("p50", 0), ("p99", 1)):
            ratios = [o[index] / b[index] for o, b in zip(figures["ours"], figures["bare"], strict=True)]
            print(f"ours/bare {label}: " + " ".join(f"{r:.2f}" for r in ratios))
        print(f"server peak RSS {peak_rss_mib(server):.1f} MiB")
    finally:
        server.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pairs", type=int, default=20, help="peer pairs connected one after another")
    parser.add_argument("--rooms", type=int, default=50, help="concurrent rooms of four")
    parser.add_argument("--rate", type=float, default=400, help="relays per second, in total")
    parser.add_argument("--seconds", type=float, default=10, help="how long the relay load runs")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds of ours and the bare relay")
    parser.add_argument("--no-redis", action="store_true", help="in-process room state instead of Redis")
    add_backend_arguments(parser)
    asyncio.run(main(parser.parse_args()))
