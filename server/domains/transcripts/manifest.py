"""The transcripts domain as the app wires it in: transcripts and summaries of meetings."""

from __future__ import annotations

from server.domains.transcripts.controllers import (
    MeetingArtifactsController,
    SummariesController,
    TranscriptsController,
)
from server.domains.transcripts.summarize import SUMMARIZE_JOB
from server.domains.transcripts.transcribe import TRANSCRIBE_JOB
from server.manifest import Domain

DOMAIN = Domain(
    name="transcripts",
    controllers=[MeetingArtifactsController, TranscriptsController, SummariesController],
    jobs=[TRANSCRIBE_JOB, SUMMARIZE_JOB],
)
