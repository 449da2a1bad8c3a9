"""Deadline extension requests: the assignee asks, the todo's creator or a company admin decides.

- Only the todo's assignee asks (403 `not_assignee` for anyone else who may see the todo), for
  an open todo that has a due date (409), while no other request of that todo is pending
  (409 `extension_pending`), for a date after the current due date (422).
- Only whoever manages the todo reviews: its creator, an admin of its company or a
  system_admin (403 `not_reviewer` for anyone else who may see it); a request is reviewed once
  (409 `already_reviewed`). Approval moves the todo's due date to `approved_due_date`: the
  requested date unless the reviewer names another one, after the current due date (422).
- Asking notifies the creator; the decision notifies the requester (nobody is told of their
  own action). Both happen in the request's transaction.

The todo's row is locked while asking and reviewing (SELECT ... FOR UPDATE on MySQL), and the
checks that follow are locking reads too: under REPEATABLE READ a plain read would still see
the snapshot the request's first query took (loading the principal), from before a concurrent
request committed. So two requests of one todo never both pass the "one pending at a time"
check, and a review never races a second review.
"""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import Todo, TodoExtensionRequest
from models.enums import ExtensionStatus
from server import audit
from server.auth.principal import Principal
from server.domains.notifications.services import notify
from server.domains.todos import access
from server.domains.todos.access import Access
from server.domains.todos.schemas import (
    Decision,
    ExtensionFilters,
    ExtensionRequestCreate,
    ExtensionRequestOut,
    ExtensionReview,
)
from server.domains.todos.values import CLOSED, extension_out, now
from server.errors import Conflict, FieldError, Forbidden, InvalidInput, NotFound
from server.listing import order_by, paginate
from server.schemas import Page

SORTABLE = {
    "id": TodoExtensionRequest.id,
    "created_at": TodoExtensionRequest.created_at,
    "requested_due_date": TodoExtensionRequest.requested_due_date,
}


def _after_due(field: str) -> InvalidInput:
    return InvalidInput(errors=[FieldError(field=field, message="must be after the todo's current due date")])


