"""Which database errors mean the database cannot be reached (503) and which are the caller's or ours."""

from __future__ import annotations

import pymysql
import pytest
from sqlalchemy import exc as sa

from server.failures import contention, outage


def raised_by_mysql(code: int, message: str) -> sa.OperationalError:
    return sa.OperationalError("SELECT 1", {}, pymysql.err.OperationalError(code, message))


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (1040, "Too many connections"),
        (1203, "User root already has more than 'max_user_connections' active connections"),
        (2003, "Can't connect to MySQL server on '127.0.0.1'"),
    ],
    ids=["too many connections", "too many of this user's", "refused"],
)
def test_a_database_that_takes_no_more_connections_is_an_outage(code: int, message: str) -> None:
    error = raised_by_mysql(code, message)

    assert (outage(error), contention(error)) == ("database", False)


def test_a_deadlock_is_contention_not_an_outage() -> None:
    error = raised_by_mysql(1213, "Deadlock found when trying to get lock")

    assert (outage(error), contention(error)) == (None, True)


def test_a_duplicate_key_is_neither() -> None:
    error = sa.IntegrityError("INSERT", {}, pymysql.err.IntegrityError(1062, "Duplicate entry"))

    assert (outage(error), contention(error)) == (None, False)
