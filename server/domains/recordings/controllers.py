"""A meeting's recordings (`/api/meetings/{id}/recordings`, `/api/recordings/{id}`) and a video
call's (`/api/video-calls/{id}/recordings[/{id}]`): list, read, download (with range requests,
so a browser's <video> can seek), delete. Who may: `access`."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, delete, get
from litestar.datastructures import State
from litestar.di import Provide
from litestar.params import HeaderParameter
from litestar.response import Stream
from sqlalchemy.ext.asyncio import AsyncSession

from server.auth.principal import Principal
from server.context import AppContext
from server.domains.files.naming import content_disposition
from server.domains.meetings.rooms import RoomKind
from server.domains.recordings.schemas import Recording
from server.domains.recordings.services import RecordingsService, Served
from server.domains.recordings.takes import Ref
from server.listing import Limit, Offset, PathId
from server.schemas import Page

RangeHeader = Annotated[str | None, HeaderParameter(name="Range", max_length=200)]


def provide_recordings(state: State, db: AsyncSession, principal: Principal) -> RecordingsService:
    ctx: AppContext = state.ctx
    return RecordingsService(db, principal, ctx.storage)


def served_response(served: Served) -> Stream:
    headers = {
        "Accept-Ranges": "bytes",
        "Content-Disposition": content_disposition(served.filename),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
        "Content-Security-Policy": "default-src 'none'; sandbox",
    }
    if served.span is None:
        headers["Content-Length"] = str(served.size)
        return Stream(served.chunks, media_type=served.mime_type, headers=headers)
    first, last = served.span
    headers["Content-Range"] = f"bytes {first}-{last}/{served.size}"
    headers["Content-Length"] = str(last - first + 1)
    return Stream(served.chunks, media_type=served.mime_type, headers=headers, status_code=206)


MEETING, CALL = RoomKind.MEETING, RoomKind.CALL
DOWNLOAD = "its file (WebM: VP8 + Opus); honours one `Range: bytes=` per request"


class RecordingsController(Controller):
    path = "/api"
    tags = ["recordings"]
    dependencies = {"recordings": Provide(provide_recordings, sync_to_thread=False)}

    @get("/meetings/{meeting_id:int}/recordings", summary="A meeting's recordings you may see")
    async def list_recordings(
        self, meeting_id: PathId, recordings: RecordingsService, limit: Limit = 20, offset: Offset = 0
    ) -> Page[Recording]:
        return await recordings.list(MEETING, meeting_id, limit, offset)

    @get("/recordings/{recording_id:int}", summary="A meeting recording's details")
    async def read_recording(self, recording_id: PathId, recordings: RecordingsService) -> Recording:
        return await recordings.get(Ref(MEETING, recording_id))

    @get("/recordings/{recording_id:int}/download", summary=f"A meeting recording: {DOWNLOAD}")
    async def download_recording(
        self, recording_id: PathId, recordings: RecordingsService, range_header: RangeHeader = None
    ) -> Stream:
        return served_response(await recordings.download(Ref(MEETING, recording_id), range_header))

    @delete("/recordings/{recording_id:int}", summary="Delete a meeting recording and its bytes (hosts only)")
    async def delete_recording(self, recording_id: PathId, recordings: RecordingsService) -> None:
        await recordings.delete(Ref(MEETING, recording_id))

    @get("/video-calls/{call_id:int}/recordings", summary="A video call's recordings you may see")
    async def list_call_recordings(
        self, call_id: PathId, recordings: RecordingsService, limit: Limit = 20, offset: Offset = 0
    ) -> Page[Recording]:
        return await recordings.list(CALL, call_id, limit, offset)

    @get("/video-calls/{call_id:int}/recordings/{recording_id:int}", summary="A call recording's details")
    async def read_call_recording(
        self, call_id: PathId, recording_id: PathId, recordings: RecordingsService
    ) -> Recording:
        return await recordings.get(Ref(CALL, recording_id), call_id)

    @get(
        "/video-calls/{call_id:int}/recordings/{recording_id:int}/download",
        summary=f"A call recording: {DOWNLOAD}",
    )
    async def download_call_recording(
        self,
        call_id: PathId,
        recording_id: PathId,
        recordings: RecordingsService,
        range_header: RangeHeader = None,
    ) -> Stream:
        return served_response(await recordings.download(Ref(CALL, recording_id), range_header, call_id))

    @delete(
        "/video-calls/{call_id:int}/recordings/{recording_id:int}",
        summary="Delete a call recording and its bytes (hosts only)",
    )
    async def delete_call_recording(
        self, call_id: PathId, recording_id: PathId, recordings: RecordingsService
    ) -> None:
        await recordings.delete(Ref(CALL, recording_id), call_id)
