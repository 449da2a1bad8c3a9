"""/api/users: company user management and every user's own profile."""

from __future__ import annotations

from litestar import Controller, delete, get, patch, post
from litestar.datastructures import State
from litestar.di import Provide
from litestar.params import Parameter
from litestar.status_codes import HTTP_200_OK
from sqlalchemy.ext.asyncio import AsyncSession

from server.auth.principal import Principal, RoleName
from server.domains.users.schemas import ProfileUpdate, RoleAssignment, UserCreate, UserOut, UserUpdate
from server.domains.users.services import UsersService
from server.listing import Limit, Offset
from server.schemas import Page


def provide_users(db: AsyncSession, principal: Principal, state: State) -> UsersService:
    return UsersService(db, principal, state.ctx)


class UsersController(Controller):
    path = "/api/users"
    tags = ["users"]
    dependencies = {"users": Provide(provide_users, sync_to_thread=False)}

    @get("/", summary="Users of your company (system_admin: all)")
    async def list_users(
        self,
        users: UsersService,
        limit: Limit = 20,
        offset: Offset = 0,
        sort: str = "id",
        q: str | None = Parameter(default=None, max_length=100),
        is_active: bool | None = None,
        is_suspended: bool | None = None,
        include_deleted: bool = False,
    ) -> Page[UserOut]:
        return await users.search(
            limit=limit,
            offset=offset,
            sort=sort,
            q=q,
            is_active=is_active,
            is_suspended=is_suspended,
            include_deleted=include_deleted,
        )

    @post("/", summary="Create a user (inactive until the mailed activation link is used)")
    async def create_user(self, data: UserCreate, users: UsersService) -> UserOut:
        return await users.create(data)

    @get("/me", summary="Your own profile")
    async def read_profile(self, users: UsersService, principal: Principal) -> UserOut:
        return await users.get(principal.user_id)

    @patch("/me", summary="Update your own profile")
    async def update_profile(self, data: ProfileUpdate, users: UsersService) -> UserOut:
        return await users.update_profile(data)

    @get("/{user_id:int}")
    async def read_user(self, user_id: int, users: UsersService) -> UserOut:
        return await users.get(user_id)

    @patch("/{user_id:int}")
    async def update_user(self, user_id: int, data: UserUpdate, users: UsersService) -> UserOut:
        return await users.update(user_id, data)

    @post("/{user_id:int}/roles", status_code=HTTP_200_OK, summary="Assign a role")
    async def assign_role(self, user_id: int, data: RoleAssignment, users: UsersService) -> UserOut:
        return await users.assign_role(user_id, data.role)

    @delete("/{user_id:int}/roles/{role:str}", status_code=HTTP_200_OK, summary="Revoke a role")
    async def revoke_role(self, user_id: int, role: RoleName, users: UsersService) -> UserOut:
        return await users.revoke_role(user_id, role)

    @post("/{user_id:int}/suspend", status_code=HTTP_200_OK)
    async def suspend(self, user_id: int, users: UsersService) -> UserOut:
        return await users.set_suspended(user_id, True)

    @post("/{user_id:int}/unsuspend", status_code=HTTP_200_OK)
    async def unsuspend(self, user_id: int, users: UsersService) -> UserOut:
        return await users.set_suspended(user_id, False)

    @delete("/{user_id:int}", status_code=HTTP_200_OK, summary="Soft-delete a user")
    async def delete_user(self, user_id: int, users: UsersService) -> UserOut:
        return await users.set_deleted(user_id, True)

    @post("/{user_id:int}/restore", status_code=HTTP_200_OK)
    async def restore_user(self, user_id: int, users: UsersService) -> UserOut:
        return await users.set_deleted(user_id, False)
