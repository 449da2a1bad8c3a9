"""/api/personality: the 16-type personality test.

Who may call what is decided in `server.domains.personality.access`: anyone signed in to a company
takes the test for themselves; a session is its taker's, and their company's staff read its result
only while the taker shares it. Texts come in the taker's language: `?lang=ja|en`, else the
Accept-Language header, else Japanese.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.di import Provide
from litestar.openapi import ResponseSpec
from litestar.params import HeaderParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import MbtiStatus
from server.auth.principal import Principal
from server.domains.personality import language
from server.domains.personality.poles import Lang
from server.domains.personality.schemas import (
    AnswerBatch,
    AnswerIn,
    QuestionBank,
    SessionFilters,
    SessionOut,
    SessionSummary,
)
from server.domains.personality.services import PersonalityService
from server.domains.personality.values import bank_out
from server.errors import FieldError, InvalidInput
from server.listing import Limit, Offset, PathId, QueryId
from server.schemas import Page, parse

AcceptLanguage = Annotated[str | None, HeaderParameter(name="Accept-Language")]
LIST_PARAMETERS = frozenset({"limit", "offset", "sort", "user_id", "status"})
"""Everything a list of sessions accepts. Any other parameter (`result_type`, a score…) is a 422:
people are never filtered or sorted by their type (see the README)."""


def provide_personality(db: AsyncSession, principal: Principal) -> PersonalityService:
    return PersonalityService(db, principal)


def provide_reply_lang(
    principal: Principal, lang: Lang | None = None, accept_language: AcceptLanguage = None
) -> Lang:
    """The language of the answer's texts: `?lang`, then Accept-Language, else Japanese.

    It takes `principal` only to be resolved after it: a caller who is not signed in gets 401
    whatever `lang` says, as when each route took the two parameters itself.
    """
    return language.choose(lang, accept_language)


def refuse_other_parameters(request: Request[Any, Any, Any]) -> None:
    unknown = sorted(set(request.query_params) - LIST_PARAMETERS)
    if unknown:
        raise InvalidInput(
            "Sessions are listed by person, status and time only, never by type or score.",
            errors=[FieldError(field=name, message="not a parameter of this list") for name in unknown],
        )


class PersonalityController(Controller):
    path = "/api/personality"
    tags = ["personality"]
    dependencies = {
        "personality": Provide(provide_personality, sync_to_thread=False),
        "reply_lang": Provide(provide_reply_lang, sync_to_thread=False),
    }

    @get("/questions", summary="The question bank and its answer scale, in one language")
    async def list_questions(self, principal: Principal, reply_lang: Lang) -> QuestionBank:
        return bank_out(reply_lang)

    @get(
        "/sessions",
        summary="Your own sessions, and (staff) the results your company's people shared with you",
        description="Accepts only limit, offset, sort (id, started_at, completed_at), user_id and status; "
        "never a type or a score.",
    )
    async def list_sessions(
        self,
        request: Request[Any, Any, Any],
        personality: PersonalityService,
        limit: Limit = 20,
        offset: Offset = 0,
        sort: str = "-id",
        user_id: QueryId = None,
        status: MbtiStatus | None = None,
    ) -> Page[SessionSummary]:
        refuse_other_parameters(request)
        filters = parse(SessionFilters, user_id=user_id, status=status)
        return await personality.search(filters, limit=limit, offset=offset, sort=sort)

    @post(
        "/sessions",
        summary="Start the test for yourself (201), or resume your session in progress (200)",
        responses={HTTP_200_OK: ResponseSpec(SessionOut, description="Your session in progress, resumed")},
    )
    async def start_session(self, personality: PersonalityService, reply_lang: Lang) -> Response[SessionOut]:
        session, created = await personality.start(reply_lang)
        return Response(session, status_code=HTTP_201_CREATED if created else HTTP_200_OK)

    @get("/sessions/{session_id:int}", summary="A session: progress and next question, or the result")
    async def read_session(
        self, session_id: PathId, personality: PersonalityService, reply_lang: Lang
    ) -> SessionOut:
        return await personality.get(session_id, reply_lang)

    @post(
        "/sessions/{session_id:int}/answers",
        status_code=HTTP_200_OK,
        summary="Answer one question ({question_id, value}) or several ([...]); 1 to 5 each",
    )
    async def answer_questions(
        self,
        session_id: PathId,
        data: AnswerIn | AnswerBatch,
        personality: PersonalityService,
        reply_lang: Lang,
    ) -> SessionOut:
        given = data if isinstance(data, list) else [data]
        return await personality.answer(session_id, given, reply_lang)

    @post(
        "/sessions/{session_id:int}/complete",
        status_code=HTTP_200_OK,
        summary="Complete a fully answered test: the eight scores and the type",
    )
    async def complete_session(
        self, session_id: PathId, personality: PersonalityService, reply_lang: Lang
    ) -> SessionOut:
        return await personality.complete(session_id, reply_lang)

    @post("/sessions/{session_id:int}/abandon", status_code=HTTP_200_OK, summary="Give up a test in progress")
    async def abandon_session(
        self, session_id: PathId, personality: PersonalityService, reply_lang: Lang
    ) -> SessionOut:
        return await personality.abandon(session_id, reply_lang)

    @put("/sessions/{session_id:int}/share", summary="Share your result with your company's staff")
    async def share_result(
        self, session_id: PathId, personality: PersonalityService, reply_lang: Lang
    ) -> SessionOut:
        return await personality.share(session_id, reply_lang, shared=True)

    @delete(
        "/sessions/{session_id:int}/share",
        status_code=HTTP_200_OK,
        summary="Stop sharing your result: it is yours alone again",
    )
    async def unshare_result(
        self, session_id: PathId, personality: PersonalityService, reply_lang: Lang
    ) -> SessionOut:
        return await personality.share(session_id, reply_lang, shared=False)
