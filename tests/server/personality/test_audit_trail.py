"""The audit trail that a company's admins search must not become a back door to unshared results."""

from __future__ import annotations

from tests.server.personality.helpers import finished
from tests.server.tenants import Callers

RESULT_COLUMNS = {"answers", "result_type", *(f"{pole}_score" for pole in "eisntfjp")}


async def test_the_audit_trail_does_not_show_an_unshared_result(callers: Callers) -> None:
    await finished(callers, "candidate")
    response = await callers.call(
        "home_admin", "GET", "/api/audit-logs", params={"entity_type": "mbti_test_sessions", "limit": 200}
    )
    assert response.status_code == 200, response.text
    entries = response.json()["items"]
    assert entries, "the test's writes are audited"
    for entry in entries:
        for values in (entry.get("old_values") or {}, entry.get("new_values") or {}):
            shown = {key: value for key, value in values.items() if key in RESULT_COLUMNS}
            assert all(value in (None, "[redacted]") for value in shown.values()), (entry["action"], shown)
