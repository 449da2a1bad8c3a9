"""西暦/和暦 formatting and 満年齢: era boundaries to the day, 元年, the year-month rule."""

from __future__ import annotations

from datetime import date

import pytest

from server.domains.resumes.documents.japanese_dates import (
    age_on,
    english_month,
    english_period,
    era_of,
    format_date,
    format_period,
    format_year_month,
    year_text,
)
from server.domains.resumes.sections import DateStyle

W, S = DateStyle.WAREKI, DateStyle.SEIREKI


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2019, 4, 30), "平成31年4月30日"),
        (date(2019, 5, 1), "令和元年5月1日"),
        (date(2021, 4, 1), "令和3年4月1日"),
        (date(1989, 1, 7), "昭和64年1月7日"),
        (date(1989, 1, 8), "平成元年1月8日"),
        (date(1926, 12, 24), "大正15年12月24日"),
        (date(1926, 12, 25), "昭和元年12月25日"),
        (date(1912, 7, 29), "明治45年7月29日"),
        (date(1912, 7, 30), "大正元年7月30日"),
        (date(1868, 10, 23), "明治元年10月23日"),
        (date(1868, 10, 22), "1868年10月22日"),
    ],
)
def test_eras_start_on_their_exact_day(day: date, expected: str) -> None:
    assert format_date(day, W) == expected


def test_seireki_prints_the_gregorian_year() -> None:
    assert format_date(date(2019, 5, 1), S) == "2019年5月1日"
    assert format_year_month("2018-04", S) == "2018年4月"
    assert year_text(date(2018, 4, 1), S) == "2018"


@pytest.mark.parametrize(
    ("month", "expected"),
    [
        ("2019-04", "平成31年4月"),
        ("2019-05", "令和元年5月"),
        ("1989-01", "昭和64年1月"),  # the era in force on the 1st of the month
        ("1989-02", "平成元年2月"),
        ("1926-12", "大正15年12月"),
        ("2018-04", "平成30年4月"),
    ],
)
def test_a_year_month_takes_the_era_of_its_first_day(month: str, expected: str) -> None:
    assert format_year_month(month, W) == expected


def test_year_column_text_has_no_year_suffix() -> None:
    assert year_text(date(2019, 5, 1), W) == "令和元"
    assert year_text(date(2021, 4, 1), W) == "令和3"
    assert era_of(date(2000, 1, 1)) == ("平成", 12)
    assert era_of(date(1800, 1, 1)) is None


def test_periods() -> None:
    assert format_period("2018-04", "2021-03", S) == "2018年4月～2021年3月"
    assert format_period("2018-04", "2021-03", W) == "平成30年4月～令和3年3月"
    assert format_period("2021-04", None, W) == "令和3年4月～現在"
    assert format_period(None, None, W) == ""
    assert english_month("2018-04") == "Apr 2018"
    assert english_period("2018-04", None) == "Apr 2018 – Present"
    assert english_period("2018-04", "2021-03") == "Apr 2018 – Mar 2021"


@pytest.mark.parametrize(
    ("birth", "as_of", "age"),
    [
        (date(1990, 5, 15), date(2025, 5, 14), 34),
        (date(1990, 5, 15), date(2025, 5, 15), 35),
        (date(1990, 5, 15), date(2025, 12, 31), 35),
        (date(2000, 2, 29), date(2021, 2, 28), 20),  # a common year: older from 1 March
        (date(2000, 2, 29), date(2021, 3, 1), 21),
        (date(2000, 2, 29), date(2024, 2, 29), 24),
        (date(2025, 1, 1), date(2025, 1, 1), 0),
    ],
)
def test_age_counts_whole_years(birth: date, as_of: date, age: int) -> None:
    assert age_on(birth, as_of) == age
