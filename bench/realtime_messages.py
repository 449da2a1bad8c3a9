"""Messages through two server processes sharing one database and one Redis.

N socket clients, spread over the two processes, each sending to a client on the other one,
at a fixed total rate for a fixed time: first over the socket (`message:send`), then over
REST (`POST /api/messages`). Prints delivered, lost and duplicated messages, p50 / p95 / p99
send-to-receive latency, and each server's peak RSS. It measures; it never fails.

    .venv/bin/python bench/realtime_messages.py --clients 50 --rate 200 --seconds 10
    .venv/bin/python bench/realtime_messages.py --mysql mysql://root@127.0.0.1:3306   # on MariaDB/MySQL
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field

import httpx
import socketio
from common import (
    ServerProcess,
    backend_name,
    peak_rss_mib,
    percentile,
    prepare,
    seed_people,
    settle,
)


@dataclass
class Phase:
    name: str
    sent_at: dict[int, float] = field(default_factory=dict)
    received: Counter[int] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    answered: int = 0

    @property
    def delivered(self) -> int:
        return sum(1 for seq in self.sent_at if self.received[seq] > 0)


@dataclass
class Sender:
    user_id: int
    token: str
    peer: int
    sio: socketio.AsyncClient


async def run_phase(
    phase: Phase, senders: list[Sender], rate: float, seconds: float, urls: list[str]
) -> None:
    total = int(rate * seconds)
    interval = 1 / rate
    started = time.perf_counter()
    pending: set[asyncio.Task[None]] = set()
    https = [
        httpx.AsyncClient(base_url=url, timeout=30, limits=httpx.Limits(max_connections=64)) for url in urls
    ]

    async def over_rest(sender: Sender, seq: int, node: int) -> None:
        r = await https[node].post(
            "/api/messages",
            json={"to": sender.peer, "content": f"{phase.name}:{seq}"},
            headers={"Authorization": f"Bearer {sender.token}"},
        )
        phase.answered += 1
        if r.status_code != 201:
            phase.errors += 1

    def acked(reply: dict[str, object]) -> None:
        phase.answered += 1
        if not reply.get("ok"):
            phase.errors += 1

    for seq in range(total):
        due = started + seq * interval
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        sender = senders[seq % len(senders)]
        phase.sent_at[seq] = time.perf_counter()
        payload = {"to": sender.peer, "content": f"{phase.name}:{seq}"}
        if phase.name == "socket":
            await sender.sio.emit("message:send", payload, callback=acked)
        else:
            task = asyncio.create_task(over_rest(sender, seq, seq % len(https)))
            pending.add(task)
            task.add_done_callback(pending.discard)
    await asyncio.gather(*pending)
    await settle(lambda: phase.answered, total)
    await settle(lambda: phase.delivered, total - phase.errors)
    for client in https:
        await client.aclose()


def report(phase: Phase, seconds: float) -> None:
    sent = len(phase.sent_at)
    delivered = phase.delivered
    duplicated = sum(count - 1 for count in phase.received.values() if count > 1)
    ms = sorted(x * 1000 for x in phase.latencies)
    print(
        f"{phase.name:>6} | sent {sent:>6} ({sent / seconds:6.1f}/s) | delivered {delivered:>6} | "
        f"lost {sent - delivered:>4} | duplicated {duplicated:>3} | errors {phase.errors:>3} | "
        f"p50 {percentile(ms, 50):7.1f} ms | p95 {percentile(ms, 95):7.1f} ms | "
        f"p99 {percentile(ms, 99):7.1f} ms"
    )


async def main(args: argparse.Namespace) -> None:
    settings = await prepare(args)
    _, people = await seed_people(settings, args.clients)
    servers = [ServerProcess(settings), ServerProcess(settings)]
    await asyncio.gather(*(s.start() for s in servers))
    phases = {name: Phase(name) for name in ("socket", "rest")}
    senders: list[Sender] = []
    try:
        for i, (user_id, token) in enumerate(people):
            sio = socketio.AsyncClient(reconnection=False)

            async def on_message(message: dict[str, object], me: int = user_id) -> None:
                now = time.perf_counter()
                if message["recipient_id"] != me:
                    return  # the sender's own copy of a REST send
                name, _, seq_text = str(message["content"]).partition(":")
                phase, seq = phases[name], int(seq_text)
                phase.received[seq] += 1
                if phase.received[seq] == 1 and seq in phase.sent_at:
                    phase.latencies.append(now - phase.sent_at[seq])

            sio.on("message:new", on_message)
            await sio.connect(servers[i % 2].url, auth={"token": token}, transports=["websocket"])
            peer = people[(i + 1) % len(people)][0]  # the next client, on the other process
            senders.append(Sender(user_id, token, peer, sio))
        print(
            f"{args.clients} clients on 2 processes ({backend_name(args)}), "
            f"{args.rate}/s for {args.seconds} s per transport"
        )
        for phase in phases.values():
            await run_phase(phase, senders, args.rate, args.seconds, [s.url for s in servers])
            report(phase, args.seconds)
        for n, server in enumerate(servers):
            print(f"server {n + 1} peak RSS {peak_rss_mib(server):.1f} MiB")
    finally:
        for sender in senders:
            await sender.sio.disconnect()
        for server in servers:
            server.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=50, help="socket clients (an even number)")
    parser.add_argument("--rate", type=float, default=200, help="messages per second, in total")
    parser.add_argument("--seconds", type=float, default=10, help="how long each transport is driven")
    parser.add_argument("--mysql", help="a MySQL/MariaDB server URL; the bench database is recreated on it")
    parser.add_argument(
        "--redis", default="redis://127.0.0.1:6379/8", help="a Redis database to flush and use"
    )
    parser.add_argument("--pool", type=int, default=20, help="database pool size per process")
    asyncio.run(main(parser.parse_args()))
