"""The audit trail, written by one mechanism for every domain.

SQLAlchemy flush events see every insert, update and delete made through the ORM and add
one `audit_logs` row per changed entity in the same transaction, with the actor taken from
the session (set once per request or socket event). Handlers never write audit rows; a
service may only rename the action (`label`), add an event with no entity change (`note`), or
name a row it inserted with a statement of its own (`inserted`, the messages hot path).
"""

from __future__ import annotations

import datetime as dt
import decimal
import enum
from collections.abc import Mapping
from typing import Any

import msgspec
from sqlalchemy import event, inspect, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session, UOWTransaction
from sqlalchemy.orm.util import identity_key

from models import AuditLog, Base, Company, InterviewNote, MbtiTestSession, User, UserRole, UserSetting
from server.db import RowInsert

_ACTOR = "miraiworks.audit_actor"
_LABELS = "miraiworks.audit_labels"
_PENDING = "miraiworks.audit_pending"

REDACTED = "[redacted]"
SECRET_COLUMNS = frozenset(
    {"hashed_password", "token", "code", "room_password", "access_token", "refresh_token", "session_token"}
)
NOT_AUDITED: tuple[type[Base], ...] = (AuditLog,)
MAX_VALUES_BYTES = 60_000
"""old_values and new_values are TEXT columns: at most 65,535 bytes of JSON on MySQL."""
CLIPPED_CHARS = 1_000


class AuditActor(msgspec.Struct, kw_only=True):
    user_id: int | None = None
    company_id: int | None = None
    ip_address: str | None = None
    user_agent: str | None = None
    session_id: str | None = None


def set_actor(session: AsyncSession | Session, actor: AuditActor) -> None:
    session.info[_ACTOR] = actor


def get_actor(session: AsyncSession | Session) -> AuditActor:
    actor: AuditActor = session.info.setdefault(_ACTOR, AuditActor())
    return actor


def label(session: AsyncSession, entity: Base, action: str) -> None:
    """Name the change of `entity` in this transaction (`users.suspend` instead of `users.update`)."""
    session.info.setdefault(_LABELS, {})[id(entity)] = action


def note(
    session: AsyncSession,
    action: str,
    entity_type: str,
    entity_id: int | None,
    metadata: dict[str, Any] | None = None,
    company_id: int | None = None,
) -> None:
    """Record an event that changes no row of its own, such as a failed login."""
    actor = get_actor(session)
    session.add(AuditLog(**_values(actor, action, entity_type, entity_id, None, None, company_id, metadata)))


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    return value


PERSONALITY_RESULT = frozenset({"answers", "result_type", *(f"{pole}_score" for pole in "eisntfjp")})


def _secret(model: type[Base], key: str) -> bool:
    # A user's settings are theirs alone (nobody else reads them over the API), so their values
    # never reach the trail that admins search, encrypted or not. So it is with the content of
    # interview notes: a private note is its author's alone, whatever the company's admins read.
    # A personality result is its taker's until they share it: answers, scores and type stay out.
    return (
        key in SECRET_COLUMNS
        or (issubclass(model, UserSetting) and key == "setting_value")
        or (issubclass(model, InterviewNote) and key == "content")
        or (issubclass(model, MbtiTestSession) and key in PERSONALITY_RESULT)
    )


def _shown(model: type[Base], key: str, value: Any) -> Any:
    return REDACTED if _secret(model, key) and value is not None else _plain(value)


def _clipped(value: Any) -> Any:
    if isinstance(value, str):
        return value if len(value) <= CLIPPED_CHARS else f"{value[:CLIPPED_CHARS]}… [{len(value)} characters]"
    size = len(msgspec.json.encode(value))
    return value if size <= CLIPPED_CHARS else f"[{size} bytes of JSON]"


def _fitted(values: dict[str, Any] | None) -> dict[str, Any] | None:
    """The values, with long ones clipped when all of them would not fit the column."""
    if values is None or len(msgspec.json.encode(values)) <= MAX_VALUES_BYTES:
        return values
    return {key: _clipped(value) for key, value in values.items()}


def _snapshot(entity: Base) -> dict[str, Any]:
    state = inspect(entity)
    return {
        attr.key: _shown(type(entity), attr.key, state.dict[attr.key])
        for attr in state.mapper.column_attrs
        if attr.key in state.dict
    }


