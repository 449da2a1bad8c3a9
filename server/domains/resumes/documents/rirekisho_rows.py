"""What the 履歴書's tables say, row by row, apart from how they are drawn.

学歴 then 職歴, each under its centred heading, oldest first: a school gives an 入学 row and a row of
its outcome (卒業/修了/中退/在学中/卒業見込み), an employer an 入社 row and a 退社 row (its reason, or
一身上の都合により退社), a current job 現在に至る, and the table closes with 以上 flush right.
"""

from __future__ import annotations

from datetime import date

import msgspec

from server.domains.resumes.documents.japanese_dates import (
    age_on,
    format_date,
    parse_date,
    parse_year_month,
    year_text,
)
from server.domains.resumes.documents.model import ResumeDocument
from server.domains.resumes.sections import DateStyle, EducationOutcome

OUTCOMES = {
    EducationOutcome.GRADUATED: "卒業",
    EducationOutcome.COMPLETED: "修了",
    EducationOutcome.WITHDRAWN: "中退",
    EducationOutcome.ENROLLED: "在学中",
    EducationOutcome.EXPECTED: "卒業見込み",
}


class Row(msgspec.Struct, frozen=True):
    """One ruled line of a 年 | 月 | text table; empty strings leave a cell blank."""

    year: str = ""
    month: str = ""
    text: str = ""
    align: str = "L"


def birth_text(birth_date: str | None, as_of: date, style: DateStyle) -> str:
    """平成7年6月15日生　（満29歳）, or the form's blanks when the birth date is not given."""
    if birth_date is None:
        return "年　　月　　日生　（満　　歳）"
    born = parse_date(birth_date)
    return f"{format_date(born, style)}生　（満{age_on(born, as_of)}歳）"


def year_month(value: str | None, style: DateStyle) -> tuple[str, str]:
    """The 年 and 月 cells of a row (blank for a row without a date)."""
    if value is None:
        return "", ""
    day = parse_year_month(value)
    return year_text(day, style), str(day.month)


def history_rows(document: ResumeDocument, style: DateStyle) -> list[Row]:
    """学歴 then 職歴, oldest first, closed by 以上 (the form's order)."""
    rows = [Row(text="学歴", align="C")]
    for school in sorted(document.education, key=lambda item: item.start):
        name = "　".join(part for part in (school.school, school.department) if part)
        rows.append(Row(*year_month(school.start, style), text=f"{name}　入学"))
        outcome = OUTCOMES[school.outcome]
        ended = "　".join(part for part in (name, school.degree, outcome) if part)
        rows.append(Row(*year_month(school.end, style), text=ended))
    rows.append(Row(text="職歴", align="C"))
    jobs = sorted(document.experience, key=lambda item: item.start)
    for job in jobs:
        joined = f"{job.company}　入社"
        if job.employment_type and job.employment_type != "正社員":
            joined += f"（{job.employment_type}）"
        if job.department:
            joined += f"　{job.department}配属"
        rows.append(Row(*year_month(job.start, style), text=joined))
        if job.end is not None:
            rows.append(Row(*year_month(job.end, style), text=job.leaving_reason or "一身上の都合により退社"))
    if any(job.end is None for job in jobs):
        rows.append(Row(text="現在に至る"))
    rows.append(Row(text="以上", align="R"))
    return rows


def certification_rows(document: ResumeDocument, style: DateStyle) -> list[Row]:
    """免許・資格 by date obtained; 特になし when there is none, as people write it."""
    items = sorted(document.certifications, key=lambda item: item.obtained or "9999-99")
    if not items:
        return [Row(text="特になし")]
    return [Row(*year_month(item.obtained, style), text=item.name) for item in items]
