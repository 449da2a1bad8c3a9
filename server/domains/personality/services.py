"""The 16-type personality test: start (or resume), answer, complete, abandon, share and revoke.

Every read and write goes through `server.domains.personality.access`: a session is its taker's,
and others read a result only once the taker shares it with their company's staff. One session
is in progress per person at a time: starting again answers the open one. Answers may be given
one at a time or in batches and changed until the test is completed; completing needs every
question answered (409 `incomplete`), then computes the eight scores and the type once
(`scoring`), the same answers always giving the same result. A completed session is closed:
answering it is 409 `session_closed`.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models import MbtiTestSession, User
from models.enums import MbtiStatus
from server import audit
from server.auth.principal import Principal
from server.domains.personality import access, scoring
from server.domains.personality.bank import TOTAL
from server.domains.personality.poles import Lang
from server.domains.personality.schemas import AnswerIn, SessionFilters, SessionOut, SessionSummary
from server.domains.personality.values import (
    DONE,
    SCORE_COLUMNS,
    current_question,
    session_out,
    stored_answers,
    summary_out,
    to_stored,
    unanswered,
)
from server.errors import Conflict, FieldError, Forbidden, InvalidInput
from server.listing import order_by, paginate, where_given
from server.schemas import Page

SORTABLE = {
    "id": MbtiTestSession.id,
    "started_at": MbtiTestSession.started_at,
    "completed_at": MbtiTestSession.completed_at,
}
"""Lists sort by time only: never by the type or a score."""


def now() -> datetime:
    return datetime.now(UTC)


class PersonalityService:
    def __init__(self, db: AsyncSession, principal: Principal) -> None:
        self.db = db
        self.principal = principal

    async def _out(self, session: MbtiTestSession, lang: Lang) -> SessionOut:
        await self.db.flush()
        await self.db.refresh(session)
        return session_out(session, lang, taker=access.is_taker(self.principal, session))

    # Reading

    async def get(self, session_id: int, lang: Lang) -> SessionOut:
        session = await access.load(self.db, self.principal, session_id)
        return session_out(session, lang, taker=access.is_taker(self.principal, session))

    async def search(
        self, filters: SessionFilters, *, limit: int, offset: int, sort: str
    ) -> Page[SessionSummary]:
        statement = where_given(
            select(MbtiTestSession).where(access.readable(self.principal)),
            (MbtiTestSession.user_id, filters.user_id),
            (MbtiTestSession.status, filters.status),
        )
        rows, total = await paginate(self.db, order_by(statement, sort, SORTABLE), limit, offset)
        return Page(items=[summary_out(row) for row in rows], total=total)

    # Taking the test

    async def start(self, lang: Lang) -> tuple[SessionOut, bool]:
        """The taker's open session, or a new one: `(session, created)`."""
        company_id = self.principal.company_id
        if company_id is None:
            raise Forbidden("A test session belongs to a company; you are in none.", code="no_company")
        # The taker's user row serializes two concurrent starts (FOR UPDATE on MySQL).
        await self.db.execute(select(User.id).where(User.id == self.principal.user_id).with_for_update())
        open_session = await self.db.scalar(
            select(MbtiTestSession)
            .where(
                MbtiTestSession.user_id == self.principal.user_id,
                MbtiTestSession.status == MbtiStatus.IN_PROGRESS,
            )
            .order_by(MbtiTestSession.id)
            .limit(1)
        )
        if open_session is not None:
            return session_out(open_session, lang, taker=True), False
        session = MbtiTestSession(
            user_id=self.principal.user_id,
            company_id=company_id,
            session_token=secrets.token_urlsafe(32),
            status=MbtiStatus.IN_PROGRESS,
            current_question=1,
            answers={},
            started_at=now(),
        )
        self.db.add(session)
        return await self._out(session, lang), True

    async def answer(self, session_id: int, given: list[AnswerIn], lang: Lang) -> SessionOut:
        # Litestar drops the list bounds of a union body: they are checked here.
        if not 1 <= len(given) <= TOTAL:
            raise InvalidInput(errors=[FieldError(field="data", message=f"give 1 to {TOTAL} answers")])
        seen: set[int] = set()
        for index, item in enumerate(given):
            if item.question_id in seen:
                raise InvalidInput(
                    errors=[FieldError(field=f"[{index}].question_id", message="answered twice in one batch")]
                )
            seen.add(item.question_id)
        session = await access.load(self.db, self.principal, session_id, write=True)
        self._require_open(session)
        answers = stored_answers(session)
        answers.update({item.question_id: item.value for item in given})
        session.answers = to_stored(answers)
        session.current_question = current_question(answers)
        return await self._out(session, lang)

    async def complete(self, session_id: int, lang: Lang) -> SessionOut:
        session = await access.load(self.db, self.principal, session_id, write=True)
        if session.status in DONE:
            raise Conflict("This test is already completed.", code="already_completed")
        self._require_open(session)
        answers = stored_answers(session)
        missing = unanswered(answers)
        if missing:
            listed = ", ".join(str(question_id) for question_id in missing[:20])
            more = f" and {len(missing) - 20} more" if len(missing) > 20 else ""
            raise Conflict(
                f"{len(missing)} of the questions are still unanswered.",
                code="incomplete",
                errors=[FieldError(field="answers", message=f"unanswered: {listed}{more}")],
            )
        result = scoring.score(answers)
        for pole, column in SCORE_COLUMNS.items():
            setattr(session, column, result.percentages[pole])
        session.result_type = result.result_type
        session.status = MbtiStatus.COMPLETED
        session.completed_at = now()
        audit.label(self.db, session, "mbti_test_sessions.complete")
        return await self._out(session, lang)

    async def abandon(self, session_id: int, lang: Lang) -> SessionOut:
        """Give up an open session, so that starting again begins afresh."""
        session = await access.load(self.db, self.principal, session_id, write=True)
        self._require_open(session)
        session.status = MbtiStatus.ABANDONED
        audit.label(self.db, session, "mbti_test_sessions.abandon")
        return await self._out(session, lang)

    @staticmethod
    def _require_open(session: MbtiTestSession) -> None:
        if session.status is not MbtiStatus.IN_PROGRESS:
            raise Conflict(
                f"This test session is {session.status}; it takes no more answers.", code="session_closed"
            )

    # Sharing

    async def share(self, session_id: int, lang: Lang, *, shared: bool) -> SessionOut:
        """Share a completed result with the taker's company's staff, or take the share back."""
        session = await access.load(self.db, self.principal, session_id, write=True)
        if session.status not in DONE:
            raise Conflict("Only a completed result can be shared.", code="not_completed")
        wanted = MbtiStatus.SHARED if shared else MbtiStatus.COMPLETED
        if session.status is not wanted:
            session.status = wanted
            audit.label(self.db, session, "mbti_test_sessions." + ("share" if shared else "unshare"))
        return await self._out(session, lang)
