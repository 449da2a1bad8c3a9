"""Microsoft Graph v1.0 and the Microsoft identity platform, as the calendars domain uses them.

- OAuth: the authorization-code flow with PKCE (S256) at
  `{MICROSOFT_LOGIN_BASE_URL}/{MICROSOFT_TENANT}/oauth2/v2.0/{authorize,token}`, scope
  `offline_access Calendars.ReadWrite User.Read`. The identity platform has no endpoint that
  revokes one grant (no RFC 7009): disconnecting deletes our copy of the tokens, and the refresh
  token dies unused (or when the user removes the app's consent in their Microsoft account).
- Sync: `GET /me/calendarView/delta` over a window (30 days back, 400 ahead), in UTC
  (`Prefer: outlook.timezone="UTC"`); pages by `@odata.nextLink`, the last page carries
  `@odata.deltaLink`, the cursor of the next incremental sync; an expired one answers 410.
  The calendar view hands out occurrences, not series: each occurrence is one event
  (`is_recurring`), and a `seriesMaster`, when one comes, carries its `recurrence` as an RRULE.
  A deleted event comes as `@removed`. Links are followed only on the configured Graph host.
- Push: `POST /me/events` with `transactionId` (Graph drops a second POST with the same one) and
  a single-value extended property holding our marker; updates `PATCH`, cancels `DELETE`
  (which tells attendees; we send none).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
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
    grant_from,
    send,
)
from server.settings import CalendarProviders

SCOPES = "offline_access openid email Calendars.ReadWrite User.Read"
MARKER_PROPERTY = "String {66f5a359-4659-4830-9070-00047ec6ac6e} Name MiraiWorksInterview"
WINDOW_BEFORE = timedelta(days=30)
WINDOW_AFTER = timedelta(days=400)
PAGE_SIZE = 100
DAYS = {"sunday": "SU", "monday": "MO", "tuesday": "TU", "wednesday": "WE", "thursday": "TH"}
DAYS |= {"friday": "FR", "saturday": "SA"}
INDEX = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": -1}
FREQUENCIES = {"daily": "DAILY", "weekly": "WEEKLY", "absoluteMonthly": "MONTHLY"}
FREQUENCIES |= {"relativeMonthly": "MONTHLY", "absoluteYearly": "YEARLY", "relativeYearly": "YEARLY"}


class Microsoft:
    name = CalendarProvider.OUTLOOK

    def __init__(self, config: CalendarProviders) -> None:
        self.client_id = config.microsoft_client_id or ""
        self.client_secret = config.microsoft_client_secret or ""
        self.login = f"{config.microsoft_login_base_url}/{config.microsoft_tenant}/oauth2/v2.0"
        self.graph = f"{config.microsoft_graph_base_url}/v1.0"

    def authorization_url(self, *, state: str, challenge: str, redirect_uri: str) -> str:
        query = {
            "client_id": self.client_id,
            "response_type": "code",
            "redirect_uri": redirect_uri,
            "response_mode": "query",
            "scope": SCOPES,
            "state": state,
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        }
        return f"{self.login}/authorize?{urlencode(query)}"

    async def _token(self, form: dict[str, str]) -> dict[str, Any]:
        form = {"client_id": self.client_id, "client_secret": self.client_secret, "scope": SCOPES, **form}
        body: dict[str, Any] = (await send(httpx.Request("POST", f"{self.login}/token", data=form))).json()
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
        return None  # no per-grant revocation endpoint exists (see the module docstring)

    async def account(self, access_token: str) -> Account:
        body = (await send(httpx.Request("GET", f"{self.graph}/me", headers=_auth(access_token)))).json()
        email = body.get("mail") or body.get("userPrincipalName") or ""
        return Account(id=str(body["id"]), email=str(email), display_name=body.get("displayName"))

    async def changes(self, access_token: str, *, cursor: str | None, page: str | None) -> ChangePage:
        link = page or cursor
        if link is not None and not link.startswith(f"{self.graph}/"):
            raise Rejected(400, "a delta link outside the configured Graph host")
        if link is None:
            now = datetime.now(UTC).replace(microsecond=0)
            window = {
                "startDateTime": (now - WINDOW_BEFORE).isoformat().replace("+00:00", "Z"),
                "endDateTime": (now + WINDOW_AFTER).isoformat().replace("+00:00", "Z"),
            }
            link = f"{self.graph}/me/calendarView/delta?{urlencode(window)}"
        headers = {
            **_auth(access_token),
            "Prefer": f'outlook.timezone="UTC", odata.maxpagesize={PAGE_SIZE}',
        }
        body = (await send(httpx.Request("GET", link, headers=headers))).json()
        return ChangePage(
            events=[remote_event(item) for item in body.get("value", [])],
            next_page=body.get("@odata.nextLink"),
            cursor=body.get("@odata.deltaLink"),
        )

    async def put_event(self, access_token: str, event: OutgoingEvent, external_id: str | None) -> str:
        body = _body(event)
        headers = _auth(access_token)
        if external_id is not None:
            try:
                url = f"{self.graph}/me/events/{external_id}"
                await send(httpx.Request("PATCH", url, json=body, headers=headers))
                return external_id
            except Rejected as exc:
                if exc.status != 404:
                    raise
        # One transaction id per marker and start: a retried POST is dropped by Graph, and an
        # event the user deleted is made again when the interview moves.
        body["transactionId"] = f"{event.marker}.{int(event.start.timestamp())}"
        body["singleValueExtendedProperties"] = [{"id": MARKER_PROPERTY, "value": event.marker}]
        created = await send(httpx.Request("POST", f"{self.graph}/me/events", json=body, headers=headers))
        return str(created.json()["id"])

    async def cancel_event(self, access_token: str, external_id: str) -> None:
        url = f"{self.graph}/me/events/{external_id}"
        try:
            await send(httpx.Request("DELETE", url, headers=_auth(access_token)))
        except Rejected as exc:
            if exc.status != 404:
                raise


def _auth(access_token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {access_token}"}


def _graph_time(moment: datetime) -> dict[str, str]:
    return {"dateTime": moment.astimezone(UTC).replace(tzinfo=None).isoformat(), "timeZone": "UTC"}


def _body(event: OutgoingEvent) -> dict[str, Any]:
    text = event.description + (f"\n\n{event.join_url}" if event.join_url else "")
    return {
        "subject": event.title,
        "body": {"contentType": "text", "content": text},
        "start": _graph_time(event.start),
        "end": _graph_time(event.end),
        "location": {"displayName": event.location or event.join_url or ""},
        "showAs": "busy",
    }


def _parse(value: str | None) -> datetime | None:
    """Graph's times: seven fractional digits, `Z` or no offset (UTC, as we asked)."""
    if not value:
        return None
    text = value.replace("Z", "")
    head, _, fraction = text.partition(".")
    parsed = datetime.fromisoformat(f"{head}.{fraction[:6]}" if fraction else head)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def rrule(recurrence: dict[str, Any] | None) -> str | None:
    """A `patternedRecurrence` as an RFC 5545 RRULE line (None when there is none)."""
    if not recurrence:
        return None
    pattern, span = recurrence.get("pattern") or {}, recurrence.get("range") or {}
    frequency = FREQUENCIES.get(str(pattern.get("type")))
    if frequency is None:
        return None
    parts = [f"FREQ={frequency}", f"INTERVAL={int(pattern.get('interval') or 1)}"]
    days = [DAYS[day] for day in pattern.get("daysOfWeek") or [] if day in DAYS]
    if days and str(pattern.get("type")).startswith("relative"):
        parts.append(f"BYDAY={INDEX.get(str(pattern.get('index')), 1)}{days[0]}")
    elif days:
        parts.append(f"BYDAY={','.join(days)}")
    if pattern.get("dayOfMonth"):
        parts.append(f"BYMONTHDAY={int(pattern['dayOfMonth'])}")
    if pattern.get("month") and frequency == "YEARLY":
        parts.append(f"BYMONTH={int(pattern['month'])}")
    if span.get("type") == "numbered":
        parts.append(f"COUNT={int(span['numberOfOccurrences'])}")
    elif span.get("type") == "endDate" and span.get("endDate"):
        parts.append(f"UNTIL={span['endDate'].replace('-', '')}T235959Z")
    return "RRULE:" + ";".join(parts)


