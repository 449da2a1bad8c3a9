"""Who sees a personality test result: the taker always; their company's staff only while the taker
shares it; never another tenant, a candidate of the same company, a system_admin or anyone signed out.

Arrangement: tests/server/personality/conftest.py. A session you may not see is 404 with the same
words as a missing id; a shared result you may read but not change is 403 `not_taker`; the refused
calls change no row (`assert_matrix` compares the tables before and after).
"""

from __future__ import annotations

from models import AuditLog, MbtiTestSession
from server.context import AppContext
from tests.server.personality.conftest import Arranged
from tests.server.personality.helpers import BASE, finished
from tests.server.tenants import NO_BODY, Callers, Expect, Matrix, Tenants, assert_matrix, outcomes

TABLES = (MbtiTestSession, AuditLog)
NOT_FOUND = "Personality test session {id} was not found."
SESSION = BASE + "/sessions/{target}"
ANSWER = {"question_id": 2, "value": 3}

READ = [
    Expect("anonymous", "result", 401, "invalid_token"),
    # The taker sees every session of theirs.
    Expect("candidate", "result", 200, ""),
    Expect("candidate", "shared", 200, ""),
    Expect("candidate", "open", 200, ""),
    # An unshared result or an open session: nobody else, the company's admin and the platform included.
    Expect("home_admin", "result", 404, "not_found"),
    Expect("recruiter", "result", 404, "not_found"),
    Expect("home_admin", "open", 404, "not_found"),
    Expect("system_admin", "result", 404, "not_found"),
    # A shared result: the staff of the taker's company, no one else.
    Expect("home_admin", "shared", 200, ""),
    Expect("recruiter", "shared", 200, ""),
    Expect("peer", "shared", 404, "not_found"),
    Expect("employer_admin", "shared", 404, "not_found"),
    Expect("employer", "shared", 404, "not_found"),
    Expect("other_admin", "shared", 404, "not_found"),
    Expect("other_user", "shared", 404, "not_found"),
    Expect("system_admin", "shared", 404, "not_found"),
    Expect("other_admin", "foreign", 200, ""),
    Expect("home_admin", "foreign", 404, "not_found"),
    Expect("recruiter", "missing", 404, "not_found"),
]
NOT_THE_TAKERS = [
    Expect("anonymous", "open", 401, "invalid_token"),
    Expect("home_admin", "open", 404, "not_found"),
    Expect("peer", "open", 404, "not_found"),
    Expect("other_admin", "open", 404, "not_found"),
    Expect("system_admin", "open", 404, "not_found"),
    Expect("home_admin", "result", 404, "not_found"),
    Expect("other_admin", "shared", 404, "not_found"),
    Expect("system_admin", "shared", 404, "not_found"),
    Expect("candidate", "missing", 404, "not_found"),
    # Reading a shared result gives no right to change it.
    Expect("home_admin", "shared", 403, "not_taker"),
    Expect("recruiter", "shared", 403, "not_taker"),
    Expect("other_admin", "foreign", 403, "not_taker"),
]

MATRIX: Matrix = [
    ("GET", SESSION, NO_BODY, READ),
    (
        "POST",
        SESSION + "/answers",
        ANSWER,
        [*NOT_THE_TAKERS, Expect("candidate", "result", 409, "session_closed")],
    ),
    (
        "POST",
        SESSION + "/complete",
        NO_BODY,
        [*NOT_THE_TAKERS, Expect("candidate", "result", 409, "already_completed")],
    ),
    (
        "POST",
        SESSION + "/abandon",
        NO_BODY,
        [*NOT_THE_TAKERS, Expect("candidate", "shared", 409, "session_closed")],
    ),
    (
        "PUT",
        SESSION + "/share",
        NO_BODY,
        [*NOT_THE_TAKERS, Expect("candidate", "open", 409, "not_completed")],
    ),
    (
        "DELETE",
        SESSION + "/share",
        NO_BODY,
        [*NOT_THE_TAKERS, Expect("candidate", "open", 409, "not_completed")],
    ),
    ("GET", BASE + "/sessions", NO_BODY, [Expect("anonymous", None, 401, "invalid_token")]),
    ("POST", BASE + "/sessions", NO_BODY, [Expect("anonymous", None, 401, "invalid_token")]),
    ("GET", BASE + "/questions", NO_BODY, [Expect("anonymous", None, 401, "invalid_token")]),
]


async def test_the_privacy_matrix_holds_and_refusals_change_nothing(
    callers: Callers, ctx: AppContext, arranged: Arranged
) -> None:
    await assert_matrix(callers, ctx, MATRIX, TABLES, not_found=NOT_FOUND)


def _status(who: str) -> Expect:
    return Expect(who, "it", 0, "")


WATCHERS = [
    "candidate",
    "home_admin",
    "recruiter",
    "peer",
    "employer_admin",
    "other_admin",
    "system_admin",
    "anonymous",
]


async def _who_sees(callers: Callers) -> dict[str, int]:
    got = await outcomes(callers, "GET", SESSION, [_status(who) for who in WATCHERS])
    return {cell.who: cell.status for cell in got}


async def test_sharing_opens_the_result_to_the_company_staff_and_revoking_closes_it(
    callers: Callers, people: Tenants
) -> None:
    done = await finished(callers, "candidate")
    callers.names["it"] = done["id"]
    path = f"{BASE}/sessions/{done['id']}"
    hidden = {
        "candidate": 200,
        "home_admin": 404,
        "recruiter": 404,
        "peer": 404,
        "employer_admin": 404,
        "other_admin": 404,
        "system_admin": 404,
        "anonymous": 401,
    }
    assert await _who_sees(callers) == hidden

    shared = await callers.call("candidate", "PUT", f"{path}/share")
    assert shared.status_code == 200, shared.text
    assert (shared.json()["status"], shared.json()["shared_with_company"]) == ("shared", True)
    assert await _who_sees(callers) == {**hidden, "home_admin": 200, "recruiter": 200}
    # Sharing again changes nothing.
    assert (await callers.call("candidate", "PUT", f"{path}/share")).json()["status"] == "shared"

    # The staff see the result, not the answers.
    seen = (await callers.call("recruiter", "GET", path, params={"lang": "en"})).json()
    assert (
        seen["result"]
        == (await callers.call("candidate", "GET", path, params={"lang": "en"})).json()["result"]
    )
    assert (seen["answers"], seen["next_question"]) == (None, None)
    listed = (await callers.call("home_admin", "GET", f"{BASE}/sessions")).json()
    assert [item["id"] for item in listed["items"]] == [done["id"]]
    assert listed["items"][0]["result_type"] == "ENFJ"

    revoked = await callers.call("candidate", "DELETE", f"{path}/share")
    assert revoked.status_code == 200, revoked.text
    assert (revoked.json()["status"], revoked.json()["shared_with_company"]) == ("completed", False)
    assert await _who_sees(callers) == hidden
    assert (await callers.call("home_admin", "GET", f"{BASE}/sessions")).json() == {"items": [], "total": 0}
    # Revoking again changes nothing.
    assert (await callers.call("candidate", "DELETE", f"{path}/share")).json()["status"] == "completed"
