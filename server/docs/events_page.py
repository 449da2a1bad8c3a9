"""`/schema/events`: the AsyncAPI document as a page a person reads, rendered on the server.

No script and no other origin: one HTML page with a table per event (payload fields, ack
fields, rate limits) and the shared schemas at the end, linked by anchor.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any

_STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem }
h1 { font-size: 1.6rem } h2 { margin-top: 2.5rem; border-bottom: 1px solid #ccc }
h3 { margin: 1.8rem 0 .3rem } code { background: #f3f3f3; padding: 0 .25em; border-radius: 3px }
table { border-collapse: collapse; width: 100%; margin: .4rem 0 } th { background: #fafafa }
td, th { border: 1px solid #ddd; padding: .25rem .5rem; text-align: left; vertical-align: top }
.muted { color: #666 } a { color: #0b5cad }
"""


_CODE = re.compile(r"`([^`]+)`")


def text(raw: str) -> str:
    """Escaped prose, with `backticks` as code."""
    return _CODE.sub(r"<code>\1</code>", escape(raw))


def _name(ref: str) -> str:
    return ref.rsplit("/", 1)[1]


def _link(ref: str) -> str:
    name = _name(ref)
    return f'<a href="#schema-{escape(name)}"><code>{escape(name)}</code></a>'


def describe(schema: dict[str, Any]) -> str:
    """A JSON schema as a short HTML type: `integer ≥ 1`, `string ≤ 255`, a link to a shared schema."""
    if "$ref" in schema:
        return _link(schema["$ref"])
    if "const" in schema:
        return f"<code>{escape(repr(schema['const']).lower())}</code>"
    if "enum" in schema:
        return " | ".join(f"<code>{escape(str(v))}</code>" for v in schema["enum"])
    for combinator in ("anyOf", "oneOf"):
        if combinator in schema:
            return " | ".join(describe(s) for s in schema[combinator])
    if "allOf" in schema:
        return " + ".join(describe(s) for s in schema["allOf"])
    kind = schema.get("type", "any")
    if kind == "array":
        text = f"array of {describe(schema.get('items', {}))}"
        if "maxItems" in schema:
            text += f", ≤ {schema['maxItems']} items"
        return text
    text = escape(str(kind))
    if "format" in schema:
        text += f" ({escape(schema['format'])})"
    bounds = [
        f"{sign} {schema[word]}"
        for word, sign in (
            ("minimum", "≥"),
            ("maximum", "≤"),
            ("minLength", "length ≥"),
            ("maxLength", "length ≤"),
        )
        if word in schema
    ]
    if bounds:
        text += " <span class=muted>" + escape(", ".join(bounds)) + "</span>"
    return text


def fields(schema: dict[str, Any], schemas: dict[str, Any]) -> str:
    """A table of an object schema's fields (following one `$ref`)."""
    if "$ref" in schema:
        schema = schemas.get(_name(schema["$ref"]), {})
    properties = schema.get("properties") or {}
    if not properties:
        return "<p class=muted>no fields</p>"
    required = set(schema.get("required") or ())
    rows = "".join(
        f"<tr><td><code>{escape(name)}</code>{'' if name in required else '?'}</td>"
        f"<td>{describe(prop)}</td><td>{text(str(prop.get('description', '')))}</td></tr>"
        for name, prop in properties.items()
    )
    return f"<table><tr><th>field</th><th>type</th><th>notes</th></tr>{rows}</table>"


def _ack_fields(message: dict[str, Any], schemas: dict[str, Any]) -> str:
    ok = message["payload"]["oneOf"][0]
    if "allOf" not in ok:
        return "<p>Ack: <code>{ok: true, request_id}</code></p>"
    return "<p>Ack <code>{ok: true, request_id, …}</code> adds:</p>" + fields(ok["allOf"][1], schemas)


def events_page(doc: dict[str, Any]) -> str:
    messages = doc["channels"]["socket"]["messages"]
    schemas = doc["components"]["schemas"]
    client, pushes = [], []
    for op_id, operation in doc["operations"].items():
        message = messages[_name(operation["messages"][0]["$ref"])]
        title = f'<h3 id="{escape(op_id)}"><code>{escape(message["name"])}</code></h3>'
        summary = f"<p>{text(message.get('summary', ''))}</p>"
        if operation["action"] == "receive":
            ack = messages[_name(operation["reply"]["messages"][0]["$ref"])]
            limits = operation.get("x-rate-limit")
            limit = (
                f"<p class=muted>Rate limit: {escape(limits['per_socket'])} per socket, "
                f"{escape(limits['per_user'])} per user.</p>"
                if limits
                else ""
            )
            client.append(
                title + summary + fields(message["payload"], schemas) + _ack_fields(ack, schemas) + limit
            )
        else:
            pushes.append(title + summary + fields(message["payload"], schemas))
    shared = "".join(
        f'<h3 id="schema-{escape(name)}"><code>{escape(name)}</code></h3>'
        + (f"<p>{text(schema['description'])}</p>" if schema.get("description") else "")
        + (fields(schema, schemas) if schema.get("properties") else f"<p>{describe(schema)}</p>")
        for name, schema in schemas.items()
    )
    info = doc["info"]
    return (
        "<!DOCTYPE html><html lang=en><head><meta charset=utf-8>"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(info['title'])}</title><style>{_STYLE}</style></head><body>"
        f"<h1>{escape(info['title'])}</h1><p>{text(info['description'])}</p>"
        '<p>As an AsyncAPI 3.0 document: <a href="asyncapi.json"><code>asyncapi.json</code></a>. '
        'The REST API: <a href="swagger">Swagger UI</a>.</p>'
        f"<h2>Client → server events</h2>{''.join(client)}"
        f"<h2>Server → client pushes</h2>{''.join(pushes)}"
        f"<h2>Schemas</h2>{shared}</body></html>"
    )
