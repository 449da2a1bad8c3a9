"""A Socket.IO client over a raw WebSocket, written by hand so a test controls its reads: it
connects, joins rooms, then stops reading, like a client on a frozen tab or a dead link."""

from __future__ import annotations

import base64
import json
import os
import socket
from typing import Any

ESTABLISHED = "01"
RECEIVE_BUFFER = 4096
"""Kept small so the kernel stops taking the server's bytes almost at once."""


def _frame(text: str) -> bytes:
    """One masked text frame, as a client must send it."""
    payload = text.encode()
    mask = os.urandom(4)
    size = len(payload)
    if size < 126:
        header = bytes([0x81, 0x80 | size])
    elif size < 1 << 16:
        header = bytes([0x81, 0x80 | 126]) + size.to_bytes(2, "big")
    else:
        header = bytes([0x81, 0x80 | 127]) + size.to_bytes(8, "big")
    return header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


class RawSocketIO:
    """Blocking, for the few exchanges before it stalls (run them in a thread)."""

    def __init__(self, port: int) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER)
        self.sock.settimeout(5)
        self.sock.connect(("127.0.0.1", port))
        self.server_port = port
        self.local_port: int = self.sock.getsockname()[1]
        self._buffer = b""
        self._acks = 0

    def _read(self, count: int) -> bytes:
        while len(self._buffer) < count:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed by the server")
            self._buffer += chunk
        found, self._buffer = self._buffer[:count], self._buffer[count:]
        return found

    def _read_text(self) -> str:
        first, second = self._read(2)
        size = second & 0x7F
        if size == 126:
            size = int.from_bytes(self._read(2), "big")
        elif size == 127:
            size = int.from_bytes(self._read(8), "big")
        payload = self._read(size)
        if first & 0x0F == 0x8:
            raise ConnectionError("closed by the server")
        return payload.decode()

    def _send(self, text: str) -> None:
        self.sock.sendall(_frame(text))

    def handshake(self, token: str) -> None:
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            (
                "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\n"
                f"Host: 127.0.0.1:{self.server_port}\r\n"
                "Upgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
            ).encode()
        )
        while b"\r\n\r\n" not in self._buffer:
            self._buffer += self.sock.recv(4096)
        head, self._buffer = self._buffer.split(b"\r\n\r\n", 1)
        assert head.startswith(b"HTTP/1.1 101"), head
        assert self._read_text().startswith("0{")  # Engine.IO open
        self._send("40" + json.dumps({"token": token}))
        answer = self._read_text()
        assert answer.startswith("40{"), answer

    def call(self, event: str, data: Any) -> Any:
        """Emit with an ack and wait for it (pushes and pings read meanwhile are answered or dropped)."""
        self._acks += 1
        ack_id = str(self._acks)
        self._send("42" + ack_id + json.dumps([event, data]))
        while True:
            text = self._read_text()
            if text == "2":
                self._send("3")
            elif text.startswith("43" + ack_id + "["):
                return json.loads(text[len("43" + ack_id) :])[0]

    def unread_on_the_server(self) -> int | None:
        """Bytes the server wrote to this connection that it could not hand over yet (its
        socket's send queue, from /proc/net/tcp); None once the server no longer holds it open."""
        try:
            with open("/proc/net/tcp") as table:
                rows = table.read().splitlines()[1:]
        except OSError:
            return None
        for row in rows:
            fields = row.split()
            local, remote, state, queues = fields[1], fields[2], fields[3], fields[4]
            if (
                state == ESTABLISHED
                and int(local.split(":")[1], 16) == self.server_port
                and int(remote.split(":")[1], 16) == self.local_port
            ):
                return int(queues.split(":")[0], 16)
        return None

    def close(self) -> None:
        self.sock.close()
