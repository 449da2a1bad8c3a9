"""The calendars domain as the app wires it in: its routes, the interview push, the sync jobs."""

from __future__ import annotations

from server.domains.calendars.controllers import CalendarLinksController, CalendarsController
from server.domains.calendars.push import PUSH_JOB, interview_changed
from server.domains.calendars.sync import DUE_JOB, DUE_PERIODIC, SYNC_JOB
from server.domains.interviews.events import InterviewChanged
from server.manifest import Domain, Subscription

DOMAIN = Domain(
    name="calendars",
    controllers=[CalendarsController, CalendarLinksController],
    subscriptions=[Subscription(InterviewChanged, interview_changed)],
    jobs=[SYNC_JOB, PUSH_JOB, DUE_JOB],
    periodic=[DUE_PERIODIC],
)
