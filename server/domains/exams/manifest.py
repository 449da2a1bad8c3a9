"""The exams domain as the app wires it in."""

from __future__ import annotations

from server.domains.exams.controllers import ExamsController, ExamSessionsController
from server.domains.exams.jobs import JOBS, PERIODIC
from server.domains.exams.sockets import events
from server.manifest import Domain

DOMAIN = Domain(
    name="exams",
    controllers=[ExamsController, ExamSessionsController],
    sockets=events,
    jobs=JOBS,
    periodic=PERIODIC,
)
