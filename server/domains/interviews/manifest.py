"""The interviews domain as the app wires it in."""

from __future__ import annotations

from server.domains.interviews.access import check_interview_attachment
from server.domains.interviews.controllers import InterviewsController
from server.domains.interviews.reminders import REMINDER
from server.manifest import Domain

DOMAIN = Domain(
    name="interviews",
    controllers=[InterviewsController],
    file_owners={"interview": check_interview_attachment},
    jobs=[REMINDER],
)
