"""JSON logs: one object a line, the request id from `X-Request-ID` (or made up) in the answer's
header and on every line of the request, exceptions with their traceback, socket events in a
context of their own, and LOG_FORMAT."""

from __future__ import annotations

import dataclasses
import io
import json
import logging
import re
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import pytest
from litestar.testing import AsyncTestClient

from realtime.stopping import InFlight
from server import logs
from server.asgi import create
from server.domains.positions.services import PublicPositionsService
from server.settings import Settings, SettingsError

GENERATED = re.compile(r"[0-9a-f]{32}")


class Captured:
    def __init__(self) -> None:
        self.stream = io.StringIO()

    def lines(self) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.stream.getvalue().splitlines()]


@pytest.fixture
def json_settings(settings: Settings) -> Settings:
    return dataclasses.replace(settings, log_format="json")


@pytest.fixture
async def logged(json_settings: Settings) -> AsyncIterator[tuple[AsyncTestClient, Captured]]:  # type: ignore[type-arg]
    captured = Captured()
    app = create(json_settings)
    handler = logs.configure(json_settings, stream=captured.stream)  # after the app's own configure
    async with AsyncTestClient(app=app) as client:
        yield client, captured
    logging.getLogger().removeHandler(handler)


def request_lines(captured: Captured) -> list[dict[str, Any]]:
    return [line for line in captured.lines() if line["logger"] == "miraiworks.http"]


async def test_a_request_logs_one_json_line_with_its_id_route_status_and_duration(
    logged: tuple[AsyncTestClient, Captured],  # type: ignore[type-arg]
) -> None:
    client, captured = logged
    r = await client.get("/api/public/positions/424242", headers={"X-Request-ID": "edge-42.a:b"})
    assert r.status_code == 404
    assert r.headers["x-request-id"] == "edge-42.a:b"
    assert set(r.json()) == {"status", "code", "detail", "errors"}  # the contract's four, id in the header
    [line] = request_lines(captured)
    assert line["request_id"] == "edge-42.a:b"
    assert (line["level"], line["method"], line["status"]) == ("INFO", "GET", 404)
    assert line["route"].startswith("/api/public/positions/{") and "424242" not in line["route"]
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
    assert line["message"] == f"GET {line['route']} 404"
    assert datetime.fromisoformat(line["time"]).utcoffset() is not None


@pytest.mark.parametrize("given", [None, "", "has spaces", "x" * 129, 'quote"d', "ünïcode"])
async def test_an_absent_or_insane_request_id_is_replaced_by_a_fresh_one(
    logged: tuple[AsyncTestClient, Captured],  # type: ignore[type-arg]
    given: str | None,
) -> None:
    client, captured = logged
    headers = {"X-Request-ID": given.encode()} if given is not None else {}
    first = await client.get("/health/live", headers=headers)
    second = await client.get("/health/live", headers=headers)
    ids = [first.headers["x-request-id"], second.headers["x-request-id"]]
    assert all(GENERATED.fullmatch(i) for i in ids) and ids[0] != ids[1]
    assert [line.get("request_id") for line in request_lines(captured)] == []  # /health/live: DEBUG only


async def test_an_unexpected_error_logs_its_traceback_with_the_request_id(
    logged: tuple[AsyncTestClient, Captured],  # type: ignore[type-arg]
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def broken(self: Any, position_id: int) -> Any:
        logging.getLogger("server.domains.positions").warning("about to fail for %s", position_id)
        raise RuntimeError("the position store is on fire")

    monkeypatch.setattr(PublicPositionsService, "get", broken)
    client, captured = logged
    r = await client.get("/api/public/positions/7", headers={"X-Request-ID": "req-fire"})
    assert r.status_code == 500
    assert r.headers["x-request-id"] == "req-fire"
    assert r.json() == {
        "status": 500,
        "code": "internal_error",
        "detail": "An unexpected error occurred.",
        "errors": [],
    }
    lines = captured.lines()
    warning = next(line for line in lines if line["message"] == "about to fail for 7")
    error = next(line for line in lines if line["level"] == "ERROR")
    assert warning["request_id"] == error["request_id"] == "req-fire"
    assert "Traceback (most recent call last)" in error["exception"]
    assert "RuntimeError: the position store is on fire" in error["exception"]
    [request] = request_lines(captured)
    assert (request["status"], request["request_id"]) == (500, "req-fire")


async def test_a_socket_event_logs_in_a_context_of_its_own(json_settings: Settings) -> None:
    captured = Captured()
    handler = logs.configure(json_settings, stream=captured.stream)
    try:
        in_flight = InFlight()
        with in_flight.event("message:send", "sid-1") as answered:
            logging.getLogger("server.domains.messages").info("stored")
            assert in_flight.count == 1
            answered({"ok": True})
        with in_flight.event("message:send", "sid-2"):
            logging.getLogger("server.domains.messages").info("stored again")
        logging.getLogger("elsewhere").info("outside")
    finally:
        logging.getLogger().removeHandler(handler)
    first, second, outside = captured.lines()
    assert (first["event"], first["sid"], second["sid"]) == ("message:send", "sid-1", "sid-2")
    assert GENERATED.fullmatch(first["request_id"]) and first["request_id"] != second["request_id"]
    assert not {"request_id", "event", "sid"} & set(outside)
    assert in_flight.count == 0


async def test_text_format_shows_the_request_id(settings: Settings) -> None:
    stream = io.StringIO()
    handler = logs.configure(settings, stream=stream)
    try:
        with logs.context(request_id="abc123"):
            logging.getLogger("x").warning("inside")
        logging.getLogger("x").warning("outside")
    finally:
        logging.getLogger().removeHandler(handler)
    inside, outside = stream.getvalue().splitlines()
    assert inside.endswith("WARNING x [abc123]: inside")
    assert outside.endswith("WARNING x [-]: outside")


@pytest.mark.parametrize(
    ("app_env", "given", "expected"),
    [
        ("production", None, "json"),
        ("development", None, "text"),
        ("production", "text", "text"),
        ("development", "JSON", "json"),
    ],
)
def test_log_format_defaults_to_json_in_production(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any, app_env: str, given: str | None, expected: str
) -> None:
    monkeypatch.setenv("APP_ENV", app_env)
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    if given is None:
        monkeypatch.delenv("LOG_FORMAT", raising=False)
    else:
        monkeypatch.setenv("LOG_FORMAT", given)
    assert Settings.from_env().log_format == expected


def test_an_unknown_log_format_is_refused(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    monkeypatch.setenv("VAR_DIR", str(tmp_path))
    monkeypatch.setenv("LOG_FORMAT", "xml")
    with pytest.raises(SettingsError, match="LOG_FORMAT"):
        Settings.from_env()
