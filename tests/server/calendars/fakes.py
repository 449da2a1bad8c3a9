"""Local fakes of Google (OAuth 2.0 + Calendar API v3) and Microsoft (identity platform + Graph v1.0).

Each is an aiohttp app on a port of 127.0.0.1 that answers with the documented shapes: the
authorization endpoint redirects to the redirect URI with a code (PKCE S256 checked at the token
endpoint), the token endpoint refreshes and answers `invalid_grant` for a revoked grant, Google
revokes (RFC 7009), events are listed incrementally (Google `syncToken`/`nextPageToken`, 410 for an
expired sync token; Graph `@odata.nextLink`/`@odata.deltaLink`, `@removed`, 410), created, patched
and deleted. `fail_next` makes the next calls answer 429 with Retry-After, or 5xx. Access tokens
expire on the test's clock. Every account has a calendar of its own.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from aiohttp import web

from tests.server.jobs.clock import ManualClock

CLIENT_ID, CLIENT_SECRET = "fake-client", "fake-secret"


@dataclass
class Calendar:
    events: dict[str, dict[str, Any]] = field(default_factory=dict)
    log: list[str] = field(default_factory=list)
    """Ids in the order they changed; a sync token is a position in it."""
    floor: int = 0
    """Sync tokens below this position are expired (410)."""

    def touch(self, event_id: str) -> None:
        self.log.append(event_id)

    def since(self, position: int) -> list[str]:
        return list(dict.fromkeys(self.log[position:]))


@dataclass
class Failure:
    status: int
    retry_after: int | None
    path: str


class FakeProvider:
    """What both fakes share: accounts, codes, tokens, scripted failures, the request log."""

    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock
        self.calendars: dict[str, Calendar] = {}
        self.login_as = "someone@example.test"
        self.codes: dict[str, dict[str, str]] = {}
        self.access: dict[str, tuple[str, datetime]] = {}
        self.refresh: dict[str, str] = {}
        self.revoked: list[str] = []
        self.failures: list[Failure] = []
        self.requests: list[tuple[str, str]] = []
        self.page_size = 2
        self.ids = itertools.count(1)
        self.app = web.Application(middlewares=[self._middleware])
        self.base_url = ""
        self._runner: web.AppRunner | None = None

    def calendar(self, email: str) -> Calendar:
        return self.calendars.setdefault(email, Calendar())

    def fail_next(
        self, status: int, *, times: int = 1, retry_after: int | None = None, path: str = ""
    ) -> None:
        self.failures += [Failure(status, retry_after, path) for _ in range(times)]

    def revoke_grants(self, email: str) -> None:
        """The user withdrew consent: their refresh tokens stop working."""
        for token, owner in list(self.refresh.items()):
            if owner == email:
                del self.refresh[token]

    async def start(self) -> None:
        self._runner = web.AppRunner(self.app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = self._runner.addresses[0][1]
        self.base_url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @web.middleware
    async def _middleware(self, request: web.Request, handler: Any) -> web.StreamResponse:
        self.requests.append((request.method, request.path_qs))
        for failure in self.failures:
            if failure.path in request.path:
                self.failures.remove(failure)
                headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after else {}
                return web.json_response({"error": "scripted"}, status=failure.status, headers=headers)
        response: web.StreamResponse = await handler(request)
        return response

    # OAuth

    async def authorize(self, request: web.Request) -> web.Response:
        query = request.query
        assert query["client_id"] == CLIENT_ID and query["response_type"] == "code"
        assert query["code_challenge_method"] == "S256"
        code = secrets.token_urlsafe(8)
        self.codes[code] = {
            "challenge": query["code_challenge"],
            "redirect_uri": query["redirect_uri"],
            "email": self.login_as,
        }
        target = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
        raise web.HTTPFound(target)

    async def token(self, request: web.Request) -> web.Response:
        form = await request.post()
        if (form.get("client_id"), form.get("client_secret")) != (CLIENT_ID, CLIENT_SECRET):
            return web.json_response({"error": "invalid_client"}, status=401)
        if form.get("grant_type") == "authorization_code":
            grant = self.codes.pop(str(form.get("code")), None)
            verifier = str(form.get("code_verifier", ""))
            digest = (
                base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
            )
            if (
                grant is None
                or grant["challenge"] != digest
                or grant["redirect_uri"] != form.get("redirect_uri")
            ):
                return web.json_response({"error": "invalid_grant"}, status=400)
            refresh = secrets.token_urlsafe(12)
            self.refresh[refresh] = grant["email"]
            return web.json_response(self._access(grant["email"], refresh))
        owner = self.refresh.get(str(form.get("refresh_token")))
        if form.get("grant_type") != "refresh_token" or owner is None:
            return web.json_response({"error": "invalid_grant", "error_description": "revoked"}, status=400)
        return web.json_response(self._access(owner, None))

    def _access(self, email: str, refresh: str | None) -> dict[str, Any]:
        token = secrets.token_urlsafe(12)
        self.access[token] = (email, self.clock.now() + timedelta(hours=1))
        body: dict[str, Any] = {"access_token": token, "expires_in": 3600, "token_type": "Bearer"}
        if refresh:
            body["refresh_token"] = refresh
        return body

    def owner(self, request: web.Request) -> str:
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        found = self.access.get(token)
        if found is None or found[1] <= self.clock.now():
            raise web.HTTPUnauthorized(text='{"error": "invalid or expired token"}')
        return found[0]

    def add_event(self, email: str, event: dict[str, Any]) -> str:
        """Put an event in the account's calendar as its owner would (another app, the web UI)."""
        calendar = self.calendar(email)
        calendar.events[event["id"]] = event
        calendar.touch(event["id"])
        return str(event["id"])


