"""Recording across two server processes sharing one database and one Redis, each running
jobs: the recorder runs on one of them; killed (SIGKILL) mid-recording, the other finalizes a
`partial` recording that still plays."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import redis.asyncio as aioredis
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import CompanyType, ProcessingStatus
from server.auth.principal import RoleName
from server.context import AppContext
from server.domains.meetings.rooms import RoomKind
from server.domains.recordings.rows import spool_path
from server.domains.recordings.takes import Ref
from server.settings import Settings
from server.storage.local import LocalStorage
from tests.backends import REDIS_URL, require
from tests.factories import make_company, make_user
from tests.realtime.fixtures import CLUSTER_TTL, LOCAL_REDIS, Office, sign_in
from tests.realtime.harness import Client, ServerProcess, process_environment
from tests.signaling.recording.conftest import (
    await_status,
    fetch,
    recorded_meeting,
    start_recording,
    wait_final,
)
from tests.signaling.recording.media import MediaPeer, audio_tags, probe_file


class RecordingNode(ServerProcess):
    """A server process that runs jobs (the recorder among them) and offers loopback ICE."""

    def environment(self) -> dict[str, str]:
        return process_environment(self.settings, JOBS_IN_SERVER="true", RECORDER_HOST_ADDRESSES="127.0.0.1")


@dataclasses.dataclass
class Nodes:
    a: RecordingNode
    b: RecordingNode
    office: Office
    peers: list[MediaPeer]

    async def peer(self, node: RecordingNode, token: str, wav: Path, shade: int = 80) -> MediaPeer:
        client = Client()
        await client.connect(node.url, token)
        created = MediaPeer(client, wav, shade)
        self.peers.append(created)
        return created

    def recorder_of(self, recording_id: int, storage_dir: Path) -> RecordingNode:
        """The node whose process has the recording's spool file open."""
        spool = str(spool_path(LocalStorage(storage_dir), Ref(RoomKind.MEETING, recording_id)))
        for node in (self.a, self.b):
            assert node.process is not None
            fds = Path(f"/proc/{node.process.pid}/fd")
            if any(os.path.realpath(fd) == spool for fd in fds.iterdir()):
                return node
        raise AssertionError("no node is writing the recording")


@pytest.fixture
async def nodes(settings: Settings, session: AsyncSession, ctx: AppContext) -> AsyncIterator[Nodes]:
    redis_url = REDIS_URL or LOCAL_REDIS
    require(redis_url, "Redis")
    redis = aioredis.from_url(redis_url)
    await redis.flushdb()
    await redis.aclose()
    shared = dataclasses.replace(settings, redis_url=redis_url, presence_ttl_seconds=CLUSTER_TTL)
    company = await make_company(session, CompanyType.EMPLOYER)
    users = [
        await make_user(session, ctx.passwords, company, role)
        for role in (RoleName.COMPANY_ADMIN, RoleName.EMPLOYER, RoleName.EMPLOYER)
    ]
    await session.commit()
    a, b = RecordingNode(shared), RecordingNode(shared)
    await asyncio.gather(a.start(), b.start())
    found = None
    try:
        async with httpx.AsyncClient(base_url=a.url) as http:
            people = [await sign_in(http, user) for user in users]
        found = Nodes(a, b, Office(company, *people), peers=[])
        yield found
    finally:
        for created in found.peers if found else []:
            await created.close()
        a.stop()
        b.stop()


async def test_two_processes_record_a_meeting_into_a_playable_file(
    nodes: Nodes, session: AsyncSession, ctx: AppContext, sentence: Path, tmp_path: Path
) -> None:
    meeting = await recorded_meeting(session, nodes.office)
    host = await nodes.peer(nodes.a, nodes.office.admin.token, sentence)
    alice = await nodes.peer(nodes.b, nodes.office.alice.token, sentence, shade=170)
    recording_id, started = await start_recording(host, [alice], meeting.room_id)
    await asyncio.sleep(3.0)
    assert (await host.client.call("recording:stop", {}))["ok"] is True
    recorded = time.monotonic() - started
    assert (await wait_final(alice.client, recording_id))["file_status"] == "ready"
    path = await fetch(nodes.b.url, recording_id, nodes.office.admin.token, tmp_path)
    duration, kinds, frames = probe_file(path)
    assert (
        kinds == {"audio", "video"} and frames >= 3
    )  # frames are skipped, never delayed, on a loaded machine
    assert abs(duration - recorded) < 0.5, (duration, recorded)
    assert _speakers(path) == {nodes.office.admin.id, nodes.office.alice.id}


async def test_a_killed_recorder_leaves_a_partial_recording_the_other_process_finalizes(
    nodes: Nodes, session: AsyncSession, ctx: AppContext, settings: Settings, sentence: Path, tmp_path: Path
) -> None:
    meeting = await recorded_meeting(session, nodes.office)
    host = await nodes.peer(nodes.a, nodes.office.admin.token, sentence)
    alice = await nodes.peer(nodes.b, nodes.office.alice.token, sentence, shade=170)
    recording_id, started = await start_recording(host, [alice], meeting.room_id)
    await asyncio.sleep(3.5)
    doomed = nodes.recorder_of(recording_id, settings.storage_dir)
    doomed.kill()
    killed_after = time.monotonic() - started
    survivor = nodes.b if doomed is nodes.a else nodes.a
    row = await await_status(ctx, recording_id, ProcessingStatus.PARTIAL, CLUSTER_TTL * 6)
    assert row.file_path and row.file_size and row.duration_seconds is not None
    path = await fetch(survivor.url, recording_id, nodes.office.admin.token, tmp_path)
    duration, kinds, frames = probe_file(path)
    assert _speakers(path) == {nodes.office.admin.id, nodes.office.alice.id}, "the cut voice files too"
    assert (
        kinds == {"audio", "video"} and frames >= 3
    )  # frames are skipped, never delayed, on a loaded machine
    assert killed_after - 1.6 <= duration <= killed_after, (duration, killed_after)
    assert row.duration_seconds == round(duration)
    watcher = host if survivor is nodes.a else alice
    stopped = await watcher.client.wait_until(
        "recording:state", lambda s: s.get("file_status") == "partial", timeout=5
    )
    assert (stopped["status"], stopped["recording_id"]) == ("stopped", recording_id)


def _speakers(path: Path) -> set[int]:
    """The users of the file's per-participant audio tracks (after the mixed one)."""
    mixed, *voices = audio_tags(path)
    assert mixed.get("mixed") == "1"
    return {int(tags["user_id"]) for tags in voices if tags.get("title")}
