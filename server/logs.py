"""Logs: one JSON object a line (`LOG_FORMAT=json`, the production default) or plain text.

Every line carries `time` (ISO 8601, UTC), `level`, `logger`, `message` and, inside a request
or a socket event, its `request_id` and what the transport put in the log context (`method`,
`route`, `status`, `duration_ms` for a request; `event`, `sid` for a socket event). A line
logged with an exception has its traceback in `exception`. The context travels in
contextvars, so every line logged while a request or an event is handled, by any module,
carries it, and a task started from there inherits it.

Request ids: the caller's `X-Request-ID` when it is sane (`valid_request_id`), else a fresh
one; `server.edge` sends it back in the `X-Request-ID` header of every answer, errors included.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import sys
import traceback
import uuid
from collections.abc import Iterator
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from server.settings import Settings

_context: ContextVar[dict[str, Any] | None] = ContextVar("miraiworks_log_context", default=None)

_SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/+=-]{0,127}")
"""What a caller's request id may look like: short, printable, no spaces or quotes."""

CONTEXT_FIELDS = ("request_id", "method", "route", "status", "duration_ms", "event", "sid", "job")
"""The fields a line may carry beyond time, level, logger and message (from the context or `extra`)."""

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"


def new_request_id() -> str:
    return uuid.uuid4().hex


def valid_request_id(raw: str | None) -> str | None:
    """The caller's id when it is sane (1-128 of `A-Z a-z 0-9 . _ : / + = -`), else None."""
    if raw is not None and _SANE_ID.fullmatch(raw):
        return raw
    return None


def current() -> dict[str, Any]:
    """The log context of the running request or event (empty outside one)."""
    return dict(_context.get() or {})


def request_id() -> str | None:
    found = (_context.get() or {}).get("request_id")
    return found if isinstance(found, str) else None


@contextlib.contextmanager
def context(**fields: Any) -> Iterator[dict[str, Any]]:
    """Add `fields` to the log context for the block; the dict yielded may be updated in it."""
    merged = {**(_context.get() or {}), **fields}
    token = _context.set(merged)
    try:
        yield merged
    finally:
        _context.reset(token)


class ContextFilter(logging.Filter):
    """Copies the log context onto each record (text lines show `request_id`, `-` when none)."""

    def filter(self, record: logging.LogRecord) -> bool:
        for key, value in (_context.get() or {}).items():
            if not hasattr(record, key):
                setattr(record, key, value)
        if not hasattr(record, "request_id"):
            record.request_id = "-"
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key in CONTEXT_FIELDS:
            value = getattr(record, key, None)
            if value is not None and value != "-":
                line[key] = value
        if record.exc_info and record.exc_info[0] is not None:
            line["exception"] = "".join(traceback.format_exception(*record.exc_info)).rstrip()
        elif record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = record.stack_info
        return json.dumps(line, ensure_ascii=False, default=str)


_UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.asgi")


def configure(settings: Settings, stream: Any = None) -> logging.Handler:
    """Send every log line (the app's, uvicorn's) through one handler on the root logger, in
    the settings' format. The request lines of `server.edge` replace uvicorn's access log."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.addFilter(ContextFilter())
    if settings.log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    for previous in list(root.handlers):
        if getattr(previous, "miraiworks", False):
            root.removeHandler(previous)
    handler.miraiworks = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(settings.log_level)
    for name in _UVICORN_LOGGERS:
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True
    logging.getLogger("uvicorn.access").disabled = True
    return handler
