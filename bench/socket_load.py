"""Socket.IO load from processes of its own, the same generator for our server and its ceilings.

The clients are not python-socketio's AsyncClient: at ~100 KB and several tasks a socket it
would make 10,000 sockets, or 1,500 messages a second, a benchmark of the client. `MiniSocket`
speaks just enough Engine.IO 4 / Socket.IO 5 over one websocket (open, connect with auth,
pong, events, acks), offering permessage-deflate as a browser does unless told not to.

`Generators` starts `processes` copies of this file (`python bench/socket_load.py`), each with
its own event loop and its share of the seats, and drives them over stdin/stdout, one JSON
line per command and per answer. Every send and receipt is stamped with `time.monotonic()`:
CLOCK_MONOTONIC is one clock for all processes on Linux, so a send stamped in one generator and
its receipt stamped in another subtract. Each message's content is `<run>:<key>`, a key unique
in its run, so lost and duplicated messages are counted exactly.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import resource
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import msgspec
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

if TYPE_CHECKING:
    from server.settings import Settings

AckCallback = Callable[[Any, float], None]
EventCallback = Callable[[str, Any, float], None]
ACK_WAIT_SECONDS = 10
"""After its last send, how long a generator waits for the acks still missing."""


def raise_nofile() -> int:
    """Lift this process's open-file limit to the hard one (children inherit it): 10,000 sockets
    need 10,000 descriptors on each side."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


def memory_mib(pid: int) -> tuple[float, float]:
    """(VmRSS, VmHWM) of a process, in MiB."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line
    )
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    after_name = stat.rsplit(")", 1)[1].split()
    return (int(after_name[11]) + int(after_name[12])) / os.sysconf("SC_CLK_TCK")


def host_cpu() -> tuple[int, int]:
    """(busy, total) jiffies of the whole host, to tell how loaded it was between two readings."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]
    return sum(values) - idle, sum(values)


def long_lived(
    settings: Settings, people: list[tuple[int, str]], minutes: int = 240
) -> list[tuple[int, str]]:
    """The same users and sessions with access tokens that outlive the whole benchmark: our
    server closes a socket when its token expires, and a sweep takes longer than 15 minutes."""
    from dataclasses import replace

    from server.auth.tokens import TokenSigner

    signer = TokenSigner(replace(settings, access_token_minutes=minutes))
    renewed = []
    for user_id, token in people:
        _, session_id = signer.read_access_token(token)
        renewed.append((user_id, signer.access_token(user_id, session_id)))
    return renewed


class Refused(Exception):
    """The server answered the connect with CONNECT_ERROR (`44`)."""

    def __init__(self, data: Any) -> None:
        details = data.get("data") if isinstance(data, dict) else None
        code = details.get("code") if isinstance(details, dict) else None
        message = data.get("message") if isinstance(data, dict) else None
        self.code = str(code or message or data)
        super().__init__(self.code)


def _split_id(packet: str) -> tuple[int | None, str]:
    """A `42`/`43` packet's ack id (the digits after its type) and JSON body."""
    end = 2
    while end < len(packet) and packet[end].isdigit():
        end += 1
    return (int(packet[2:end]) if end > 2 else None), packet[end:]


