"""Demo data for `miraiworks seed-demo`: a working installation to click through in one command.

Why: a new installation is empty, and an empty HR product shows nothing. The seed creates a
recruiting agency and an employer with a user of every role, all sharing one password, plus a
few realistic rows in every table so each screen has something to show.

It is idempotent. Companies are found by their contact email and users by theirs; a re-run
creates nothing twice, only repairs the accounts (active, role linked, password of this run).
The sample rows go in once, on the run that creates the two demo companies. Everything happens
in one transaction: an interrupted seed leaves nothing behind. The audit trail records every
row as written by `miraiworks seed-demo`, plus one `demo.seed` event.
"""

from __future__ import annotations

import sys
from collections.abc import Awaitable, Callable
from typing import NamedTuple

import click
from sqlalchemy.ext.asyncio import AsyncSession

from server import audit
from server.context import AppContext
from server.demo import activity, candidate, meetings, recruiting, workspace
from server.demo.accounts import ensure_accounts
from server.demo.common import Demo, DemoAccount
from server.settings import Settings

__all__ = ["DemoAccount", "seed"]

SEED_AGENT = "miraiworks seed-demo"


class Step(NamedTuple):
    name: str
    run: Callable[[AsyncSession, Demo], Awaitable[None]]
    sample: bool = True
    """Sample rows are added only when the demo companies were just created."""


# In dependency order: each step may use what the steps before it created.
STEPS = (
    Step("accounts", ensure_accounts, sample=False),
    Step("positions", recruiting.add_positions),
    Step("interviews", recruiting.add_interviews),
    Step("interview notes", recruiting.add_interview_notes),
    Step("meetings", meetings.add_meetings),
    Step("video calls", meetings.add_video_calls),
    Step("calendar", activity.add_calendar),
    Step("todos", workspace.add_todos),
    Step("attachments", workspace.add_attachments),
    Step("resumes", candidate.add_resumes),
    Step("exams", candidate.add_exams),
    Step("personality tests", candidate.add_mbti),
    Step("messages", activity.add_messages),
    Step("notifications", activity.add_notifications),
    Step("settings", activity.add_user_settings),
    Step("sign-in traces", activity.add_sign_in_traces),
    Step("audit log", activity.add_audit_note),
)


def _step_name(step: Step | None) -> str | None:
    return step.name if step is not None else None


async def seed(settings: Settings, password: str) -> list[DemoAccount]:
    """Create (or repair) the demo companies and accounts; return the accounts to print."""
    demo = Demo(settings=settings, password=password)
    ctx = AppContext.create(settings)
    try:
        async with ctx.transaction() as session:
            # Every row the seed writes is audited as the CLI's doing (no user is signed in).
            audit.set_actor(session, audit.AuditActor(user_agent=SEED_AGENT))
            with click.progressbar(
                STEPS, label="Seeding demo data", file=sys.stderr, item_show_func=_step_name
            ) as steps:
                for step in steps:
                    if demo.created or not step.sample:
                        await step.run(session, demo)
    finally:
        await ctx.close()
    return demo.accounts
