"""/api/calendars: connected Google and Microsoft calendars, availability and the private ICS feed.

Who may: a connection is its own user's alone (`access`); availability asks only about people the
caller may see (`availability`). Two routes need no login: the OAuth callback (the provider's
redirect carries no bearer token; the sealed `state` names the user, see `oauth`) and the feed
(its secret URL is the credential, see `feed`).

The callback is where a person's browser lands after consenting at the provider: a navigation
(`Accept` naming `text/html`) is sent on (303) to the client's page `/settings/calendars` with
`?connected=<provider>` or `?error=<code>`; any other caller gets the connection as JSON, or the
error as JSON.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from litestar import Controller, Request, Response, delete, get, patch, post
from litestar.datastructures import State
from litestar.di import Provide
from litestar.openapi import ResponseSpec
from litestar.params import Parameter, QueryParameter
from litestar.response import Redirect
from litestar.status_codes import HTTP_200_OK, HTTP_202_ACCEPTED, HTTP_303_SEE_OTHER
from sqlalchemy.ext.asyncio import AsyncSession

from server import effects
from server.auth.principal import Principal
from server.domains.calendars import availability, feed, oauth
from server.domains.calendars.schemas import (
    AuthorizationOut,
    ConnectionOut,
    ConnectionUpdate,
    EventOut,
    FeedOut,
    ProviderOut,
    Slot,
)
from server.domains.calendars.services import CalendarsService
from server.errors import AppError
from server.listing import Limit, Offset, PathId
from server.schemas import Page

ProviderName = Annotated[str, Parameter(max_length=20)]
OAuthText = Annotated[str | None, Parameter(max_length=4096)]

SETTINGS_PAGE = "/settings/calendars"
"""The client's page (server/web.py) a browser is sent back to from the callback."""


def is_navigation(request: Request[Any, Any, Any]) -> bool:
    """A browser loading the page (it asks for HTML), not a script or an API client."""
    return "text/html" in request.headers.get("accept", "").lower()


def provide_calendars(db: AsyncSession, principal: Principal, state: State) -> CalendarsService:
    return CalendarsService(db, principal, state.ctx)


class CalendarsController(Controller):
    path = "/api/calendars"
    tags = ["calendars"]
    dependencies = {"calendars": Provide(provide_calendars, sync_to_thread=False)}

    @get("/providers", summary="The calendar providers and whether this server has them on")
    async def list_providers(self, calendars: CalendarsService) -> list[ProviderOut]:
        return calendars.providers()

    @post(
        "/oauth/{provider:str}/authorize",
        status_code=HTTP_200_OK,
        summary="Start connecting a calendar: the provider's authorization URL (PKCE, 10 minutes)",
    )
    async def authorize(
        self, provider: ProviderName, db: AsyncSession, principal: Principal, state: State
    ) -> AuthorizationOut:
        return await oauth.authorize(db, state.ctx, principal, provider)

    @get("/connections", summary="Your calendar connections")
    async def list_connections(
        self, calendars: CalendarsService, limit: Limit = 20, offset: Offset = 0
    ) -> Page[ConnectionOut]:
        return await calendars.search(limit=limit, offset=offset)

    @get("/connections/{connection_id:int}")
    async def read_connection(self, connection_id: PathId, calendars: CalendarsService) -> ConnectionOut:
        return await calendars.get(connection_id)

    @patch("/connections/{connection_id:int}", summary="Pause or resume a connection's sync")
    async def update_connection(
        self, connection_id: PathId, data: ConnectionUpdate, calendars: CalendarsService
    ) -> ConnectionOut:
        return await calendars.set_sync(connection_id, data.sync_enabled)

    @post(
        "/connections/{connection_id:int}/sync",
        status_code=HTTP_202_ACCEPTED,
        summary="Queue a sync of the connection now",
    )
    async def sync_connection(self, connection_id: PathId, calendars: CalendarsService) -> ConnectionOut:
        return await calendars.sync_now(connection_id)

    @delete("/connections/{connection_id:int}", summary="Disconnect: revoke at the provider, delete tokens")
    async def delete_connection(self, connection_id: PathId, calendars: CalendarsService) -> None:
        await calendars.disconnect(connection_id)

    @get("/connections/{connection_id:int}/events", summary="The synced events of a connection")
    async def list_events(
        self,
        connection_id: PathId,
        calendars: CalendarsService,
        limit: Limit = 50,
        offset: Offset = 0,
        starts_from: Annotated[datetime | None, QueryParameter(name="from")] = None,
        starts_before: Annotated[datetime | None, QueryParameter(name="to")] = None,
    ) -> Page[EventOut]:
        return await calendars.events(
            connection_id, starts_from=starts_from, starts_before=starts_before, limit=limit, offset=offset
        )

    @get("/availability", summary="Free slots common to people you may see, within their working hours")
    async def availability(
        self,
        db: AsyncSession,
        principal: Principal,
        user_ids: Annotated[str, Parameter(max_length=300)],
        starts_from: Annotated[datetime, QueryParameter(name="from")],
        ends_before: Annotated[datetime, QueryParameter(name="to")],
        duration_minutes: Annotated[int, Parameter(ge=15, le=480)] = 60,
        step_minutes: Annotated[int, Parameter(ge=5, le=240)] = 30,
    ) -> Page[Slot]:
        people = availability.people(user_ids)
        return await availability.free_slots(
            db, principal, people, starts_from, ends_before, duration_minutes, step_minutes
        )

    @get("/feed", summary="Whether you have a private ICS feed (its URL is shown only when made)")
    async def feed_status(self, db: AsyncSession, principal: Principal) -> FeedOut:
        return await feed.status(db, principal)

    @post(
        "/feed/rotate", status_code=HTTP_200_OK, summary="A new private feed URL; the old one stops working"
    )
    async def rotate_feed(self, db: AsyncSession, principal: Principal, state: State) -> FeedOut:
        return await feed.rotate(db, state.ctx, principal)


