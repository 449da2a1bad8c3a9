"""/api/calendars/connections: a connection is its own user's alone; anyone else, an admin of the
same company and another tenant included, gets 404 like a missing id, and the refused calls change
nothing."""

from __future__ import annotations

from models import CalendarConnection, CalendarIntegration, UserSetting
from server.context import AppContext
from server.jobs.inprocess import InProcessQueue
from tests.server.calendars.conftest import connect, google_event
from tests.server.calendars.fakes import FakeGoogle
from tests.server.tenants import NO_BODY, Callers, Expect, Matrix, assert_matrix

NOT_FOUND = "Calendar connection {id} was not found."
UNSEEN = [
    Expect("anonymous", "mine", 401, "invalid_token"),
    Expect("home_admin", "mine", 404, "not_found"),
    Expect("candidate", "mine", 404, "not_found"),
    Expect("other_admin", "mine", 404, "not_found"),
    Expect("other_user", "mine", 404, "not_found"),
    Expect("system_admin", "mine", 404, "not_found"),
    Expect("recruiter", "missing", 404, "not_found"),
]
PATH = "/api/calendars/connections/{target}"
MATRIX: Matrix = [
    ("GET", PATH, NO_BODY, UNSEEN),
    ("PATCH", PATH, {"sync_enabled": False}, UNSEEN),
    ("POST", PATH + "/sync", NO_BODY, UNSEEN),
    ("GET", PATH + "/events", NO_BODY, UNSEEN),
    ("DELETE", PATH, NO_BODY, UNSEEN),
]


async def test_only_its_user_reaches_a_connection(
    callers: Callers, ctx: AppContext, queue: InProcessQueue, google: FakeGoogle
) -> None:
    google.add_event(
        "r@gmail.example", google_event("e1", "2030-04-08T10:00:00+09:00", "2030-04-08T11:00:00+09:00")
    )
    connection = await connect(callers, queue, google, "recruiter", "google", "r@gmail.example")
    callers.names["mine"] = connection["id"]
    await assert_matrix(
        callers, ctx, MATRIX, (CalendarConnection, CalendarIntegration, UserSetting), not_found=NOT_FOUND
    )
    for who in ("home_admin", "other_user", "system_admin"):
        listed = await callers.call(who, "GET", "/api/calendars/connections")
        assert listed.json() == {"items": [], "total": 0}
    mine = await callers.call("recruiter", "GET", "/api/calendars/connections/{mine}/events")
    assert mine.json()["total"] == 1
