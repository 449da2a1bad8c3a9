"""Who sees a room, who manages it, who may be invited to it, and what only managers read.

Managing (update, cancel, delete, invitations) is `rooms.may_manage`: a meeting's creator or a
call's host, the company_admins of the room's company, a system_admin. Creating needs a role of
a company's staff (company_admin, recruiter, employer); a candidate gets 403.

Seeing (reads and lists):
- a meeting: its managers and its invited participants. Anyone else, a colleague who was not
  invited as much as another tenant, gets 404 exactly like a missing id: a meeting's existence
  is nobody else's business (interviews are confidential).
- a video call: its managers, its invited participants, and the staff of its company, whom
  `rooms.py` lets enter any call of their company. Candidate-only accounts are not staff: they
  see a call only when invited.
- lists show a company_admin every room of its company, a system_admin every room, and anyone
  else only the rooms they manage or are invited to, plus, for a company_admin, those it is
  invited to elsewhere.
Someone who sees a room without managing it gets 403 on a change.

Inviting (the invitee rule): a user who is not deleted, and who is
1. a user of the room's company, or
2. the candidate of a (not deleted) interview of the room's company, or
3. for a meeting of an interview, a user of a company that interview involves: its own, its
   position's company, its recruiter's company (the employer's interviewers of an agency's
   interview, as the messages policy ties them).
Anyone else answers 422 on `user_id`, the same for another tenant's user as for a missing id.
A call's `host_id` must be a staff member of the call's company.

The access code: a meeting's `access_code` binds every non-host entering (`rooms.py`), so it is
a second factor that the host passes on by another channel. Only managers read it; everyone
else's answer has `access_code_required` and no `access_code` key. The audit trail, readable by
company_admins only, keeps it in clear, which tells them nothing they could not read here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TypeVar

import msgspec
from sqlalchemy import ColumnElement, exists, false, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from models import (
    Company,
    Interview,
    Meeting,
    MeetingParticipant,
    Position,
    User,
    VideoCall,
    VideoCallParticipant,
)
from server.auth.principal import Principal, RoleName, role_names
from server.auth.tenancy import TenantScope
from server.domains.meetings.schemas import MeetingCreate, MeetingUpdate, VideoCallCreate, VideoCallUpdate
from server.errors import FieldError, Forbidden, InvalidInput

STAFF_ROLES = (RoleName.COMPANY_ADMIN, RoleName.RECRUITER, RoleName.EMPLOYER)


def invalid(field: str, message: str) -> InvalidInput:
    return InvalidInput(errors=[FieldError(field=field, message=message)])


def is_staff(principal: Principal) -> bool:
    return bool(principal.roles.intersection(STAFF_ROLES))


async def owning_company(db: AsyncSession, principal: Principal, requested: int | None) -> int:
    """The company a new room belongs to: the creator's own, or the one a system_admin names."""
    principal.require(*STAFF_ROLES)
    if principal.is_system_admin:
        company = await db.get(Company, requested) if requested is not None else None
        if company is None or company.is_deleted:
            raise invalid("company_id", "a system_admin names an existing company")
        return company.id
    if principal.company_id is None:
        raise Forbidden("Rooms belong to a company; you are in none.")
    if requested is not None and requested != principal.company_id:
        raise Forbidden("You may only create rooms of your own company.")
    return principal.company_id


def check_window(start: datetime, end: datetime) -> None:
    if end <= start:
        raise invalid("scheduled_end", "must be after scheduled_start")


W = TypeVar("W", MeetingCreate, MeetingUpdate, VideoCallCreate, VideoCallUpdate)


def in_utc(data: W) -> W:
    """The request with its schedule in UTC, as stored, so the answer shows what a read will."""
    changes = {
        field: value.astimezone(UTC)
        for field in ("scheduled_start", "scheduled_end")
        if isinstance(value := getattr(data, field), datetime)
    }
    return msgspec.structs.replace(data, **changes)


def meeting_invited(user_id: int) -> ColumnElement[bool]:
    return exists().where(MeetingParticipant.meeting_id == Meeting.id, MeetingParticipant.user_id == user_id)


def call_invited(user_id: int) -> ColumnElement[bool]:
    return exists().where(
        VideoCallParticipant.video_call_id == VideoCall.id, VideoCallParticipant.user_id == user_id
    )


def meetings_listed(principal: Principal) -> ColumnElement[bool]:
    """The meetings a principal's lists show (and, for meetings, all they may read)."""
    if principal.is_system_admin:
        return true()
    me = principal.user_id
    shown = [Meeting.created_by == me, meeting_invited(me)]
    if principal.is_company_admin:
        shown.append(TenantScope(principal).condition(Meeting))
    return or_(*shown)


def calls_listed(principal: Principal) -> ColumnElement[bool]:
    if principal.is_system_admin:
        return true()
    me = principal.user_id
    shown = [VideoCall.host_id == me, call_invited(me)]
    if principal.is_company_admin:
        shown.append(TenantScope(principal).condition(VideoCall))
    return or_(*shown)


def calls_readable(principal: Principal) -> ColumnElement[bool]:
    """Listed calls, and the calls of the principal's company for its staff."""
    staff = TenantScope(principal).condition(VideoCall) if is_staff(principal) else false()
    return or_(calls_listed(principal), staff)


async def invitable(db: AsyncSession, user_id: int, company_id: int, interview_id: int | None = None) -> bool:
    """The invitee rule of the module docstring."""
    user = await db.get(User, user_id)
    if user is None or user.is_deleted:
        return False
    if user.company_id == company_id:
        return True
    candidate_here = await db.scalar(
        select(Interview.id)
        .where(
            Interview.candidate_id == user_id,
            Interview.company_id == company_id,
            Interview.is_deleted.is_(False),
        )
        .limit(1)
    )
    if candidate_here is not None:
        return True
    if interview_id is None or user.company_id is None:
        return False
    recruiter = aliased(User)
    involved = await db.execute(
        select(Interview.company_id, Position.company_id, recruiter.company_id)
        .outerjoin(Position, Position.id == Interview.position_id)
        .outerjoin(recruiter, recruiter.id == Interview.recruiter_id)
        .where(Interview.id == interview_id, Interview.is_deleted.is_(False))
    )
    row = involved.first()
    return row is not None and user.company_id in set(row)


async def require_invitable(
    db: AsyncSession, user_id: int, company_id: int, interview_id: int | None = None, field: str = "user_id"
) -> None:
    if not await invitable(db, user_id, company_id, interview_id):
        raise invalid(field, "no user you may invite to this room")


async def require_interview(db: AsyncSession, interview_id: int, company_id: int) -> None:
    """A meeting's interview is one of the meeting's company (422 otherwise, also for other tenants')."""
    found = await db.scalar(
        select(Interview.id).where(
            Interview.id == interview_id,
            Interview.company_id == company_id,
            Interview.is_deleted.is_(False),
        )
    )
    if found is None:
        raise invalid("interview_id", "no interview of this company")


async def require_host(db: AsyncSession, user_id: int, company_id: int) -> None:
    """A call's host is a non-deleted staff member of the call's company."""
    user = await db.get(User, user_id)
    if user is None or user.is_deleted or user.company_id != company_id:
        raise invalid("host_id", "no staff member of this company")
    if not (await role_names(db, user_id)).intersection(STAFF_ROLES):
        raise invalid("host_id", "no staff member of this company")