class CalendarLinksController(Controller):
    """The two routes reached without a bearer token."""

    path = "/api/calendars"
    tags = ["calendars"]

    @get(
        "/oauth/{provider:str}/callback",
        summary="The provider's redirect after consent (no login)",
        description=(
            "A browser navigation (`Accept` naming `text/html`) is answered 303 to the client's page "
            f"`{SETTINGS_PAGE}?connected=<provider>`, or `?error=<code>` (the code of the error JSON "
            "callers get); other callers get the connection, or the error, as JSON."
        ),
        responses={
            HTTP_303_SEE_OTHER: ResponseSpec(
                None,
                description=f"A browser is sent to `{SETTINGS_PAGE}?connected=…` or `?error=…`",
                media_type="text/plain",
            )
        },
    )
    async def oauth_callback(
        self,
        request: Request[Any, Any, Any],
        provider: ProviderName,
        db: AsyncSession,
        state: State,
        code: OAuthText = None,
        oauth_state: Annotated[str | None, QueryParameter(name="state", max_length=4096)] = None,
        error: OAuthText = None,
    ) -> Response[ConnectionOut]:
        if not is_navigation(request):
            return Response(await oauth.complete(db, state.ctx, provider, code, oauth_state, error))
        try:
            connection = await oauth.complete(db, state.ctx, provider, code, oauth_state, error)
        except AppError as exc:
            # What the JSON answer would have undone is undone here too; the page shows the code.
            if not exc.keep_changes:
                effects.drop(db)
                await db.rollback()
            return Redirect(SETTINGS_PAGE, query_params={"error": exc.code}, status_code=HTTP_303_SEE_OTHER)
        return Redirect(
            SETTINGS_PAGE,
            query_params={"connected": connection.provider.value},
            status_code=HTTP_303_SEE_OTHER,
        )

    @get(
        "/feed/{name:str}",
        summary="A private calendar feed `<user>.<secret>.ics` (no login)",
        media_type="text/calendar",
    )
    async def read_feed(
        self, name: Annotated[str, Parameter(max_length=200)], db: AsyncSession, state: State
    ) -> Response[bytes]:
        content = await feed.render(db, state.ctx, name)
        return Response(
            content,
            media_type="text/calendar; charset=utf-8",
            headers={"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"},
        )