class FakeGoogle(FakeProvider):
    def __init__(self, clock: ManualClock) -> None:
        super().__init__(clock)
        self.app.router.add_get("/o/oauth2/v2/auth", self.authorize)
        self.app.router.add_post("/token", self.token)
        self.app.router.add_post("/revoke", self.revoke)
        self.app.router.add_get("/calendar/v3/calendars/primary", self.primary)
        self.app.router.add_get("/calendar/v3/calendars/primary/events", self.list_events)
        self.app.router.add_post("/calendar/v3/calendars/primary/events", self.insert)
        self.app.router.add_patch("/calendar/v3/calendars/primary/events/{id}", self.patch)
        self.app.router.add_delete("/calendar/v3/calendars/primary/events/{id}", self.delete)

    def env(self) -> dict[str, str]:
        return {
            "google_authorize_url": f"{self.base_url}/o/oauth2/v2/auth",
            "google_oauth_base_url": self.base_url,
            "google_api_base_url": self.base_url,
        }

    async def revoke(self, request: web.Request) -> web.Response:
        token = str((await request.post()).get("token"))
        self.revoked.append(token)
        owner = self.refresh.pop(token, None)
        return web.json_response({}) if owner else web.json_response({"error": "invalid_token"}, status=400)

    async def primary(self, request: web.Request) -> web.Response:
        email = self.owner(request)
        return web.json_response(
            {"kind": "calendar#calendar", "id": email, "summary": email, "timeZone": "Asia/Tokyo"}
        )

    def stamp(self, event: dict[str, Any]) -> None:
        event["updated"] = self.clock.now().isoformat().replace("+00:00", "Z")

    async def list_events(self, request: web.Request) -> web.Response:
        calendar = self.calendar(self.owner(request))
        sync, page = request.query.get("syncToken"), request.query.get("pageToken")
        if sync is not None and int(sync.removeprefix("st-")) < calendar.floor:
            return web.json_response(
                {"error": {"code": 410, "message": "Sync token is no longer valid"}}, status=410
            )
        if page:
            basis, offset = page.split(":")
            ids, start = basis.split(","), int(offset)
            ids = [] if ids == [""] else ids
        elif sync is not None:
            ids, start = calendar.since(int(sync.removeprefix("st-"))), 0
        else:
            # Cancelled instances of a live series are listed too (showDeleted and singleEvents false).
            ids = [
                i
                for i, e in calendar.events.items()
                if e.get("status") != "cancelled" or "recurringEventId" in e
            ]
            start = 0
        chunk = ids[start : start + self.page_size]
        body: dict[str, Any] = {
            "kind": "calendar#events",
            "timeZone": "Asia/Tokyo",
            "items": [self._shown(calendar.events[i]) for i in chunk],
        }
        if start + self.page_size < len(ids):
            body["nextPageToken"] = f"{','.join(ids)}:{start + self.page_size}"
        else:
            body["nextSyncToken"] = f"st-{len(calendar.log)}"
        return web.json_response(body)

    @staticmethod
    def _shown(event: dict[str, Any]) -> dict[str, Any]:
        if event.get("status") == "cancelled":  # incremental sync shows a minimal cancelled event
            kept = ("id", "status", "recurringEventId", "originalStartTime")
            return {key: value for key, value in event.items() if key in kept}
        return event

    async def insert(self, request: web.Request) -> web.Response:
        calendar = self.calendar(self.owner(request))
        body = await request.json()
        event_id = body.get("id") or f"g{next(self.ids)}"
        if event_id in calendar.events:
            return web.json_response(
                {"error": {"code": 409, "message": "The requested identifier already exists."}}, status=409
            )
        event = {**body, "id": event_id, "status": body.get("status", "confirmed"), "kind": "calendar#event"}
        self.stamp(event)
        self.add_event(self.owner(request), event)
        return web.json_response(event)

    async def patch(self, request: web.Request) -> web.Response:
        email = self.owner(request)
        event = self.calendar(email).events.get(request.match_info["id"])
        if event is None:
            return web.json_response({"error": {"code": 404}}, status=404)
        event.update(await request.json())
        self.stamp(event)
        self.calendar(email).touch(event["id"])
        return web.json_response(event)

    async def delete(self, request: web.Request) -> web.Response:
        email = self.owner(request)
        event = self.calendar(email).events.get(request.match_info["id"])
        if event is None:
            return web.json_response({"error": {"code": 404}}, status=404)
        if event.get("status") == "cancelled":
            return web.json_response(
                {"error": {"code": 410, "message": "Resource has been deleted"}}, status=410
            )
        event["status"] = "cancelled"
        self.stamp(event)
        self.calendar(email).touch(event["id"])
        return web.Response(status=204)


