"""Files on interviews and positions go through their access rules (`@attachable` checks)."""

from __future__ import annotations

import httpx

from tests.server.interviews.conftest import Desk
from tests.server.tenants import Callers

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


async def upload(callers: Callers, who: str, entity_type: str, entity_id: int) -> httpx.Response:
    response: httpx.Response = await callers.client.post(
        "/api/attachments/",
        headers=await callers.headers(who),
        data={"entity_type": entity_type, "entity_id": str(entity_id)},
        files={"file": ("評価シート.pdf", PDF, "application/pdf")},
    )
    return response


async def test_interview_files_follow_the_interview(callers: Callers, desk: Desk) -> None:
    interview = callers.names["interview"]
    uploads = {
        who: (await upload(callers, who, "interview", interview)).status_code
        for who in ("employer", "recruiter", "candidate", "other_admin", "employer_admin")
    }
    assert uploads == {
        "employer": 201,
        "recruiter": 201,
        "candidate": 403,
        "other_admin": 404,
        "employer_admin": 404,
    }
    listed = {}
    for who in ("candidate", "home_admin", "other_admin"):
        response = await callers.call(
            who, "GET", "/api/attachments/", params={"entity_type": "interview", "entity_id": interview}
        )
        listed[who] = (response.status_code, response.json().get("total"))
    assert listed == {"candidate": (200, 2), "home_admin": (200, 2), "other_admin": (404, None)}


async def test_position_files_are_the_company_s_and_public_ones_are_readable(
    callers: Callers, desk: Desk
) -> None:
    made = await callers.call("employer", "POST", "/api/positions/", json={"title": "Designer"})
    position = made.json()["id"]
    assert (await upload(callers, "employer", "position", position)).status_code == 201
    assert (await upload(callers, "recruiter", "position", position)).status_code == 404
    params = {"entity_type": "position", "entity_id": position}
    draft_view = await callers.call("candidate", "GET", "/api/attachments/", params=params)
    assert draft_view.status_code == 404
    await callers.call("employer", "POST", f"/api/positions/{position}/status", json={"status": "published"})
    public_view = await callers.call("candidate", "GET", "/api/attachments/", params=params)
    assert (public_view.status_code, public_view.json()["total"]) == (200, 1)
    assert (await upload(callers, "recruiter", "position", position)).status_code == 403
