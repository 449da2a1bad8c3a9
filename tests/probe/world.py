"""What the tenant probe starts from: the documents, the furnished home company, its fingerprints.

The operations and client events are read from the app's own documents (`document()` and
`asyncapi_document()`, what `/schema/openapi.json` and `/schema/asyncapi.json` serve), so a new
route or event is probed without anyone adding it here.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

import models
from server.app import create_app
from server.context import AppContext
from server.docs.asyncapi import asyncapi_document
from server.docs.openapi import document
from server.domains.manifests import DOMAINS
from server.settings import Settings
from tests.probe.home import SKIPPED_TABLES
from tests.server.tenants import Tenants

METHODS = ("get", "post", "put", "patch", "delete")

UNTOUCHED_BY_SIGN_IN: set[str] = set()
"""Tables left out of the before/after comparison (none: every sign-in happens before the
first snapshot, and a refused request writes no row, not even an audit entry)."""


def openapi() -> dict[str, Any]:
    """The OpenAPI document exactly as the app serves it (no database is opened)."""
    folder = Path(tempfile.mkdtemp(prefix="probe-doc-"))
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{folder}/unused.db",
        secret_key="probe-" + "x" * 40,
        var_dir=folder / "var",
        storage_dir=folder / "var" / "files",
    )
    app = create_app(settings, AppContext.create(settings))
    return document(app, app.openapi_schema.to_schema())


def asyncapi() -> dict[str, Any]:
    return asyncapi_document(DOMAINS)


def operations(doc: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (method.upper(), path) for path, item in doc["paths"].items() for method in METHODS if method in item
    ]


def client_events(doc: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(event name, payload schema) of every `receive` operation of the events document."""
    messages = doc["channels"]["socket"]["messages"]
    found = []
    for operation in doc["operations"].values():
        if operation["action"] != "receive":
            continue
        for ref in operation["messages"]:
            message = messages[ref["$ref"].rsplit("/", 1)[1]]
            found.append((message["name"], message["payload"]))
    return found


_ENUM_LIKE = re.compile(r"^[a-z0-9_]+$")
_TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\d")


@dataclass
class Fingerprints:
    """Strings only the first company's rows hold: a body that contains one leaks its data."""

    marks: set[str] = field(default_factory=set)

    def found_in(self, text: str) -> list[str]:
        return sorted(mark for mark in self.marks if mark in text)


async def fingerprints(ctx: AppContext, tenants: Tenants, home_rows: dict[str, list[int]]) -> Fingerprints:
    home: set[str] = set()
    elsewhere: set[str] = set()
    async with ctx.sessionmaker() as db:
        for table in models.Base.metadata.sorted_tables:
            if table.name in SKIPPED_TABLES or "id" not in table.c:
                continue
            mine = set(home_rows.get(table.name, []))
            for row in (await db.execute(select(table))).mappings():
                strings = {v for v in row.values() if isinstance(v, str)}
                (home if row["id"] in mine else elsewhere).update(strings)
    marks = {
        s
        for s in home - elsewhere
        if len(s) >= 8 and not _ENUM_LIKE.match(s) and not _TIMESTAMP.match(s) and not s.startswith("$argon")
    }
    return Fingerprints(marks)


async def table_state(ctx: AppContext) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table but those in `UNTOUCHED_BY_SIGN_IN`."""
    state = {}
    async with ctx.sessionmaker() as db:
        for table in models.Base.metadata.sorted_tables:
            if table.name in UNTOUCHED_BY_SIGN_IN:
                continue
            rows = await db.execute(select(table).order_by(*table.primary_key.columns))
            state[table.name] = [tuple(row) for row in rows]
    return state


def changed_tables(before: dict[str, list[Any]], after: dict[str, list[Any]]) -> list[str]:
    return sorted(name for name in before if before[name] != after.get(name))
