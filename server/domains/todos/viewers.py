"""A todo's viewers: people of its company granted read or edit rights on it.

Whoever may read a todo sees its viewers; only its managers (creator, company admin) grant,
change and withdraw grants. A grant counts only while the todo's visibility is `company` or
`viewers` (see `access`). A user outside the todo's company answers 404 like a missing one.
Changes take the todo's row lock and read grants with locking reads, so two concurrent grants of
one user end as one row.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from models import TodoViewer, User
from server.auth.principal import Principal
from server.domains.todos import access
from server.domains.todos.access import Access
from server.domains.todos.schemas import ViewerGrant, ViewerOut
from server.domains.todos.values import viewer_out
from server.errors import NotFound
from server.schemas import Page


class ViewersService:
    def __init__(self, db: AsyncSession, principal: Principal) -> None:
        self.db = db
        self.principal = principal

    async def search(self, todo_id: int, *, limit: int, offset: int) -> Page[ViewerOut]:
        todo, _ = await access.load(self.db, self.principal, todo_id, Access.READ)
        statement = (
            select(TodoViewer, User)
            .join(User, User.id == TodoViewer.user_id)
            .where(TodoViewer.todo_id == todo.id)
            .order_by(TodoViewer.id)
        )
        total = await self.db.scalar(
            select(func.count()).select_from(TodoViewer).where(TodoViewer.todo_id == todo.id)
        )
        rows = (await self.db.execute(statement.limit(limit).offset(offset))).tuples().all()
        return Page(items=[viewer_out(viewer, user) for viewer, user in rows], total=int(total or 0))

    async def grant(self, todo_id: int, user_id: int, data: ViewerGrant) -> ViewerOut:
        todo, _ = await access.load(self.db, self.principal, todo_id, Access.MANAGE, lock=True)
        user = await self.db.scalar(
            select(User).where(
                User.id == user_id, User.company_id == todo.company_id, User.is_deleted.is_(False)
            )
        )
        if user is None:
            raise NotFound(f"User {user_id} was not found.")
        viewer = await self.db.scalar(
            select(TodoViewer)
            .where(TodoViewer.todo_id == todo.id, TodoViewer.user_id == user.id)
            .with_for_update()
        )
        if viewer is None:
            viewer = TodoViewer(
                todo_id=todo.id, user_id=user.id, permission=data.permission, added_by=self.principal.user_id
            )
            self.db.add(viewer)
        else:
            viewer.permission = data.permission
        await self.db.flush()
        await self.db.refresh(viewer)
        return viewer_out(viewer, user)

    async def withdraw(self, todo_id: int, user_id: int) -> None:
        todo, _ = await access.load(self.db, self.principal, todo_id, Access.MANAGE, lock=True)
        viewer = await self.db.scalar(
            select(TodoViewer).where(TodoViewer.todo_id == todo.id, TodoViewer.user_id == user_id)
        )
        if viewer is None:
            raise NotFound(f"User {user_id} is not a viewer of todo {todo.id}.")
        await self.db.delete(viewer)
        await self.db.flush()
