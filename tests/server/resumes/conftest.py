"""Fixtures of the resume tests: more people, and resumes of every kind the rules tell apart.

People added to the tenants (callers sign them in like the others):
- `candidate2`: a second candidate of `home`;
- `other_candidate`: a candidate of `other`;
- `loner`: a candidate of no company.

Resumes (names usable in paths, `{mine}`):
- `mine`: the candidate's, visibility `company`;
- `private`: the candidate's, visibility `private`;
- `shared`: the candidate's, `company`, proposed to `employer_co` by an open interview;
- `closed`: the candidate's, `company`, proposed by an interview that is over;
- `theirs`: candidate2's, `company`;
- `other_resume`: other_candidate's, `company`;
- `gone`: the candidate's, `company`, soft-deleted.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from models import Attachment, Resume
from models.enums import InterviewStatus, ResumeVisibility
from server.auth.principal import RoleName
from server.auth.relations import PROPOSED_RESUME
from server.context import AppContext
from tests.factories import make_attachment, make_interview, make_resume, make_user
from tests.server.tenants import Callers, Tenants, email_of

EXTRA_PEOPLE = [("candidate2", "home"), ("other_candidate", "other"), ("loner", None)]
TABLES = (Resume, Attachment)


@dataclass(frozen=True)
class Resumes:
    ids: dict[str, int]

    def __getitem__(self, name: str) -> int:
        return self.ids[name]


async def propose(ctx: AppContext, tenants: Tenants, resume_id: int, status: InterviewStatus) -> None:
    """Propose the candidate's resume to `employer_co` through an interview in `status`."""
    async with ctx.transaction() as db:
        interview = await make_interview(
            db,
            tenants.employer_co,
            tenants.user("employer_admin"),
            candidate=tenants.user("candidate"),
            recruiter=tenants.user("recruiter"),
            status=status,
        )
        await make_attachment(
            db,
            tenants.user("recruiter"),
            entity_type=PROPOSED_RESUME,
            entity_id=interview.id,
            description=str(resume_id),
        )


@pytest.fixture
async def resumes(ctx: AppContext, tenants: Tenants, callers: Callers) -> Resumes:
    async with ctx.transaction() as db:
        for who, company in EXTRA_PEOPLE:
            tenants.users[who] = await make_user(
                db,
                ctx.passwords,
                tenants.companies[company] if company else None,
                RoleName.CANDIDATE,
                email=email_of(who),
                first_name=who,
                last_name="Tenant",
            )
        candidate = tenants.user("candidate")
        company = ResumeVisibility.COMPANY
        rows = {
            "mine": await make_resume(db, candidate, visibility=company),
            "private": await make_resume(db, candidate, visibility=ResumeVisibility.PRIVATE),
            "shared": await make_resume(db, candidate, visibility=company),
            "closed": await make_resume(db, candidate, visibility=company),
            "theirs": await make_resume(db, tenants.user("candidate2"), visibility=company),
            "other_resume": await make_resume(db, tenants.user("other_candidate"), visibility=company),
            "gone": await make_resume(db, candidate, visibility=company),
        }
        rows["gone"].mark_deleted(candidate.id)
        ids = {name: row.id for name, row in rows.items()}
    await propose(ctx, tenants, ids["shared"], InterviewStatus.SCHEDULED)
    await propose(ctx, tenants, ids["closed"], InterviewStatus.COMPLETED)
    callers.names.update(ids)
    return Resumes(ids)
