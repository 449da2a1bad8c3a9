"""The recordings domain as the app wires it in: its REST routes, its recorder's jobs, and the
recorded files among the attachments."""

from __future__ import annotations

from server.domains.recordings import jobs
from server.domains.recordings.access import check_call_recording, check_meeting_file
from server.domains.recordings.controllers import RecordingsController
from server.domains.recordings.rows import FINALIZE_JOB, RECORD_JOB
from server.domains.recordings.takes import CALL_ENTITY, MEETING_FILE_ENTITY
from server.jobs import Job
from server.manifest import Domain

DOMAIN = Domain(
    name="recordings",
    controllers=[RecordingsController],
    file_owners={CALL_ENTITY: check_call_recording, MEETING_FILE_ENTITY: check_meeting_file},
    jobs=[
        Job(RECORD_JOB, jobs.record, retries=0, timeout_seconds=jobs.RECORD_TIMEOUT_SECONDS),
        Job(FINALIZE_JOB, jobs.finalize, retries=3, timeout_seconds=900),
    ],
)
