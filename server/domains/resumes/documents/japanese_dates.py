"""西暦 and 和暦 years, year-months and dates as the documents print them, and 満年齢.

Eras start on their exact days (令和 2019-05-01, 平成 1989-01-08, 昭和 1926-12-25, 大正 1912-07-30,
明治 1868-10-23); an era's first year is printed 元年. A year-month row (入学, 入社…) has no day, so it
takes the era in force on the 1st of that month: 1989-01 is 昭和64年1月, 2019-04 is 平成31年4月 and
2019-05 is 令和元年5月. That is also how such a month reads to a person: the row's event can be
anywhere in the month, and the era that opened the month names it. Days before 明治 print in 西暦.

Numbers are Arabic (the MHLW form asks for アラビア数字), never zero-padded.
"""

from __future__ import annotations

from datetime import date

from server.domains.resumes.sections import DateStyle

ERAS: tuple[tuple[date, str], ...] = (
    (date(2019, 5, 1), "令和"),
    (date(1989, 1, 8), "平成"),
    (date(1926, 12, 25), "昭和"),
    (date(1912, 7, 30), "大正"),
    (date(1868, 10, 23), "明治"),
)
"""Newest first, so the first era that started on or before a day is the one in force."""

ENGLISH_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def parse_year_month(value: str) -> date:
    """`YYYY-MM` -> the 1st of that month (the day the era rule looks at)."""
    year, month = value.split("-")
    return date(int(year), int(month), 1)


def parse_date(value: str) -> date:
    """`YYYY-MM-DD` (the profile's birth date) -> date."""
    return date.fromisoformat(value)


def era_of(day: date) -> tuple[str, int] | None:
    """The era in force on `day` and its year number (1 for 元年); None before 明治."""
    for start, name in ERAS:
        if day >= start:
            return name, day.year - start.year + 1
    return None


def year_text(day: date, style: DateStyle) -> str:
    """The year without 年, as the 年 column of a 履歴書 row holds it: 令和3 / 令和元 / 2021."""
    era = era_of(day) if style is DateStyle.WAREKI else None
    if era is None:
        return str(day.year)
    name, number = era
    return f"{name}{'元' if number == 1 else number}"


def format_year(day: date, style: DateStyle) -> str:
    """令和3年 / 2021年."""
    return f"{year_text(day, style)}年"


def format_year_month(value: str | date, style: DateStyle) -> str:
    """A `YYYY-MM` (or the month of a date): 令和3年4月 / 2021年4月."""
    day = parse_year_month(value) if isinstance(value, str) else value.replace(day=1)
    return f"{format_year(day, style)}{day.month}月"


def format_date(day: date, style: DateStyle) -> str:
    """A full date, its era taken on that very day: 令和元年5月1日 / 2019年5月1日."""
    return f"{format_year(day, style)}{day.month}月{day.day}日"


def format_period(start: str | None, end: str | None, style: DateStyle) -> str:
    """2018年4月～2021年3月, or ～現在 for a period that has not ended."""
    if start is None and end is None:
        return ""
    left = format_year_month(start, style) if start else ""
    right = format_year_month(end, style) if end else "現在"
    return f"{left}～{right}"


def english_month(value: str) -> str:
    """`2018-04` -> Apr 2018."""
    day = parse_year_month(value)
    return f"{ENGLISH_MONTHS[day.month - 1]} {day.year}"


def english_period(start: str | None, end: str | None, *, open_end: str = "Present") -> str:
    """Apr 2018 – Mar 2021, or Apr 2018 – Present."""
    if start is None and end is None:
        return ""
    left = english_month(start) if start else ""
    right = english_month(end) if end else open_end
    return f"{left} – {right}"


def age_on(birth: date, as_of: date) -> int:
    """満年齢 on `as_of`: whole years lived.

    One is a year older from the birthday on; someone born on 29 February turns older on 1 March in
    a common year, which is what the 年齢計算ニ関スル法律 gives (the year ends with 28 February).
    """
    before_birthday = (as_of.month, as_of.day) < (birth.month, birth.day)
    return as_of.year - birth.year - int(before_birthday)
