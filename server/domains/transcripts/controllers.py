"""/api/meetings/{id}/transcripts and /summaries, /api/transcripts/{id}[.vtt], /api/summaries/{id}.

Who may call what: `access` (whoever sees the meeting reads; its managers ask for a transcript
or summary to be made again, 202 with the row pending). `GET /api/transcripts/12.vtt` is the
WebVTT export of transcript 12: Litestar matches whole path segments only, so one route takes
`12` and `12.vtt` and tells them apart here.
"""

from __future__ import annotations

import re
from typing import Annotated

from litestar import Controller, Response, get, post
from litestar.di import Provide
from litestar.params import Parameter
from litestar.status_codes import HTTP_202_ACCEPTED
from sqlalchemy.ext.asyncio import AsyncSession

from server.auth.principal import Principal
from server.domains.transcripts.schemas import (
    SummaryOut,
    SummaryRequest,
    TranscriptOut,
    TranscriptRequest,
    TranscriptSummary,
)
from server.domains.transcripts.services import SummariesService, TranscriptsService
from server.domains.transcripts.vtt import MEDIA_TYPE
from server.errors import NotFound
from server.listing import Limit, Offset, PathId
from server.schemas import MAX_ID, Page

_REFERENCE = re.compile(r"^([1-9][0-9]{0,9})(\.vtt)?$")
TranscriptReference = Annotated[
    str,
    Parameter(
        max_length=20,
        description="The transcript's id (`12`: JSON) or its id and `.vtt` (`12.vtt`: WebVTT captions)",
    ),
]


def provide_transcripts(db: AsyncSession, principal: Principal) -> TranscriptsService:
    return TranscriptsService(db, principal)


def provide_summaries(db: AsyncSession, principal: Principal) -> SummariesService:
    return SummariesService(db, principal)


DEPENDENCIES = {
    "transcripts": Provide(provide_transcripts, sync_to_thread=False),
    "summaries": Provide(provide_summaries, sync_to_thread=False),
}


class MeetingArtifactsController(Controller):
    path = "/api/meetings/{meeting_id:int}"
    tags = ["transcripts"]
    dependencies = DEPENDENCIES

    @get("/transcripts", summary="The meeting's transcripts (without their text)")
    async def list_transcripts(
        self, meeting_id: PathId, transcripts: TranscriptsService, limit: Limit = 20, offset: Offset = 0
    ) -> Page[TranscriptSummary]:
        return await transcripts.of_meeting(meeting_id, limit=limit, offset=offset)

    @post(
        "/transcripts",
        status_code=HTTP_202_ACCEPTED,
        summary="Transcribe one of the meeting's recordings (again); managers only",
    )
    async def request_transcript(
        self, meeting_id: PathId, data: TranscriptRequest, transcripts: TranscriptsService
    ) -> TranscriptOut:
        return await transcripts.request(meeting_id, data)

    @get("/summaries", summary="The meeting's summaries")
    async def list_summaries(
        self, meeting_id: PathId, summaries: SummariesService, limit: Limit = 20, offset: Offset = 0
    ) -> Page[SummaryOut]:
        return await summaries.of_meeting(meeting_id, limit=limit, offset=offset)

    @post(
        "/summaries",
        status_code=HTTP_202_ACCEPTED,
        summary="Summarize one of the meeting's ready transcripts (again); managers only",
    )
    async def request_summary(
        self, meeting_id: PathId, data: SummaryRequest, summaries: SummariesService
    ) -> SummaryOut:
        return await summaries.request(meeting_id, data)


class TranscriptsController(Controller):
    path = "/api/transcripts"
    tags = ["transcripts"]
    dependencies = DEPENDENCIES

    @get(
        "/{transcript:str}",
        summary="A transcript with its timed segments, or (`/api/transcripts/12.vtt`) as WebVTT captions",
    )
    async def read_transcript(
        self, transcript: TranscriptReference, transcripts: TranscriptsService
    ) -> Response[TranscriptOut | str]:
        match = _REFERENCE.match(transcript)
        if match is None or int(match.group(1)) > MAX_ID:
            raise NotFound(f"Transcript {transcript} was not found.")
        transcript_id = int(match.group(1))
        if match.group(2):
            return Response(await transcripts.webvtt(transcript_id), media_type=MEDIA_TYPE)
        return Response(await transcripts.get(transcript_id))


class SummariesController(Controller):
    path = "/api/summaries"
    tags = ["transcripts"]
    dependencies = DEPENDENCIES

    @get("/{summary_id:int}", summary="A summary: text, key points, action items and talk time")
    async def read_summary(self, summary_id: PathId, summaries: SummariesService) -> SummaryOut:
        return await summaries.get(summary_id)
