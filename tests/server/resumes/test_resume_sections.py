"""Resume sections: typed rows in, the same rows out; wrong shapes 422 naming the field; older
stored shapes read as empty lists, never a 500."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from models import Resume
from server.context import AppContext
from tests.server.resumes.conftest import TABLES, Resumes
from tests.server.tenants import Answer, Callers, Rejections, assert_rejections, invalid, snapshot

FULL: dict[str, Any] = {
    "title": "職務経歴書（山田太郎）",
    "status": "active",
    "visibility": "company",
    "summary": "組込み開発8年。",
    "profile": {
        "name_kana": "やまだ たろう",
        "birth_date": "1990-05-01",
        "address": "東京都千代田区丸の内1-1-1",
        "phone": "090-1234-5678",
        "motivation": "貴社の製品開発に貢献したい。",
        "wishes": "貴社の規定に従います。",
        "date_style": "wareki",
    },
    "skills": [{"name": "C", "level": "上級", "years": 8}, {"name": "Python"}],
    "languages": [{"language": "英語", "level": "TOEIC 800"}],
    "certifications": [{"name": "応用情報技術者", "obtained": "2015-04", "issuer": "IPA"}],
    "education": [
        {
            "school": "東京大学",
            "department": "工学部",
            "start": "2008-04",
            "end": "2012-03",
            "outcome": "graduated",
        }
    ],
    "experience": [
        {
            "company": "株式会社ミライ",
            "title": "エンジニア",
            "start": "2012-04",
            "end": None,
            "description": "車載ECUの開発。",
            "achievements": ["不具合率を半減"],
        }
    ],
    "projects": [
        {"name": "次世代ECU", "start": "2020-01", "end": "2021-06", "technologies": ["C", "AUTOSAR"]}
    ],
    "references": [{"name": "佐藤 一郎", "relation": "元上司"}],
}
DEFAULTS = {
    "skills": {"level": None, "years": None},
    "languages": {},
    "certifications": {},
    "education": {"degree": None},
    "experience": {"department": None, "employment_type": None, "leaving_reason": None},
    "projects": {"role": None, "description": None},
    "references": {"company": None, "email": None, "phone": None},
}


def with_defaults(name: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**DEFAULTS[name], **row} for row in rows]


async def test_sections_round_trip_as_typed_rows(callers: Callers, ctx: AppContext, resumes: Resumes) -> None:
    response = await callers.call("candidate", "POST", "/api/resumes/", json=FULL)

    assert response.status_code == 201, response.text
    created = response.json()
    for name in DEFAULTS:
        assert created[name] == with_defaults(name, FULL[name]), name
    assert created["profile"]["name_kana"] == "やまだ たろう"
    assert created["profile"]["date_style"] == "wareki"
    assert (created["photo"], created["profile"]["photo_attachment_id"]) == (None, None)
    async with ctx.sessionmaker() as db:
        row = await db.scalar(select(Resume).where(Resume.id == created["id"]))
    assert row is not None
    assert row.skills == with_defaults("skills", FULL["skills"])
    assert row.content["address"] == "東京都千代田区丸の内1-1-1"
    read = await callers.call("recruiter", "GET", f"/api/resumes/{created['id']}")
    assert read.json() == created


async def test_patch_replaces_the_sections_given_and_keeps_the_rest(
    callers: Callers, resumes: Resumes
) -> None:
    before = (await callers.call("candidate", "GET", "/api/resumes/{mine}")).json()

    response = await callers.call(
        "candidate",
        "PATCH",
        "/api/resumes/{mine}",
        json={"skills": [{"name": "Rust"}], "summary": None, "profile": {"name_kana": "たなか"}},
    )

    assert response.status_code == 200, response.text
    after = response.json()
    assert after["skills"] == [{"name": "Rust", "level": None, "years": None}]
    assert after["summary"] is None
    assert after["profile"]["name_kana"] == "たなか"
    assert after["profile"]["date_style"] == "seireki"
    for name in ("languages", "certifications", "education", "experience", "projects", "references", "title"):
        assert after[name] == before[name], name


OUT_OF_ORDER = {"start": "2020-04", "end": "2019-03"}
REJECTED: Rejections = [
    (
        "candidate",
        "POST",
        "/api/resumes/",
        [
            ({"json": {**FULL, "title": ""}}, invalid("title")),
            ({"json": {**FULL, "status": "published"}}, invalid("status")),
            ({"json": {**FULL, "visibility": "everyone"}}, invalid("visibility")),
            ({"json": {**FULL, "skills": ["C++"]}}, invalid("skills[0]")),
            ({"json": {**FULL, "skills": [{"name": "C"}] * 51}}, invalid("skills")),
            ({"json": {**FULL, "skills": [{"name": "C", "years": -1}]}}, invalid("skills[0].years")),
            # A missing or unknown field of a row: the row is named, the message names the field.
            ({"json": {**FULL, "languages": [{"level": "N1"}]}}, invalid("languages[0]")),
            (
                {"json": {**FULL, "certifications": [{"name": "x", "obtained": 2017}]}},
                invalid("certifications[0].obtained"),
            ),
            (
                {"json": {**FULL, "education": [{"school": "x", "start": "2012/04"}]}},
                invalid("education[0].start"),
            ),
            ({"json": {**FULL, "education": [{"school": "x"}]}}, invalid("education[0]")),
            (
                {"json": {**FULL, "experience": [{"company": "x", "start": "2020-13"}]}},
                invalid("experience[0].start"),
            ),
            (
                {"json": {**FULL, "experience": [{"company": "x", "start": "2020-01", "salary": 1}]}},
                invalid("experience[0]"),
            ),
            (
                {"json": {**FULL, "experience": [{"company": "x", "start": "2020-01", "achievements": "a"}]}},
                invalid("experience[0].achievements"),
            ),
            ({"json": {**FULL, "projects": [{"name": ""}]}}, invalid("projects[0].name")),
            ({"json": {**FULL, "references": {"name": "x"}}}, invalid("references")),
            ({"json": {**FULL, "profile": {"birth_date": "1990/05/01"}}}, invalid("profile.birth_date")),
            ({"json": {**FULL, "profile": {"date_style": "showa"}}}, invalid("profile.date_style")),
            ({"json": {**FULL, "profile": []}}, invalid("profile")),
            ({"json": {**FULL, "summary": "x" * 10_001}}, invalid("summary")),
            # Periods that end before they start.
            ({"json": {**FULL, "education": [{"school": "x", **OUT_OF_ORDER}]}}, invalid("education[0].end")),
            (
                {
                    "json": {
                        **FULL,
                        "experience": [
                            {"company": "a", "start": "2010-01"},
                            {"company": "b", **OUT_OF_ORDER},
                        ],
                    }
                },
                invalid("experience[1].end"),
            ),
            ({"json": {**FULL, "projects": [{"name": "x", **OUT_OF_ORDER}]}}, invalid("projects[0].end")),
            ({"content": b'{"title": '}, Answer(400, "malformed_json")),
        ],
    ),
    (
        "candidate",
        "PATCH",
        "/api/resumes/{mine}",
        [
            ({"json": {"title": None}}, invalid("title")),
            ({"json": {"experience": [{"company": "x", "start": "2020-1"}]}}, invalid("experience[0].start")),
            ({"json": {"experience": [{"company": "x", **OUT_OF_ORDER}]}}, invalid("experience[0].end")),
            ({"json": {"projects": [{"name": "x", **OUT_OF_ORDER}]}}, invalid("projects[0].end")),
            ({"json": {"is_public": True}}, invalid("is_public")),
            ({"json": {"public_slug": "mine"}}, invalid("public_slug")),
            ({"json": {"download_count": 0}}, invalid("download_count")),
        ],
    ),
]


async def test_wrong_shapes_are_422_naming_the_field_and_change_nothing(
    callers: Callers, ctx: AppContext, resumes: Resumes
) -> None:
    await callers.sign_in("candidate")
    before = await snapshot(ctx, *TABLES)

    await assert_rejections(callers, REJECTED)

    assert await snapshot(ctx, *TABLES) == before


@pytest.mark.parametrize(
    "column, value",
    [
        ("skills", ["C++", "Python"]),
        ("experience", {"company": "x"}),
        ("education", [{"school": "x", "start": "2012"}]),
        ("certifications", [{"name": "基本情報技術者", "year": 2017}]),
        ("projects", "not json at all"),
        ("content", {"format": "shokumu_keirekisho", "sections": ["summary"]}),
        ("content", ["x"]),
    ],
)
async def test_an_older_writers_shapes_read_as_empty(
    callers: Callers, ctx: AppContext, resumes: Resumes, column: str, value: Any
) -> None:
    async with ctx.transaction() as db:
        row = await db.get(Resume, resumes["mine"])
        assert row is not None
        setattr(row, column, value)

    response = await callers.call("candidate", "GET", "/api/resumes/{mine}")

    assert response.status_code == 200, response.text
    if column == "content":
        assert response.json()["profile"]["name_kana"] is None
    else:
        assert response.json()[column] == []
    listed = await callers.call("candidate", "GET", "/api/resumes/")
    assert listed.status_code == 200
    document = await callers.call("candidate", "GET", "/api/resumes/{mine}/shokumu.pdf")
    assert document.status_code == 200