class MiniSocket:
    """One Socket.IO client on the default namespace, over one websocket."""

    def __init__(self, on_event: EventCallback | None = None) -> None:
        self.on_event = on_event
        self.ws: ClientConnection | None = None
        self.authenticated = False
        self._acks: dict[int, AckCallback] = {}
        self._next_id = 0
        self._reader: asyncio.Task[None] | None = None

    async def connect(self, url: str, token: str, *, deflate: bool = True, within: float = 30) -> None:
        address = url.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"
        try:
            async with asyncio.timeout(within):
                self.ws = await connect(
                    address,
                    compression="deflate" if deflate else None,
                    ping_interval=None,  # Engine.IO pings on its own; the server starts them
                    close_timeout=1,
                    max_size=2**20,
                )
                opening = await self.ws.recv()
                if not isinstance(opening, str) or not opening.startswith("0"):
                    raise ConnectionError(f"not an Engine.IO open packet: {opening!r:.40}")
                await self.ws.send("40" + json.dumps({"token": token}))
                while True:
                    packet = await self.ws.recv()
                    if packet == "2":
                        await self.ws.send("3")
                    elif isinstance(packet, str) and packet.startswith("40"):
                        break
                    elif isinstance(packet, str) and packet.startswith("44"):
                        raise Refused(msgspec.json.decode(packet[2:]))
        except BaseException:
            await self.close()
            raise
        self.authenticated = True
        self._reader = asyncio.get_running_loop().create_task(self._read(self.ws))

    async def _read(self, ws: ClientConnection) -> None:
        try:
            async for packet in ws:
                if not isinstance(packet, str):
                    continue
                if packet == "2":
                    await ws.send("3")
                elif packet.startswith("42") and self.on_event is not None:
                    now = time.monotonic()
                    name, *args = msgspec.json.decode(_split_id(packet)[1])
                    self.on_event(name, args[0] if args else None, now)
                elif packet.startswith("43"):
                    now = time.monotonic()
                    ack_id, body = _split_id(packet)
                    callback = self._acks.pop(ack_id, None) if ack_id is not None else None
                    if callback is not None:
                        args = msgspec.json.decode(body)
                        callback(args[0] if args else None, now)
                elif packet.startswith("41") or packet == "1":
                    break  # the server closed the namespace or the Engine.IO session
        except ConnectionClosed:
            pass
        finally:
            self.authenticated = False

    async def emit(self, event: str, data: Any, callback: AckCallback | None = None) -> None:
        assert self.ws is not None
        head = "42"
        if callback is not None:
            self._next_id += 1
            self._acks[self._next_id] = callback
            head += str(self._next_id)
        await self.ws.send(head + json.dumps([event, data]))

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.close()
        self.authenticated = False


@dataclass
class Seat:
    """One client: who it is, which server it is connected to, whom it sends to (0: nobody)."""

    user_id: int
    token: str
    url: str
    peer: int = 0


