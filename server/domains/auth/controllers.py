"""/api/auth: the paths and payloads of the client contract."""

from __future__ import annotations

from litestar import Controller, get, post
from litestar.datastructures import State
from litestar.di import Provide
from litestar.status_codes import HTTP_200_OK, HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT
from sqlalchemy.ext.asyncio import AsyncSession

from server.auth.dependencies import RequestMeta
from server.auth.principal import Principal
from server.domains.auth.schemas import (
    Accepted,
    LoginRequest,
    LogoutRequest,
    Me,
    PasswordChange,
    PasswordWithToken,
    RefreshRequest,
    ResetRequest,
    TokenPair,
    TwoFactorChallenge,
    TwoFactorVerify,
)
from server.domains.auth.services import AuthService


def provide_auth(db: AsyncSession, state: State, meta: RequestMeta) -> AuthService:
    return AuthService(db, state.ctx, meta)


class AuthController(Controller):
    path = "/api/auth"
    tags = ["auth"]
    dependencies = {"auth": Provide(provide_auth, sync_to_thread=False)}

    @post("/login", status_code=HTTP_200_OK, summary="Sign in with email and password")
    async def login(self, data: LoginRequest, auth: AuthService) -> TokenPair | TwoFactorChallenge:
        return await auth.login(data.email, data.password)

    @post("/2fa/verify", status_code=HTTP_200_OK, summary="Finish a sign-in with the mailed code")
    async def verify(self, data: TwoFactorVerify, auth: AuthService) -> TokenPair:
        return await auth.verify_two_factor(data.challenge_token, data.code)

    @post("/refresh", status_code=HTTP_200_OK, summary="Rotate the refresh token")
    async def refresh(self, data: RefreshRequest, auth: AuthService) -> TokenPair:
        return await auth.refresh(data.refresh_token)

    @post("/logout", status_code=HTTP_204_NO_CONTENT, summary="End this session, or every session")
    async def logout(
        self, principal: Principal, auth: AuthService, data: LogoutRequest | None = None
    ) -> None:
        await auth.logout(principal, data.all_sessions if data else False)

    @get("/me", summary="The signed-in user, their company and roles")
    async def me(self, principal: Principal, auth: AuthService) -> Me:
        return await auth.me(principal)

    @post("/password", status_code=HTTP_204_NO_CONTENT, summary="Change the password; ends other sessions")
    async def change_password(self, data: PasswordChange, principal: Principal, auth: AuthService) -> None:
        await auth.change_password(principal, data.current_password, data.new_password)

    @post("/activate", status_code=HTTP_204_NO_CONTENT, summary="Activate an account with the mailed link")
    async def activate(self, data: PasswordWithToken, auth: AuthService) -> None:
        await auth.activate(data.token, data.password)

    @post("/password-reset", status_code=HTTP_202_ACCEPTED, summary="Mail a password reset link")
    async def request_reset(self, data: ResetRequest, auth: AuthService) -> Accepted:
        await auth.request_reset(data.email)
        return Accepted(detail="If an account exists for this email, a reset link is on its way.")

    @post("/password-reset/confirm", status_code=HTTP_204_NO_CONTENT, summary="Choose a new password")
    async def reset(self, data: PasswordWithToken, auth: AuthService) -> None:
        await auth.reset_password(data.token, data.password)
