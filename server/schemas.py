"""Types every domain's schemas share: validated strings, list pages and list parameters."""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar

import msgspec

Email = Annotated[str, msgspec.Meta(min_length=3, max_length=255, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
Password = Annotated[str, msgspec.Meta(min_length=10, max_length=256)]

T = TypeVar("T")


class Page(msgspec.Struct, Generic[T], kw_only=True):
    """A page of a list: `{"items": [...], "total": n}` as the contract says."""

    items: list[T]
    total: int


def apply(entity: Any, changes: msgspec.Struct) -> None:
    """Copy the fields a PATCH body sets onto the entity; UNSET fields stay untouched."""
    for field in changes.__struct_fields__:
        value = getattr(changes, field)
        if value is not msgspec.UNSET:
            setattr(entity, field, value)