class Generator:
    """One generator process: its seats' sockets and what they sent and received."""

    def __init__(self, index: int, count: int, seats: list[Seat]) -> None:
        self.index, self.count, self.seats = index, count, seats
        self.sockets = [MiniSocket(self._receiver(seat.user_id)) for seat in seats]
        self.arrivals: dict[str, list[tuple[int, float]]] = {}
        self.last_arrival: dict[str, float] = {}

    def _receiver(self, me: int) -> EventCallback:
        def receive(name: str, data: Any, now: float) -> None:
            if name != "message:new" or not isinstance(data, dict) or data.get("recipient_id") != me:
                return  # presence, typing, or the sender's own copy of a REST send
            run, _, key = str(data.get("content")).partition(":")
            with contextlib.suppress(ValueError):
                self.arrivals.setdefault(run, []).append((int(key), now))
                self.last_arrival[run] = now

        return receive

    async def connect(self, batch: int, deflate: bool, within: float) -> dict[str, Any]:
        started = time.monotonic()
        refused: Counter[str] = Counter()
        failed: Counter[str] = Counter()
        for first in range(0, len(self.seats), batch):
            pairs = list(
                zip(self.seats[first : first + batch], self.sockets[first : first + batch], strict=True)
            )
            results = await asyncio.gather(
                *(sock.connect(seat.url, seat.token, deflate=deflate, within=within) for seat, sock in pairs),
                return_exceptions=True,
            )
            for result in results:
                if isinstance(result, Refused):
                    refused[result.code] += 1
                elif isinstance(result, BaseException):
                    failed[type(result).__name__] += 1
        return {
            "connected": sum(sock.authenticated for sock in self.sockets),
            "refused": refused,
            "failed": failed,
            "seconds": time.monotonic() - started,
        }

    async def run(
        self, run: str, rate: float, seconds: float, start_at: float, transport: str
    ) -> dict[str, Any]:
        """Send this generator's share of `rate * seconds` messages: message `key` (counted over
        every generator) is due at `start_at + key / rate`, so the generators interleave."""
        senders = [i for i, seat in enumerate(self.seats) if seat.peer and self.sockets[i].authenticated]
        sent: dict[int, float] = {}
        acks: dict[int, tuple[float, bool, str]] = {}
        pending: set[asyncio.Task[None]] = set()
        sending = [True]
        all_acked = asyncio.Event()
        http: dict[str, Any] = {}
        if transport == "rest":
            import httpx

            http = {
                url: httpx.AsyncClient(base_url=url, timeout=30, limits=httpx.Limits(max_connections=64))
                for url in {seat.url for seat in self.seats}
            }

        def acked(key: int) -> AckCallback:
            def record(reply: Any, now: float) -> None:
                ok = isinstance(reply, dict) and reply.get("ok") is True
                error = reply.get("error") if isinstance(reply, dict) else None
                code = str(error.get("code") if isinstance(error, dict) else error)
                acks[key] = (now, ok, "" if ok else code)
                if not sending[0] and len(acks) >= len(sent):
                    all_acked.set()

            return record

        async def post(seat: Seat, key: int, payload: dict[str, Any]) -> None:
            try:
                response = await http[seat.url].post(
                    "/api/messages", json=payload, headers={"Authorization": f"Bearer {seat.token}"}
                )
                ok, code = response.status_code == 201, f"http {response.status_code}"
            except Exception as exc:
                ok, code = False, type(exc).__name__
            acks[key] = (time.monotonic(), ok, "" if ok else code)
            if not sending[0] and len(acks) >= len(sent):
                all_acked.set()

        cpu = time.process_time()
        lag = 0.0
        total = int(rate * seconds)
        for key in range(self.index, total if senders else 0, self.count):
            due = start_at + key / rate
            delay = due - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            n = senders[(key // self.count) % len(senders)]
            seat = self.seats[n]
            payload = {"to": seat.peer, "content": f"{run}:{key}"}
            now = time.monotonic()
            lag = max(lag, now - due)
            sent[key] = now
            if transport == "rest":
                task = asyncio.create_task(post(seat, key, payload))
                pending.add(task)
                task.add_done_callback(pending.discard)
            else:
                await self.sockets[n].emit("message:send", payload, acked(key))
        sending[0] = False
        if len(acks) >= len(sent):
            all_acked.set()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(all_acked.wait(), ACK_WAIT_SECONDS)
        for client in http.values():
            await client.aclose()
        return {
            "sent": list(sent.items()),
            "acks": [[key, *ack] for key, ack in acks.items()],
            "lag": lag,
            "cpu": time.process_time() - cpu,
            "senders": len(senders),
        }

    async def collect(self, run: str, quiet: float, limit: float) -> dict[str, Any]:
        """This run's receipts, once none has arrived for `quiet` seconds (or after `limit`)."""
        waited = time.monotonic()
        while time.monotonic() - waited < limit:
            last = self.last_arrival.get(run, waited)
            if time.monotonic() - max(last, waited) >= quiet:
                break
            await asyncio.sleep(0.05)
        self.last_arrival.pop(run, None)
        return {"received": self.arrivals.pop(run, [])}

    def open_sockets(self) -> dict[str, Any]:
        return {"open": sum(sock.authenticated for sock in self.sockets)}


async def _serve(index: int, count: int) -> None:
    """A generator process's loop: one JSON command a line on stdin, one JSON answer on stdout."""
    loop = asyncio.get_running_loop()
    commands = asyncio.StreamReader(limit=2**26)
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(commands), sys.stdin)
    seats = [Seat(**seat) for seat in json.loads(await commands.readline())]
    generator = Generator(index, count, seats)
    while line := await commands.readline():
        command = json.loads(line)
        op = command.pop("op")
        if op == "connect":
            answer = await generator.connect(**command)
        elif op == "run":
            answer = await generator.run(**command)
        elif op == "collect":
            answer = await generator.collect(**command)
        elif op == "count":
            answer = generator.open_sockets()
        else:
            break
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
    os._exit(0)  # its sockets close with the process, at once


@dataclass
class Connected:
    connected: int
    refused: Counter[str]
    failed: Counter[str]
    seconds: float


@dataclass
class RunResult:
    """One run over every generator: what was sent, delivered, refused, and how fast."""

    rate: float
    seconds: float
    sent: int = 0
    delivered: int = 0
    lost: int = 0
    duplicated: int = 0
    stray: int = 0
    errors: Counter[str] = field(default_factory=Counter)
    unanswered: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    ack_ms: list[float] = field(default_factory=list)
    lag_ms: float = 0.0
    send_seconds: float = 0.0
    generator_cpu: float = 0.0
    """CPU seconds the generators used while sending, over all of them."""
    server_cpu: list[float] = field(default_factory=list)
    """Each server's CPU while sending, in cores."""
    host_busy: float = 0.0
    """The busy share of every core of the host while sending."""
    senders: int = 0

    def percentile(self, q: int, values: list[float] | None = None) -> float:
        ordered = sorted(self.latencies_ms if values is None else values)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, max(0, round(q / 100 * len(ordered)) - 1))]

    @property
    def server_cpu_ms(self) -> float:
        """CPU time of all the servers per message sent, in ms: robust on a shared host."""
        return sum(self.server_cpu) * self.send_seconds * 1000 / max(1, self.sent)

    def sustained(self, p99_ms: float) -> bool:
        """Everything delivered once, nothing refused, p99 within `p99_ms`."""
        clean = not (self.lost or self.duplicated or self.errors or self.unanswered or self.stray)
        return clean and self.sent > 0 and self.percentile(99) <= p99_ms

    def line(self) -> str:
        errors = ", ".join(f"{code} {n}" for code, n in self.errors.most_common()) or "0"
        behind = f" | generator behind {self.lag_ms:.0f} ms" if self.lag_ms > 20 else ""
        ack_p99 = self.percentile(99, self.ack_ms)
        servers = " ".join(f"{cpu:.0%}" for cpu in self.server_cpu)
        generators = self.generator_cpu / max(self.send_seconds, 1e-9)
        return (
            f"sent {self.sent:>6} ({self.sent / self.seconds:6.0f}/s) | delivered {self.delivered:>6} | "
            f"lost {self.lost:>4} | dup {self.duplicated:>3} | errors {errors} | "
            f"unanswered {self.unanswered} | p50 {self.percentile(50):6.1f} | "
            f"p95 {self.percentile(95):6.1f} | p99 {self.percentile(99):6.1f} ms | ack p99 {ack_p99:6.1f} ms"
            f" | CPU {self.server_cpu_ms:.1f} ms/msg, servers {servers} generators {generators:.0%}"
            f" host {self.host_busy:.0%}{behind}"
        )


