"""The OpenAI-compatible engines against a local fake server: what they send, what they parse.

The fake speaks `/v1/audio/transcriptions` (multipart, `verbose_json`) and `/v1/chat/completions`
as faster-whisper-server and OpenAI do; the tests read what arrived and what was stored.
"""

from __future__ import annotations

import io
import json
import wave
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from aiohttp import web
from sqlalchemy import select, update

from models import Meeting, MeetingSummary, MeetingTranscript
from models.enums import ProcessingStatus
from server.context import AppContext
from server.domains.transcripts.summarize import summarize
from server.domains.transcripts.transcribe import transcribe
from tests.server.tenants import Tenants
from tests.server.transcripts.conftest import Record, Rooms
from tests.server.transcripts.media import REPORT, Voice

VERBOSE = {
    "task": "transcribe",
    "language": "japanese",
    "duration": 3.0,
    "text": "本日はありがとうございます。金曜日までに資料を送ります。",
    "segments": [
        {"id": 0, "start": 0.0, "end": 1.5, "text": " 本日はありがとうございます。"},
        {"id": 1, "start": 1.5, "end": 2.875, "text": " 金曜日までに資料を送ります。"},
    ],
}
SUMMARY = {
    "summary": "二次面接の日程と資料送付を確認した。",
    "key_points": ["資料は金曜日までに送る"],
    "action_items": [{"text": "資料を送る", "speaker": "田中 花子", "due": "金曜日まで"}, "日程を確定する"],
}


@dataclass
class Fake:
    url: str
    received: list[dict[str, Any]] = field(default_factory=list)
    status: int = 200
    completion: str = "```json\n" + json.dumps(SUMMARY, ensure_ascii=False) + "\n```"


@pytest.fixture
async def fake(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Fake]:
    state = Fake(url="")

    async def transcriptions(request: web.Request) -> web.Response:
        form = await request.post()
        upload = form["file"]
        assert isinstance(upload, web.FileField)
        fields = {key: value for key, value in form.items() if isinstance(value, str)}
        state.received.append(
            {
                "path": request.path,
                "auth": request.headers.get("Authorization"),
                "fields": fields,
                "file": upload.file.read(),
            }
        )
        if state.status != 200:
            return web.json_response({"error": {"message": "no"}}, status=state.status)
        return web.json_response(VERBOSE)

    async def completions(request: web.Request) -> web.Response:
        state.received.append(
            {"path": request.path, "auth": request.headers.get("Authorization"), "json": await request.json()}
        )
        return web.json_response(
            {
                "id": "c1",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": state.completion}}],
            }
        )

    app = web.Application(client_max_size=64 * 1024 * 1024)
    app.router.add_post("/v1/audio/transcriptions", transcriptions)
    app.router.add_post("/v1/chat/completions", completions)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    state.url = f"http://127.0.0.1:{port}"
    monkeypatch.setenv("TRANSCRIPTION_API_URL", state.url)
    monkeypatch.setenv("TRANSCRIPTION_API_KEY", "stt-secret")
    monkeypatch.setenv("TRANSCRIPTION_MODEL", "large-v3")
    monkeypatch.setenv("SUMMARY_API_URL", state.url + "/v1")
    monkeypatch.setenv("SUMMARY_MODEL", "qwen2.5")
    monkeypatch.delenv("SUMMARY_API_KEY", raising=False)
    for name in ("TRANSCRIPTION_ENGINE", "SUMMARY_ENGINE", "TRANSCRIPTION_LANGUAGE"):
        monkeypatch.delenv(name, raising=False)
    try:
        yield state
    finally:
        await runner.cleanup()


async def test_japanese_goes_to_the_transcription_endpoint_and_comes_back_timed(
    ctx: AppContext, rooms: Rooms, record: Record, tenants: Tenants, fake: Fake
) -> None:
    hanako = tenants.user("recruiter").id
    recording_id = await record(
        rooms.meeting, [Voice(REPORT, 1.0, "田中 花子", language="jpn", user_id=hanako)]
    )

    await transcribe(ctx, recording_id=recording_id)

    [sent] = fake.received
    assert (sent["path"], sent["auth"]) == ("/v1/audio/transcriptions", "Bearer stt-secret")
    assert sent["fields"] == {
        "model": "large-v3",
        "response_format": "verbose_json",
        "timestamp_granularities[]": "segment",
        "language": "ja",
    }
    with wave.open(io.BytesIO(sent["file"])) as audio:
        assert (audio.getnchannels(), audio.getsampwidth(), audio.getframerate()) == (1, 2, 16_000)
        assert 2.5 < audio.getnframes() / 16_000 < 4.0
    async with ctx.sessionmaker() as db:
        transcript = await db.scalar(select(MeetingTranscript))
    assert transcript is not None
    assert (transcript.status, transcript.language) == (ProcessingStatus.READY, "ja")
    offset = transcript.segments[0]["start"]
    assert offset == pytest.approx(1.0, abs=0.05)
    assert transcript.segments == [
        {
            "start": offset,
            "end": round(offset + 1.5, 3),
            "speaker": "田中 花子",
            "user_id": hanako,
            "text": "本日はありがとうございます。",
        },
        {
            "start": round(offset + 1.5, 3),
            "end": round(offset + 2.875, 3),
            "speaker": "田中 花子",
            "user_id": hanako,
            "text": "金曜日までに資料を送ります。",
        },
    ]
    assert (
        transcript.content
        == "田中 花子: 本日はありがとうございます。\n田中 花子: 金曜日までに資料を送ります。"
    )


