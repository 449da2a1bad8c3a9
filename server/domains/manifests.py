"""Every domain of the product, in the order the app mounts them. Adding a domain: see the README."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from server.context import AppContext
from server.domains.audit.manifest import DOMAIN as AUDIT
from server.domains.auth.manifest import DOMAIN as AUTH
from server.domains.calendars.manifest import DOMAIN as CALENDARS
from server.domains.candidates.manifest import DOMAIN as CANDIDATES
from server.domains.companies.manifest import DOMAIN as COMPANIES
from server.domains.exams.manifest import DOMAIN as EXAMS
from server.domains.files import owners
from server.domains.files.manifest import DOMAIN as FILES
from server.domains.interviews.manifest import DOMAIN as INTERVIEWS
from server.domains.maintenance.manifest import DOMAIN as MAINTENANCE
from server.domains.meetings.manifest import DOMAIN as MEETINGS
from server.domains.messages.manifest import DOMAIN as MESSAGES
from server.domains.notifications.manifest import DOMAIN as NOTIFICATIONS
from server.domains.personality.manifest import DOMAIN as PERSONALITY
from server.domains.positions.manifest import DOMAIN as POSITIONS
from server.domains.presence.manifest import DOMAIN as PRESENCE
from server.domains.recordings.manifest import DOMAIN as RECORDINGS
from server.domains.resumes.manifest import DOMAIN as RESUMES
from server.domains.settings.manifest import DOMAIN as SETTINGS
from server.domains.todos.manifest import DOMAIN as TODOS
from server.domains.transcripts.manifest import DOMAIN as TRANSCRIPTS
from server.domains.users.manifest import DOMAIN as USERS
from server.manifest import Domain

DOMAINS: tuple[Domain, ...] = (
    FILES,
    AUTH,
    USERS,
    COMPANIES,
    SETTINGS,
    AUDIT,
    MESSAGES,
    PRESENCE,
    NOTIFICATIONS,
    TODOS,
    MEETINGS,
    RECORDINGS,
    POSITIONS,
    INTERVIEWS,
    CALENDARS,
    RESUMES,
    CANDIDATES,
    PERSONALITY,
    EXAMS,
    MAINTENANCE,
    TRANSCRIPTS,
)


def install(ctx: AppContext, domains: Sequence[Domain] = DOMAINS) -> None:
    """Wire every domain's file owners, event subscriptions and jobs (once per context)."""
    for domain in domains:
        owners.install(domain.file_owners)
        for subscription in domain.subscriptions:
            ctx.hub.subscribe(subscription.event, partial(subscription.handler, ctx))
        ctx.jobs.register(domain.jobs, domain.periodic)
