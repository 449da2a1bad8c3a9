"""Who may see and do what with an interview: the one rule every interview read and write goes through.

Seeing (404 for anyone else, exactly like a missing id; another tenant above all):
- the staff of the interview's company (`TenantScope`), and a system_admin;
- its candidate (a candidate-only account sees exactly its own interviews: `OWNER_COLUMNS`);
- its interviewers from elsewhere: a host or interviewer participant of the interview's meeting
  (the employer's interviewer invited to an agency's interview), unless removed or declined;
- the agency of its candidate, when another company holds it (a proposal: `server/auth/relations.py`):
  the agency's company_admins and recruiters follow it, without managing it.

Doing (403 for someone who sees the interview but may not do this):
- **manage** (change, schedule and move, every status change, delete, and restore within 90
  days of the deletion): staff of the interview's company with a role of company_admin,
  recruiter or employer, and a system_admin;
- **confirm**: the interview's candidate may also move a scheduled interview to confirmed;
- **give feedback** (feedback, rating 1-5, decision): its interviewers, that is its recruiter and
  the host/interviewer participants of its meeting, and a system_admin;
- **notes** (`interview_notes`): everyone who sees it except a candidate-only account; a note is
  read by its author and, when shared (`company`), by the author's company's people who see the
  interview; only its author changes or deletes it.

The candidate's answer leaves out `notes`, `feedback`, `rating` and `decision`.
"""

from __future__ import annotations

import msgspec
from sqlalchemy import ColumnElement, Select, exists, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from models import Interview, Meeting, MeetingParticipant
from models.enums import MeetingRole, ParticipantStatus
from server.auth import relations
from server.auth.principal import Principal, RoleName
from server.auth.tenancy import TenantScope
from server.errors import Forbidden, NotFound
from server.retention.policy import restorable

STAFF_ROLES = (RoleName.COMPANY_ADMIN, RoleName.RECRUITER, RoleName.EMPLOYER)
INTERVIEWER_ROLES = (MeetingRole.HOST, MeetingRole.INTERVIEWER)
GONE = (ParticipantStatus.REMOVED, ParticipantStatus.DECLINED)


class Rights(msgspec.Struct, frozen=True, kw_only=True):
    manage: bool
    interviewer: bool
    candidate: bool
    """The principal is the interview's candidate and nothing more (no staff or interviewer rights)."""


def is_staff(principal: Principal) -> bool:
    return bool(principal.roles.intersection(STAFF_ROLES))


def interviewing(user_id: int) -> ColumnElement[bool]:
    """The user sits on the interview's meeting as host or interviewer."""
    return exists().where(
        Meeting.interview_id == Interview.id,
        MeetingParticipant.meeting_id == Meeting.id,
        MeetingParticipant.user_id == user_id,
        MeetingParticipant.role.in_(INTERVIEWER_ROLES),
        MeetingParticipant.status.not_in(GONE),
    )


def visible(principal: Principal) -> ColumnElement[bool]:
    """The interviews a principal sees (soft-deleted ones excluded)."""
    live = Interview.is_deleted.is_(False)
    if principal.is_system_admin:
        return live
    scope = TenantScope(principal).condition(Interview)
    if principal.is_candidate_only:
        return scope & live
    return (
        or_(
            scope,
            Interview.candidate_id == principal.user_id,
            interviewing(principal.user_id),
            relations.candidate_of_agency(principal),
        )
        & live
    )


def selectable(principal: Principal) -> Select[tuple[Interview]]:
    return select(Interview).where(visible(principal))


def manages(principal: Principal, interview: Interview) -> bool:
    if principal.is_system_admin:
        return True
    return is_staff(principal) and principal.company_id == interview.company_id


async def rights(db: AsyncSession, principal: Principal, interview: Interview) -> Rights:
    manage = manages(principal, interview)
    interviewer = principal.is_system_admin or interview.recruiter_id == principal.user_id
    if not interviewer:
        found = await db.scalar(
            select(true()).where(interviewing(principal.user_id), Interview.id == interview.id)
        )
        interviewer = bool(found)
    company_staff = is_staff(principal) and principal.company_id == interview.company_id
    candidate = interview.candidate_id == principal.user_id and not (manage or interviewer or company_staff)
    return Rights(manage=manage, interviewer=interviewer, candidate=candidate)


def not_found(interview_id: int) -> NotFound:
    return NotFound(f"Interview {interview_id} was not found.")


async def load(
    db: AsyncSession, principal: Principal, interview_id: int, *, lock: bool = False
) -> tuple[Interview, Rights]:
    """The interview the principal sees, and their rights on it; 404 when they do not see it."""
    statement = selectable(principal).where(Interview.id == interview_id)
    interview = await db.scalar(statement.with_for_update() if lock else statement)
    if interview is None:
        raise not_found(interview_id)
    return interview, await rights(db, principal, interview)


async def load_managed(db: AsyncSession, principal: Principal, interview_id: int) -> Interview:
    interview, granted = await load(db, principal, interview_id, lock=True)
    if not granted.manage:
        raise Forbidden("Only the staff of the interview's company manage it.")
    return interview


async def load_deleted(db: AsyncSession, principal: Principal, interview_id: int) -> Interview:
    """An interview deleted less than 90 days ago that the principal may restore: whoever may
    delete it (its managers). A deleted interview shows to nobody else: anyone else, a live
    interview and one deleted longer ago get 404, exactly like a missing id."""
    statement = (
        select(Interview)
        .where(Interview.id == interview_id, TenantScope(principal).condition(Interview))
        .where(restorable(Interview))
        .with_for_update()
    )
    interview = await db.scalar(statement)
    if interview is None or not manages(principal, interview):
        raise not_found(interview_id)
    return interview


async def may_see(db: AsyncSession, principal: Principal, interview_id: int) -> bool:
    found = await db.scalar(select(Interview.id).where(Interview.id == interview_id, visible(principal)))
    return found is not None


async def check_interview_attachment(
    db: AsyncSession, principal: Principal, interview_id: int, write: bool
) -> None:
    """Files of an interview: whoever sees it sees them; its managers and interviewers change them."""
    _, granted = await load(db, principal, interview_id)
    if write and not (granted.manage or granted.interviewer):
        raise Forbidden("Only the interview's managers and interviewers change its files.")