def _changes(entity: Base) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(entity)
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        if not history.has_changes():
            continue
        before = history.deleted[0] if history.deleted else None
        after = history.added[0] if history.added else None
        if before == after:
            continue
        old[attr.key] = _shown(type(entity), attr.key, before)
        new[attr.key] = _shown(type(entity), attr.key, after)
    return old, new


def _verb(old: dict[str, Any], new: dict[str, Any]) -> str:
    if new.get("is_deleted") is True and old.get("is_deleted") is False:
        return "delete"
    if new.get("is_deleted") is False and old.get("is_deleted") is True:
        return "restore"
    return "update"


_ROWS = RowInsert(AuditLog)


async def inserted(session: AsyncSession, model: type[Base], values: Mapping[str, Any]) -> None:
    """Audit a row a service stored with a statement of its own (`server.db.RowInsert`; the
    flush events see only the unit of work) as the flush would have, in one statement too.
    `values` are the row's by attribute, its id among them; its table carries `company_id`."""
    table = model.__tablename__
    snapshot = {key: _shown(model, key, value) for key, value in values.items()}
    company_id = values.get("company_id")
    row = _values(
        get_actor(session),
        f"{table}.create",
        table,
        values.get("id"),
        None,
        snapshot,
        company_id if isinstance(company_id, int) else None,
    )
    await _ROWS(session, row)


def _company_of(session: Session, entity: Base, actor: AuditActor) -> int | None:
    if isinstance(entity, Company):
        return entity.id
    if isinstance(entity, UserRole):
        # A role assignment belongs to the user's company, whoever grants it (a system_admin too).
        user = session.identity_map.get(identity_key(User, entity.user_id))
        if isinstance(user, User):
            return user.company_id
        return session.connection().scalar(select(User.company_id).where(User.id == entity.user_id))
    company_id = getattr(entity, "company_id", None)
    return company_id if isinstance(company_id, int) else actor.company_id


def _values(
    actor: AuditActor,
    action: str,
    entity_type: str,
    entity_id: int | None,
    old: dict[str, Any] | None,
    new: dict[str, Any] | None,
    company_id: int | None,
    metadata: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return dict(
        user_id=actor.user_id,
        action=action[:50],
        entity_type=entity_type[:50],
        entity_id=entity_id,
        old_values=_fitted(old),
        new_values=_fitted(new),
        ip_address=actor.ip_address,
        user_agent=actor.user_agent,
        session_id=actor.session_id,
        company_id=company_id if company_id is not None else actor.company_id,
        metadata_=metadata,
    )


def _collect(session: Session, _flush: UOWTransaction, _instances: object) -> None:
    pending = session.info.setdefault(_PENDING, [])
    for entity in session.new:
        if isinstance(entity, Base) and not isinstance(entity, NOT_AUDITED):
            pending.append(("create", entity, None, None))
    for entity in session.dirty:
        if isinstance(entity, Base) and not isinstance(entity, NOT_AUDITED):
            old, new = _changes(entity)
            if new:
                pending.append((_verb(old, new), entity, old, new))
    for entity in session.deleted:
        if isinstance(entity, Base) and not isinstance(entity, NOT_AUDITED):
            pending.append(("delete", entity, _snapshot(entity), None))


def _write(session: Session, _flush: UOWTransaction) -> None:
    pending = session.info.pop(_PENDING, [])
    if not pending:
        return
    actor = get_actor(session)
    labels: dict[int, str] = session.info.get(_LABELS, {})
    for verb, entity, old, new in pending:
        table = entity.__tablename__
        action = labels.pop(id(entity), f"{table}.{verb}")
        if verb == "create":
            new = _snapshot(entity)
        entity_id = getattr(entity, "id", None)
        company_id = _company_of(session, entity, actor)
        session.add(AuditLog(**_values(actor, action, table, entity_id, old, new, company_id)))


def install() -> None:
    """Listen to every session's flushes (idempotent; the app context does it once)."""
    if not event.contains(Session, "before_flush", _collect):
        event.listen(Session, "before_flush", _collect)
        event.listen(Session, "after_flush_postexec", _write)
