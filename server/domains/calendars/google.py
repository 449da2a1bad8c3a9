"""Google Calendar API v3 and Google's OAuth 2.0 endpoints, as the calendars domain uses them.

- OAuth: the authorization-code flow with PKCE (S256), `access_type=offline` and `prompt=consent`
  so a refresh token comes back; tokens at `{GOOGLE_OAUTH_BASE_URL}/token`, revocation (RFC 7009)
  at `{GOOGLE_OAUTH_BASE_URL}/revoke`. The account is the primary calendar (`calendars/primary`):
  its id is the account's email address.
- Sync: `events.list` on the primary calendar, `singleEvents=false` so a recurring event comes once
  with its RRULE (an instance changed or cancelled comes as its own event, id `<series>_<start>`);
  pages by `nextPageToken`, the last page carries `nextSyncToken`, and a sync token Google no
  longer accepts answers 410 Gone (a full resync). Cancelled events come with `status: cancelled`.
- Push: the event id is ours (`OutgoingEvent.marker`, base32hex as Google requires), so a retried
  insert answers 409 instead of making a second event; it is then patched. No attendees are sent
  (each participant's own calendar gets its own copy; Google would otherwise invite them again).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any
from urllib.parse import urlencode

import httpx

from models.enums import CalendarEventStatus, CalendarProvider
from server.domains.calendars.providers import (
    Account,
    ChangePage,
    Grant,
    OutgoingEvent,
    Rejected,
    RemoteEvent,
    SyncReset,
    grant_from,
    send,
)
from server.settings import CalendarProviders

SCOPES = "openid email https://www.googleapis.com/auth/calendar.events"
PAGE_SIZE = 250
GONE = (404, 410)
STATUSES = {"tentative": CalendarEventStatus.TENTATIVE, "cancelled": CalendarEventStatus.CANCELLED}


class Google:
    name = CalendarProvider.GOOGLE

    def __init__(self, config: CalendarProviders) -> None:
        self.client_id = config.google_client_id or ""
        self.client_secret = config.google_client_secret or ""
        self.authorize = config.google_authorize_url
        self.oauth = config.google_oauth_base_url
        self.events = f"{config.google_api_base_url}/calendar/v3/calendars/primary/events"
        self.primary = f"{config.google_api_base_url}/calendar/v3/calendars/primary"

    def authorization_url(self, *, state: str, challenge: str, redirect_uri: str) -> str:
        query = {
            "client_id": self.client_id,
            "redirect_uri": redirect_uri,
            "response_type": "code",
            "scope": SCOPES,
            "access_type": "offline",
            "prompt": "consent",
            "include_granted_scopes": "true",
            "state": state,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        return f"{self.authorize}?{urlencode(query)}"

    async def _token(self, form: dict[str, str]) -> dict[str, Any]:
        form = {"client_id": self.client_id, "client_secret": self.client_secret, **form}
        response = await send(httpx.Request("POST", f"{self.oauth}/token", data=form))
        body: dict[str, Any] = response.json()
        return body

    async def exchange(self, *, code: str, verifier: str, redirect_uri: str, now: datetime) -> Grant:
        body = await self._token(
            {
                "grant_type": "authorization_code",
                "code": code,
                "code_verifier": verifier,
                "redirect_uri": redirect_uri,
            }
        )
        return grant_from(body, now)

    async def refresh(self, refresh_token: str, *, now: datetime) -> Grant:
        body = await self._token({"grant_type": "refresh_token", "refresh_token": refresh_token})
        return grant_from(body, now, keep_refresh=refresh_token)

    async def revoke(self, token: str) -> None:
        await send(httpx.Request("POST", f"{self.oauth}/revoke", data={"token": token}))

    async def account(self, access_token: str) -> Account:
        response = await send(httpx.Request("GET", self.primary, headers=_auth(access_token)))
        body = response.json()
        return Account(id=str(body["id"]), email=str(body["id"]), display_name=body.get("summary"))

    async def changes(self, access_token: str, *, cursor: str | None, page: str | None) -> ChangePage:
        params: dict[str, str] = {"maxResults": str(PAGE_SIZE), "singleEvents": "false"}
        if cursor:
            params["syncToken"] = cursor
        if page:
            params["pageToken"] = page
        request = httpx.Request("GET", self.events, params=params, headers=_auth(access_token))
        body = (await send(request)).json()
        return ChangePage(
            events=[remote_event(item) for item in body.get("items", [])],
            next_page=body.get("nextPageToken"),
            cursor=body.get("nextSyncToken"),
        )

    async def put_event(self, access_token: str, event: OutgoingEvent, external_id: str | None) -> str:
        body = _body(event)
        headers = _auth(access_token)
        params = {"sendUpdates": "none"}
        if external_id is not None:
            try:
                await self._patch(external_id, body, headers)
                return external_id
            except Rejected as exc:
                if exc.status not in GONE:
                    raise
        try:
            request = httpx.Request("POST", self.events, params=params, json=body, headers=headers)
            return str((await send(request)).json()["id"])
        except Rejected as exc:
            if exc.status != 409:
                raise
        await self._patch(event.marker, body, headers)  # inserted before (a retry): update it
        return event.marker

    async def _patch(self, event_id: str, body: dict[str, Any], headers: dict[str, str]) -> None:
        patch = {key: value for key, value in body.items() if key != "id"}
        url = f"{self.events}/{event_id}"
        await send(httpx.Request("PATCH", url, params={"sendUpdates": "none"}, json=patch, headers=headers))

    async def cancel_event(self, access_token: str, external_id: str) -> None:
        url = f"{self.events}/{external_id}"
        request = httpx.Request("DELETE", url, params={"sendUpdates": "none"}, headers=_auth(access_token))
        try:
            await send(request)
        except SyncReset:
            return  # 410: deleted already
        except Rejected as exc:
            if exc.status not in GONE:
                raise


def _auth(access_token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {access_token}"}


def _body(event: OutgoingEvent) -> dict[str, Any]:
    description = event.description + (f"\n\n{event.join_url}" if event.join_url else "")
    body: dict[str, Any] = {
        "id": event.marker,
        "status": "confirmed",
        "summary": event.title,
        "description": description,
        "start": {"dateTime": event.start.astimezone(UTC).isoformat(), "timeZone": event.timezone},
        "end": {"dateTime": event.end.astimezone(UTC).isoformat(), "timeZone": event.timezone},
        "location": event.location or event.join_url or "",
    }
    if event.join_url:
        body["source"] = {"title": "MiraiWorks", "url": event.join_url}
    return body


def _moment(value: dict[str, Any] | None) -> tuple[datetime | None, bool]:
    """An event time as UTC, and whether it is a whole day (a date: 00:00 UTC of that date)."""
    if not value:
        return None, False
    if "dateTime" in value:
        return datetime.fromisoformat(value["dateTime"].replace("Z", "+00:00")).astimezone(UTC), False
    return datetime.combine(date.fromisoformat(value["date"]), time(0), UTC), True


def remote_event(item: dict[str, Any]) -> RemoteEvent:
    """One `events` resource as the provider-neutral event."""
    event_id = str(item["id"])
    if item.get("status") == "cancelled":
        original, _ = _moment(item.get("originalStartTime"))
        return RemoteEvent(id=event_id, removed=True, start=original)
    start, all_day = _moment(item.get("start"))
    end, _ = _moment(item.get("end"))
    recurrence = item.get("recurrence") or []
    attendees = [
        {
            "email": person.get("email"),
            "name": person.get("displayName"),
            "response": person.get("responseStatus"),
            "optional": bool(person.get("optional", False)),
        }
        for person in item.get("attendees", [])
    ]
    video = [
        point.get("uri")
        for point in (item.get("conferenceData") or {}).get("entryPoints", [])
        if point.get("entryPointType") == "video"
    ]
    updated = item.get("updated")
    return RemoteEvent(
        id=event_id,
        title=str(item.get("summary") or "(no title)")[:255],
        description=item.get("description"),
        start=start,
        end=end or start,
        timezone=(item.get("start") or {}).get("timeZone"),
        location=(item.get("location") or None) and str(item["location"])[:255],
        is_all_day=all_day,
        status=STATUSES.get(str(item.get("status")), CalendarEventStatus.CONFIRMED),
        organizer_email=(item.get("organizer") or {}).get("email"),
        attendees=attendees or None,
        meeting_url=item.get("hangoutLink") or (video[0] if video else None),
        recurrence_rule="\n".join(recurrence) or None,
        is_recurring=bool(recurrence) or "recurringEventId" in item,
        last_modified=datetime.fromisoformat(updated.replace("Z", "+00:00")) if updated else None,
    )