def remote_event(item: dict[str, Any]) -> RemoteEvent:
    """One `event` resource (or its `@removed` stub) as the provider-neutral event."""
    event_id = str(item["id"])
    if "@removed" in item:
        return RemoteEvent(id=event_id, removed=True)
    status = CalendarEventStatus.CONFIRMED
    if item.get("isCancelled"):
        status = CalendarEventStatus.CANCELLED
    elif item.get("showAs") == "tentative":
        status = CalendarEventStatus.TENTATIVE
    attendees = [
        {
            "email": (person.get("emailAddress") or {}).get("address"),
            "name": (person.get("emailAddress") or {}).get("name"),
            "response": (person.get("status") or {}).get("response"),
            "optional": person.get("type") == "optional",
        }
        for person in item.get("attendees") or []
    ]
    start = _parse((item.get("start") or {}).get("dateTime"))
    location = (item.get("location") or {}).get("displayName") or None
    return RemoteEvent(
        id=event_id,
        title=str(item.get("subject") or "(no title)")[:255],
        description=(item.get("body") or {}).get("content") or item.get("bodyPreview"),
        start=start,
        end=_parse((item.get("end") or {}).get("dateTime")) or start,
        timezone=item.get("originalStartTimeZone"),
        location=location[:255] if location else None,
        is_all_day=bool(item.get("isAllDay")),
        status=status,
        organizer_email=((item.get("organizer") or {}).get("emailAddress") or {}).get("address"),
        attendees=attendees or None,
        meeting_url=(item.get("onlineMeeting") or {}).get("joinUrl") or item.get("onlineMeetingUrl"),
        recurrence_rule=rrule(item.get("recurrence")),
        is_recurring=item.get("type") in ("occurrence", "exception", "seriesMaster"),
        last_modified=_parse(item.get("lastModifiedDateTime")),
    )
