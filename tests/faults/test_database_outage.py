"""The database goes away for seconds under two running processes (a TCP proxy in front of
MariaDB is stopped, which refuses new connections and cuts the pooled ones): the API answers
503 `service_unavailable` with Retry-After in the one error shape, socket events ack
`service_unavailable`, sockets stay open, and once the proxy is back everything works again
without restarting anything. SQLite is a file in the process: there is no connection to cut."""

from __future__ import annotations

import asyncio
import time
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest

from server.settings import Settings
from tests.faults.conftest import ClusterFactory, eventually
from tests.faults.proxy import TcpProxy
from tests.realtime.harness import free_port
from tests.server.tenants import assert_error

OUTAGE_SECONDS = 3.0
RECOVERY_SECONDS = 10.0
UNAVAILABLE = "The database is unreachable; try again shortly."


@pytest.fixture
async def proxy(settings: Settings) -> Any:
    if settings.is_sqlite:
        pytest.skip("needs MariaDB/MySQL (DATABASE_URL=mysql://...): SQLite has no connection to cut")
    parts = urlsplit(settings.database_url)
    found = TcpProxy(free_port(), parts.hostname or "127.0.0.1", parts.port or 3306)
    await found.start()
    netloc = parts.netloc.replace(f"{parts.hostname}:{parts.port}", f"127.0.0.1:{found.port}")
    if parts.port is None:
        netloc = f"{parts.netloc}:{found.port}"
    found.url = urlunsplit(parts._replace(netloc=netloc))  # type: ignore[attr-defined]
    yield found
    await found.stop()


async def test_while_the_database_is_unreachable_calls_answer_503_and_recover_without_a_restart(
    start_cluster: ClusterFactory, proxy: TcpProxy
) -> None:
    cluster = await start_cluster(proxy.url)  # type: ignore[attr-defined]
    alice = await cluster.socket(cluster.a, cluster.alice)
    bob = await cluster.socket(cluster.b, cluster.bob)
    send = {"to": cluster.bob.id, "content": "届く"}
    assert (await alice.call("message:send", send))["ok"] is True

    await proxy.stop()
    down = time.monotonic()
    async with httpx.AsyncClient() as http:
        for node in (cluster.a, cluster.b):
            r = await http.post(f"{node.url}/api/messages", json=send, headers=cluster.alice.headers)
            assert r.status_code == 503, r.text
            assert r.headers["retry-after"] == "5"
            assert assert_error(r, 503, "service_unavailable")["detail"] == UNAVAILABLE
            ready = await http.get(f"{node.url}/health/ready")
            assert ready.status_code == 503
        ack = await alice.call("message:send", {"request_id": "r", **send}, timeout=10)
        assert ack["ok"] is False and ack["request_id"] == "r"
        assert ack["error"]["code"] == "service_unavailable", ack
        assert ack["error"]["message"] == UNAVAILABLE
        answered_in = time.monotonic() - down
        await asyncio.sleep(max(0.0, OUTAGE_SECONDS - answered_in))
        assert alice.sio.connected and bob.sio.connected

        await proxy.start()

        async def works_again() -> bool:
            for node in (cluster.a, cluster.b):
                r = await http.post(f"{node.url}/api/messages", json=send, headers=cluster.alice.headers)
                if r.status_code != 201:
                    return False
            ack: dict[str, Any] = await alice.call("message:send", send)
            return ack["ok"] is True

        recovered = await eventually(works_again, RECOVERY_SECONDS)
    last = await alice.call("message:send", {"to": cluster.bob.id, "content": "最後"})
    assert await bob.wait_until("message:new", lambda m: m["id"] == last["message"]["id"])
    print(f"503s and acks within {answered_in:.2f} s of the cut; recovered {recovered:.2f} s after")
