"""Which of the first company's ids to try for a parameter or field, by its name alone.

`{interview_id}` names `interviews`; `{attachment_id}` both `attachments` and `todo_attachments`;
a few names say another word for their table (`ALIASES`); a name that names no table gets
every id of every first-company row, so a new parameter is still tried with real ids.
"""

from __future__ import annotations

import re
from typing import Any

ALIASES: dict[str, tuple[str, ...]] = {
    "call": ("video_calls",),
    "candidate": ("users",),
    "recipient": ("users",),
    "to": ("users",),
    "assigned_user": ("users",),
    "assignee": ("users",),
    "author": ("users",),
    "host": ("users",),
    "owner": ("users",),
    "sender": ("users",),
    "recruiter": ("users",),
    "employer": ("users",),
    "viewer": ("users",),
    "entry": ("audit_logs",),
    "request": ("todo_extension_requests",),
    "session": ("exam_sessions", "mbti_test_sessions"),
    "participant": ("meeting_participants", "video_call_participants"),
    "note": ("interview_notes",),
    "transcript": ("meeting_transcripts",),
    "summary": ("meeting_summaries",),
    "recording": ("meeting_recordings",),
    "connection": ("calendar_connections",),
    "parent": ("messages",),
    "video_call": ("video_calls",),
}

_ID = re.compile(r"^(?P<noun>[a-z_]+?)(?:_ids?)?$")


def noun(name: str) -> str:
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
    found = _ID.match(snake)
    return found.group("noun") if found else snake


def is_id_like(name: str) -> bool:
    """A field that holds a row's id: `*_id`, `*_ids`, `id`, or a name the aliases know (`to`)."""
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()
    return snake == "id" or snake.endswith(("_id", "_ids")) or snake in ALIASES


def tables_for(name: str, tables: dict[str, list[int]]) -> list[str]:
    word = noun(name)
    if word in ALIASES:
        return [t for t in ALIASES[word] if t in tables]
    plural = word[:-1] + "ies" if word.endswith("y") else word + "s"
    return [t for t in tables if t == plural or t.endswith("_" + plural)]


def ids_for(name: str, tables: dict[str, list[int]]) -> list[int]:
    """The first company's ids to try for `name` (every id when the name names no table)."""
    named = tables_for(name, tables)
    chosen = [i for t in named for i in tables[t]] if named else [i for ids in tables.values() for i in ids]
    return sorted(set(chosen))


def minimal(schema: dict[str, Any], doc: dict[str, Any], pick: Any, depth: int = 0, name: str = "") -> Any:
    """A small instance of `schema`: required properties, plus every id-like one, each id-like
    value from `pick(name)` (one of the first company's ids)."""
    schema = resolve(schema, doc)
    if depth > 6:
        return None
    for key in ("oneOf", "anyOf"):
        if key in schema:
            options = [resolve(s, doc) for s in schema[key]]
            options = [s for s in options if s.get("type") != "null"] or options
            return minimal(options[0], doc, pick, depth + 1, name)
    if "allOf" in schema:
        merged: dict[str, Any] = {}
        for part in schema["allOf"]:
            merged.update(resolve(part, doc))
        return minimal(merged, doc, pick, depth + 1, name)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    if "default" in schema and not is_id_like(name):
        return schema["default"]
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if kind == "object" or "properties" in schema:
        props = schema.get("properties") or {}
        required = set(schema.get("required") or [])
        return {
            key: minimal(sub, doc, pick, depth + 1, key)
            for key, sub in props.items()
            if key in required or is_id_like(key)
        }
    if kind == "array":
        items = minimal(schema.get("items") or {}, doc, pick, depth + 1, name)
        return (
            [items] * max(1, schema.get("minItems", 0)) if is_id_like(name) or schema.get("minItems") else []
        )
    if kind == "integer" or kind == "number":
        if is_id_like(name):
            value = pick(name)
            return min(value, schema["maximum"]) if "maximum" in schema else value
        low = schema.get(
            "minimum", schema.get("exclusiveMinimum", 0) + (1 if "exclusiveMinimum" in schema else 0)
        )
        return max(1, low) if schema.get("maximum", 10**9) >= 1 else low
    if kind == "boolean":
        return False
    if kind == "string":
        fmt = schema.get("format")
        if fmt == "date-time":
            return "2030-01-15T10:00:00+09:00"
        if fmt == "date":
            return "2030-01-15"
        if fmt == "email":
            return "probe@probe.example.jp"
        if fmt in ("uri", "url"):
            return "https://probe.example.jp/"
        length = max(schema.get("minLength", 1), 5)
        return ("probe" * (length // 5 + 1))[: min(length, schema.get("maxLength", length))]
    return None


def resolve(schema: dict[str, Any], doc: dict[str, Any]) -> dict[str, Any]:
    while isinstance(schema, dict) and "$ref" in schema:
        node: Any = doc
        for part in schema["$ref"].removeprefix("#/").split("/"):
            node = node[part]
        schema = node
    return schema if isinstance(schema, dict) else {}
