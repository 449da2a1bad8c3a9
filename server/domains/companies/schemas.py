"""What the API says about companies, and what it accepts."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from models.enums import CompanyType
from server.schemas import AwareDateTime, Email, Title

CompanyName = Title
Phone = Annotated[str, msgspec.Meta(min_length=1, max_length=50)]
Url = Annotated[str, msgspec.Meta(max_length=255)]
PostalCode = Annotated[str, msgspec.Meta(max_length=10)]
Prefecture = Annotated[str, msgspec.Meta(max_length=50)]
City = Annotated[str, msgspec.Meta(max_length=100)]
LongText = Annotated[str, msgspec.Meta(max_length=10_000)]


class CompanyOut(msgspec.Struct, kw_only=True):
    id: int
    name: str
    type: CompanyType
    email: str
    phone: str
    website: str | None
    postal_code: str | None
    prefecture: str | None
    city: str | None
    description: str | None
    is_active: bool
    is_demo: bool
    demo_end_date: datetime | None
    demo_features: str | None
    demo_notes: str | None
    is_deleted: bool
    created_at: datetime
    updated_at: datetime


class CompanyCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: CompanyName
    type: CompanyType
    email: Email
    phone: Phone
    website: Url | None = None
    postal_code: PostalCode | None = None
    prefecture: Prefecture | None = None
    city: City | None = None
    description: LongText | None = None
    is_demo: bool = False
    demo_end_date: AwareDateTime | None = None
    demo_features: LongText | None = None
    demo_notes: LongText | None = None


class CompanyUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Profile fields a company_admin may change on its own company."""

    name: CompanyName | msgspec.UnsetType = msgspec.UNSET
    email: Email | msgspec.UnsetType = msgspec.UNSET
    phone: Phone | msgspec.UnsetType = msgspec.UNSET
    website: Url | msgspec.UnsetType | None = msgspec.UNSET
    postal_code: PostalCode | msgspec.UnsetType | None = msgspec.UNSET
    prefecture: Prefecture | msgspec.UnsetType | None = msgspec.UNSET
    city: City | msgspec.UnsetType | None = msgspec.UNSET
    description: LongText | msgspec.UnsetType | None = msgspec.UNSET


class CompanyDemoUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Demo fields, managed by the platform operator only."""

    is_demo: bool | msgspec.UnsetType = msgspec.UNSET
    demo_end_date: AwareDateTime | msgspec.UnsetType | None = msgspec.UNSET
    demo_features: LongText | msgspec.UnsetType | None = msgspec.UNSET
    demo_notes: LongText | msgspec.UnsetType | None = msgspec.UNSET
