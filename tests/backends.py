"""Which real services the tests talk to, and what to do when one is missing.

Tests run on the embedded defaults (SQLite, in-process) and, when `DATABASE_URL` /
`REDIS_URL` are set, on MariaDB/MySQL and Redis. A test that needs a server of its own
(`mysql_server_url`, `redis_server_url`) skips when it is unreachable, except under
`CI=true`, where it fails: CI must never pass by skipping.
"""

from __future__ import annotations

import os
import socket
from urllib.parse import urlsplit, urlunsplit

import pytest

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
"""This pytest-xdist worker's number (0 without xdist); each worker gets its own database."""


def _for_this_worker(database_url: str | None) -> str | None:
    """MySQL: `<name>_w<n>` for worker n > 0. Redis: database index minus n (modulo 16)."""
    if not database_url or WORKER == 0:
        return database_url
    parts = urlsplit(database_url)
    if parts.scheme.startswith("redis"):
        index = int(parts.path.strip("/") or 0)
        return urlunsplit(parts._replace(path=f"/{(index - WORKER) % 16}"))
    if parts.scheme.startswith(("mysql", "mariadb")):
        return urlunsplit(parts._replace(path=f"{parts.path}_w{WORKER}"))
    return database_url


def for_this_worker(url: str) -> str:
    found = _for_this_worker(url)
    assert found is not None
    return found


def create_worker_database(database_url: str) -> None:
    """Give a worker past the first a fresh database of its own beside the one CI created."""
    if WORKER == 0 or not database_url.startswith(("mysql", "mariadb")):
        return
    import pymysql

    parts = urlsplit(database_url)
    name = parts.path.strip("/")
    connection = pymysql.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 3306,
        user=parts.username or "root",
        password=parts.password or "",
    )
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
            cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    finally:
        connection.close()


DATABASE_URL = _for_this_worker(os.environ.get("DATABASE_URL") or None)
REDIS_URL = _for_this_worker(os.environ.get("REDIS_URL") or None)
MYSQL_SERVER_URL = os.environ.get("MYSQL_SERVER_URL") or "mysql://root@127.0.0.1:3306"
REDIS_SERVER_URL = REDIS_URL or "redis://127.0.0.1:6379/0"


def reachable(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 0), timeout=1):
            return True
    except OSError:
        return False


def require(url: str, what: str) -> None:
    if reachable(url):
        return
    message = f"{what} at {url} is unreachable"
    if IN_CI:
        pytest.fail(message + " (CI=true: tests that need it fail instead of skipping)")
    pytest.skip(message)


def mysql_server_url() -> str:
    """The MySQL/MariaDB server URL without a database, for tests that create their own."""
    if DATABASE_URL and DATABASE_URL.startswith(("mysql", "mariadb")):
        parts = urlsplit(DATABASE_URL)
        url = f"{parts.scheme}://{parts.netloc}"
    else:
        url = MYSQL_SERVER_URL
    require(url, "MySQL/MariaDB")
    return url


def redis_server_url() -> str:
    require(REDIS_SERVER_URL, "Redis")
    return REDIS_SERVER_URL