async def test_the_chat_engine_is_asked_for_json_and_its_answer_is_stored(
    ctx: AppContext, rooms: Rooms, record: Record, tenants: Tenants, fake: Fake
) -> None:
    async with ctx.transaction() as db:
        await db.execute(update(Meeting).where(Meeting.id == rooms.meeting.id).values(auto_summary=True))
    hanako = tenants.user("recruiter").id
    recording_id = await record(
        rooms.meeting, [Voice(REPORT, 0.0, "田中 花子", language="jpn", user_id=hanako)]
    )
    await transcribe(ctx, recording_id=recording_id)
    async with ctx.sessionmaker() as db:
        transcript = await db.scalar(select(MeetingTranscript))
    assert transcript is not None

    await summarize(ctx, transcript_id=transcript.id)

    sent = fake.received[-1]
    assert (sent["path"], sent["auth"]) == ("/v1/chat/completions", None)
    body = sent["json"]
    assert (body["model"], body["response_format"], body["temperature"]) == (
        "qwen2.5",
        {"type": "json_object"},
        0,
    )
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert "(ja)" in body["messages"][0]["content"]
    assert (
        body["messages"][1]["content"]
        == "[00:00] 田中 花子: 本日はありがとうございます。\n[00:01] 田中 花子: 金曜日までに資料を送ります。"
    )
    async with ctx.sessionmaker() as db:
        summary = await db.scalar(select(MeetingSummary))
    assert summary is not None
    assert (summary.status, summary.transcript_id) == (ProcessingStatus.READY, transcript.id)
    assert summary.summary == SUMMARY["summary"]
    assert summary.key_points == SUMMARY["key_points"]
    assert summary.action_items == [
        {"text": "資料を送る", "speaker": "田中 花子", "assignee_id": hanako, "due": "金曜日まで"},
        {"text": "日程を確定する"},
    ]


async def test_an_answer_that_is_no_summary_fails_it(
    ctx: AppContext, rooms: Rooms, record: Record, fake: Fake
) -> None:
    recording_id = await record(rooms.meeting, [Voice(REPORT, 0.0, "田中", language="jpn")])
    await transcribe(ctx, recording_id=recording_id)
    fake.completion = "I am sorry, I cannot summarise this."
    async with ctx.sessionmaker() as db:
        transcript = await db.scalar(select(MeetingTranscript))
    assert transcript is not None

    await summarize(ctx, transcript_id=transcript.id)

    async with ctx.sessionmaker() as db:
        summary = await db.scalar(select(MeetingSummary))
    assert summary is not None
    assert (summary.status, summary.summary) == (ProcessingStatus.FAILED, None)


async def test_a_refused_request_fails_for_good_and_a_server_error_is_retried(
    ctx: AppContext, rooms: Rooms, record: Record, fake: Fake
) -> None:
    recording_id = await record(rooms.meeting, [Voice(REPORT, 0.0, "田中", language="jpn")])
    fake.status = 400
    await transcribe(ctx, recording_id=recording_id)
    async with ctx.sessionmaker() as db:
        assert (await db.scalar(select(MeetingTranscript.status))) is ProcessingStatus.FAILED

    fake.status = 503
    with pytest.raises(httpx.HTTPStatusError):
        await transcribe(ctx, recording_id=recording_id)
    async with ctx.sessionmaker() as db:
        assert (await db.scalar(select(MeetingTranscript.status))) is ProcessingStatus.FAILED

    fake.status = 200
    await transcribe(ctx, recording_id=recording_id)
    async with ctx.sessionmaker() as db:
        rows = list(await db.scalars(select(MeetingTranscript)))
    assert [row.status for row in rows] == [ProcessingStatus.READY]