class Generators:
    """The generator processes of one target, each holding every `processes`-th seat."""

    def __init__(self, seats: list[Seat], processes: int) -> None:
        self.shares = [seats[g::processes] for g in range(processes)]
        self.shares = [share for share in self.shares if share]
        self.children: list[asyncio.subprocess.Process] = []
        self.runs = 0

    async def start(self) -> None:
        for index, share in enumerate(self.shares):
            child = await asyncio.create_subprocess_exec(
                sys.executable,
                str(Path(__file__)),
                str(index),
                str(len(self.shares)),
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                limit=2**26,
            )
            assert child.stdin is not None
            child.stdin.write((json.dumps([asdict(seat) for seat in share]) + "\n").encode())
            self.children.append(child)

    async def _send(self, command: dict[str, Any]) -> None:
        for child in self.children:
            assert child.stdin is not None
            child.stdin.write((json.dumps(command) + "\n").encode())
            await child.stdin.drain()

    async def _answers(self) -> list[dict[str, Any]]:
        async def answer(child: asyncio.subprocess.Process) -> dict[str, Any]:
            assert child.stdout is not None
            line = await child.stdout.readline()
            if not line:
                raise RuntimeError(f"a load generator exited ({await child.wait()})")
            parsed: dict[str, Any] = json.loads(line)
            return parsed

        return list(await asyncio.gather(*(answer(child) for child in self.children)))

    async def _ask(self, command: dict[str, Any]) -> list[dict[str, Any]]:
        await self._send(command)
        return await self._answers()

    async def connect(self, batch: int = 200, deflate: bool = True, within: float = 30) -> Connected:
        """Connect every seat, `batch` at a time over all generators together."""
        per_generator = max(1, batch // len(self.children))
        answers = await self._ask(
            {"op": "connect", "batch": per_generator, "deflate": deflate, "within": within}
        )
        return Connected(
            connected=sum(a["connected"] for a in answers),
            refused=sum((Counter(a["refused"]) for a in answers), Counter()),
            failed=sum((Counter(a["failed"]) for a in answers), Counter()),
            seconds=max(a["seconds"] for a in answers),
        )

    async def run(
        self,
        rate: float,
        seconds: float,
        transport: str = "socket",
        pids: Sequence[int] = (),
        quiet: float = 1.0,
    ) -> RunResult:
        """One run at `rate` messages a second for `seconds`, starting on every generator at once;
        the CPU of the processes `pids` (the servers) and of the host is read over its sends."""
        self.runs += 1
        run = f"r{self.runs}"
        start_at = time.monotonic() + 0.5
        command = {"op": "run", "run": run, "rate": rate, "seconds": seconds, "start_at": start_at}
        await self._send({**command, "transport": transport})
        await asyncio.sleep(max(0.0, start_at - time.monotonic()))
        servers, host = [cpu_seconds(pid) for pid in pids], host_cpu()
        sends = await self._answers()
        send_seconds = time.monotonic() - start_at
        busy, total = host_cpu()
        result = RunResult(rate=rate, seconds=seconds, send_seconds=send_seconds)
        result.server_cpu = [
            (cpu_seconds(pid) - t) / send_seconds for pid, t in zip(pids, servers, strict=True)
        ]
        result.host_busy = (busy - host[0]) / max(1, total - host[1])
        receipts = await self._ask({"op": "collect", "run": run, "quiet": quiet, "limit": 10})
        sent_at: dict[int, float] = {}
        for answer in sends:
            sent_at.update((key, t) for key, t in answer["sent"])
            result.lag_ms = max(result.lag_ms, answer["lag"] * 1000)
            result.generator_cpu += answer["cpu"]
            result.senders += answer["senders"]
            for key, t, ok, code in answer["acks"]:
                if ok:
                    result.ack_ms.append((t - sent_at.get(key, t)) * 1000)
                else:
                    result.errors[code] += 1
        answered = sum(len(answer["acks"]) for answer in sends)
        result.sent = len(sent_at)
        result.unanswered = result.sent - answered
        counts: Counter[int] = Counter()
        for answer in receipts:
            for key, t in answer["received"]:
                counts[key] += 1
                if counts[key] == 1 and key in sent_at:
                    result.latencies_ms.append((t - sent_at[key]) * 1000)
        result.delivered = sum(1 for key in sent_at if counts[key])
        result.duplicated = sum(n - 1 for n in counts.values() if n > 1)
        result.stray += sum(1 for key in counts if key not in sent_at)
        result.lost = max(0, result.sent - result.delivered - sum(result.errors.values()))
        return result

    async def open_sockets(self) -> int:
        return sum(answer["open"] for answer in await self._ask({"op": "count"}))

    async def close(self) -> None:
        for child in self.children:
            if child.stdin is not None:
                child.stdin.close()
        for child in self.children:
            try:
                await asyncio.wait_for(child.wait(), 10)
            except TimeoutError:
                child.kill()
                await child.wait()
        self.children = []


def _generator_main() -> None:
    raise_nofile()
    index, count = int(sys.argv[1]), int(sys.argv[2])
    try:
        import uvloop
    except ImportError:
        asyncio.run(_serve(index, count))
    else:
        uvloop.run(_serve(index, count))


if __name__ == "__main__":
    _generator_main()