class ExtensionsService:
    def __init__(self, db: AsyncSession, principal: Principal) -> None:
        self.db = db
        self.principal = principal

    async def _out(self, request: TodoExtensionRequest) -> ExtensionRequestOut:
        await self.db.flush()
        await self.db.refresh(request)
        return extension_out(request)

    async def ask(self, todo_id: int, data: ExtensionRequestCreate) -> ExtensionRequestOut:
        todo, _ = await access.load(self.db, self.principal, todo_id, Access.READ, lock=True)
        me = self.principal.user_id
        if todo.assigned_user_id != me:
            raise Forbidden("Only the todo's assignee asks for more time.", code="not_assignee")
        if todo.status in CLOSED:
            raise Conflict(f"The todo is {todo.status}.", code="todo_closed")
        if todo.due_date is None:
            raise Conflict("The todo has no due date to extend.", code="no_due_date")
        pending = await self.db.scalar(
            select(TodoExtensionRequest.id)
            .where(
                TodoExtensionRequest.todo_id == todo.id,
                TodoExtensionRequest.status == ExtensionStatus.PENDING,
            )
            .with_for_update()
        )
        if pending is not None:
            raise Conflict(
                f"Extension request {pending} of this todo is still pending.", code="extension_pending"
            )
        if data.requested_due_date <= todo.due_date:
            raise _after_due("requested_due_date")
        request = TodoExtensionRequest(
            todo_id=todo.id,
            requested_by=me,
            original_due_date=todo.due_date,
            requested_due_date=data.requested_due_date,
            reason=data.reason,
        )
        self.db.add(request)
        await self.db.flush()
        if todo.created_by != me:
            await notify(
                self.db,
                user_id=todo.created_by,
                type="todo_extension_requested",
                title="A deadline extension was requested",
                message=todo.title,
                category="todo",
                data={"todo_id": todo.id, "extension_request_id": request.id, "requested_by": me},
                action_url=f"/todos/{todo.id}",
            )
        return await self._out(request)

    async def review(self, todo_id: int, request_id: int, data: ExtensionReview) -> ExtensionRequestOut:
        todo, rights = await access.load(self.db, self.principal, todo_id, Access.READ, lock=True)
        request = await self._request_of(todo, request_id, lock=True)
        if rights < Access.MANAGE:
            raise Forbidden(
                "Only the todo's creator or an admin of its company reviews its extension requests.",
                code="not_reviewer",
            )
        if request.status is not ExtensionStatus.PENDING:
            raise Conflict(f"This request was already {request.status}.", code="already_reviewed")
        approved = data.decision is Decision.APPROVED
        if not approved and data.approved_due_date is not None:
            raise InvalidInput(
                errors=[FieldError(field="approved_due_date", message="only an approval sets a date")]
            )
        if approved:
            new_due = data.approved_due_date or request.requested_due_date
            if todo.due_date is not None and new_due <= todo.due_date:
                raise _after_due("approved_due_date")
            request.approved_due_date = new_due
            todo.due_date = new_due
            audit.label(self.db, todo, "todos.extend")
        request.status = ExtensionStatus.APPROVED if approved else ExtensionStatus.REJECTED
        request.reviewed_by = self.principal.user_id
        request.reviewed_at = now()
        request.review_notes = data.review_notes
        audit.label(self.db, request, f"todo_extension_requests.{'approve' if approved else 'reject'}")
        await self.db.flush()
        if request.requested_by != self.principal.user_id:
            await notify(
                self.db,
                user_id=request.requested_by,
                type=f"todo_extension_{request.status}",
                title=f"Your deadline extension was {request.status}",
                message=todo.title,
                category="todo",
                data={"todo_id": todo.id, "extension_request_id": request.id, "decision": data.decision},
                action_url=f"/todos/{todo.id}",
            )
        return await self._out(request)

    async def _request_of(self, todo: Todo, request_id: int, *, lock: bool = False) -> TodoExtensionRequest:
        statement = select(TodoExtensionRequest).where(
            TodoExtensionRequest.id == request_id, TodoExtensionRequest.todo_id == todo.id
        )
        request = await self.db.scalar(statement.with_for_update() if lock else statement)
        if request is None:
            raise NotFound(f"Extension request {request_id} was not found.")
        return request

    async def get(self, todo_id: int, request_id: int) -> ExtensionRequestOut:
        todo, _ = await access.load(self.db, self.principal, todo_id, Access.READ)
        return extension_out(await self._request_of(todo, request_id))

    async def of_todo(self, todo_id: int, *, limit: int, offset: int, sort: str) -> Page[ExtensionRequestOut]:
        todo, _ = await access.load(self.db, self.principal, todo_id, Access.READ)
        statement = select(TodoExtensionRequest).where(TodoExtensionRequest.todo_id == todo.id)
        return await self._page(statement, limit=limit, offset=offset, sort=sort)

    async def search(
        self, filters: ExtensionFilters, *, limit: int, offset: int, sort: str
    ) -> Page[ExtensionRequestOut]:
        """Requests on every todo you may see; `to_review` narrows to the todos you manage."""
        statement = (
            select(TodoExtensionRequest)
            .join(Todo, Todo.id == TodoExtensionRequest.todo_id)
            .where(access.visible(self.principal))
        )
        if filters.status is not None:
            statement = statement.where(TodoExtensionRequest.status == filters.status)
        if filters.requested_by is not None:
            statement = statement.where(TodoExtensionRequest.requested_by == filters.requested_by)
        if filters.to_review is not None:
            mine = access.reviewable(self.principal)
            statement = statement.where(mine if filters.to_review else ~mine)
        return await self._page(statement, limit=limit, offset=offset, sort=sort)

    async def _page(
        self, statement: Select[tuple[TodoExtensionRequest]], *, limit: int, offset: int, sort: str
    ) -> Page[ExtensionRequestOut]:
        rows, total = await paginate(self.db, order_by(statement, sort, SORTABLE), limit, offset)
        return Page(items=[extension_out(r) for r in rows], total=total)
