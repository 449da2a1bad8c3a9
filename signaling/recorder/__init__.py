"""The recorder peer: an aiortc participant that records a consenting meeting's room into one
WebM file (`session`, `peers`, `mixer`), and the sweep that finalizes a dead recorder's file
(`sweeper`). The recordings domain reaches it through its port (`install`)."""

from __future__ import annotations

import os

import aioice.ice

from server.domains.recordings import capture
from signaling.recorder.session import PeerRecorder
from signaling.recorder.sweeper import RecorderSweeper

__all__ = ["RecorderSweeper", "install"]

HOST_ADDRESSES = "RECORDER_HOST_ADDRESSES"
"""Comma-separated local addresses the recorder's ICE offers (e.g. `127.0.0.1` for tests on one
machine, where aioice leaves loopback out); unset: every interface, as aioice chooses."""


def install() -> None:
    capture.install(PeerRecorder())
    addresses = [a.strip() for a in os.environ.get(HOST_ADDRESSES, "").split(",") if a.strip()]
    if addresses:
        aioice.ice.get_host_addresses = lambda use_ipv4, use_ipv6: list(addresses)
