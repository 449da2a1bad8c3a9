"""Names and titles refuse control characters (C0, C1, NUL, newlines) and bidirectional
overrides and isolates, with a 422 naming the field; ordinary text of any script goes through."""

from __future__ import annotations

from typing import Any

import pytest

from tests.server.tenants import Callers, assert_error

BAD = {
    "NUL": "山田\x00",
    "newline": "山田\n太郎",
    "escape (C0)": "\x1b[31m山田",
    "next line (C1)": "山田\x85",
    "right-to-left override": "resume\u202egpj.exe",
    "left-to-right embedding": "\u202a山田",
    "first strong isolate": "山田\u2068",
    "pop directional isolate": "\u2069山田",
    "only spaces": " \u3000 ",
}
"""Each label text that must be refused, by what is wrong with it."""

ROUTES: list[tuple[str, str, str, dict[str, Any], str]] = [
    ("home_admin", "PATCH", "/api/users/{recruiter}", {}, "first_name"),
    ("home_admin", "PATCH", "/api/users/{recruiter}", {}, "last_name"),
    ("recruiter", "PATCH", "/api/users/me", {}, "first_name"),
    ("system_admin", "PATCH", "/api/companies/{home}", {}, "name"),
    ("recruiter", "POST", "/api/interviews/", {}, "title"),
    ("recruiter", "POST", "/api/todos/", {}, "title"),
    ("recruiter", "POST", "/api/positions/", {}, "title"),
    (
        "recruiter",
        "POST",
        "/api/video-calls/",
        {"scheduled_start": "2030-04-01T10:00:00+09:00", "scheduled_end": "2030-04-01T11:00:00+09:00"},
        "title",
    ),
]


@pytest.mark.parametrize(
    ("who", "method", "path", "body", "field"), ROUTES, ids=[f"{r[2]} {r[4]}" for r in ROUTES]
)
async def test_a_label_with_control_or_bidi_characters_is_a_422_naming_the_field(
    callers: Callers, who: str, method: str, path: str, body: dict[str, Any], field: str
) -> None:
    named = {}
    for what, text in BAD.items():
        response = await callers.call(who, method, path, json={**body, field: text})
        error = assert_error(response, 422, "validation_error")
        named[what] = [e["field"] for e in error["errors"]]

    assert named == {what: [field] for what in BAD}


async def test_names_of_any_script_with_joiners_and_marks_go_through(callers: Callers) -> None:
    names = {"first_name": "Zoë\u200d", "last_name": "O'Brien-山田 محمد"}
    response = await callers.call("home_admin", "PATCH", "/api/users/{recruiter}", json=names)

    assert response.status_code == 200, response.text
    assert (response.json()["first_name"], response.json()["last_name"]) == (
        names["first_name"],
        names["last_name"],
    )
