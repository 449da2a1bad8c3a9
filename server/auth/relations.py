"""Who is tied to whom across two companies: an agency's candidate proposed to an employer.

A proposal is an interview of the employer's company (`interviews.company_id`, through the
position) whose candidate is a user of the agency, plus one attachment of the interview of
entity type `proposed_resume`: the 職務経歴書 sent, as a PDF, whose `description` holds the
id of the resume proposed. Every cross-company rule reads these rows, here and nowhere else:

- the employer's staff see the candidate (directory), and that one resume only while the
  interview is open (`pending_schedule` to `in_progress`); never the candidate's other resumes;
- the agency's staff (company_admin, recruiter) see the interviews of their candidates, and the
  proposing recruiter is the interview's recruiter;
- a candidate sees their interviews whichever company holds them (`Interview.candidate_id`).
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, Integer, and_, cast, exists, false, select

from models import Attachment, Interview, Resume, User
from models.enums import CompanyType, InterviewStatus
from server.auth.principal import Principal, RoleName

PROPOSED_RESUME = "proposed_resume"
"""`attachments.entity_type` of a proposal: entity_id is the interview, description the resume id."""
OPEN = (
    InterviewStatus.PENDING_SCHEDULE,
    InterviewStatus.SCHEDULED,
    InterviewStatus.CONFIRMED,
    InterviewStatus.IN_PROGRESS,
)
AGENCY_STAFF = (RoleName.COMPANY_ADMIN, RoleName.RECRUITER)


def is_employer_side(principal: Principal) -> bool:
    """An employer's people: role employer, or anyone of an EMPLOYER company."""
    return RoleName.EMPLOYER in principal.roles or principal.company_type is CompanyType.EMPLOYER


def is_agency_staff(principal: Principal) -> bool:
    """A company_admin or recruiter acting for the candidates of their own company (not an employer)."""
    return (
        principal.company_id is not None
        and bool(principal.roles.intersection(AGENCY_STAFF))
        and not is_employer_side(principal)
    )


def employer_side(principal: Principal, interview: Interview) -> bool:
    """The principal is of the company holding the interview (not the platform, not the agency)."""
    return not principal.is_system_admin and principal.company_id == interview.company_id


def is_proposal() -> ColumnElement[bool]:
    """Condition on `Interview`: it carries a proposal (its `proposed_resume` attachment is live)."""
    return exists().where(
        Attachment.entity_type == PROPOSED_RESUME,
        Attachment.entity_id == Interview.id,
        Attachment.is_deleted.is_(False),
    )


def _proposals_to(principal: Principal) -> ColumnElement[bool]:
    if principal.company_id is None:
        return false()
    return and_(
        Interview.company_id == principal.company_id,
        Interview.is_deleted.is_(False),
        is_proposal(),
    )


def proposed_candidate(principal: Principal) -> ColumnElement[bool]:
    """Condition on `User`: a candidate proposed to the principal's company (any interview state)."""
    return exists().where(_proposals_to(principal), Interview.candidate_id == User.id)


def shared_resume(principal: Principal) -> ColumnElement[bool]:
    """Condition on `Resume`: proposed to the principal's company by an interview still open."""
    if principal.company_id is None:
        return false()
    return exists().where(
        Interview.company_id == principal.company_id,
        Interview.is_deleted.is_(False),
        Interview.status.in_(OPEN),
        Interview.candidate_id == Resume.user_id,
        Attachment.entity_type == PROPOSED_RESUME,
        Attachment.entity_id == Interview.id,
        Attachment.is_deleted.is_(False),
        cast(Attachment.description, Integer) == Resume.id,
    )


def candidate_of_agency(principal: Principal) -> ColumnElement[bool]:
    """Condition on `Interview`: a proposal of a candidate of the principal's agency, the principal
    its staff, so the agency follows its candidates at employers (and only through proposals:
    another company's own interview with the same person stays that company's)."""
    if not is_agency_staff(principal):
        return false()
    candidate = exists(
        select(User.id).where(User.id == Interview.candidate_id, User.company_id == principal.company_id)
    )
    return and_(candidate, is_proposal())