class FakeMicrosoft(FakeProvider):
    def __init__(self, clock: ManualClock) -> None:
        super().__init__(clock)
        self.app.router.add_get("/common/oauth2/v2.0/authorize", self.authorize)
        self.app.router.add_post("/common/oauth2/v2.0/token", self.token)
        self.app.router.add_get("/v1.0/me", self.me)
        self.app.router.add_get("/v1.0/me/calendarView/delta", self.delta)
        self.app.router.add_post("/v1.0/me/events", self.create)
        self.app.router.add_patch("/v1.0/me/events/{id}", self.patch)
        self.app.router.add_delete("/v1.0/me/events/{id}", self.delete)
        self.transactions: dict[str, str] = {}

    def env(self) -> dict[str, str]:
        return {"microsoft_login_base_url": self.base_url, "microsoft_graph_base_url": self.base_url}

    async def me(self, request: web.Request) -> web.Response:
        email = self.owner(request)
        return web.json_response({"id": f"ms-{email}", "displayName": email.split("@")[0], "mail": email})

    def stamp(self, event: dict[str, Any]) -> None:
        event["lastModifiedDateTime"] = self.clock.now().strftime("%Y-%m-%dT%H:%M:%S.0000000Z")

    async def delta(self, request: web.Request) -> web.Response:
        calendar = self.calendar(self.owner(request))
        link = f"{self.base_url}/v1.0/me/calendarView/delta"
        token, skip = request.query.get("$deltatoken"), request.query.get("$skiptoken")
        if token is not None and int(token) < calendar.floor:
            return web.json_response({"error": {"code": "SyncStateNotFound"}}, status=410)
        if skip:
            basis, offset = skip.split(":")
            ids, start = ([] if basis == "" else basis.split(",")), int(offset)
        elif token is not None:
            ids, start = calendar.since(int(token)), 0
        else:
            assert "startDateTime" in request.query and "endDateTime" in request.query
            ids, start = [i for i, e in calendar.events.items() if not e.get("@removed")], 0
        chunk = ids[start : start + self.page_size]
        body: dict[str, Any] = {
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#Collection(event)",
            "value": [calendar.events[i] for i in chunk],
        }
        if start + self.page_size < len(ids):
            body["@odata.nextLink"] = f"{link}?$skiptoken={','.join(ids)}:{start + self.page_size}"
        else:
            body["@odata.deltaLink"] = f"{link}?$deltatoken={len(calendar.log)}"
        return web.json_response(body)

    async def create(self, request: web.Request) -> web.Response:
        email = self.owner(request)
        body = await request.json()
        known = self.transactions.get(body.get("transactionId", ""))
        if known is not None:
            return web.json_response(self.calendar(email).events[known], status=201)
        event = {**body, "id": f"AAMk{next(self.ids)}", "type": "singleInstance", "isCancelled": False}
        self.stamp(event)
        self.transactions[body.get("transactionId", "")] = event["id"]
        self.add_event(email, event)
        return web.json_response(event, status=201)

    async def patch(self, request: web.Request) -> web.Response:
        email = self.owner(request)
        event = self.calendar(email).events.get(request.match_info["id"])
        if event is None or event.get("@removed"):
            return web.json_response({"error": {"code": "ErrorItemNotFound"}}, status=404)
        event.update(await request.json())
        self.stamp(event)
        self.calendar(email).touch(event["id"])
        return web.json_response(event)

    async def delete(self, request: web.Request) -> web.Response:
        email = self.owner(request)
        calendar = self.calendar(email)
        event = calendar.events.get(request.match_info["id"])
        if event is None or event.get("@removed"):
            return web.json_response({"error": {"code": "ErrorItemNotFound"}}, status=404)
        self.remove(email, event["id"])
        return web.Response(status=204)

    def remove(self, email: str, event_id: str) -> None:
        calendar = self.calendar(email)
        calendar.events[event_id] = {"id": event_id, "@removed": {"reason": "deleted"}}
        calendar.touch(event_id)
