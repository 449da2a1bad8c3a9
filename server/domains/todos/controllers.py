"""/api/todos: todos, their viewers and their deadline extension requests.

Who may call what is decided in one place, `server.domains.todos.access`: any signed-in member
of a company creates todos in it; a todo you may not see is 404, one you may see but not change
that way is 403.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from litestar import Controller, delete, get, patch, post, put
from litestar.di import Provide
from litestar.params import Parameter
from litestar.status_codes import HTTP_200_OK
from sqlalchemy.ext.asyncio import AsyncSession

from models.enums import ExtensionStatus, TodoPriority, TodoStatus, TodoVisibility
from server.auth.principal import Principal
from server.domains.todos.extensions import ExtensionsService
from server.domains.todos.schemas import (
    ExtensionFilters,
    ExtensionRequestCreate,
    ExtensionRequestOut,
    ExtensionReview,
    TodoCreate,
    TodoFilters,
    TodoOut,
    TodoUpdate,
    ViewerGrant,
    ViewerOut,
)
from server.domains.todos.services import TodosService
from server.domains.todos.viewers import ViewersService
from server.listing import Limit, Offset, PathId, QueryId
from server.schemas import Page, parse

# Litestar ignores msgspec.Meta bounds on query and path parameters, so they are spelled out.
Words = Annotated[str | None, Parameter(max_length=100)]


def provide_todos(db: AsyncSession, principal: Principal) -> TodosService:
    return TodosService(db, principal)


def provide_viewers(db: AsyncSession, principal: Principal) -> ViewersService:
    return ViewersService(db, principal)


def provide_extensions(db: AsyncSession, principal: Principal) -> ExtensionsService:
    return ExtensionsService(db, principal)


class TodosController(Controller):
    path = "/api/todos"
    tags = ["todos"]
    dependencies = {
        "todos": Provide(provide_todos, sync_to_thread=False),
        "viewers": Provide(provide_viewers, sync_to_thread=False),
        "extensions": Provide(provide_extensions, sync_to_thread=False),
    }

    @get("/", summary="Todos you may see, with filters on the indexed columns")
    async def list_todos(
        self,
        todos: TodosService,
        limit: Limit = 20,
        offset: Offset = 0,
        sort: str = "-id",
        status: TodoStatus | None = None,
        priority: TodoPriority | None = None,
        category: Words = None,
        tag: Words = None,
        visibility: TodoVisibility | None = None,
        assigned_user_id: QueryId = None,
        created_by: QueryId = None,
        company_id: QueryId = None,
        due_after: datetime | None = None,
        due_before: datetime | None = None,
        overdue: bool | None = None,
        q: Words = None,
    ) -> Page[TodoOut]:
        filters = parse(
            TodoFilters,
            status=status,
            priority=priority,
            category=category,
            tag=tag,
            visibility=visibility,
            assigned_user_id=assigned_user_id,
            created_by=created_by,
            company_id=company_id,
            due_after=due_after,
            due_before=due_before,
            overdue=overdue,
            q=q,
        )
        return await todos.search(filters, limit=limit, offset=offset, sort=sort)

    @get("/overdue", summary="Todos you may see that are due before now and neither completed nor cancelled")
    async def list_overdue(
        self,
        todos: TodosService,
        limit: Limit = 20,
        offset: Offset = 0,
        sort: str = "due_date",
        assigned_user_id: QueryId = None,
    ) -> Page[TodoOut]:
        filters = parse(TodoFilters, overdue=True, assigned_user_id=assigned_user_id)
        return await todos.search(filters, limit=limit, offset=offset, sort=sort)

    @post("/", summary="Create a todo in your company (an assignee is notified)")
    async def create_todo(self, data: TodoCreate, todos: TodosService) -> TodoOut:
        return await todos.create(data)

    @get("/{todo_id:int}")
    async def read_todo(self, todo_id: PathId, todos: TodosService) -> TodoOut:
        return await todos.get(todo_id)

    @patch("/{todo_id:int}", summary="Change a todo (due date, assignee, visibility: managers only)")
    async def update_todo(self, todo_id: PathId, data: TodoUpdate, todos: TodosService) -> TodoOut:
        return await todos.update(todo_id, data)

    @delete("/{todo_id:int}", summary="Soft-delete a todo (managers only)")
    async def delete_todo(self, todo_id: PathId, todos: TodosService) -> None:
        await todos.delete(todo_id)

    @post(
        "/{todo_id:int}/restore",
        status_code=HTTP_200_OK,
        summary="Restore a todo deleted less than 90 days ago (managers only)",
    )
    async def restore_todo(self, todo_id: PathId, todos: TodosService) -> TodoOut:
        return await todos.restore(todo_id)

    @post("/{todo_id:int}/complete", status_code=HTTP_200_OK, summary="Complete an open todo")
    async def complete_todo(self, todo_id: PathId, todos: TodosService) -> TodoOut:
        return await todos.complete(todo_id)

    @post("/{todo_id:int}/reopen", status_code=HTTP_200_OK, summary="Reopen a completed or cancelled todo")
    async def reopen_todo(self, todo_id: PathId, todos: TodosService) -> TodoOut:
        return await todos.reopen(todo_id)

    # Viewers

    @get("/{todo_id:int}/viewers", summary="Who was granted read or edit rights on the todo")
    async def list_viewers(
        self, todo_id: PathId, viewers: ViewersService, limit: Limit = 20, offset: Offset = 0
    ) -> Page[ViewerOut]:
        return await viewers.search(todo_id, limit=limit, offset=offset)

    @put("/{todo_id:int}/viewers/{user_id:int}", summary="Grant or change a viewer's rights (managers only)")
    async def grant_viewer(
        self, todo_id: PathId, user_id: PathId, data: ViewerGrant, viewers: ViewersService
    ) -> ViewerOut:
        return await viewers.grant(todo_id, user_id, data)

    @delete("/{todo_id:int}/viewers/{user_id:int}", summary="Withdraw a viewer's grant (managers only)")
    async def withdraw_viewer(self, todo_id: PathId, user_id: PathId, viewers: ViewersService) -> None:
        await viewers.withdraw(todo_id, user_id)

    # Extension requests

    @get("/extension-requests", summary="Extension requests of the todos you may see")
    async def list_extension_requests(
        self,
        extensions: ExtensionsService,
        limit: Limit = 20,
        offset: Offset = 0,
        sort: str = "-id",
        status: ExtensionStatus | None = None,
        requested_by: QueryId = None,
        to_review: bool | None = None,
    ) -> Page[ExtensionRequestOut]:
        filters = parse(ExtensionFilters, status=status, requested_by=requested_by, to_review=to_review)
        return await extensions.search(filters, limit=limit, offset=offset, sort=sort)

    @get("/{todo_id:int}/extension-requests", summary="A todo's extension requests")
    async def list_todo_extension_requests(
        self,
        todo_id: PathId,
        extensions: ExtensionsService,
        limit: Limit = 20,
        offset: Offset = 0,
        sort: str = "-id",
    ) -> Page[ExtensionRequestOut]:
        return await extensions.of_todo(todo_id, limit=limit, offset=offset, sort=sort)

    @post("/{todo_id:int}/extension-requests", summary="Ask for a later due date (the assignee only)")
    async def ask_extension(
        self, todo_id: PathId, data: ExtensionRequestCreate, extensions: ExtensionsService
    ) -> ExtensionRequestOut:
        return await extensions.ask(todo_id, data)

    @get("/{todo_id:int}/extension-requests/{request_id:int}")
    async def read_extension_request(
        self, todo_id: PathId, request_id: PathId, extensions: ExtensionsService
    ) -> ExtensionRequestOut:
        return await extensions.get(todo_id, request_id)

    @post(
        "/{todo_id:int}/extension-requests/{request_id:int}/review",
        status_code=HTTP_200_OK,
        summary="Approve (moving the due date) or reject a pending request (creator or company admin)",
    )
    async def review_extension_request(
        self, todo_id: PathId, request_id: PathId, data: ExtensionReview, extensions: ExtensionsService
    ) -> ExtensionRequestOut:
        return await extensions.review(todo_id, request_id, data)
