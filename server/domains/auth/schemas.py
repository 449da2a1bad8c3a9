"""Payloads of /api/auth, as the client contract names them."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from server.auth.principal import RoleName
from server.domains.companies.schemas import CompanyOut
from server.domains.users.schemas import UserOut
from server.schemas import Password

Token = Annotated[str, msgspec.Meta(min_length=1, max_length=2048)]
AnyPassword = Annotated[str, msgspec.Meta(min_length=1, max_length=256)]


class LoginRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    email: Annotated[str, msgspec.Meta(min_length=1, max_length=255)]
    password: AnyPassword


class TokenPair(msgspec.Struct, kw_only=True):
    access_token: str
    refresh_token: str
    expires_in: int
    user: UserOut
    token_type: Literal["bearer"] = "bearer"  # noqa: S105 - the OAuth token type, not a secret


class TwoFactorChallenge(msgspec.Struct, kw_only=True):
    challenge_token: str
    two_factor_required: Literal[True] = True


class TwoFactorVerify(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    challenge_token: Token
    code: Annotated[str, msgspec.Meta(pattern=r"^\d{6}$")]


class RefreshRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    refresh_token: Token


class LogoutRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    all_sessions: bool = False


class Me(msgspec.Struct, kw_only=True):
    user: UserOut
    company: CompanyOut | None
    roles: list[RoleName]


class PasswordChange(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    current_password: AnyPassword
    new_password: Password


class PasswordWithToken(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Activation and password reset: the mailed token and the password the user chooses."""

    token: Token
    password: Password


class ResetRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    email: Annotated[str, msgspec.Meta(min_length=1, max_length=255)]


class Accepted(msgspec.Struct, kw_only=True):
    detail: str
