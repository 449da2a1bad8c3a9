"""/api/candidates (the directory) and proposals of a candidate to a position."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.datastructures import State
from litestar.di import Provide
from litestar.params import Parameter
from litestar.response import Stream
from sqlalchemy.ext.asyncio import AsyncSession

from server.auth.principal import Principal
from server.domains.candidates.proposals import ProposalsService
from server.domains.candidates.schemas import CandidateCreate, CandidateOut, ProposalCreate, ProposalOut
from server.domains.candidates.services import CandidatesService
from server.domains.files.controllers import download_response
from server.domains.interviews.schemas import InterviewOut
from server.domains.resumes.schemas import ResumeOut
from server.listing import Limit, Offset, PathId
from server.schemas import Page


def provide_candidates(db: AsyncSession, principal: Principal, state: State) -> CandidatesService:
    return CandidatesService(db, principal, state.ctx)


def provide_proposals(db: AsyncSession, principal: Principal, state: State) -> ProposalsService:
    return ProposalsService(db, principal, state.ctx)


class CandidatesController(Controller):
    path = "/api/candidates"
    tags = ["candidates"]
    dependencies = {"candidates": Provide(provide_candidates, sync_to_thread=False)}

    @get("/", summary="Candidates you see: your agency's, those proposed to you, or yourself")
    async def list_candidates(
        self,
        candidates: CandidatesService,
        limit: Limit = 20,
        offset: Offset = 0,
        sort: str = "id",
        q: str | None = Parameter(default=None, max_length=100, description="name, email or a skill"),
    ) -> Page[CandidateOut]:
        return await candidates.search(q=q, limit=limit, offset=offset, sort=sort)

    @post("/", summary="Register a candidate of your agency (mailed an activation link)")
    async def register_candidate(self, data: CandidateCreate, candidates: CandidatesService) -> CandidateOut:
        return await candidates.register(data)

    @get("/{candidate_id:int}", summary="One candidate")
    async def read_candidate(self, candidate_id: PathId, candidates: CandidatesService) -> CandidateOut:
        return await candidates.get(candidate_id)

    @get("/{candidate_id:int}/resumes", summary="The candidate's resumes that you see")
    async def candidate_resumes(
        self, candidate_id: PathId, candidates: CandidatesService, limit: Limit = 20, offset: Offset = 0
    ) -> Page[ResumeOut]:
        return await candidates.resumes(candidate_id, limit=limit, offset=offset)

    @get("/{candidate_id:int}/interviews", summary="The candidate's interviews that you see")
    async def candidate_interviews(
        self, candidate_id: PathId, candidates: CandidatesService, limit: Limit = 20, offset: Offset = 0
    ) -> Page[InterviewOut]:
        return await candidates.interviews(candidate_id, limit=limit, offset=offset)


class ProposalsController(Controller):
    tags = ["candidates"]
    dependencies = {"proposals": Provide(provide_proposals, sync_to_thread=False)}

    @post(
        "/api/positions/{position_id:int}/proposals", summary="Propose your candidate to a published position"
    )
    async def propose(
        self, position_id: PathId, data: ProposalCreate, proposals: ProposalsService
    ) -> InterviewOut:
        return await proposals.propose(position_id, data)

    @get("/api/interviews/{interview_id:int}/proposal", summary="The proposal an interview came from")
    async def read_proposal(self, interview_id: PathId, proposals: ProposalsService) -> ProposalOut:
        return await proposals.get(interview_id)

    @get(
        "/api/interviews/{interview_id:int}/proposal/document",
        summary="The 職務経歴書 sent with the proposal (PDF)",
        media_type="application/pdf",
    )
    async def proposal_document(self, interview_id: PathId, proposals: ProposalsService) -> Stream:
        return download_response(await proposals.document(interview_id))
