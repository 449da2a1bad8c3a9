"""The entities a file can hang on, and who may see or change them.

Each domain whose rows take attachments names a check for its entity type in its manifest
(`file_owners`), installed by `create_app`; the files
service asks it before storing, listing, downloading or deleting a file of that entity, so
"may download" is always exactly "may see the owning entity". A check raises NotFound when
the principal may not see the entity (another tenant's, a private todo of someone else) and
Forbidden when they may see it but not change it (`write=True`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from sqlalchemy.ext.asyncio import AsyncSession

from server.auth.principal import Principal
from server.errors import FieldError, InvalidInput

OwnerCheck = Callable[[AsyncSession, Principal, int, bool], Awaitable[None]]
"""(db, principal, entity_id, write) -> None, or raise NotFound / Forbidden."""

_OWNERS: dict[str, OwnerCheck] = {}


def install(owners: Mapping[str, OwnerCheck]) -> None:
    """Take the entity types of the domains' manifests (the app does this once at creation)."""
    for entity_type, check in owners.items():
        known = _OWNERS.get(entity_type)
        if known is not None and known is not check:
            raise ValueError(f"two domains own attachments of {entity_type!r}")
        _OWNERS[entity_type] = check


def entity_types() -> list[str]:
    return sorted(_OWNERS)


async def check_owner(
    db: AsyncSession, principal: Principal, entity_type: str, entity_id: int, *, write: bool
) -> None:
    check = _OWNERS.get(entity_type)
    if check is None:
        allowed = ", ".join(entity_types()) or "none yet"
        raise InvalidInput(errors=[FieldError(field="entity_type", message=f"one of: {allowed}")])
    await check(db, principal, entity_id, write)
