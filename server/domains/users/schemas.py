"""What the API says about users, and what it accepts."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from server.auth.principal import RoleName
from server.schemas import Email, Name

Phone = Annotated[str, msgspec.Meta(max_length=50)]


class UserOut(msgspec.Struct, kw_only=True):
    id: int
    email: str
    first_name: str
    last_name: str
    phone: str | None
    company_id: int | None
    is_active: bool
    is_admin: bool
    require_2fa: bool
    is_suspended: bool
    is_deleted: bool
    last_login: datetime | None
    created_at: datetime
    updated_at: datetime
    roles: list[RoleName] = []


class UserCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    email: Email
    first_name: Name
    last_name: Name
    phone: Phone | None = None
    roles: list[RoleName] = []
    require_2fa: bool = False
    company_id: int | None = None
    """Only a system_admin chooses the company; a company_admin creates users in its own."""


class UserUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    first_name: Name | msgspec.UnsetType = msgspec.UNSET
    last_name: Name | msgspec.UnsetType = msgspec.UNSET
    phone: Phone | msgspec.UnsetType | None = msgspec.UNSET
    require_2fa: bool | msgspec.UnsetType = msgspec.UNSET


class ProfileUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    first_name: Name | msgspec.UnsetType = msgspec.UNSET
    last_name: Name | msgspec.UnsetType = msgspec.UNSET
    phone: Phone | msgspec.UnsetType | None = msgspec.UNSET


class RoleAssignment(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    role: RoleName
