"""Who may message whom. One rule, enforced by the messages service for every transport.

- Users of the same company may message each other.
- A recruiting agency's users and an employer's users may message each other only while an
  interview ties the two companies (the interview's company, its position's company or its
  recruiter's company is one and the other is the other; for a proposal, also its candidate's
  agency: `server/auth/relations.py`). Positions carry no agency column,
  so a position ties two companies through the interviews held for it.
- A candidate may message, and be messaged by, only the recruiters of their own interviews and
  the hosts and interviewers of those interviews' meetings, whatever company they share.
- A system_admin may message any user of a company; anyone may answer a system_admin who
  wrote to them first.
- Nobody messages a user who may not sign in (inactive, suspended, deleted, or of a deactivated
  company).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from models import Company, Interview, Meeting, MeetingParticipant, Message, Position, User
from models.enums import CompanyType, MeetingRole, ParticipantStatus
from server.auth import relations
from server.auth.principal import Account, Principal, RoleName

_TIED_TYPES = {CompanyType.RECRUITING_AGENCY, CompanyType.EMPLOYER}


async def may_message(db: AsyncSession, sender: Principal, recipient: Account) -> bool:
    if not recipient.usable or recipient.user_id == sender.user_id:
        return False
    if sender.is_system_admin:
        return recipient.company_id is not None
    if RoleName.SYSTEM_ADMIN in recipient.roles:
        return await _has_written(db, author=recipient.user_id, reader=sender.user_id)
    if sender.is_candidate_only:
        return await _interview_ties(db, candidate_id=sender.user_id, other_id=recipient.user_id)
    if recipient.roles == frozenset({RoleName.CANDIDATE}):
        return await _interview_ties(db, candidate_id=recipient.user_id, other_id=sender.user_id)
    if sender.company_id is None or recipient.company_id is None:
        return False
    if sender.company_id == recipient.company_id:
        return True
    return await _companies_tied(db, sender.company_id, recipient.company_id)


async def _has_written(db: AsyncSession, *, author: int, reader: int) -> bool:
    found = await db.scalar(
        select(Message.id).where(Message.sender_id == author, Message.recipient_id == reader).limit(1)
    )
    return found is not None


async def _interview_ties(db: AsyncSession, *, candidate_id: int, other_id: int) -> bool:
    interviewer = (
        select(MeetingParticipant.id)
        .join(Meeting, Meeting.id == MeetingParticipant.meeting_id)
        .where(
            Meeting.interview_id == Interview.id,
            MeetingParticipant.user_id == other_id,
            MeetingParticipant.role.in_([MeetingRole.HOST, MeetingRole.INTERVIEWER]),
            MeetingParticipant.status.not_in([ParticipantStatus.REMOVED, ParticipantStatus.DECLINED]),
        )
        .exists()
    )
    found = await db.scalar(
        select(Interview.id)
        .where(
            Interview.candidate_id == candidate_id,
            Interview.is_deleted.is_(False),
            or_(Interview.recruiter_id == other_id, interviewer),
        )
        .limit(1)
    )
    return found is not None


async def _companies_tied(db: AsyncSession, first: int, second: int) -> bool:
    types = set(
        (await db.execute(select(Company.id, Company.type).where(Company.id.in_([first, second])))).all()
    )
    if {company_type for _, company_type in types} != _TIED_TYPES:
        return False
    recruiter, candidate = aliased(User), aliased(User)
    involved = (Interview.company_id, Position.company_id, recruiter.company_id)
    proposed = relations.is_proposal()

    def ties(company_id: int) -> ColumnElement[bool]:
        return or_(*(c == company_id for c in involved), and_(proposed, candidate.company_id == company_id))

    found = await db.scalar(
        select(Interview.id)
        .outerjoin(Position, and_(Position.id == Interview.position_id, Position.is_deleted.is_(False)))
        .outerjoin(recruiter, recruiter.id == Interview.recruiter_id)
        .outerjoin(candidate, candidate.id == Interview.candidate_id)
        .where(Interview.is_deleted.is_(False), ties(first), ties(second))
        .limit(1)
    )
    return found is not None
