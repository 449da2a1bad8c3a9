"""Fixtures of the recording tests: a meeting that records, and participants with media."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from models import Meeting, MeetingRecording
from models.enums import MeetingRole, ProcessingStatus
from server.context import AppContext
from server.settings import Settings
from tests.realtime.fixtures import Office
from tests.realtime.harness import Client, LiveServer
from tests.signaling.conftest import make_meeting
from tests.signaling.recording.media import MediaPeer, spoken_sentence

MediaPeerFactory = Callable[..., Coroutine[Any, Any, MediaPeer]]


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The served app runs its jobs (the recorder among them), as the embedded default does."""
    return dataclasses.replace(settings, jobs_in_server=True)


@pytest.fixture(scope="session")
def sentence(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return spoken_sentence(tmp_path_factory.mktemp("speech"))


@pytest.fixture
async def media_peer(live: LiveServer, sentence: Path) -> AsyncIterator[MediaPeerFactory]:
    opened: list[MediaPeer] = []

    async def open_peer(
        token: str, url: str | None = None, shade: int = 80, wav: Path | None = None
    ) -> MediaPeer:
        client = Client()
        await client.connect(url or live.url, token)
        created = MediaPeer(client, wav or sentence, shade)
        opened.append(created)
        return created

    yield open_peer
    for created in opened:
        await created.close()


async def recorded_meeting(session: AsyncSession, office: Office, **fields: Any) -> Meeting:
    """A meeting of the office admin (host) and Alice (interviewer) that may be recorded."""
    return await make_meeting(
        session,
        office,
        {office.admin.id: MeetingRole.HOST, office.alice.id: MeetingRole.INTERVIEWER},
        recording_enabled=True,
        **fields,
    )


async def start_recording(host: MediaPeer, guests: list[MediaPeer], code: str) -> tuple[int, float]:
    """Everyone joins, the host asks, the guests consent; the recording's id, and the moment its
    recorder took its seat (the start of the recorded time)."""
    for person in (host, *guests):
        assert (await person.join(code))["status"] == "joined"
    assert (await host.client.call("recording:request", {}))["ok"] is True
    for guest in guests:
        await guest.client.wait_for("recording:consent-request")
        assert (await guest.client.call("recording:consent", {"granted": True}))["ok"] is True
    state = await host.client.wait_until(
        "recording:state", lambda s: s.get("file_status") == "processing", timeout=15
    )
    started = time.monotonic()
    await host.client.wait_until("participant:joined", lambda p: p["role"] == "recorder")
    return state["recording_id"], started


async def wait_final(client: Client, recording_id: int, timeout: float = 30) -> dict[str, Any]:
    final: dict[str, Any] = await client.wait_until(
        "recording:state",
        lambda s: (
            s.get("recording_id") == recording_id and s.get("file_status") in ("ready", "partial", "failed")
        ),
        timeout=timeout,
    )
    return final


async def recording_row(ctx: AppContext, recording_id: int) -> MeetingRecording:
    async with ctx.sessionmaker() as db:
        return await db.get_one(MeetingRecording, recording_id)


async def fetch(url: str, recording_id: int, token: str, folder: Path) -> Path:
    async with httpx.AsyncClient(base_url=url) as http:
        answer = await http.get(
            f"/api/recordings/{recording_id}/download", headers={"Authorization": f"Bearer {token}"}
        )
    assert answer.status_code == 200, answer.text
    path = folder / f"fetched-{recording_id}.webm"
    path.write_bytes(answer.content)
    return path


async def await_status(
    ctx: AppContext, recording_id: int, status: ProcessingStatus, timeout: float
) -> MeetingRecording:
    """The row once it has this status (the database is polled: nothing pushes to a test)."""
    async with asyncio.timeout(timeout):
        while (row := await recording_row(ctx, recording_id)).status is not status:  # noqa: ASYNC110
            await asyncio.sleep(0.2)
    return row
